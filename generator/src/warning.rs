//! Warnings: what a build did that an editor should know but that does
//! not stop it (a link to a record that is not published, written as its
//! text). Shown like errors, with the same place, found and help lines,
//! labelled `warning` instead of `error`.

use crate::diagnostics::Diagnostic;
use crate::i18n::{self, Lang};
use crate::t;

/// One warning, at a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(pub(crate) Diagnostic);

impl Warning {
    /// The warning in `lang`: `warning: file:line:column: …` and its lines.
    pub fn render(&self, lang: Lang) -> String {
        let text = self.0.render(lang);
        // The diagnostic's own layout, its first word replaced.
        let error = format!("{}: ", t!("error").render(lang));
        match text.strip_prefix(&error) {
            Some(rest) => format!("{}: {rest}", t!("warning").render(lang)),
            None => text,
        }
    }
}

/// Every warning, in the chosen language (nothing when there is none).
pub fn report(warnings: &[Warning]) -> String {
    let lang = i18n::current();
    warnings.iter().map(|w| w.render(lang)).collect()
}
