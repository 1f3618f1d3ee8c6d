//! Dates as forms send them: no panic; an accepted one is a real day.
#![no_main]
use app::domain::form::{optional_date, past_date, required_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = required_date(Some(text), "d") {
        let _ = date.format("%Y-%m-%d").to_string();
    }
    let _ = optional_date(Some(text), "d");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date");
    let _ = past_date(Some(text), "d", today);
});
