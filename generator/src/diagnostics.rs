//! Errors an editor can act on: file, line, column, field, found, expected.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::{self, Lang, Text};
use crate::t;
use crate::warning::Warning;

/// One problem in the content, with where it is and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path as shown to the editor (relative to the site root).
    pub(crate) file: PathBuf,
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// The field path, e.g. `sessions[1].time`; empty for whole-file problems.
    pub(crate) field: String,
    pub(crate) message: Text,
    pub(crate) found: Option<Text>,
    pub(crate) expected: Option<Text>,
    pub(crate) help: Option<Text>,
}

impl Diagnostic {
    pub(crate) fn new(
        file: &Path,
        line: usize,
        column: usize,
        field: &str,
        message: impl Into<Text>,
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
    pub(crate) fn found(mut self, found: impl Into<Text>) -> Self {
        self.found = Some(found.into());
        self
    }
    pub(crate) fn expected(mut self, expected: impl Into<Text>) -> Self {
        self.expected = Some(expected.into());
        self
    }
    pub(crate) fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Diagnostic {
    /// The diagnostic in `lang`: `error: file:line:column: `field`: message`
    /// and its found / expected / help lines.
    pub fn render(&self, lang: Lang) -> String {
        let file = self.file.display().to_string().replace('\\', "/");
        let mut out = format!(
            "{}: {}:{}:{}: ",
            t!("error").render(lang),
            file,
            self.line,
            self.column
        );
        if !self.field.is_empty() {
            out.push_str(&format!("`{}`: ", self.field));
        }
        out.push_str(&self.message.render(lang));
        out.push('\n');
        let labels = [
            (t!("found:"), &self.found),
            (t!("expected:"), &self.expected),
            (t!("help:"), &self.help),
        ];
        // Labels are padded to one width, counting a Hangul syllable as two
        // columns as a terminal shows it.
        let width = |s: &str| {
            s.chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        };
        let labels: Vec<(String, &Option<Text>)> = labels
            .into_iter()
            .map(|(l, v)| (l.render(lang), v))
            .collect();
        let pad = labels.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 1;
        for (label, value) in labels {
            if let Some(v) = value {
                out.push_str(&format!(
                    "  {label}{}{}\n",
                    " ".repeat(pad - width(&label)),
                    v.render(lang)
                ));
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(i18n::current()))
    }
}

/// Sorts diagnostics by file and position so the output is stable.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.field).cmp(&(&b.file, b.line, b.column, &b.field))
    });
}

/// What failed, for the closing count line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Check,
    Build,
}

/// Renders the errors, then the warnings found meanwhile (after a blank
/// line, so that they stand apart), and the closing line counting both, in
/// `lang`.
pub fn report_in(errors: &[Diagnostic], warnings: &[Warning], step: Step, lang: Lang) -> String {
    let mut out = String::new();
    for d in errors {
        out.push_str(&d.render(lang));
    }
    if !warnings.is_empty() {
        out.push('\n');
        for w in warnings {
            out.push_str(&w.render(lang));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{}: {}\n",
        t!("error").render(lang),
        summary(errors.len(), warnings.len(), step).render(lang)
    ));
    out
}

/// The closing line: what failed, with how many errors (and warnings,
/// when there are some).
fn summary(errors: usize, warnings: usize, step: Step) -> Text {
    let n = errors;
    if warnings == 0 {
        return match (step, n) {
            (Step::Check, 1) => t!("check failed: {n} error", n = n),
            (Step::Check, _) => t!("check failed: {n} errors", n = n),
            (Step::Build, 1) => t!("build failed: {n} error", n = n),
            (Step::Build, _) => t!("build failed: {n} errors", n = n),
        };
    }
    let errors = match n {
        1 => t!("{n} error", n = n),
        _ => t!("{n} errors", n = n),
    };
    let warnings = match warnings {
        1 => t!("{n} warning", n = warnings),
        n => t!("{n} warnings", n = n),
    };
    match step {
        Step::Check => t!(
            "check failed: {errors}, {warnings}",
            errors = errors,
            warnings = warnings
        ),
        Step::Build => t!(
            "build failed: {errors}, {warnings}",
            errors = errors,
            warnings = warnings
        ),
    }
}

/// Renders a failed build's errors, its warnings and the closing count
/// line in the chosen language.
pub fn report(failure: &crate::build::Failure, step: Step) -> String {
    report_in(&failure.errors, &failure.warnings, step, i18n::current())
}

/// Shows a YAML scalar the way an editor typed it, quoted when it is text.
pub(crate) fn show_value(v: &serde_yaml::Value) -> Text {
    use serde_yaml::Value;
    match v {
        Value::Null => t!("nothing (empty value)"),
        Value::Bool(b) => b.to_string().into(),
        Value::Number(n) => n.to_string().into(),
        Value::String(s) => format!("{s:?}").into(),
        Value::Sequence(s) if s.len() == 1 => t!("a list of 1 item"),
        Value::Sequence(s) => t!("a list of {n} items", n = s.len()),
        Value::Mapping(_) => t!("a mapping (key: value pairs)"),
        Value::Tagged(t) => t!("a value tagged {tag}", tag = t.tag.to_string()),
    }
}

/// "did you mean `name`?"
pub fn did_you_mean(name: &str) -> Text {
    t!("did you mean `{name}`?", name = name)
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
