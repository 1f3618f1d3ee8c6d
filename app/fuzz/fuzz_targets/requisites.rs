//! INN, KPP, OGRN, BIC and account numbers as typed: no panic, whatever the bytes.
#![no_main]
use app::domain::requisites::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (a, b) = input;
    let _ = check_inn(a);
    let _ = check_kpp(a);
    let _ = check_ogrn(a);
    let _ = check_bic(b);
    let _ = check_settlement_account(a, b);
    let _ = check_correspondent_account(a, b);
});
