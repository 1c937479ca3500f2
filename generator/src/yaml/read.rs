//! Reads typed values out of a parsed YAML mapping, one field at a time.
//!
//! Each `Fields` reader remembers which keys were asked for; `finish` reports
//! the rest as unknown fields with a "did you mean" suggestion. Every mismatch
//! becomes a `Diagnostic` at the exact line and column, so a file with five
//! mistakes shows five errors.

use std::cell::RefCell;
use std::path::PathBuf;

use serde_yaml::{Mapping, Value};

use super::locate::{self, Locator, Pos};
use crate::diagnostics::{Diagnostic, did_you_mean, show_value, suggest};
use crate::i18n::Text;
use crate::t;
use sbiz_catalog::Id;

/// A file being read: its display path, where its fields are, and the
/// problems found so far.
#[derive(Debug)]
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    pub(crate) locator: Locator,
    /// First line of the Markdown body (for `.md` files).
    pub(crate) body_line: usize,
    diags: RefCell<Vec<Diagnostic>>,
    /// What the fields read so far point at (see [`Fields::refer`]).
    refs: RefCell<Vec<Ref>>,
    /// The Markdown texts read so far, by field (`""` for the body of a
    /// `.md` file): kept only when the record cannot be made (see
    /// [`Source::take_bodies`]).
    bodies: RefCell<Vec<(String, String)>>,
    /// The YAML text, for the positions inside block scalars.
    text: String,
    line_offset: usize,
}

impl Source {
    pub(crate) fn new(path: PathBuf, text: &str, line_offset: usize, body_line: usize) -> Source {
        Source {
            path,
            locator: Locator::new(text, line_offset),
            body_line,
            diags: RefCell::new(Vec::new()),
            refs: RefCell::new(Vec::new()),
            bodies: RefCell::new(Vec::new()),
            text: text.to_owned(),
            line_offset,
        }
    }

    /// Where character `offset` (in bytes) of the text `value` read from
    /// `field` was written: inside a block scalar (`|`, `>`) or a one-line
    /// plain scalar, the character's own line and column; otherwise the
    /// field's value.
    pub(crate) fn at_offset(&self, field: &str, value: &str, offset: usize) -> Pos {
        let p = self.locator.value(field);
        super::block::position(&self.text, self.line_offset, p, value, offset).unwrap_or(p)
    }

    /// Notes that `field` points at `id` (checked once every file is loaded).
    pub(crate) fn refer(&self, field: String, target: Target, id: &Id) {
        self.refs.borrow_mut().push(Ref {
            field,
            target,
            id: id.clone(),
        });
    }

    /// Notes the Markdown text of `field`.
    pub(crate) fn body(&self, field: &str, text: &str) {
        self.bodies
            .borrow_mut()
            .push((field.to_owned(), text.to_owned()));
    }

    /// The Markdown texts read, by field.
    pub(crate) fn take_bodies(&self) -> Vec<(String, String)> {
        std::mem::take(&mut self.bodies.borrow_mut())
    }

    /// An error about the value of `field`.
    pub(crate) fn at_value(&self, field: &str, message: impl Into<Text>) -> Diagnostic {
        let p = self.locator.value(field);
        Diagnostic::new(&self.path, p.line, p.column, field, message)
    }

    /// An error about the key of `field` (unknown or missing fields).
    pub(crate) fn at_key(&self, field: &str, message: impl Into<Text>) -> Diagnostic {
        let p = self.locator.key(field);
        Diagnostic::new(&self.path, p.line, p.column, field, message)
    }

    pub(crate) fn push(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }

    /// Ends reading: where the fields are, for later checks, and the problems found.
    pub(crate) fn finish(self) -> (std::sync::Arc<Origin>, Vec<Diagnostic>) {
        let origin = Origin {
            path: self.path,
            locator: self.locator,
            body_line: self.body_line,
            refs: self.refs.into_inner(),
        };
        (std::sync::Arc::new(origin), self.diags.into_inner())
    }
}

/// Where a record came from, kept after loading for cross-reference checks.
#[derive(Debug)]
pub(crate) struct Origin {
    pub(crate) path: PathBuf,
    pub(crate) locator: Locator,
    pub(crate) body_line: usize,
    /// What the file's fields point at, checked by `crate::validate`.
    pub(crate) refs: Vec<Ref>,
}

/// What a field points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Term(crate::model::Taxonomy),
    Facility,
    Programme,
    Survey(sbiz_catalog::SurveyTarget),
}

/// A field's reference to another record or a taxonomy term.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub(crate) field: String,
    pub(crate) target: Target,
    pub(crate) id: Id,
}

impl Origin {
    /// An error about the value of `field` in this file.
    pub(crate) fn at_value(&self, field: &str, message: impl Into<Text>) -> Diagnostic {
        let p = self.locator.value(field);
        Diagnostic::new(&self.path, p.line, p.column, field, message)
    }
}

/// Why a YAML value is not the expected type.
#[derive(Debug, Clone)]
pub(crate) struct Mismatch {
    pub(crate) message: Text,
    pub(crate) expected: Text,
}

impl Mismatch {
    pub(crate) fn new(message: impl Into<Text>, expected: impl Into<Text>) -> Self {
        Mismatch {
            message: message.into(),
            expected: expected.into(),
        }
    }
    fn from_value_error(e: sbiz_catalog::ValueError) -> Self {
        Mismatch {
            message: e
                .reason
                .map(|r| Text::lookup(&r))
                .unwrap_or_else(|| t!("wrong format")),
            expected: Text::lookup(&e.expected),
        }
    }
}

/// A type that can be read from one YAML value.
pub(crate) trait FromYaml: Sized {
    fn from_yaml(v: &Value) -> Result<Self, Mismatch>;
}

fn wrong_type(expected: impl Into<Text>) -> Mismatch {
    Mismatch::new(t!("wrong type"), expected)
}

impl FromYaml for String {
    fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
        let s = match v {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => return Err(wrong_type(t!("text"))),
        };
        if s.is_empty() {
            Err(Mismatch::new(t!("empty text"), t!("text")))
        } else {
            Ok(s)
        }
    }
}

impl FromYaml for bool {
    fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
        v.as_bool().ok_or_else(|| wrong_type(t!("true or false")))
    }
}

macro_rules! int_from_yaml {
    ($($t:ty),*) => {$(
        impl FromYaml for $t {
            fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
                let range = if <$t>::MIN == 0 {
                    t!("a whole number from 0 to {max}", max = <$t>::MAX.to_string())
                } else {
                    t!("a whole number")
                };
                let wanted = if <$t>::MIN == 0 { t!("a whole number (0 or more)") } else { t!("a whole number") };
                match v {
                    Value::Number(n) => n
                        .as_i64()
                        .and_then(|i| <$t>::try_from(i).ok())
                        .ok_or_else(|| Mismatch::new(t!("number out of range"), range)),
                    _ => Err(wrong_type(wanted)),
                }
            }
        }
    )*};
}
int_from_yaml!(u8, u16, u32, i64);

impl FromYaml for f64 {
    fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
        match v {
            Value::Number(n) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .ok_or_else(|| Mismatch::new(t!("not a number"), t!("a decimal number"))),
            _ => Err(wrong_type(t!("a decimal number such as 37.5665"))),
        }
    }
}

/// Values whose text form is parsed by `FromStr` with a `ValueError`.
macro_rules! parsed_from_yaml {
    ($($t:ty),*) => {$(
        impl FromYaml for $t {
            fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
                match v {
                    Value::String(s) => s.parse().map_err(Mismatch::from_value_error),
                    Value::Number(n) => n.to_string().parse().map_err(Mismatch::from_value_error),
                    _ => {
                        let e = "x".parse::<$t>().err().map(|e| e.expected).unwrap_or_default();
                        Err(wrong_type(Text::lookup(&e)))
                    }
                }
            }
        }
    )*};
}
parsed_from_yaml!(
    sbiz_catalog::Date,
    sbiz_catalog::TimeOfDay,
    sbiz_catalog::TimeRange,
    sbiz_catalog::Id,
    sbiz_catalog::Phone
);

/// An external `http(s)://` link.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Url(pub(crate) String);

impl FromYaml for Url {
    fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
        let expected = || t!("a web address starting with https:// or http://");
        let s = v.as_str().ok_or_else(|| wrong_type(expected()))?.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        match rest {
            Some(r) if !r.is_empty() && !r.starts_with('/') && !s.contains(char::is_whitespace) => {
                Ok(Url(s.to_owned()))
            }
            _ => Err(Mismatch::new(t!("not a web address"), expected())),
        }
    }
}

/// An email address (shape check only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Email(pub(crate) String);

impl FromYaml for Email {
    fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
        let expected = || t!("an email address such as info@example.kr");
        let s = v.as_str().ok_or_else(|| wrong_type(expected()))?.trim();
        let ok = s.split_once('@').is_some_and(|(a, d)| {
            !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        }) && !s.contains(char::is_whitespace);
        if ok {
            Ok(Email(s.to_owned()))
        } else {
            Err(Mismatch::new(t!("not an email address"), expected()))
        }
    }
}

/// A reader over one YAML mapping.
pub(crate) struct Fields<'a> {
    src: &'a Source,
    path: String,
    map: Option<&'a Mapping>,
    known: Vec<&'static str>,
    /// What this mapping is, for messages ("a programme", "a session").
    what: Text,
    /// Required keys not written, with the index of their error among the
    /// source's: a misspelled key found by `finish` takes its place.
    missing: Vec<(&'static str, usize)>,
}

impl<'a> Fields<'a> {
    /// Reads `value` (the whole document or a nested value at `path`) as a mapping.
    pub(crate) fn new(
        src: &'a Source,
        path: String,
        value: &'a Value,
        what: impl Into<Text>,
    ) -> Fields<'a> {
        let what = what.into();
        let map = match value {
            Value::Mapping(m) => Some(m),
            other => {
                src.push(
                    src.at_value(
                        &path,
                        t!(
                            "expected {what} written as `key: value` lines",
                            what = &what
                        ),
                    )
                    .found(show_value(other))
                    .expected(t!("{what} (a mapping)", what = &what)),
                );
                None
            }
        };
        Fields {
            src,
            path,
            map,
            known: Vec::new(),
            what,
            missing: Vec::new(),
        }
    }

    pub(crate) fn source(&self) -> &'a Source {
        self.src
    }

    /// The full path of a field of this mapping.
    pub(crate) fn path_of(&self, key: &str) -> String {
        locate::join(&self.path, key)
    }

    /// Notes that `key` of this mapping points at `id`.
    pub(crate) fn refer(&self, key: &str, target: Target, id: &Id) {
        self.src.refer(self.path_of(key), target, id);
    }

    pub(crate) fn is_valid_mapping(&self) -> bool {
        self.map.is_some()
    }

    fn raw(&mut self, key: &'static str) -> Option<&'a Value> {
        self.known.push(key);
        self.map?.get(key).filter(|v| !v.is_null())
    }

    fn convert<T: FromYaml>(&self, key: &str, v: &Value) -> Option<T> {
        match T::from_yaml(v) {
            Ok(t) => Some(t),
            Err(m) => {
                let field = self.path_of(key);
                self.src.push(
                    self.src
                        .at_value(&field, m.message)
                        .found(show_value(v))
                        .expected(m.expected),
                );
                None
            }
        }
    }

    /// Reports the required field `key` as missing (or as empty, when it
    /// is written with an empty text), at this mapping, `expected` saying
    /// what it holds. A misspelt key found later takes its place (see
    /// `finish`). Every reader reports a missing field through this, so
    /// the message and its position are the same everywhere.
    pub(crate) fn missing(&mut self, key: &'static str, expected: Text) {
        let field = self.path_of(key);
        // `key:` with nothing after it: point at that line.
        if self.value_present(key) {
            self.src.push(
                self.src
                    .at_key(&field, t!("required field `{key}` is empty", key = key))
                    .expected(t!(
                        "`{key}:` with {expected}",
                        key = key,
                        expected = expected
                    )),
            );
            return;
        }
        self.missing.push((key, self.src.diags.borrow().len()));
        self.src.push(
            self.src
                .at_key(&self.path, t!("missing required field `{key}`", key = key))
                .expected(t!(
                    "`{key}:` with {expected}",
                    key = key,
                    expected = expected
                )),
        );
        // Point the field name at the missing key, not at its parent.
        if let Some(d) = self.src.diags.borrow_mut().last_mut() {
            d.field = field;
        }
    }

    /// A required field.
    pub(crate) fn req<T: FromYaml>(
        &mut self,
        key: &'static str,
        expected: impl Into<Text>,
    ) -> Option<T> {
        match self.raw(key) {
            // `key: |` with no lines, or `key: ""`: as empty as `key:`.
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.missing(key, expected.into());
                None
            }
            Some(v) => self.convert(key, v),
            None => {
                if self.map.is_some() {
                    self.missing(key, expected.into());
                }
                None
            }
        }
    }

    /// An optional field (absent or empty is `None`).
    pub(crate) fn opt<T: FromYaml>(&mut self, key: &'static str) -> Option<T> {
        let v = self.raw(key)?;
        self.convert(key, v)
    }

    /// An optional field with a default.
    pub(crate) fn or<T: FromYaml>(&mut self, key: &'static str, default: T) -> T {
        self.opt(key).unwrap_or(default)
    }

    /// A list of scalars; each bad item is reported at its own position.
    pub(crate) fn list<T: FromYaml>(
        &mut self,
        key: &'static str,
        required: bool,
        expected: impl Into<Text>,
    ) -> Vec<T> {
        let Some(v) = self.raw(key) else {
            if required && self.map.is_some() {
                self.missing(key, t!("a list of {what}", what = expected.into()));
            }
            return Vec::new();
        };
        let field = self.path_of(key);
        match v {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match T::from_yaml(item) {
                    Ok(t) => Some(t),
                    Err(m) => {
                        let f = locate::index(&field, i);
                        self.src.push(
                            self.src
                                .at_value(&f, m.message)
                                .found(show_value(item))
                                .expected(m.expected),
                        );
                        None
                    }
                })
                .collect(),
            // A single value where a list is expected: accept it as a list of one.
            other => self.convert::<T>(key, other).into_iter().collect(),
        }
    }

    /// A list of mappings, each read by `f`.
    pub(crate) fn list_of<T>(
        &mut self,
        key: &'static str,
        required: bool,
        what: impl Into<Text>,
        mut f: impl FnMut(&mut Fields<'a>) -> Option<T>,
    ) -> Vec<T> {
        let what = what.into();
        let Some(v) = self.raw(key) else {
            if required && self.map.is_some() {
                self.missing(key, t!("a list of {what}", what = what));
            }
            return Vec::new();
        };
        let field = self.path_of(key);
        match v {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let mut sub =
                        Fields::new(self.src, locate::index(&field, i), item, what.clone());
                    let out = if sub.map.is_some() { f(&mut sub) } else { None };
                    sub.finish();
                    out
                })
                .collect(),
            other => {
                self.src.push(
                    self.src
                        .at_value(&field, t!("expected a list"))
                        .found(show_value(other))
                        .expected(t!(
                            "a list, each item ({what}) starting with `- `",
                            what = what
                        )),
                );
                Vec::new()
            }
        }
    }

    /// A nested mapping read by `f`.
    pub(crate) fn nested<T>(
        &mut self,
        key: &'static str,
        required: bool,
        what: impl Into<Text>,
        f: impl FnOnce(&mut Fields<'a>) -> Option<T>,
    ) -> Option<T> {
        let what = what.into();
        let Some(v) = self.raw(key) else {
            if required && self.map.is_some() {
                self.missing(key, what);
            }
            return None;
        };
        let mut sub = Fields::new(self.src, self.path_of(key), v, what);
        let out = if sub.map.is_some() { f(&mut sub) } else { None };
        sub.finish();
        out
    }

    /// Whether a field is written (even if empty or invalid).
    pub(crate) fn value_present(&self, key: &str) -> bool {
        self.map.is_some_and(|m| m.contains_key(key))
    }

    /// Whether a field is written with a value (`key: []` is; `key:` is not).
    pub(crate) fn value_written(&self, key: &str) -> bool {
        self.map
            .and_then(|m| m.get(key))
            .is_some_and(|v| !v.is_null())
    }

    /// Reports a problem with a field's value found after reading it.
    /// An empty `key` points at this mapping itself.
    pub(crate) fn invalid(
        &self,
        key: &str,
        message: impl Into<Text>,
        found: impl Into<Text>,
        expected: impl Into<Text>,
    ) {
        let field = if key.is_empty() {
            self.path.clone()
        } else {
            self.path_of(key)
        };
        self.src.push(
            self.src
                .at_value(&field, message)
                .found(found)
                .expected(expected),
        );
    }

    /// Reports every key that was never asked for.
    pub(crate) fn finish(mut self) {
        let Some(map) = self.map else { return };
        for key in map.keys() {
            let name = match key {
                Value::String(s) => s.as_str(),
                _ => {
                    self.src.push(
                        self.src
                            .at_key(&self.path, t!("field names must be text"))
                            .found(show_value(key)),
                    );
                    continue;
                }
            };
            if self.known.contains(&name) {
                continue;
            }
            let field = self.path_of(name);
            if self.misspelled_required(name, &field) {
                continue;
            }
            let mut d = self
                .src
                .at_key(&field, t!("unknown field"))
                .found(format!("`{name}`"))
                .expected(t!(
                    "one of the fields of {what}: {fields}",
                    what = &self.what,
                    fields = self.known_list()
                ));
            if let Some(s) = suggest(name, self.known.iter().copied()) {
                d = d.help(did_you_mean(s));
            }
            self.src.push(d);
        }
    }

    /// When the unknown key `name` (at `field`) looks like a required key
    /// that is missing, one error at `name` says both: it replaces the
    /// missing key's error (at the mapping's start) and is the only one.
    fn misspelled_required(&mut self, name: &str, field: &str) -> bool {
        let Some(key) = suggest(name, self.known.iter().copied()) else {
            return false;
        };
        let Some(i) = self.missing.iter().position(|(k, _)| *k == key) else {
            return false;
        };
        let (key, index) = self.missing.remove(i);
        let mut diags = self.src.diags.borrow_mut();
        let Some(old) = diags.get_mut(index) else {
            return false;
        };
        let mut d = self
            .src
            .at_key(
                field,
                t!(
                    "unknown field; the required field `{key}` is missing",
                    key = key
                ),
            )
            .found(format!("`{name}`"))
            .help(did_you_mean(key));
        d.expected = old.expected.take();
        *old = d;
        true
    }

    fn known_list(&self) -> String {
        let mut k: Vec<&str> = self.known.clone();
        k.dedup();
        k.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl<'a> Fields<'a> {
    /// A mapping whose keys are data (ids chosen by the editor), each value
    /// read as a nested mapping by `f` with the key: `form: { intro: {…} }`.
    /// Returns `None` when the key is absent; keys that are not text are
    /// reported and skipped.
    pub(crate) fn keyed_map<T>(
        &mut self,
        key: &'static str,
        what: impl Into<Text>,
        mut f: impl FnMut(&str, &mut Fields<'a>) -> Option<T>,
    ) -> Option<Vec<(String, T)>> {
        let what = what.into();
        let v = self.raw(key)?;
        let field = self.path_of(key);
        let Value::Mapping(map) = v else {
            self.src.push(
                self.src
                    .at_value(
                        &field,
                        t!(
                            "expected {what} written as `key: value` lines",
                            what = &what
                        ),
                    )
                    .found(show_value(v))
                    .expected(t!("{what} (a mapping)", what = &what)),
            );
            return None;
        };
        let mut out = Vec::new();
        for (k, item) in map {
            let Value::String(name) = k else {
                self.src.push(
                    self.src
                        .at_key(&field, t!("field names must be text"))
                        .found(show_value(k)),
                );
                continue;
            };
            let mut sub = Fields::new(self.src, locate::join(&field, name), item, what.clone());
            let read = if sub.map.is_some() {
                f(name, &mut sub)
            } else {
                None
            };
            sub.finish();
            if let Some(t) = read {
                out.push((name.clone(), t));
            }
        }
        Some(out)
    }

    /// The path of this mapping itself.
    pub(crate) fn here(&self) -> &str {
        &self.path
    }

    /// Marks `key` as known without reading it (its value is checked elsewhere).
    pub(crate) fn known(&mut self, key: &'static str) {
        self.known.push(key);
    }
}
