//! The company's clock in the interface: times are shown, and "today" is taken, in the company's
//! time zone (a server setting). The server writes the zone into the page head; the browser
//! reads it from there, so both render the same text and the hydrated page agrees.
use leptos::prelude::*;

use crate::domain::clock::CompanyZone;

const META_NAME: &str = "company-utc-offset-minutes";

/// The company's time zone.
pub fn company_zone() -> CompanyZone {
    #[cfg(feature = "ssr")]
    {
        crate::server::state()
            .map(|state| state.settings.company_zone)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        zone_in_page()
    }
}

/// The company's calendar day now.
pub fn company_today() -> chrono::NaiveDate {
    company_zone().today(chrono::Utc::now())
}

#[cfg(not(feature = "ssr"))]
fn zone_in_page() -> CompanyZone {
    let offset = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| {
            document
                .query_selector(&format!("meta[name=\"{META_NAME}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .and_then(|content| content.parse::<i32>().ok());
    offset
        .and_then(|minutes| CompanyZone::from_offset_minutes(minutes).ok())
        .unwrap_or_default()
}

/// The page head's note of the company's zone (the shell renders it on the server).
#[component]
pub fn CompanyZoneMeta() -> impl IntoView {
    let offset = company_zone().offset_minutes().to_string();
    view! { <meta name=META_NAME content=offset /> }
}
