//! Open data: every published record of the main kinds as JSON and CSV.

use serde_json::{Value, json};

use super::fragments::Pieces;
use super::templates::Tr;
use super::views;
use crate::model::*;
use crate::site::Site;
use crate::urls::detail_url;

fn join(ids: &[sbiz_catalog::Id]) -> String {
    ids.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(";")
}

fn rows(site: &Site, kind: Kind, tr: Tr<'_>) -> Vec<Value> {
    let url = |id: &sbiz_catalog::Id| format!("{}{}", site.config.base_url, detail_url(kind, id));
    match kind {
        Kind::Facility => site.facilities.iter().map(|f| json!({
            "id": f.head.id, "name": f.name, "operator_type": f.operator_type, "operator": f.operator,
            "district": f.district, "address": f.address, "hours": f.hours, "phone": f.phone.as_str(),
            "industries": join(&f.industries), "areas": join(&f.areas), "url": url(&f.head.id),
        })).collect(),
        Kind::Equipment => site.equipment.iter().map(|e| {
            let hours = views::day_hours(tr, e);
            json!({
                "id": e.head.id, "name": e.name, "facility": e.facility, "industries": join(&e.industries),
                "slot_minutes": e.rules.slot_minutes, "max_slots": e.rules.max_slots,
                "min_days_ahead": e.rules.min_days_ahead, "max_days_ahead": e.rules.max_days_ahead,
                "approval": e.rules.approval, "training": e.rules.training, "fee_won": e.rules.fee_won,
                "cancel_hours_before": e.rules.cancel_hours_before, "eligibility": e.rules.eligibility,
                "hours": hours.iter().map(|d| format!("{} {}", d.day, d.hours)).collect::<Vec<_>>().join("; "),
                "url": url(&e.head.id),
            })
        }).collect(),
        Kind::Programme => site.programmes.iter().map(|p| json!({
            "id": p.head.id, "title": p.title, "facility": p.facility, "status": site.programme_status(p),
            "apply_from": p.apply_from, "apply_until": p.apply_until, "capacity": p.capacity, "fee_won": p.fee_won,
            "format": p.format, "sessions": p.sessions.iter().map(|s| format!("{} {}", s.date, s.time)).collect::<Vec<_>>().join("; "),
            "industries": join(&p.industries), "audiences": join(&p.audiences), "url": url(&p.head.id),
        })).collect(),
        Kind::Policy => site.policies.iter().map(|p| json!({
            "id": p.head.id, "title": p.title, "agency": p.agency, "status": site.policy_status(p),
            "target": p.target, "amount": p.amount, "apply_from": p.apply_from, "apply_until": p.apply_until,
            "online_form": matches!(p.apply, Apply::Form(_)), "industries": join(&p.industries), "url": url(&p.head.id),
        })).collect(),
        Kind::Job => site.jobs.iter().map(|j| json!({
            "id": j.head.id, "title": j.title, "company": j.company, "industry": j.industry, "district": j.district,
            "position": j.position, "employment": j.employment, "wage": j.wage, "hours": j.hours,
            "posted": j.posted, "deadline": j.deadline, "status": site.job_status(j),
            "audiences": join(&j.audiences), "url": url(&j.head.id),
        })).collect(),
        Kind::Notice => site.notices.iter().map(|n| json!({
            "id": n.head.id, "title": n.title, "date": n.date, "url": url(&n.head.id),
        })).collect(),
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
fn columns(rows: &[Value]) -> Vec<&str> {
    match rows.first() {
        Some(Value::Object(first)) => first.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

/// What one row's JSON and CSV line are made of (the piece is kept by this
/// value in `sbiz serve`, see `render::fragments`).
#[derive(serde::Serialize)]
struct RowInput<'a> {
    columns: &'a [&'a str],
    row: &'a Value,
}

impl RowInput<'_> {
    /// The row's JSON as an item of the pretty-printed list of rows, and
    /// its CSV line.
    fn texts(&self) -> Vec<String> {
        // Pretty JSON holds a line break only between tokens (one inside
        // a string is escaped): each of its lines moves in by one level.
        let json = serde_json::to_string_pretty(self.row)
            .unwrap_or_default()
            .replace('\n', "\n  ");
        let mut csv = String::new();
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                csv.push(',');
            }
            match self.row.get(c) {
                Some(Value::String(s)) => csv.push_str(&csv_cell(s)),
                Some(Value::Null) | None => {}
                Some(v) => csv.push_str(&csv_cell(&v.to_string())),
            }
        }
        csv.push_str("\r\n");
        vec![json, csv]
    }
}

/// A kind's rows as pretty-printed JSON and as CSV, each row's texts from
/// `pieces` (made again only when the row changed).
fn to_json_and_csv(rows: &[Value], pieces: Pieces<'_>) -> (Vec<u8>, Vec<u8>) {
    // UTF-8 BOM so that spreadsheet programs read Korean correctly.
    let mut csv = String::from("\u{feff}");
    let columns = columns(rows);
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
        let input = RowInput {
            columns: &columns,
            row,
        };
        let texts = pieces.piece("open-data-row", &input, RowInput::texts);
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
        let rows = rows(site, kind, tr);
        let (json, csv) = to_json_and_csv(&rows, pieces);
        out.push((format!("/data/{}.json", kind.section()), json));
        out.push((format!("/data/{}.csv", kind.section()), csv));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(to_json_and_csv(rows, Pieces(None)), want);
            // Twice through a cache: made, then taken from it.
            assert_eq!(to_json_and_csv(rows, Pieces(Some(&cache))), want);
            assert_eq!(to_json_and_csv(rows, Pieces(Some(&cache))), want);
        }
    }
}
