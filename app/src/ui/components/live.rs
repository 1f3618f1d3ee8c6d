//! A page following the change feed through `EventSource`, which reconnects by itself and
//! resumes after the last event it got (`Last-Event-ID`).
use leptos::prelude::*;

use crate::api::live::LiveEvent;

/// Closes the subscription; safe to call more than once.
#[derive(Clone, Copy)]
pub struct LiveHandle {
    #[cfg(feature = "hydrate")]
    inner: StoredValue<Option<browser::Subscription>, LocalStorage>,
}

impl LiveHandle {
    pub fn close(self) {
        #[cfg(feature = "hydrate")]
        self.inner.try_update_value(|inner| {
            if let Some(subscription) = inner.take() {
                subscription.source.close();
            }
        });
    }
}

/// Calls `on_event` for each change after `after`; `connected` tells whether the stream is up.
/// Runs in the browser only (call it from a component; on the server it does nothing).
pub fn subscribe(
    after: i64,
    on_event: impl Fn(LiveEvent) + 'static,
    connected: RwSignal<bool>,
) -> LiveHandle {
    #[cfg(feature = "hydrate")]
    {
        let inner = StoredValue::new_local(browser::open(after, on_event, connected));
        let handle = LiveHandle { inner };
        on_cleanup(move || handle.close());
        handle
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (after, on_event, connected);
        LiveHandle {}
    }
}

/// Bumps `refresh` whenever card `card_id` of `pipeline` changes after `after`; the page reads
/// it again. Returns whether the stream is up.
pub fn refresh_on_change(
    pipeline: crate::domain::pipeline::Pipeline,
    card_id: i32,
    after: i64,
    refresh: RwSignal<u32>,
) -> RwSignal<bool> {
    let connected = RwSignal::new(false);
    subscribe(
        after,
        move |event| {
            if event.pipeline == pipeline && event.card == card_id {
                refresh.update(|n| *n += 1);
            }
        },
        connected,
    );
    connected
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    pub struct Subscription {
        pub source: web_sys::EventSource,
        _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
        _on_open: Closure<dyn FnMut(web_sys::Event)>,
        _on_error: Closure<dyn FnMut(web_sys::Event)>,
    }

    pub fn open(
        after: i64,
        on_event: impl Fn(LiveEvent) + 'static,
        connected: RwSignal<bool>,
    ) -> Option<Subscription> {
        let url = format!("{}?after={after}", crate::paths::LIVE_PATH);
        let source = web_sys::EventSource::new(&url).ok()?;
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(text) = ev.data().as_string()
                    && let Ok(event) = serde_json::from_str::<LiveEvent>(&text)
                {
                    on_event(event);
                }
            });
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| connected.set(true));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| connected.set(false));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Subscription {
            source,
            _on_message: on_message,
            _on_open: on_open,
            _on_error: on_error,
        })
    }
}
