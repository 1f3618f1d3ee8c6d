//! Building links that carry the documents filter in the address, so it can be bookmarked, and
//! reading the object id a page's address names.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` of the page's route, if it is a number.
pub fn id_param() -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

/// The object named by the id in the page's address, read again whenever the returned signal
/// changes (after the page's own forms).
pub fn object_by_id<T, Fut>(
    fetch: fn(i32) -> Fut,
) -> (Resource<Result<T, crate::error::AppError>>, RwSignal<u32>)
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + Send + 'static,
{
    let id = id_param();
    let refresh = RwSignal::new(0u32);
    let resource = Resource::new(
        move || (id.get(), refresh.get()),
        move |(id, _)| async move {
            match id {
                Some(id) => fetch(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    (resource, refresh)
}

/// `?a=1&b=x%20y` from the pairs whose value is not empty.
pub fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .filter_map(|(key, value)| {
            value
                .as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{key}={}", percent_encode(v)))
        })
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_non_empty_values_encoded() {
        type Pairs<'a> = &'a [(&'a str, Option<String>)];
        let table: [(Pairs, &str); 3] = [
            (&[], ""),
            (&[("stage", None), ("text", Some(String::new()))], ""),
            (
                &[
                    ("stage", Some("paid".into())),
                    ("text", Some("СЧ 9&".into())),
                    ("page", Some("2".into())),
                ],
                "?stage=paid&text=%D0%A1%D0%A7%209%26&page=2",
            ),
        ];
        for (pairs, expected) in table {
            assert_eq!(query_string(pairs), expected);
        }
    }
}
