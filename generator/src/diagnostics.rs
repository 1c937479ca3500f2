//! Errors an editor can act on: file, line, column, field, found, expected.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the content, with where it is and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as shown to the editor (relative to the site root).
    pub(crate) file: PathBuf,
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// The field path, e.g. `sessions[1].time`; empty for whole-file problems.
    pub(crate) field: String,
    pub(crate) message: String,
    pub(crate) found: Option<String>,
    pub(crate) expected: Option<String>,
    pub(crate) help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn new(
        file: &Path,
        line: usize,
        column: usize,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line,
            column,
            field: field.to_owned(),
            message: message.into(),
            found: None,
            expected: None,
            help: None,
        }
    }
    pub(crate) fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }
    pub(crate) fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display().to_string().replace('\\', "/");
        write!(f, "error: {}:{}:{}: ", file, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "`{}`: ", self.field)?;
        }
        writeln!(f, "{}", self.message)?;
        if let Some(found) = &self.found {
            writeln!(f, "  found:    {found}")?;
        }
        if let Some(expected) = &self.expected {
            writeln!(f, "  expected: {expected}")?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  help:     {help}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file and position so the output is stable.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.field).cmp(&(&b.file, b.line, b.column, &b.field))
    });
}

/// Renders all diagnostics and the closing count line.
pub fn report(diags: &[Diagnostic], what: &str) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
    }
    let n = diags.len();
    out.push_str(&format!(
        "error: {what} failed: {n} error{}\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// Shows a YAML scalar the way an editor typed it, quoted when it is text.
pub(crate) fn show_value(v: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    match v {
        Value::Null => "nothing (empty value)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Sequence(s) => format!(
            "a list of {} item{}",
            s.len(),
            if s.len() == 1 { "" } else { "s" }
        ),
        Value::Mapping(_) => "a mapping (key: value pairs)".into(),
        Value::Tagged(t) => format!("a value tagged {}", t.tag),
    }
}

/// The closest known name to `unknown`, for "did you mean" hints.
pub(crate) fn suggest<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
