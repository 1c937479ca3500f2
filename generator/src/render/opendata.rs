//! Open data: every published record of the main kinds as JSON and CSV.

use serde_json::{Value, json};

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

fn to_csv(rows: &[Value]) -> String {
    // UTF-8 BOM so that spreadsheet programs read Korean correctly.
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

/// The open data files; `tr` is the Korean texts (the files are Korean).
pub(crate) fn files(site: &Site, tr: Tr<'_>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in [
        Kind::Facility,
        Kind::Equipment,
        Kind::Programme,
        Kind::Policy,
        Kind::Job,
    ] {
        let rows = rows(site, kind, tr);
        out.push((
            format!("/data/{}.json", kind.section()),
            serde_json::to_vec_pretty(&rows).unwrap_or_default(),
        ));
        out.push((
            format!("/data/{}.csv", kind.section()),
            to_csv(&rows).into_bytes(),
        ));
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
}
