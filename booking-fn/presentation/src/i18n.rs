//! The theme's translation table: every text the templates show, per
//! language.
//!
//! A theme keeps its texts in `themes/<theme>/i18n/<area>.<lang>.yaml`, flat
//! maps from a key (`[a-z][a-z0-9_]*`, so templates write `{{ t.nav_search }}`)
//! to the text. The files of one language are merged; a key defined twice in
//! one language, or missing from a language another has, is an error, so an
//! edition never shows a hole or the other language's text. The generator
//! loads the table from the theme folder and hands it to the booking function
//! inside `forms.json`; the function's built-in theme compiles the default
//! theme's files in.

use std::collections::BTreeMap;
use std::path::Path;

use sbiz_catalog::Lang;
use serde::{Deserialize, Serialize};

/// The folder of a theme holding the translation files.
pub const DIR: &str = "i18n";

/// The merged tables, one per language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Translations {
    pub ko: BTreeMap<String, String>,
    pub en: BTreeMap<String, String>,
}

/// What is wrong in a translation file, at `file:line:column`.
#[derive(Debug, Clone, PartialEq)]
pub struct TableError {
    /// The file as the editor knows it (relative to the site root).
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub problem: TableProblem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TableProblem {
    /// The file could not be read.
    Unreadable { error: String },
    /// The name is not `<area>.<lang>.yaml` with a language the site knows.
    BadName,
    /// Not YAML, or not a map of keys to texts.
    Syntax { message: String },
    /// A value that is not a single text.
    NotText { key: String },
    /// A key templates cannot use as `t.<key>`.
    BadKey { key: String },
    /// The key is already defined for this language in `first`.
    Duplicate { key: String, first: String },
    /// The key exists in `defined_in` (another language) but not in this one.
    Missing {
        key: String,
        lang: Lang,
        defined_in: String,
    },
}

impl Translations {
    /// The table of one language.
    pub fn table(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    fn table_mut(&mut self, lang: Lang) -> &mut BTreeMap<String, String> {
        match lang {
            Lang::Ko => &mut self.ko,
            Lang::En => &mut self.en,
        }
    }

    /// One text, when the key exists.
    pub fn get(&self, lang: Lang, key: &str) -> Option<&str> {
        self.table(lang).get(key).map(String::as_str)
    }

    /// Reads every `*.yaml` file of a theme's `i18n/` folder; `shown` is the
    /// folder as error messages name it. A theme without the folder has
    /// empty tables.
    pub fn load_dir(dir: &Path, shown: &Path) -> Result<Translations, Vec<TableError>> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Translations::default());
            }
            Err(e) => {
                return Err(vec![TableError::at_start(
                    shown.display().to_string(),
                    TableProblem::Unreadable {
                        error: e.to_string(),
                    },
                )]);
            }
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        names.sort();
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for name in names {
            let file = shown.join(&name).display().to_string();
            match std::fs::read_to_string(dir.join(&name)) {
                Ok(text) => sources.push((file, name, text)),
                Err(e) => errors.push(TableError::at_start(
                    file,
                    TableProblem::Unreadable {
                        error: e.to_string(),
                    },
                )),
            }
        }
        let loaded = Translations::from_sources(
            sources
                .iter()
                .map(|(file, name, text)| (file.as_str(), name.as_str(), text.as_str())),
        );
        match loaded {
            Ok(t) if errors.is_empty() => Ok(t),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }

    /// Merges translation files given as (file as shown, file name, text).
    pub fn from_sources<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Result<Translations, Vec<TableError>> {
        let mut out = Translations::default();
        let mut errors = Vec::new();
        // Where each key was defined, per language: (file, line).
        let mut origin: BTreeMap<(Lang, String), String> = BTreeMap::new();
        for (file, name, text) in files {
            let Some(lang) = lang_of_name(name) else {
                errors.push(TableError::at_start(file.to_owned(), TableProblem::BadName));
                continue;
            };
            let map: BTreeMap<String, serde_yaml::Value> = match serde_yaml::from_str(text) {
                Ok(Some(map)) => map,
                Ok(None) => BTreeMap::new(),
                Err(e) => {
                    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                    errors.push(TableError {
                        file: file.to_owned(),
                        line,
                        column,
                        problem: TableProblem::Syntax {
                            message: e.to_string(),
                        },
                    });
                    continue;
                }
            };
            for (key, value) in map {
                let (line, column) = key_position(text, &key);
                let at = |problem| TableError {
                    file: file.to_owned(),
                    line,
                    column,
                    problem,
                };
                if !valid_key(&key) {
                    errors.push(at(TableProblem::BadKey { key }));
                    continue;
                }
                let serde_yaml::Value::String(value) = value else {
                    errors.push(at(TableProblem::NotText { key }));
                    continue;
                };
                if let Some(first) = origin.get(&(lang, key.clone())) {
                    errors.push(at(TableProblem::Duplicate {
                        key,
                        first: first.clone(),
                    }));
                    continue;
                }
                origin.insert((lang, key.clone()), file.to_owned());
                out.table_mut(lang).insert(key, value);
            }
        }
        // Every key in every language, reported in the file of the same area
        // in the language that lacks it.
        for ((lang, key), file) in &origin {
            for other in Lang::ALL {
                if other != *lang && !out.table(other).contains_key(key) {
                    errors.push(TableError::at_start(
                        sibling(file, *lang, other),
                        TableProblem::Missing {
                            key: key.clone(),
                            lang: other,
                            defined_in: file.clone(),
                        },
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

impl TableError {
    fn at_start(file: String, problem: TableProblem) -> TableError {
        TableError {
            file,
            line: 1,
            column: 1,
            problem,
        }
    }
}

/// The language of `<area>.<lang>.yaml`.
fn lang_of_name(name: &str) -> Option<Lang> {
    let stem = name.strip_suffix(".yaml")?;
    let (area, code) = stem.rsplit_once('.')?;
    if area.is_empty() {
        return None;
    }
    Lang::from_code(code)
}

/// The same area's file in another language: `forms.en.yaml` for
/// `forms.ko.yaml`.
fn sibling(file: &str, from: Lang, to: Lang) -> String {
    let from = format!(".{}.yaml", from.code());
    match file.strip_suffix(&from) {
        Some(stem) => format!("{stem}.{}.yaml", to.code()),
        None => file.to_owned(),
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Where a top-level key is written (1-based line and column), found by
/// reading the file's lines; the file's start when it is not found.
fn key_position(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or((1, 1), |i| (i + 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(&str, &str)]) -> Result<Translations, Vec<TableError>> {
        Translations::from_sources(files.iter().map(|(name, text)| (*name, *name, *text)))
    }

    #[test]
    fn merges_the_files_of_each_language() {
        let t = load(&[
            ("site.ko.yaml", "nav_search: 검색\n"),
            ("site.en.yaml", "nav_search: Search\n"),
            ("forms.ko.yaml", "name_label: 이름\n"),
            ("forms.en.yaml", "name_label: Name\n"),
        ])
        .expect("valid tables");
        assert_eq!(t.get(Lang::Ko, "nav_search"), Some("검색"));
        assert_eq!(t.get(Lang::En, "name_label"), Some("Name"));
        assert_eq!(t.table(Lang::En).len(), 2);
    }

    #[test]
    fn a_key_missing_from_a_language_is_reported_in_that_languages_file() {
        let errors = load(&[
            ("site.ko.yaml", "nav_search: 검색\nnav_home: 처음\n"),
            ("site.en.yaml", "nav_search: Search\n"),
        ])
        .expect_err("en lacks nav_home");
        assert_eq!(
            errors,
            vec![TableError {
                file: "site.en.yaml".into(),
                line: 1,
                column: 1,
                problem: TableProblem::Missing {
                    key: "nav_home".into(),
                    lang: Lang::En,
                    defined_in: "site.ko.yaml".into(),
                },
            }]
        );
    }

    #[test]
    fn duplicates_bad_keys_values_and_names_are_errors_with_their_line() {
        let errors = load(&[
            ("site.ko.yaml", "a: 가\nb: 나\n"),
            ("more.ko.yaml", "# 주석\nb: 다\nBad: 라\nlist: [1, 2]\n"),
            ("site.en.yaml", "a: A\nb: B\n"),
            ("site.fr.yaml", "a: A\n"),
        ])
        .expect_err("several problems");
        let found: Vec<(&str, usize, &TableProblem)> = errors
            .iter()
            .map(|e| (e.file.as_str(), e.line, &e.problem))
            .collect();
        assert!(found.contains(&(
            "more.ko.yaml",
            2,
            &TableProblem::Duplicate {
                key: "b".into(),
                first: "site.ko.yaml".into()
            }
        )));
        assert!(found.contains(&(
            "more.ko.yaml",
            3,
            &TableProblem::BadKey { key: "Bad".into() }
        )));
        assert!(found.contains(&(
            "more.ko.yaml",
            4,
            &TableProblem::NotText { key: "list".into() }
        )));
        assert!(found.contains(&("site.fr.yaml", 1, &TableProblem::BadName)));
    }

    #[test]
    fn a_syntax_error_has_its_position() {
        let errors = load(&[("site.ko.yaml", "a: 가\nb: [\n")]).expect_err("broken YAML");
        assert_eq!(errors.len(), 1);
        assert!(matches!(errors[0].problem, TableProblem::Syntax { .. }));
        assert!(errors[0].line >= 2, "{:?}", errors[0]);
    }
}
