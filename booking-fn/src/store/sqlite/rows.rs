//! Mapping between records and rows.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};
use sbiz_catalog::{Date, Id, TimeOfDay};

use super::{StoreFault, db};
use crate::domain::{
    Answer, Application, ApplicationStatus, BusinessName, CancelledBy, ConsentRecord, Email,
    Notify, Person, PersonKey, PersonName, Reservation, ReservationStatus, SlotRun, Subject,
    SurveyResponse, Target, TargetKind, TokenHash,
};
use crate::store::{ApplicationFilter, PersonHistory, ReservationFilter, TakenSlot};
use crate::{Code, Error, Result};

fn corrupt(what: &'static str) -> Error {
    Error::storage("reading a stored record", StoreFault(what))
}

fn parse<T: std::str::FromStr>(s: &str, what: &'static str) -> Result<T> {
    s.parse().map_err(|_| corrupt(what))
}

fn ts(micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|_| corrupt("timestamp"))
}

/// The personal columns, in the order name, phone, business, email, and
/// the choice of channels.
fn person(
    name: Option<String>,
    phone: Option<String>,
    business: Option<String>,
    email: Option<String>,
    notify: Option<String>,
) -> Result<Option<Person>> {
    let (Some(name), Some(phone)) = (name, phone) else {
        return Ok(None);
    };
    Ok(Some(Person {
        name: PersonName::parse(&name).map_err(|_| corrupt("name"))?,
        phone: parse(&phone, "phone")?,
        business: business
            .map(|b| BusinessName::parse(&b))
            .transpose()
            .map_err(|_| corrupt("business"))?,
        email: email
            .map(|e| Email::parse(&e))
            .transpose()
            .map_err(|_| corrupt("email"))?,
        notify: match notify {
            None => Notify::default(),
            Some(n) => Notify::parse(&n).ok_or_else(|| corrupt("notify"))?,
        },
    }))
}

fn person_key(s: Option<String>) -> Result<Option<PersonKey>> {
    s.map(PersonKey::try_from)
        .transpose()
        .map_err(|_| corrupt("person key"))
}

const RESERVATION_COLUMNS: &str = "code, token_hash, facility, equipment, date, start_min, slot_minutes, slot_count,
    status, training_check, person_key, name, phone, business, email, consent_version, consent_at, created_at,
    updated_at, purge_after, notify, taken_by_staff, lang, cancelled_by";

struct RawReservation {
    text: [String; 6],
    nums: [i64; 3],
    training_check: bool,
    personal: [Option<String>; 5],
    consent_version: String,
    times: [i64; 3],
    purge_after: String,
    notify: Option<String>,
    taken_by_staff: Option<String>,
    lang: Option<String>,
    cancelled_by: Option<String>,
}

fn raw_reservation(r: &Row<'_>) -> rusqlite::Result<RawReservation> {
    Ok(RawReservation {
        text: [
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(8)?,
        ],
        nums: [r.get(5)?, r.get(6)?, r.get(7)?],
        training_check: r.get(9)?,
        personal: [r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?],
        consent_version: r.get(15)?,
        times: [r.get(16)?, r.get(17)?, r.get(18)?],
        purge_after: r.get(19)?,
        notify: r.get(20)?,
        taken_by_staff: r.get(21)?,
        lang: r.get(22)?,
        cancelled_by: r.get(23)?,
    })
}

fn reservation(raw: RawReservation) -> Result<Reservation> {
    let [code, token_hash, facility, equipment, date, status] = raw.text;
    let [start, slot_minutes, count] = raw.nums;
    let [key, name, phone, business, email] = raw.personal;
    let start = u16::try_from(start)
        .ok()
        .and_then(TimeOfDay::from_minutes)
        .ok_or_else(|| corrupt("start"))?;
    let run = SlotRun::new(
        parse(&equipment, "equipment")?,
        parse(&date, "date")?,
        start,
        u16::try_from(slot_minutes).map_err(|_| corrupt("slot minutes"))?,
        u16::try_from(count).map_err(|_| corrupt("slot count"))?,
    )
    .map_err(|_| corrupt("slot run"))?;
    Ok(Reservation {
        code: parse(&code, "code")?,
        token_hash: TokenHash::from_hex(&token_hash).map_err(|_| corrupt("token hash"))?,
        facility: parse(&facility, "facility")?,
        run,
        status: ReservationStatus::parse(&status).map_err(|_| corrupt("status"))?,
        training_check: raw.training_check,
        person: person(name, phone, business, email, raw.notify)?,
        person_key: person_key(key)?,
        consent: ConsentRecord {
            version: raw.consent_version,
            at: ts(raw.times[0])?,
        },
        created_at: ts(raw.times[1])?,
        updated_at: ts(raw.times[2])?,
        purge_after: parse(&raw.purge_after, "purge date")?,
        taken_by_staff: raw
            .taken_by_staff
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|_| corrupt("staff booking"))?,
        lang: lang(raw.lang)?,
        cancelled_by: raw
            .cancelled_by
            .map(|c| CancelledBy::parse(&c).ok_or_else(|| corrupt("cancelled by")))
            .transpose()?,
    })
}

/// The `lang` column: NULL is Korean.
fn lang(code: Option<String>) -> Result<sbiz_catalog::Lang> {
    match code {
        None => Ok(sbiz_catalog::Lang::Ko),
        Some(c) => sbiz_catalog::Lang::from_code(&c).ok_or_else(|| corrupt("lang")),
    }
}

/// The `lang` column of a record: NULL for Korean, the default.
fn lang_column(lang: sbiz_catalog::Lang) -> Option<&'static str> {
    (lang != sbiz_catalog::Lang::Ko).then_some(lang.code())
}

pub(super) fn insert_reservation(conn: &Connection, r: &Reservation) -> Result<()> {
    let p = r.person.as_ref();
    let mut insert = conn
        .prepare_cached(&format!("INSERT INTO reservations ({RESERVATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
            ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"))
        .map_err(db("writing a reservation"))?;
    insert
        .execute(params![
            r.code.compact(),
            r.token_hash.to_hex(),
            r.facility.as_str(),
            r.run.equipment().as_str(),
            r.run.date().to_string(),
            r.run.start().minutes(),
            r.run.slot_minutes(),
            r.run.count(),
            r.status.as_str(),
            r.training_check,
            r.person_key.as_ref().map(PersonKey::as_str),
            p.map(|p| p.name.as_str()),
            p.map(|p| p.phone.as_str()),
            p.and_then(|p| p.business.as_ref())
                .map(BusinessName::as_str),
            p.and_then(|p| p.email.as_ref()).map(Email::as_str),
            r.consent.version,
            r.consent.at.as_microsecond(),
            r.created_at.as_microsecond(),
            r.updated_at.as_microsecond(),
            r.purge_after.to_string(),
            p.map(|p| p.notify.as_str()),
            r.taken_by_staff
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|e| Error::storage("encoding a staff booking", e))?,
            lang_column(r.lang),
            r.cancelled_by.map(CancelledBy::as_str),
        ])
        .map_err(db("writing a reservation"))?;
    Ok(())
}

pub(super) fn reservation_by_code(conn: &Connection, code: &str) -> Result<Option<Reservation>> {
    let raw = conn
        .query_row(
            &format!("SELECT {RESERVATION_COLUMNS} FROM reservations WHERE code = ?1"),
            [code],
            raw_reservation,
        )
        .optional()
        .map_err(db("reading a reservation"))?;
    raw.map(reservation).transpose()
}

pub(super) fn taken_slots(
    conn: &Connection,
    equipment: &Id,
    from: Date,
    to: Date,
) -> Result<Vec<TakenSlot>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT date, start_min FROM slot_holds WHERE equipment = ?1 AND date BETWEEN ?2 AND ?3
             ORDER BY date, start_min",
        )
        .map_err(db("reading slots"))?;
    let rows = stmt
        .query_map(
            params![equipment.as_str(), from.to_string(), to.to_string()],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, u16>(1)?)),
        )
        .map_err(db("reading slots"))?;
    let mut out = Vec::new();
    for row in rows {
        let (date, start) = row.map_err(db("reading slots"))?;
        out.push(TakenSlot {
            date: parse(&date, "date")?,
            start: TimeOfDay::from_minutes(start).ok_or_else(|| corrupt("slot start"))?,
        });
    }
    Ok(out)
}

pub(super) fn reservations(conn: &Connection, f: &ReservationFilter) -> Result<Vec<Reservation>> {
    let mut sql = format!("SELECT {RESERVATION_COLUMNS} FROM reservations WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut add = |clause: &str, v: String| {
        args.push(Value::Text(v));
        sql.push_str(&format!(" AND {clause} ?{}", args.len()));
    };
    if let Some(x) = &f.facility {
        add("facility =", x.to_string());
    }
    if let Some(x) = &f.equipment {
        add("equipment =", x.to_string());
    }
    if let Some(x) = f.status {
        add("status =", x.as_str().to_owned());
    }
    if let Some(x) = f.from {
        add("date >=", x.to_string());
    }
    if let Some(x) = f.to {
        add("date <=", x.to_string());
    }
    sql.push_str(" ORDER BY date, start_min, equipment");
    let mut stmt = conn.prepare(&sql).map_err(db("listing reservations"))?;
    let rows = stmt
        .query_map(params_from_iter(args), raw_reservation)
        .map_err(db("listing reservations"))?;
    rows.map(|r| r.map_err(db("listing reservations")).and_then(reservation))
        .collect()
}

pub(super) fn person_history(conn: &Connection, key: &PersonKey) -> Result<PersonHistory> {
    let mut history = PersonHistory::default();
    let mut stmt = conn
        .prepare_cached(
            "SELECT date FROM reservations WHERE person_key = ?1 AND status = 'no_show'",
        )
        .map_err(db("reading a history"))?;
    for d in stmt
        .query_map([key.as_str()], |r| r.get::<_, String>(0))
        .map_err(db("reading a history"))?
    {
        history
            .no_show_dates
            .push(parse(&d.map_err(db("reading a history"))?, "date")?);
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT target_id, status, updated_at FROM applications
             WHERE person_key = ?1 AND target_kind = 'programme' AND status IN ('attended', 'no_show')",
        )
        .map_err(db("reading a history"))?;
    let rows = stmt
        .query_map([key.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .map_err(db("reading a history"))?;
    let mut trained = conn
        .prepare_cached("SELECT DISTINCT programme FROM training_records WHERE person_key = ?1")
        .map_err(db("reading a history"))?;
    for p in trained
        .query_map([key.as_str()], |r| r.get::<_, String>(0))
        .map_err(db("reading a history"))?
    {
        let p: Id = parse(&p.map_err(db("reading a history"))?, "programme")?;
        if !history.attended_programmes.contains(&p) {
            history.attended_programmes.push(p);
        }
    }
    for row in rows {
        let (target, status, updated) = row.map_err(db("reading a history"))?;
        if status == "attended" {
            let p: Id = parse(&target, "programme")?;
            if !history.attended_programmes.contains(&p) {
                history.attended_programmes.push(p);
            }
        } else {
            history
                .no_show_dates
                .push(crate::domain::kst_parts(ts(updated)?).0);
        }
    }
    Ok(history)
}

const APPLICATION_COLUMNS: &str = "code, token_hash, target_kind, target_id, facility, status, seq, answers,
    person_key, name, phone, business, email, consent_version, consent_at, created_at, updated_at, purge_after,
    notify, lang";

struct RawApplication {
    text: [String; 5],
    facility: Option<String>,
    seq: i64,
    answers: String,
    personal: [Option<String>; 5],
    consent_version: String,
    times: [i64; 3],
    purge_after: String,
    notify: Option<String>,
    lang: Option<String>,
}

fn raw_application(r: &Row<'_>) -> rusqlite::Result<RawApplication> {
    Ok(RawApplication {
        text: [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(5)?],
        facility: r.get(4)?,
        seq: r.get(6)?,
        answers: r.get(7)?,
        personal: [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?],
        consent_version: r.get(13)?,
        times: [r.get(14)?, r.get(15)?, r.get(16)?],
        purge_after: r.get(17)?,
        notify: r.get(18)?,
        lang: r.get(19)?,
    })
}

fn application(raw: RawApplication) -> Result<Application> {
    let [code, token_hash, kind, target, status] = raw.text;
    let [key, name, phone, business, email] = raw.personal;
    Ok(Application {
        code: parse(&code, "code")?,
        token_hash: TokenHash::from_hex(&token_hash).map_err(|_| corrupt("token hash"))?,
        target: Target {
            kind: TargetKind::parse(&kind).map_err(|_| corrupt("target kind"))?,
            id: parse(&target, "target")?,
        },
        facility: raw.facility.map(|f| parse(&f, "facility")).transpose()?,
        status: ApplicationStatus::parse(&status).map_err(|_| corrupt("status"))?,
        seq: u64::try_from(raw.seq).map_err(|_| corrupt("seq"))?,
        answers: serde_json::from_str::<BTreeMap<String, String>>(&raw.answers)
            .map_err(|_| corrupt("answers"))?,
        person: person(name, phone, business, email, raw.notify)?,
        person_key: person_key(key)?,
        consent: ConsentRecord {
            version: raw.consent_version,
            at: ts(raw.times[0])?,
        },
        created_at: ts(raw.times[1])?,
        updated_at: ts(raw.times[2])?,
        purge_after: parse(&raw.purge_after, "purge date")?,
        lang: lang(raw.lang)?,
    })
}

pub(super) fn insert_application(conn: &Connection, a: &Application) -> Result<()> {
    let p = a.person.as_ref();
    let answers =
        serde_json::to_string(&a.answers).map_err(|e| Error::storage("encoding answers", e))?;
    conn.execute(
        &format!("INSERT INTO applications ({APPLICATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
            ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"),
        params![
            a.code.compact(),
            a.token_hash.to_hex(),
            a.target.kind.as_str(),
            a.target.id.as_str(),
            a.facility.as_ref().map(Id::as_str),
            a.status.as_str(),
            i64::try_from(a.seq).unwrap_or(i64::MAX),
            answers,
            a.person_key.as_ref().map(PersonKey::as_str),
            p.map(|p| p.name.as_str()),
            p.map(|p| p.phone.as_str()),
            p.and_then(|p| p.business.as_ref()).map(BusinessName::as_str),
            p.and_then(|p| p.email.as_ref()).map(Email::as_str),
            a.consent.version,
            a.consent.at.as_microsecond(),
            a.created_at.as_microsecond(),
            a.updated_at.as_microsecond(),
            a.purge_after.to_string(),
            p.map(|p| p.notify.as_str()),
            lang_column(a.lang),
        ],
    )
    .map_err(db("writing an application"))?;
    Ok(())
}

pub(super) fn update_application_status(conn: &Connection, a: &Application) -> Result<()> {
    conn.execute(
        "UPDATE applications SET status = ?2, updated_at = ?3 WHERE code = ?1",
        params![
            a.code.compact(),
            a.status.as_str(),
            a.updated_at.as_microsecond()
        ],
    )
    .map_err(db("changing an application"))?;
    Ok(())
}

pub(super) fn application_by_code(conn: &Connection, code: &str) -> Result<Option<Application>> {
    let raw = conn
        .query_row(
            &format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE code = ?1"),
            [code],
            raw_application,
        )
        .optional()
        .map_err(db("reading an application"))?;
    raw.map(application).transpose()
}

pub(super) fn applications(conn: &Connection, f: &ApplicationFilter) -> Result<Vec<Application>> {
    let mut sql = format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut add = |clause: &str, v: String| {
        args.push(Value::Text(v));
        sql.push_str(&format!(" AND {clause} ?{}", args.len()));
    };
    if let Some(x) = &f.facility {
        add("facility =", x.to_string());
    }
    if let Some(x) = f.kind {
        add("target_kind =", x.as_str().to_owned());
    }
    if let Some(t) = &f.target {
        add("target_kind =", t.kind.as_str().to_owned());
        add("target_id =", t.id.to_string());
    }
    if let Some(x) = f.status {
        add("status =", x.as_str().to_owned());
    }
    sql.push_str(" ORDER BY target_kind, target_id, seq");
    let mut stmt = conn.prepare(&sql).map_err(db("listing applications"))?;
    let rows = stmt
        .query_map(params_from_iter(args), raw_application)
        .map_err(db("listing applications"))?;
    rows.map(|r| r.map_err(db("listing applications")).and_then(application))
        .collect()
}

/// Every reservation and application of one person key (purged records
/// have none), through the `*_by_person` indexes.
pub(super) fn records_of_person(
    conn: &Connection,
    key: &PersonKey,
) -> Result<crate::store::PersonRecords> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {RESERVATION_COLUMNS} FROM reservations WHERE person_key = ?1
             ORDER BY date, start_min, equipment"
        ))
        .map_err(db("listing a person's reservations"))?;
    let reservations = stmt
        .query_map([key.as_str()], raw_reservation)
        .map_err(db("listing a person's reservations"))?
        .map(|r| {
            r.map_err(db("listing a person's reservations"))
                .and_then(reservation)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE person_key = ?1
             ORDER BY created_at, code"
        ))
        .map_err(db("listing a person's applications"))?;
    let applications = stmt
        .query_map([key.as_str()], raw_application)
        .map_err(db("listing a person's applications"))?
        .map(|r| {
            r.map_err(db("listing a person's applications"))
                .and_then(application)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(crate::store::PersonRecords {
        reservations,
        applications,
    })
}

pub(super) fn insert_survey(conn: &Connection, s: &SurveyResponse) -> Result<()> {
    let answers =
        serde_json::to_string(&s.answers).map_err(|e| Error::storage("encoding answers", e))?;
    let added = conn
        .execute(
            "INSERT INTO survey_responses (subject, survey, facility, answers, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![
                s.subject.key(),
                s.survey.as_str(),
                s.facility.as_ref().map(Id::as_str),
                answers,
                s.submitted_at.as_microsecond()
            ],
        )
        .map_err(db("writing a survey response"))?;
    if added == 0 {
        return Err(Error::new(Code::SurveyAlreadySubmitted));
    }
    Ok(())
}

pub(super) fn has_survey_response(conn: &Connection, survey: &Id, subject: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM survey_responses WHERE subject = ?1 AND survey = ?2")
        .and_then(|mut stmt| stmt.exists(params![subject, survey.as_str()]))
        .map_err(db("reading a survey response"))
}

pub(super) fn survey_responses(conn: &Connection, survey: &Id) -> Result<Vec<SurveyResponse>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT subject, facility, answers, submitted_at FROM survey_responses WHERE survey = ?1
             ORDER BY submitted_at, subject",
        )
        .map_err(db("reading survey responses"))?;
    let rows = stmt
        .query_map([survey.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .map_err(db("reading survey responses"))?;
    let mut out = Vec::new();
    for row in rows {
        let (subject, facility, answers, at) = row.map_err(db("reading survey responses"))?;
        let subject = match subject.split_once(':') {
            Some(("reservation", c)) => Subject::Reservation(parse(c, "subject")?),
            Some(("application", c)) => Subject::Application(parse(c, "subject")?),
            _ => return Err(corrupt("subject")),
        };
        out.push(SurveyResponse {
            survey: survey.clone(),
            subject,
            facility: facility.map(|f| parse(&f, "facility")).transpose()?,
            answers: serde_json::from_str(&answers).map_err(|_| corrupt("answers"))?,
            submitted_at: ts(at)?,
        });
    }
    Ok(out)
}

/// Drops the free-text answers of the survey responses whose record's
/// personal data is purged (`purge_after` before `today`, a
/// `YYYY-MM-DD`); returns how many responses changed.
pub(super) fn purge_survey_text(conn: &Connection, today: &str) -> Result<u64> {
    let found: Vec<(String, String)> = {
        let mut stmt = conn
            .prepare_cached(
                "SELECT s.subject, s.answers FROM survey_responses s
                 WHERE s.answers LIKE '%\"type\":\"text\"%'
                   AND ((s.subject LIKE 'reservation:%' AND EXISTS (SELECT 1 FROM reservations r
                             WHERE r.code = substr(s.subject, 13) AND r.purge_after < ?1))
                     OR (s.subject LIKE 'application:%' AND EXISTS (SELECT 1 FROM applications a
                             WHERE a.code = substr(s.subject, 13) AND a.purge_after < ?1)))",
            )
            .map_err(db("finding survey answers to purge"))?;
        let rows = stmt
            .query_map([today], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db("finding survey answers to purge"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(db("finding survey answers to purge"))?
    };
    let mut changed = 0;
    for (subject, answers) in found {
        let mut answers: BTreeMap<String, Answer> =
            serde_json::from_str(&answers).map_err(|_| corrupt("answers"))?;
        if !crate::domain::drop_text_answers(&mut answers) {
            continue;
        }
        let answers =
            serde_json::to_string(&answers).map_err(|e| Error::storage("encoding answers", e))?;
        changed += conn
            .execute(
                "UPDATE survey_responses SET answers = ?2 WHERE subject = ?1",
                params![subject, answers],
            )
            .map_err(db("purging survey answers"))? as u64;
    }
    Ok(changed)
}

pub(super) fn training_records(
    conn: &Connection,
    key: &PersonKey,
) -> Result<Vec<crate::domain::TrainingRecord>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT programme, completed, entry, recorded_at FROM training_records
             WHERE person_key = ?1 ORDER BY completed, programme",
        )
        .map_err(db("reading training records"))?;
    let rows = stmt
        .query_map([key.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .map_err(db("reading training records"))?;
    let mut out = Vec::new();
    for row in rows {
        let (programme, completed, entry, at) = row.map_err(db("reading training records"))?;
        out.push(crate::domain::TrainingRecord {
            person: key.clone(),
            programme: parse(&programme, "programme")?,
            completed: parse(&completed, "completion date")?,
            entry,
            recorded_at: ts(at)?,
        });
    }
    Ok(out)
}
