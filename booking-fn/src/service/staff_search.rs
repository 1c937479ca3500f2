//! Staff find a record on the admin page by its code, or by the person's
//! phone number: the number is turned into the person key (an HMAC under
//! the server secret, [`PersonKey::of`]) and the records are looked up by
//! that key ([`Store::records_of_person`](crate::store::Store::records_of_person)).
//! Plain phone numbers are never stored, indexed or logged for this.

use super::{Service, StaffScope};
use crate::domain::{ApplicationCode, PersonKey, ReservationCode};
use crate::store::PersonRecords;
use crate::{Error, Result};

/// Records per page of the admin lists.
pub const ADMIN_PAGE_SIZE: usize = 50;

impl Service {
    /// The reservations and applications within `scope` whose code is `q`,
    /// or whose person's phone number is `q`; a field error (`q`) when `q`
    /// is neither a code nor a phone number.
    pub async fn staff_search(&self, scope: &StaffScope, q: &str) -> Result<PersonRecords> {
        let q = q.trim();
        let mut found = PersonRecords::default();
        let as_reservation = q.parse::<ReservationCode>();
        let as_application = q.parse::<ApplicationCode>();
        if let (Ok(r), Ok(a)) = (&as_reservation, &as_application) {
            found.reservations.extend(self.store.reservation(r).await?);
            found.applications.extend(self.store.application(a).await?);
        } else if let Ok(phone) = q.parse::<sbiz_catalog::Phone>() {
            found = self
                .store
                .records_of_person(&PersonKey::of(&self.secret, &phone))
                .await?;
        } else {
            return Err(Error::staff_field(
                "q",
                "예약번호·접수번호(예: R7K2-9QXH) 또는 휴대전화 번호(예: 010-1234-5678)를 입력해 주세요.",
            ));
        }
        found
            .reservations
            .retain(|r| scope.covers(Some(&r.facility)));
        found
            .applications
            .retain(|a| scope.covers(a.facility.as_ref()));
        Ok(found)
    }
}

/// One page of a list: the items of page `page` (from 1) and the number
/// of pages (at least 1). A page past the end is the last page.
pub fn page_of<T>(items: Vec<T>, page: usize) -> (Vec<T>, usize, usize) {
    let pages = items.len().div_ceil(ADMIN_PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let shown = items
        .into_iter()
        .skip((page - 1) * ADMIN_PAGE_SIZE)
        .take(ADMIN_PAGE_SIZE)
        .collect();
    (shown, page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_fifty() {
        let v: Vec<u32> = (1..=120).collect();
        let (p, n, of) = page_of(v.clone(), 1);
        assert_eq!((p.len(), p[0], n, of), (50, 1, 1, 3));
        let (p, n, _) = page_of(v.clone(), 3);
        assert_eq!((p.len(), p[0], n), (20, 101, 3));
        let (p, n, _) = page_of(v.clone(), 9);
        assert_eq!((p[0], n), (101, 3), "past the end: the last page");
        let (p, n, of) = page_of(Vec::<u32>::new(), 2);
        assert_eq!((p.len(), n, of), (0, 1, 1));
        let (p, _, of) = page_of((1..=50).collect::<Vec<u32>>(), 1);
        assert_eq!((p.len(), of), (50, 1));
    }
}
