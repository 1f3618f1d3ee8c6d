//! Whatever is typed as an amount: no panic, and an accepted one is exact to the kopeck,
//! never negative, never over the maximum, and sums without overflow.
#![no_main]
use app::domain::money::Money;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(money) = Money::parse(text) {
        assert!(money >= Money::ZERO);
        assert_eq!(Money::from_kopecks(money.kopecks()), money);
        let _ = (money + money).format(app::domain::lang::Lang::Ru);
    }
    if let Ok(money) = Money::parse_at_most(text, Money::DEFAULT_MAXIMUM) {
        assert!(money <= Money::DEFAULT_MAXIMUM);
    }
});
