//! Deal and item numbers as typed or searched: no panic; an accepted one prints back the same.
#![no_main]
use app::domain::numbering::{DealNumber, item_number, number_needle, parse_item_number};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(number) = DealNumber::parse(text) {
        assert_eq!(number.to_string(), text.trim());
    }
    if let Ok((deal, code, seq)) = parse_item_number(text) {
        let _ = item_number(deal, &code, seq);
    }
    let _ = number_needle(text);
});
