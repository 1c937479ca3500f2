//! Input generators for the property tests of the parsers that take outside
//! input (`proptest`). Each property runs at most [`CASES`] cases, so that
//! the suite stays fast.

use proptest::prelude::*;

/// Cases per property.
pub const CASES: u32 = 192;

pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        // No regression files in the source tree: a failure prints its input.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One character of the kind people (or attackers) type into forms: any
/// Unicode scalar, Hangul, ASCII, whitespace and line breaks, control
/// characters, invisible format characters (bidi overrides, zero-width),
/// Hangul fillers.
pub fn messy_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::char::range('가', '힣'),
        3 => prop::char::range('a', 'z'),
        1 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec![' ', ' ', '\t', '\n', '\r', '\u{3000}', '\u{00A0}', '\u{2028}']),
        1 => prop::sample::select(vec!['\0', '\u{7}', '\u{1B}', '\u{7F}', '\u{85}', '\u{0B}']),
        2 => prop::sample::select(vec![
            '\u{200B}', '\u{200D}', '\u{200E}', '\u{202A}', '\u{202E}', '\u{2060}', '\u{2066}',
            '\u{2069}', '\u{FEFF}', '\u{061C}', '\u{180E}', '\u{00AD}', '\u{E0041}', '\u{3164}',
            '\u{115F}',
        ]),
        1 => prop::sample::select(vec!['@', '.', '-', '_', ':', '(', ')', '&', '😀', 'é']),
    ]
}

/// Text of up to `max` [messy characters](messy_char).
pub fn messy_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(messy_char(), 0..=max).prop_map(|v| v.into_iter().collect())
}
