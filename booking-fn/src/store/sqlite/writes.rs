//! The transactional writes of reservations and applications: each runs
//! inside the writer's group transaction (see `writer.rs`), so it is all
//! or nothing and never interleaves with another write.

use super::*;

/// Looks up an idempotency key inside a write transaction: `Ok(Some(code,
/// token))` for a replay, `Err(idempotency_conflict)` for a reuse with other
/// content.
pub(super) fn idempotent_replay(
    tx: &Connection,
    req: &Option<IdempotencyRequest>,
) -> Result<Option<(String, ManageToken)>> {
    let Some(req) = req else { return Ok(None) };
    let row: Option<(String, String, String)> = tx
        .prepare_cached("SELECT fingerprint, code, token FROM idempotency WHERE key = ?1")
        .and_then(|mut s| s.query_row([req.id()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
        .optional()
        .map_err(db("reading an idempotency key"))?;
    match row {
        None => Ok(None),
        Some((fp, _, _)) if fp != req.fingerprint => Err(Error::new(Code::IdempotencyConflict)),
        Some((_, code, sealed)) => {
            let token = req
                .open(&sealed)
                .ok_or_else(|| Error::storage("reading a token", StoreFault("bad token")))?;
            Ok(Some((code, token)))
        }
    }
}

pub(super) fn record_idempotency(
    tx: &Connection,
    req: &Option<IdempotencyRequest>,
    kind: &str,
    code: &str,
    token: &ManageToken,
    now: Timestamp,
) -> Result<()> {
    if let Some(req) = req {
        tx.prepare_cached(
            "INSERT INTO idempotency (key, fingerprint, kind, code, token, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut s| {
            s.execute(params![req.id(), req.fingerprint, kind, code, req.seal(token), now.as_microsecond()])
        })
        .map_err(db("recording an idempotency key"))?;
    }
    Ok(())
}

pub(super) fn create_reservation_tx(
    tx: &Connection,
    new: NewReservation,
) -> Result<Created<Reservation>> {
    if let Some((code, token)) = idempotent_replay(tx, &new.idempotency)? {
        let record = rows::reservation_by_code(tx, &code)?.ok_or_else(|| {
            Error::storage("replaying a reservation", StoreFault("record missing"))
        })?;
        return Ok(Created {
            record,
            token,
            replayed: true,
        });
    }
    let r = &new.reservation;
    let code = r.code.compact().to_owned();
    let exists: bool = tx
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM reservations WHERE code = ?1)")
        .and_then(|mut s| s.query_row([&code], |row| row.get(0)))
        .map_err(db("checking a code"))?;
    if exists {
        return Err(Error::new(Code::DuplicateCode));
    }
    let equipment = r.run.equipment().as_str();
    let date = r.run.date().to_string();
    if closures::is_closed(tx, &r.facility, r.run.equipment(), r.run.date())? {
        return Err(Error::new(Code::Closed));
    }
    if r.status.holds_slots() {
        for start in r.run.slot_starts() {
            let added = tx
                .prepare_cached(
                    "INSERT INTO slot_holds (equipment, date, start_min, code) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                )
                .and_then(|mut s| s.execute(params![equipment, date, start.minutes(), code]))
                .map_err(db("holding a slot"))?;
            if added == 0 {
                return Err(Error::new(Code::SlotTaken));
            }
        }
        if let (Some(q), Some(key)) = (new.quota, &r.person_key) {
            let used: u32 = tx
                .prepare_cached(
                    "SELECT COALESCE((SELECT minutes FROM quota_usage WHERE person_key = ?1 AND week_start = ?2), 0)",
                )
                .and_then(|mut s| {
                    s.query_row(params![key.as_str(), q.week_start.to_string()], |row| row.get(0))
                })
                .map_err(db("reading a quota"))?;
            if used + r.run.minutes() > q.limit_minutes {
                return Err(Error::new(Code::QuotaExceeded));
            }
        }
        if let Some(key) = &r.person_key {
            tx.prepare_cached(
                "INSERT INTO quota_usage (person_key, week_start, minutes) VALUES (?1, ?2, ?3)
                 ON CONFLICT (person_key, week_start) DO UPDATE SET minutes = minutes + excluded.minutes",
            )
            .and_then(|mut s| {
                s.execute(params![key.as_str(), r.run.date().week_start().to_string(), r.run.minutes()])
            })
            .map_err(db("counting a quota"))?;
        }
    }
    rows::insert_reservation(tx, r)?;
    record_idempotency(
        tx,
        &new.idempotency,
        "reservation",
        &code,
        &new.token,
        r.created_at,
    )?;
    outbox::insert(
        tx,
        &Subject::Reservation(r.code),
        r.purge_after,
        r.created_at,
        new.messages,
    )?;
    Ok(Created {
        record: new.reservation,
        token: new.token,
        replayed: false,
    })
}

pub(super) fn set_reservation_status_tx(
    tx: &Connection,
    code: &ReservationCode,
    change: StatusChange<ReservationStatus>,
) -> Result<Reservation> {
    let mut r =
        rows::reservation_by_code(tx, code.compact())?.ok_or_else(|| Error::new(Code::NotFound))?;
    if !change.from.contains(&r.status) {
        return Err(crate::store::invalid_status(r.status));
    }
    if r.status.holds_slots() && !change.to.holds_slots() {
        tx.execute("DELETE FROM slot_holds WHERE code = ?1", [code.compact()])
            .map_err(db("releasing slots"))?;
        if let Some(key) = &r.person_key {
            tx.execute(
                "UPDATE quota_usage SET minutes = MAX(0, minutes - ?3) WHERE person_key = ?1 AND week_start = ?2",
                params![key.as_str(), r.run.date().week_start().to_string(), r.run.minutes()],
            )
            .map_err(db("returning a quota"))?;
        }
    }
    r.status = change.to;
    r.updated_at = change.at;
    if change.to == ReservationStatus::Cancelled {
        r.cancelled_by = change.cancelled_by;
    }
    tx.execute(
        "UPDATE reservations SET status = ?2, updated_at = ?3, cancelled_by = ?4 WHERE code = ?1",
        params![
            code.compact(),
            r.status.as_str(),
            r.updated_at.as_microsecond(),
            r.cancelled_by.map(CancelledBy::as_str),
        ],
    )
    .map_err(db("changing a reservation"))?;
    let subject = Subject::Reservation(r.code);
    if change.cancel_queued {
        outbox::cancel_queued(tx, &subject, change.at)?;
    }
    outbox::insert(tx, &subject, r.purge_after, change.at, change.messages)?;
    Ok(r)
}

pub(super) fn reschedule_reservation_tx(
    tx: &Connection,
    code: &ReservationCode,
    mv: Reschedule,
) -> Result<Reservation> {
    let mut r =
        rows::reservation_by_code(tx, code.compact())?.ok_or_else(|| Error::new(Code::NotFound))?;
    if !mv.from.contains(&r.status) || !r.status.holds_slots() {
        return Err(crate::store::invalid_status(r.status));
    }
    if !crate::store::same_line(&r.run, &mv.to) {
        return Err(Error::new(Code::InvalidStatus));
    }
    // A closure (임시 휴관, 장비 사용 중지) of the new day refuses the move,
    // as it refuses a booking.
    if closures::is_closed(tx, &r.facility, mv.to.equipment(), mv.to.date())? {
        return Err(Error::new(Code::Closed));
    }
    let old = r.run.clone();
    tx.execute("DELETE FROM slot_holds WHERE code = ?1", [code.compact()])
        .map_err(db("releasing slots"))?;
    let equipment = mv.to.equipment().as_str();
    let date = mv.to.date().to_string();
    for start in mv.to.slot_starts() {
        let added = tx
            .execute(
                "INSERT INTO slot_holds (equipment, date, start_min, code) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
                params![equipment, date, start.minutes(), code.compact()],
            )
            .map_err(db("holding a slot"))?;
        if added == 0 {
            return Err(Error::new(Code::SlotTaken));
        }
    }
    if let Some(key) = &r.person_key {
        tx.execute(
            "UPDATE quota_usage SET minutes = MAX(0, minutes - ?3) WHERE person_key = ?1 AND week_start = ?2",
            params![key.as_str(), old.date().week_start().to_string(), old.minutes()],
        )
        .map_err(db("returning a quota"))?;
        if let Some(q) = mv.quota {
            let used: u32 = tx
                .prepare_cached(
                    "SELECT COALESCE((SELECT minutes FROM quota_usage WHERE person_key = ?1 AND week_start = ?2), 0)",
                )
                .and_then(|mut s| {
                    s.query_row(params![key.as_str(), q.week_start.to_string()], |row| row.get(0))
                })
                .map_err(db("reading a quota"))?;
            if used + mv.to.minutes() > q.limit_minutes {
                return Err(Error::new(Code::QuotaExceeded));
            }
        }
        tx.execute(
            "INSERT INTO quota_usage (person_key, week_start, minutes) VALUES (?1, ?2, ?3)
             ON CONFLICT (person_key, week_start) DO UPDATE SET minutes = minutes + excluded.minutes",
            params![key.as_str(), mv.to.date().week_start().to_string(), mv.to.minutes()],
        )
        .map_err(db("counting a quota"))?;
    }
    r.purge_after = crate::store::moved_purge_after(&r, &mv.to);
    r.run = mv.to;
    r.updated_at = mv.at;
    tx.execute(
        "UPDATE reservations SET date = ?2, start_min = ?3, slot_count = ?4, purge_after = ?5, updated_at = ?6
         WHERE code = ?1",
        params![
            code.compact(),
            r.run.date().to_string(),
            r.run.start().minutes(),
            r.run.count(),
            r.purge_after.to_string(),
            r.updated_at.as_microsecond()
        ],
    )
    .map_err(db("moving a reservation"))?;
    let subject = Subject::Reservation(r.code);
    outbox::cancel_queued(tx, &subject, mv.at)?;
    outbox::insert(tx, &subject, r.purge_after, mv.at, mv.messages)?;
    Ok(r)
}

/// Writes a training record (the same person, programme and day again
/// changes nothing).
pub(super) fn record_training_tx(tx: &Connection, t: &TrainingRecord) -> Result<()> {
    tx.execute(
        "INSERT INTO training_records (person_key, programme, completed, entry, recorded_at, keep_until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        params![
            t.person.as_str(),
            t.programme.as_str(),
            t.completed.to_string(),
            t.entry,
            t.recorded_at.as_microsecond(),
            t.keep_until().to_string()
        ],
    )
    .map_err(db("recording a training"))?;
    Ok(())
}

pub(super) fn apply_tx(tx: &Connection, new: NewApplication) -> Result<Created<Application>> {
    if let Some((code, token)) = idempotent_replay(tx, &new.idempotency)? {
        let record = rows::application_by_code(tx, &code)?.ok_or_else(|| {
            Error::storage("replaying an application", StoreFault("record missing"))
        })?;
        return Ok(Created {
            record,
            token,
            replayed: true,
        });
    }
    let mut a = new.application;
    let code = a.code.compact().to_owned();
    let (kind, target) = (a.target.kind.as_str(), a.target.id.as_str().to_owned());
    if target_closed_at(tx, kind, &target)?.is_some() {
        return Err(Error::new(Code::Filled));
    }
    let exists: bool = tx
        .query_row(
            "SELECT EXISTS(SELECT 1 FROM applications WHERE code = ?1)",
            [&code],
            |row| row.get(0),
        )
        .map_err(db("checking a code"))?;
    if exists {
        return Err(Error::new(Code::DuplicateCode));
    }
    if let Some(key) = &a.person_key {
        let dup: bool = tx
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM applications WHERE target_kind = ?1 AND target_id = ?2
                   AND person_key = ?3 AND status NOT IN ('cancelled', 'rejected'))",
                params![kind, target, key.as_str()],
                |row| row.get(0),
            )
            .map_err(db("checking for an earlier application"))?;
        if dup {
            return Err(Error::new(Code::AlreadyApplied));
        }
    }
    a.status = match new.admission {
        Admission::Open => ApplicationStatus::Submitted,
        Admission::Capacity { capacity, waitlist } => {
            let (seats, waiting): (u32, u32) = tx
                .query_row(
                    "SELECT COALESCE(SUM(status IN ('enrolled', 'attended', 'no_show')), 0),
                            COALESCE(SUM(status = 'waitlisted'), 0)
                     FROM applications WHERE target_kind = ?1 AND target_id = ?2",
                    params![kind, target],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(db("counting seats"))?;
            if seats < capacity {
                ApplicationStatus::Enrolled
            } else if waiting < waitlist {
                ApplicationStatus::Waitlisted
            } else {
                return Err(Error::new(Code::Full));
            }
        }
    };
    let seq: i64 = tx
        .query_row(
            "INSERT INTO target_seq (target_kind, target_id, last_seq) VALUES (?1, ?2, 1)
             ON CONFLICT (target_kind, target_id) DO UPDATE SET last_seq = last_seq + 1
             RETURNING last_seq",
            params![kind, target],
            |row| row.get(0),
        )
        .map_err(db("numbering an application"))?;
    a.seq = u64::try_from(seq)
        .map_err(|_| Error::storage("numbering an application", StoreFault("negative seq")))?;
    rows::insert_application(tx, &a)?;
    record_idempotency(
        tx,
        &new.idempotency,
        "application",
        &code,
        &new.token,
        a.created_at,
    )?;
    let mut messages = new.messages;
    if let Some((_, when)) = new
        .messages_when
        .into_iter()
        .find(|(status, _)| *status == a.status)
    {
        messages.extend(when);
    }
    if a.status == ApplicationStatus::Waitlisted {
        let position: i64 = tx
            .query_row(
                "SELECT COUNT(*) FROM applications WHERE target_kind = ?1 AND target_id = ?2
                   AND status = 'waitlisted' AND seq <= ?3",
                params![kind, target, seq],
                |row| row.get(0),
            )
            .map_err(db("counting the waitlist"))?;
        for m in &mut messages {
            m.params.insert("position".into(), position.to_string());
        }
    }
    outbox::insert(
        tx,
        &Subject::Application(a.code),
        a.purge_after,
        a.created_at,
        messages,
    )?;
    Ok(Created {
        record: a,
        token: new.token,
        replayed: false,
    })
}

/// When the target was closed, if it is (microseconds since the epoch).
pub(super) fn target_closed_at(conn: &Connection, kind: &str, target: &str) -> Result<Option<i64>> {
    let closed: Option<Option<i64>> = conn
        .query_row(
            "SELECT closed_at FROM target_seq WHERE target_kind = ?1 AND target_id = ?2",
            params![kind, target],
            |row| row.get(0),
        )
        .optional()
        .map_err(db("reading whether a target is closed"))?;
    Ok(closed.flatten())
}

pub(super) fn set_target_closed_tx(
    conn: &Connection,
    target: &Target,
    closed: Option<Timestamp>,
) -> Result<()> {
    // Closing a closed target keeps the first time.
    conn.execute(
        "INSERT INTO target_seq (target_kind, target_id, last_seq, closed_at) VALUES (?1, ?2, 0, ?3)
         ON CONFLICT (target_kind, target_id) DO UPDATE SET
             closed_at = CASE WHEN excluded.closed_at IS NULL THEN NULL
                              ELSE COALESCE(closed_at, excluded.closed_at) END",
        params![
            target.kind.as_str(),
            target.id.as_str(),
            closed.map(|t| t.as_microsecond())
        ],
    )
    .map_err(db("closing a target"))?;
    Ok(())
}

pub(super) fn set_application_status_tx(
    tx: &Connection,
    code: &ApplicationCode,
    change: StatusChange<ApplicationStatus>,
) -> Result<ApplicationChange> {
    let mut a =
        rows::application_by_code(tx, code.compact())?.ok_or_else(|| Error::new(Code::NotFound))?;
    if !change.from.contains(&a.status) {
        return Err(crate::store::invalid_status(a.status));
    }
    let frees_seat = a.status.holds_seat()
        && !change.to.holds_seat()
        && change.to != ApplicationStatus::Waitlisted;
    a.status = change.to;
    a.updated_at = change.at;
    rows::update_application_status(tx, &a)?;
    if let Some(t) = &change.training {
        record_training_tx(tx, t)?;
    }
    let mut promoted = None;
    if frees_seat {
        let next: Option<String> = tx
            .query_row(
                "SELECT code FROM applications WHERE target_kind = ?1 AND target_id = ?2 AND status = 'waitlisted'
                 ORDER BY seq LIMIT 1",
                params![a.target.kind.as_str(), a.target.id.as_str()],
                |row| row.get(0),
            )
            .optional()
            .map_err(db("finding the next on the waitlist"))?;
        if let Some(next) = next {
            let mut p = rows::application_by_code(tx, &next)?
                .ok_or_else(|| Error::storage("promoting", StoreFault("record missing")))?;
            p.status = ApplicationStatus::Enrolled;
            p.updated_at = change.at;
            rows::update_application_status(tx, &p)?;
            let mut messages = change.promotion_messages;
            // Only by the channels the promoted person chose.
            let chosen = p.person.as_ref().map(|x| x.channels()).unwrap_or_default();
            messages.retain(|m| chosen.contains(&m.channel));
            for m in &mut messages {
                m.params.insert("code".into(), p.code.to_string());
            }
            outbox::insert(
                tx,
                &Subject::Application(p.code),
                p.purge_after,
                change.at,
                messages,
            )?;
            promoted = Some(p);
        }
    }
    let subject = Subject::Application(a.code);
    if change.cancel_queued {
        outbox::cancel_queued(tx, &subject, change.at)?;
    }
    outbox::insert(tx, &subject, a.purge_after, change.at, change.messages)?;
    Ok(ApplicationChange {
        application: a,
        promoted,
    })
}
