//! The editor's language: every message `sbiz` shows an editor comes from one
//! catalogue (`catalogue.rs`) of English templates and their Korean wording.
//!
//! A message is written at its call site as `t!` with its English template
//! and named arguments, e.g. `t!` of `"no {what} has this id"` with `what`.
//! The English template is the key: `t!` looks it up when the crate compiles,
//! so a message without a Korean wording in the catalogue does not build.
//! Arguments are named and may themselves be messages (another `t!`) or
//! plain data (file names, values an editor typed), which are never translated.
//! Messages are rendered late, in the language chosen once per process
//! (`set`), so the terminal and the `serve` overlay say the same thing.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

mod catalogue;

pub use catalogue::CATALOGUE;

/// The language of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    /// `ko` or `en` (also `ko-KR`, `en_US.UTF-8` and the like).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("ko") {
            Some(Lang::Ko)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language when none is asked for: `SBIZ_LANG`, else the locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`; one starting with `en` means
    /// English), else Korean.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(l) = var("SBIZ_LANG").as_deref().and_then(Lang::parse) {
            return l;
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            match var(name) {
                // The first locale variable that is set decides, as in POSIX.
                Some(v) if !v.is_empty() => {
                    return if v.to_ascii_lowercase().starts_with("en") {
                        Lang::En
                    } else {
                        Lang::Ko
                    };
                }
                _ => {}
            }
        }
        Lang::Ko
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Chooses the language of every message rendered from now on.
pub fn set(lang: Lang) {
    CURRENT.store(
        match lang {
            Lang::Ko => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

/// The language chosen with `set` (Korean until then).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Ko,
    }
}

/// A message to show an editor, rendered in either language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// A catalogue entry (its index) with its named arguments.
    Entry(usize, Vec<(&'static str, Text)>),
    /// Data shown as it is: a file name, a value from the content, or (as a
    /// last resort) a library's own message that the catalogue does not know.
    Plain(String),
    /// Parts shown one after another.
    Seq(Vec<Text>),
}

impl Text {
    /// A catalogue entry by index (used by `t!`).
    pub fn entry(index: usize, args: Vec<(&'static str, Text)>) -> Text {
        Text::Entry(index, args)
    }

    /// `s` translated when the catalogue has it as an English template
    /// without arguments, else shown as it is: for messages made by other
    /// crates (the catalog's value formats, YAML syntax errors).
    pub fn lookup(s: &str) -> Text {
        match CATALOGUE.iter().position(|(en, _)| *en == s) {
            Some(i) => Text::Entry(i, Vec::new()),
            None => Text::Plain(s.to_owned()),
        }
    }

    /// Items joined with `sep` (itself plain, e.g. ", ").
    pub fn join(items: impl IntoIterator<Item = Text>, sep: &str) -> Text {
        let mut out = Vec::new();
        for (i, t) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(Text::Plain(sep.to_owned()));
            }
            out.push(t);
        }
        Text::Seq(out)
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.render_into(lang, &mut out);
        out
    }

    fn render_into(&self, lang: Lang, out: &mut String) {
        match self {
            Text::Plain(s) => out.push_str(s),
            Text::Seq(parts) => parts.iter().for_each(|p| p.render_into(lang, out)),
            Text::Entry(i, args) => {
                let (en, ko) = CATALOGUE[*i];
                let mut rest = match lang {
                    Lang::Ko => ko,
                    Lang::En => en,
                };
                while let Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    let after = &rest[open + 1..];
                    let close = after.find('}');
                    let name = close.map(|c| &after[..c]);
                    match name.and_then(|n| args.iter().find(|(k, _)| *k == n)) {
                        Some((k, v)) => {
                            v.render_into(lang, out);
                            rest = &after[k.len() + 1..];
                        }
                        None => {
                            out.push('{');
                            rest = after;
                        }
                    }
                }
                out.push_str(rest);
            }
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(current()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Plain(s)
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::Plain(s.clone())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Plain(s.to_owned())
    }
}

impl From<&Text> for Text {
    fn from(t: &Text) -> Text {
        t.clone()
    }
}

macro_rules! plain_from_display {
    ($($t:ty),*) => {$(
        impl From<$t> for Text {
            fn from(v: $t) -> Text {
                Text::Plain(v.to_string())
            }
        }
    )*};
}
plain_from_display!(usize, u8, u16, u32, u64, i64, f64);

/// The index of `key` in the catalogue; fails the build when it is missing.
pub const fn index(key: &str) -> usize {
    let mut i = 0;
    while i < CATALOGUE.len() {
        if eq(CATALOGUE[i].0, key) {
            return i;
        }
        i += 1;
    }
    panic!("a message is missing from generator/src/i18n/catalogue.rs")
}

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A catalogue message: the English template, then named arguments, as in
/// `t!` of `"no {what} has this id"` with `what` set to the message `facility`.
/// Arguments are anything `Into<Text>`: other messages, or plain data.
#[macro_export]
macro_rules! t {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        const INDEX: usize = $crate::i18n::index($key);
        $crate::i18n::Text::entry(
            INDEX,
            vec![$((stringify!($name), $crate::i18n::Text::from($value))),*],
        )
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut out: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn both_wordings_use_the_same_arguments() {
        for (en, ko) in CATALOGUE {
            assert_eq!(placeholders(en), placeholders(ko), "{en:?} / {ko:?}");
            assert!(!ko.trim().is_empty(), "no Korean wording for {en:?}");
        }
    }

    #[test]
    fn every_template_is_in_the_catalogue_once() {
        let mut keys: Vec<&str> = CATALOGUE.iter().map(|(en, _)| *en).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "a template is listed twice");
    }

    #[test]
    fn arguments_are_rendered_in_either_language() {
        let t = crate::t!("did you mean `{name}`?", name = "jongno");
        assert_eq!(t.render(Lang::En), "did you mean `jongno`?");
        assert_eq!(t.render(Lang::Ko), "혹시 `jongno`인가요?");
    }

    #[test]
    fn the_language_comes_from_sbiz_lang_then_the_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_env(env(&[])), Lang::Ko);
        assert_eq!(Lang::from_env(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LANG", "C.UTF-8")])), Lang::Ko);
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", "ko_KR.UTF-8"), ("LANG", "en_US")])),
            Lang::Ko
        );
        assert_eq!(
            Lang::from_env(env(&[("SBIZ_LANG", "en"), ("LANG", "ko_KR")])),
            Lang::En
        );
    }
}
