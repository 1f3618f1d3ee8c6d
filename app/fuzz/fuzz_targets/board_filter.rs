//! The board's filter from the address: no panic; an accepted one has its bounds in order.
#![no_main]
use app::domain::board::RawBoardFilter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|fields: [Option<&str>; 8]| {
    let owned = fields.map(|f| f.map(str::to_owned));
    let [counterparty, responsible, mine, from, to, min, max, text] = owned;
    let raw = RawBoardFilter {
        counterparty,
        responsible,
        mine,
        from,
        to,
        min,
        max,
        text,
    };
    let _ = raw.is_empty();
    let _ = raw.pairs();
    let _ = raw.check();
});
