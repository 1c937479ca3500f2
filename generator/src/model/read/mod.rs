//! Reading each kind of record from its YAML mapping: the shared pieces
//! here (choices, scheduling, taxonomy references, link schemes in
//! Markdown), the records in `records`, equipment and its booking rules in
//! `booking`, surveys and application-form fields in `forms`.

mod booking;
mod english;
mod forms;
mod records;

pub(crate) use booking::*;
pub(crate) use english::*;
pub(crate) use forms::*;
pub(crate) use records::*;

use sbiz_catalog::{Approval, Holiday, Id, SurveyTarget};
use serde_yaml::Value;

use super::*;
use crate::diagnostics::Diagnostic;
use crate::t;
use crate::yaml::{Fields, FromYaml, Mismatch, Target};

macro_rules! enum_from_yaml {
    ($t:ty, [$(($s:literal, $v:expr)),* $(,)?]) => {
        impl FromYaml for $t {
            fn from_yaml(v: &Value) -> Result<Self, Mismatch> {
                let expected = t!(
                    "one of: {values}",
                    values = concat!($("`", $s, "` "),*).trim_end()
                );
                match v.as_str() {
                    $(Some($s) => Ok($v),)*
                    Some(_) => Err(Mismatch::new(t!("unknown value"), expected)),
                    None => Err(Mismatch::new(t!("wrong type"), expected)),
                }
            }
        }
    };
}

enum_from_yaml!(
    OperatorType,
    [
        ("city", OperatorType::City),
        ("district", OperatorType::District),
        ("private", OperatorType::Private)
    ]
);
enum_from_yaml!(
    Format,
    [
        ("offline", Format::Offline),
        ("online", Format::Online),
        ("hybrid", Format::Hybrid)
    ]
);
enum_from_yaml!(
    Employment,
    [
        ("full-time", Employment::FullTime),
        ("contract", Employment::Contract),
        ("part-time", Employment::PartTime),
        ("daily", Employment::Daily)
    ]
);
enum_from_yaml!(
    Approval,
    [("instant", Approval::Instant), ("staff", Approval::Staff)]
);
enum_from_yaml!(
    SurveyTarget,
    [
        ("equipment", SurveyTarget::Equipment),
        ("programme", SurveyTarget::Programme)
    ]
);

/// Shows a link destination in a message: control characters escaped (an
/// editor cannot see a tab), long ones (a `data:` image) cut short.
fn show_destination(dest: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::new();
    for (i, c) in dest.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reports every link and image of the Markdown `text` whose scheme is not
/// http, https, mailto or tel. `key` is the field that holds the text, or
/// empty for the body of a `.md` file (whose lines are known exactly).
pub(crate) fn markdown_links(f: &Fields<'_>, key: &str, text: &str) {
    let src = f.source();
    src.body(&f.path_of(key), text);
    for bad in crate::markdown::disallowed_destinations(text) {
        let scheme = show_destination(&bad.scheme);
        let message = if bad.image {
            t!(
                "image with a `{scheme}:` address is not allowed",
                scheme = scheme
            )
        } else {
            t!(
                "link with a `{scheme}:` address is not allowed",
                scheme = scheme
            )
        };
        let d = if key.is_empty() {
            Diagnostic::new(
                &src.path,
                src.body_line + bad.line.saturating_sub(1),
                bad.column,
                "",
                message,
            )
        } else {
            let field = f.path_of(key);
            let at = src.at_offset(&field, text, bad.offset);
            Diagnostic::new(&src.path, at.line, at.column, &field, message)
        };
        src.push(
            d.found(format!("`{}`", show_destination(&bad.dest)))
                .expected(t!(
                    "an address starting with https://, http://, mailto: or tel:, \
                     or a site path such as /programmes/"
                )),
        );
    }
}

/// Reads `draft`, `publish_at` and `expire_at`.
pub(crate) fn read_meta(f: &mut Fields<'_>) -> Meta {
    let meta = Meta {
        draft: f.or("draft", false),
        publish_at: f.opt("publish_at"),
        expire_at: f.opt("expire_at"),
    };
    if let (Some(p), Some(e)) = (meta.publish_at, meta.expire_at)
        && e <= p
    {
        f.invalid(
            "expire_at",
            t!("the record expires before it is published"),
            e.to_string(),
            t!("a date after publish_at ({date})", date = p.to_string()),
        );
    }
    meta
}

/// Checks `from <= until` and reports at `until_key`.
fn check_order(
    f: &Fields<'_>,
    from_key: &str,
    from: Option<Date>,
    until_key: &str,
    until: Option<Date>,
) {
    if let (Some(a), Some(b)) = (from, until)
        && b < a
    {
        f.invalid(
            until_key,
            t!(
                "`{until}` is before `{from}`",
                until = until_key,
                from = from_key
            ),
            b.to_string(),
            t!(
                "a date on or after {from} ({date})",
                from = from_key,
                date = a.to_string()
            ),
        );
    }
}

fn terms(f: &mut Fields<'_>, key: &'static str, required: bool) -> Vec<Id> {
    let tax = match key {
        "districts" | "district" => Taxonomy::Districts,
        "audiences" => Taxonomy::Audiences,
        "stages" => Taxonomy::Stages,
        "areas" => Taxonomy::Areas,
        _ => Taxonomy::Industries,
    };
    let raw = f.list::<String>(key, required, t!("term ids"));
    if required && raw.is_empty() && f.value_written(key) {
        f.invalid(
            key,
            t!("the list is empty"),
            "[]",
            t!("at least one term id"),
        );
    }
    raw.iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let field = format!("{key}[{i}]");
            let id = term_id(f, &field, tax, s)?;
            f.refer(&field, Target::Term(tax), &id);
            Some(id)
        })
        .collect()
}

/// A single taxonomy reference (e.g. a job's `district`).
fn term(f: &mut Fields<'_>, key: &'static str, tax: Taxonomy) -> Option<Id> {
    let s = f.req::<String>(key, t!("a {taxonomy} id", taxonomy = tax.plural_text()))?;
    let id = term_id(f, key, tax, &s)?;
    f.refer(key, Target::Term(tax), &id);
    Some(id)
}

/// Parses a term reference; a Korean name instead of the id gets a hint.
fn term_id(f: &Fields<'_>, field: &str, tax: Taxonomy, s: &str) -> Option<Id> {
    match s.parse::<Id>() {
        Ok(id) => Some(id),
        Err(_) => {
            let by_name = (tax == Taxonomy::Districts)
                .then(|| {
                    sbiz_catalog::SEOUL_DISTRICTS
                        .iter()
                        .find(|(_, n)| *n == s || n.trim_end_matches('구') == s)
                })
                .flatten()
                .map(|(id, _)| *id);
            let mut d = f
                .source()
                .at_value(
                    &f.path_of(field),
                    t!("not a {taxonomy} id", taxonomy = tax.plural_text()),
                )
                .found(format!("{s:?}"))
                .expected(t!(
                    "the id (not the name) of a term in content/taxonomies/{taxonomy}.yaml",
                    taxonomy = tax.name()
                ));
            if let Some(id) = by_name {
                d = d.help(crate::diagnostics::did_you_mean(id));
            }
            f.source().push(d);
            None
        }
    }
}

pub(crate) fn read_terms(f: &mut Fields<'_>) -> Option<Term> {
    let id = f.req::<Id>("id", t!("the term's id"));
    let name = f.req::<String>("name", t!("the term's Korean name"));
    let description: Option<String> = f.opt("description");
    let korean = match (id, name) {
        (Some(id), Some(name)) => Some(Term {
            id,
            name,
            description,
            en: None,
            field: String::new(),
        }),
        _ => None,
    };
    with_english(f, korean)
}

pub(crate) fn read_holiday(f: &mut Fields<'_>) -> Option<Holiday> {
    let date = f.req("date", t!("the holiday's date"));
    let name = f.req("name", t!("the holiday's name"));
    Some(Holiday {
        date: date?,
        name: name?,
    })
}
/// Reports ids that appear twice in a list of items at `key[i].id`.
fn unique_ids<'a>(f: &Fields<'_>, key: &str, ids: impl Iterator<Item = &'a Id>) {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id.as_str()) {
            f.invalid(
                &format!("{key}[{i}].id"),
                t!("duplicate id"),
                format!("`{id}`"),
                t!("an id not used by another item of this list"),
            );
        }
    }
}
