//! 내 예약·신청 on DynamoDB: one-time codes (`CODE#<person key>`), person
//! sessions (`PSESS#<id>`) and the records of one person key (index `gsi3`
//! on the personal items).

use super::*;

impl DynamoStore {
    pub(super) async fn put_code_impl(&self, code: OneTimeCode) -> Result<()> {
        let mut item = key(keys::one_time_code(&code.person), keys::CODE_SK);
        item.insert("t".into(), s(keys::T_CODE));
        item.insert("h".into(), s(code.hash));
        item.insert("attempts".into(), n(0));
        item.insert("exp_us".into(), n(code.expires.as_microsecond()));
        // The TTL deletes the item once it is useless (at the second after).
        item.insert(TTL_ATTRIBUTE.into(), n(code.expires.as_second() + 1));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| storage("storing a one-time code", e))?;
        Ok(())
    }

    /// A conditional delete (the right code, live, not locked), else a
    /// conditional count (a wrong code, live, not locked), else a read to
    /// tell `Locked` from `Missing`: each step is one atomic request, so
    /// simultaneous checks can neither use a code twice nor count a try
    /// beyond `max_attempts`.
    pub(super) async fn check_code_impl(
        &self,
        person: &PersonKey,
        hash: &str,
        now: Timestamp,
        max_attempts: u32,
    ) -> Result<CodeCheck> {
        let item_key = key(keys::one_time_code(person), keys::CODE_SK);
        let used = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(item_key.clone()))
            .condition_expression("h = :h AND exp_us > :now AND attempts < :max")
            .expression_attribute_values(":h", s(hash))
            .expression_attribute_values(":now", n(now.as_microsecond()))
            .expression_attribute_values(":max", n(max_attempts))
            .send()
            .await;
        match used {
            Ok(_) => return Ok(CodeCheck::Valid),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) => {}
            Err(e) => return Err(storage("checking a one-time code", e)),
        }
        let counted = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(item_key))
            .update_expression("ADD attempts :one")
            .condition_expression(
                "attribute_exists(pk) AND h <> :h AND exp_us > :now AND attempts < :max",
            )
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":h", s(hash))
            .expression_attribute_values(":now", n(now.as_microsecond()))
            .expression_attribute_values(":max", n(max_attempts))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await;
        match counted {
            Ok(out) => {
                let attempts = out
                    .attributes()
                    .and_then(|a| get_n::<u32>(a, "attempts"))
                    .ok_or_else(|| corrupt("a one-time code without its tries"))?;
                return Ok(CodeCheck::Wrong {
                    left: max_attempts.saturating_sub(attempts),
                });
            }
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) => {}
            Err(e) => return Err(storage("counting a wrong one-time code", e)),
        }
        let item = self
            .get(
                "reading a one-time code",
                &keys::one_time_code(person),
                keys::CODE_SK,
            )
            .await?;
        Ok(match item {
            Some(i)
                if get_n::<i64>(&i, "exp_us").is_some_and(|e| e > now.as_microsecond())
                    && get_n::<u32>(&i, "attempts").is_some_and(|a| a >= max_attempts) =>
            {
                CodeCheck::Locked
            }
            // Gone, expired, or replaced by a new code meanwhile (whose hash
            // may be this one: then the person simply tries again).
            _ => CodeCheck::Missing,
        })
    }

    pub(super) async fn create_person_session_impl(&self, session: PersonSession) -> Result<()> {
        let mut item = key(keys::person_session(&session.id), keys::SESSION_SK);
        item.insert("t".into(), s(keys::T_PERSON_SESSION));
        item.insert("person".into(), s(session.person.as_str()));
        item.insert(TTL_ATTRIBUTE.into(), n(session.expires.as_second()));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| storage("storing a person session", e))?;
        Ok(())
    }

    pub(super) async fn person_session_impl(&self, id: &str) -> Result<Option<PersonSession>> {
        let Some(item) = self
            .get(
                "reading a person session",
                &keys::person_session(id),
                keys::SESSION_SK,
            )
            .await?
        else {
            return Ok(None);
        };
        let expires = get_n::<i64>(&item, TTL_ATTRIBUTE)
            .and_then(|e| Timestamp::from_second(e).ok())
            .ok_or_else(|| corrupt("a person session without its expiry"))?;
        let person = get_s(&item, "person")
            .and_then(|p| PersonKey::try_from(p.to_owned()).ok())
            .ok_or_else(|| corrupt("a person session without its person"))?;
        Ok(Some(PersonSession {
            id: id.to_owned(),
            person,
            expires,
        }))
    }

    pub(super) async fn end_person_session_impl(&self, id: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::person_session(id), keys::SESSION_SK)))
            .send()
            .await
            .map_err(|e| storage("ending a person session", e))?;
        Ok(())
    }

    /// The index names the candidates (eventually consistent); the records
    /// and their personal items are then read strongly consistently, and
    /// only those whose personal item still holds `person` are kept.
    pub(super) async fn records_of_person_impl(&self, person: &PersonKey) -> Result<PersonRecords> {
        let entries = self
            .query_index(GSI_PERSON, "gsi3pk", keys::by_person(person), None)
            .await?;
        let mut res_keys = Vec::new();
        let mut app_keys = Vec::new();
        for e in &entries {
            match get_s(e, "pk") {
                Some(pk) if pk.starts_with("RES#") => res_keys.push(key(pk, keys::META)),
                Some(pk) if pk.starts_with("APP#") => app_keys.push(key(pk, keys::APP_META)),
                _ => {}
            }
        }
        let metas = self
            .batch_get("reading a person's records", res_keys)
            .await?;
        let mut reservations = self
            .records(metas, None, reservation_from, |r: &Reservation| {
                r.person_key.as_ref() == Some(person)
            })
            .await?;
        reservations.sort_by(|a, b| {
            (a.run.date(), a.run.start(), a.code.compact()).cmp(&(
                b.run.date(),
                b.run.start(),
                b.code.compact(),
            ))
        });
        let metas = self
            .batch_get("reading a person's records", app_keys)
            .await?;
        let mut applications = self
            .records(metas, None, application_from, |a: &Application| {
                a.person_key.as_ref() == Some(person)
            })
            .await?;
        applications.sort_by(|a, b| {
            (a.created_at, a.code.compact()).cmp(&(b.created_at, b.code.compact()))
        });
        Ok(PersonRecords {
            reservations,
            applications,
        })
    }
}
