//! File names as browsers and clients send them: no panic; what is kept has no folder and no
//! invisible character, and the saved name ends in the detected type's extension.
#![no_main]
use app::domain::files::{content_disposition, is_invisible, saved_name};
use app::domain::upload::clean_file_name;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|name: &str| {
    let kept = clean_file_name(name);
    assert!(!kept.is_empty());
    assert!(!kept.contains('/') && !kept.contains('\\'));
    assert!(!kept.chars().any(is_invisible));
    let saved = saved_name(&kept, "application/pdf");
    assert!(saved.to_lowercase().ends_with(".pdf"), "{saved:?}");
    let header = content_disposition(&saved, false);
    assert!(header.is_ascii());
});
