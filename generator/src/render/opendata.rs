//! Open data: every published record of the main kinds as JSON and CSV.

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::fragments::Pieces;
use super::templates::Tr;
use super::views;
use crate::model::*;
use crate::site::Site;
use crate::urls::detail_url;

use sbiz_catalog::{Date, Id};

/// Ids as one cell, `;` between them.
fn joined<S: Serializer>(ids: &[Id], s: S) -> Result<S::Ok, S::Error> {
    let mut cell = String::new();
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            cell.push(';');
        }
        cell.push_str(id.as_str());
    }
    s.serialize_str(&cell)
}

/// A record's page on the site, as an absolute URL.
struct Link<'a> {
    base: &'a str,
    kind: Kind,
    id: &'a Id,
}

impl Serialize for Link<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}{}", self.base, detail_url(self.kind, self.id)))
    }
}

impl<'a> Link<'a> {
    fn new(site: &'a Site, kind: Kind, id: &'a Id) -> Self {
        Link {
            base: &site.config.base_url,
            kind,
            id,
        }
    }
}

// One row of each kind: the values it shows, borrowed from the record
// (its JSON object is this value's, `serde_json::to_value`; the piece of
// `sbiz serve` is kept under this value, so an unchanged record costs
// only its hash).

#[derive(Serialize)]
struct FacilityRow<'a> {
    id: &'a Id,
    name: &'a str,
    operator_type: OperatorType,
    operator: &'a str,
    district: &'a Id,
    address: &'a str,
    hours: &'a str,
    phone: &'a str,
    #[serde(serialize_with = "joined")]
    industries: &'a [Id],
    #[serde(serialize_with = "joined")]
    areas: &'a [Id],
    url: Link<'a>,
}

#[derive(Serialize)]
struct EquipmentRow<'a> {
    id: &'a Id,
    name: &'a str,
    facility: &'a Id,
    #[serde(serialize_with = "joined")]
    industries: &'a [Id],
    slot_minutes: u16,
    max_slots: u16,
    min_days_ahead: u16,
    max_days_ahead: u16,
    approval: sbiz_catalog::Approval,
    training: &'a Option<Id>,
    fee_won: u32,
    cancel_hours_before: u16,
    eligibility: &'a str,
    hours: String,
    url: Link<'a>,
}

#[derive(Serialize)]
struct ProgrammeRow<'a> {
    id: &'a Id,
    title: &'a str,
    facility: &'a Id,
    status: Status,
    apply_from: Date,
    apply_until: Date,
    capacity: u32,
    fee_won: u32,
    format: Format,
    sessions: String,
    #[serde(serialize_with = "joined")]
    industries: &'a [Id],
    #[serde(serialize_with = "joined")]
    audiences: &'a [Id],
    url: Link<'a>,
}

#[derive(Serialize)]
struct PolicyRow<'a> {
    id: &'a Id,
    title: &'a str,
    agency: &'a str,
    status: Status,
    target: &'a str,
    amount: &'a str,
    apply_from: Date,
    apply_until: Date,
    online_form: bool,
    #[serde(serialize_with = "joined")]
    industries: &'a [Id],
    url: Link<'a>,
}

#[derive(Serialize)]
struct JobRow<'a> {
    id: &'a Id,
    title: &'a str,
    company: &'a str,
    industry: &'a Id,
    district: &'a Id,
    position: &'a str,
    employment: Employment,
    wage: &'a str,
    hours: &'a str,
    posted: Date,
    deadline: Date,
    status: Status,
    #[serde(serialize_with = "joined")]
    audiences: &'a [Id],
    url: Link<'a>,
}

/// A kind's pretty-printed JSON and CSV, each row's texts from `pieces`.
fn kind_files(site: &Site, kind: Kind, tr: Tr<'_>, pieces: Pieces<'_>) -> (Vec<u8>, Vec<u8>) {
    let tag = format!("open-data-row {}", kind.section());
    match kind {
        Kind::Facility => {
            let rows: Vec<_> = site
                .facilities
                .iter()
                .map(|f| FacilityRow {
                    id: &f.head.id,
                    name: &f.name,
                    operator_type: f.operator_type,
                    operator: &f.operator,
                    district: &f.district,
                    address: &f.address,
                    hours: &f.hours,
                    phone: f.phone.as_str(),
                    industries: &f.industries,
                    areas: &f.areas,
                    url: Link::new(site, kind, &f.head.id),
                })
                .collect();
            to_json_and_csv(&rows, &tag, pieces)
        }
        Kind::Equipment => {
            let rows: Vec<_> = site
                .equipment
                .iter()
                .map(|e| EquipmentRow {
                    id: &e.head.id,
                    name: &e.name,
                    facility: &e.facility,
                    industries: &e.industries,
                    slot_minutes: e.rules.slot_minutes,
                    max_slots: e.rules.max_slots,
                    min_days_ahead: e.rules.min_days_ahead,
                    max_days_ahead: e.rules.max_days_ahead,
                    approval: e.rules.approval,
                    training: &e.rules.training,
                    fee_won: e.rules.fee_won,
                    cancel_hours_before: e.rules.cancel_hours_before,
                    eligibility: &e.rules.eligibility,
                    hours: views::day_hours(tr, e)
                        .iter()
                        .map(|d| format!("{} {}", d.day, d.hours))
                        .collect::<Vec<_>>()
                        .join("; "),
                    url: Link::new(site, kind, &e.head.id),
                })
                .collect();
            to_json_and_csv(&rows, &tag, pieces)
        }
        Kind::Programme => {
            let rows: Vec<_> = site
                .programmes
                .iter()
                .map(|p| ProgrammeRow {
                    id: &p.head.id,
                    title: &p.title,
                    facility: &p.facility,
                    status: site.programme_status(p),
                    apply_from: p.apply_from,
                    apply_until: p.apply_until,
                    capacity: p.capacity,
                    fee_won: p.fee_won,
                    format: p.format,
                    sessions: p
                        .sessions
                        .iter()
                        .map(|s| format!("{} {}", s.date, s.time))
                        .collect::<Vec<_>>()
                        .join("; "),
                    industries: &p.industries,
                    audiences: &p.audiences,
                    url: Link::new(site, kind, &p.head.id),
                })
                .collect();
            to_json_and_csv(&rows, &tag, pieces)
        }
        Kind::Policy => {
            let rows: Vec<_> = site
                .policies
                .iter()
                .map(|p| PolicyRow {
                    id: &p.head.id,
                    title: &p.title,
                    agency: &p.agency,
                    status: site.policy_status(p),
                    target: &p.target,
                    amount: &p.amount,
                    apply_from: p.apply_from,
                    apply_until: p.apply_until,
                    online_form: matches!(p.apply, Apply::Form(_)),
                    industries: &p.industries,
                    url: Link::new(site, kind, &p.head.id),
                })
                .collect();
            to_json_and_csv(&rows, &tag, pieces)
        }
        Kind::Job => {
            let rows: Vec<_> = site
                .jobs
                .iter()
                .map(|j| JobRow {
                    id: &j.head.id,
                    title: &j.title,
                    company: &j.company,
                    industry: &j.industry,
                    district: &j.district,
                    position: &j.position,
                    employment: j.employment,
                    wage: &j.wage,
                    hours: &j.hours,
                    posted: j.posted,
                    deadline: j.deadline,
                    status: site.job_status(j),
                    audiences: &j.audiences,
                    url: Link::new(site, kind, &j.head.id),
                })
                .collect();
            to_json_and_csv(&rows, &tag, pieces)
        }
        // Notices have no open data.
        Kind::Notice => (Vec::new(), Vec::new()),
    }
}

/// A CSV cell: quoted when needed; cells that a spreadsheet would run as a
/// formula get a leading apostrophe.
pub(crate) fn csv_cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '@', '\t', '\r'])
        || (s.starts_with('-') && !s[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The columns of a kind's CSV: the fields of its first row (every row
/// of a kind has the same fields).
fn columns(first: Option<&Value>) -> Vec<&str> {
    match first {
        Some(Value::Object(first)) => first.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

/// One row's JSON as an item of the pretty-printed list of rows, and its
/// CSV line under `columns`.
fn texts(columns: &[&str], row: &Value) -> Vec<String> {
    // Pretty JSON holds a line break only between tokens (one inside a
    // string is escaped): each of its lines moves in by one level.
    let json = serde_json::to_string_pretty(row)
        .unwrap_or_default()
        .replace('\n', "\n  ");
    let mut csv = String::new();
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            csv.push(',');
        }
        match row.get(c) {
            Some(Value::String(s)) => csv.push_str(&csv_cell(s)),
            Some(Value::Null) | None => {}
            Some(v) => csv.push_str(&csv_cell(&v.to_string())),
        }
    }
    csv.push_str("\r\n");
    vec![json, csv]
}

/// A kind's rows as pretty-printed JSON and as CSV, each row's texts from
/// `pieces` under `tag` (one per kind: the columns are its rows' fields),
/// made again only when the row changed.
fn to_json_and_csv<R: Serialize>(rows: &[R], tag: &str, pieces: Pieces<'_>) -> (Vec<u8>, Vec<u8>) {
    let value = |row: &R| serde_json::to_value(row).unwrap_or_default();
    // UTF-8 BOM so that spreadsheet programs read Korean correctly.
    let mut csv = String::from("\u{feff}");
    let first = rows.first().map(value);
    let columns = columns(first.as_ref());
    if rows.is_empty() {
        return (b"[]".to_vec(), csv.into_bytes());
    }
    csv.push_str(
        &columns
            .iter()
            .map(|c| csv_cell(c))
            .collect::<Vec<_>>()
            .join(","),
    );
    csv.push_str("\r\n");
    let mut json = String::from("[");
    for (i, row) in rows.iter().enumerate() {
        let texts = pieces.piece(tag, row, |row| texts(&columns, &value(row)));
        json.push_str(if i == 0 { "\n  " } else { ",\n  " });
        json.push_str(&texts[0]);
        csv.push_str(&texts[1]);
    }
    json.push_str("\n]");
    (json.into_bytes(), csv.into_bytes())
}

/// The open data files; `tr` is the Korean texts (the files are Korean).
pub(crate) fn files(site: &Site, tr: Tr<'_>, pieces: Pieces<'_>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in [
        Kind::Facility,
        Kind::Equipment,
        Kind::Programme,
        Kind::Policy,
        Kind::Job,
    ] {
        let (json, csv) = kind_files(site, kind, tr, pieces);
        out.push((format!("/data/{}.json", kind.section()), json));
        out.push((format!("/data/{}.csv", kind.section()), csv));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_cells_are_quoted_and_guarded() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("-10"), "-10");
        assert_eq!(csv_cell("02-123-4567"), "02-123-4567");
    }

    /// The CSV of rows as it was written before each row became a piece.
    fn csv_whole(rows: &[Value]) -> String {
        let mut out = String::from("\u{feff}");
        let Some(Value::Object(first)) = rows.first() else {
            return out;
        };
        let cols: Vec<&String> = first.keys().collect();
        out.push_str(
            &cols
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
        for row in rows {
            for (i, c) in cols.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match row.get(c.as_str()) {
                    Some(Value::String(s)) => out.push_str(&csv_cell(s)),
                    Some(Value::Null) | None => {}
                    Some(v) => out.push_str(&csv_cell(&v.to_string())),
                }
            }
            out.push_str("\r\n");
        }
        out
    }

    #[test]
    fn rows_made_of_pieces_are_the_files_made_whole() {
        let rows = [
            json!({ "id": "a", "title": "줄\n바꿈, \"따옴표\"", "n": 3, "none": null, "ok": true }),
            json!({ "id": "b", "title": "=1+1", "n": -2.5, "none": null, "ok": false }),
            json!({ "id": "c", "title": "", "n": 0, "none": "x", "ok": true }),
        ];
        let cache = super::super::fragments::Fragments::default();
        for n in 0..=rows.len() {
            let rows = &rows[..n];
            let want = (
                serde_json::to_vec_pretty(rows).expect("serialises"),
                csv_whole(rows).into_bytes(),
            );
            assert_eq!(to_json_and_csv(rows, "t", Pieces(None)), want);
            // Twice through a cache: made, then taken from it.
            assert_eq!(to_json_and_csv(rows, "t", Pieces(Some(&cache))), want);
            assert_eq!(to_json_and_csv(rows, "t", Pieces(Some(&cache))), want);
        }
    }
}
