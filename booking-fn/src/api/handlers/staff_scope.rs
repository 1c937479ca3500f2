//! What a staff member's scope covers, as the staff pages show it: its
//! name, and the facilities and equipment their choices offer.

use sbiz_catalog::{Catalog, Id};

use crate::api::views::Named;
use crate::service::StaffScope;

/// A facility's name (its id when the catalog no longer has it).
pub(super) fn facility_name(cat: &Catalog, f: &Id) -> String {
    cat.facility(f.as_str())
        .map_or_else(|| f.to_string(), |f| f.name.clone())
}

/// Whose page it is: 모든 시설, or the scope's facility by name.
pub(super) fn scope_name(cat: &Catalog, s: &StaffScope) -> String {
    match s {
        StaffScope::All => "모든 시설".to_owned(),
        StaffScope::Facility(f) => facility_name(cat, f),
    }
}

/// The facilities the scope covers, in the catalog's order.
pub(super) fn facilities(cat: &Catalog, s: &StaffScope) -> Vec<Named> {
    cat.facilities
        .iter()
        .filter(|f| s.covers(Some(&f.id)))
        .map(|f| Named {
            id: f.id.clone(),
            name: f.name.clone(),
        })
        .collect()
}

/// The equipment of the facilities the scope covers, in the catalog's
/// order.
pub(super) fn equipment(cat: &Catalog, s: &StaffScope) -> Vec<Named> {
    cat.equipment
        .iter()
        .filter(|e| s.covers(Some(&e.facility)))
        .map(|e| Named {
            id: e.id.clone(),
            name: e.name.clone(),
        })
        .collect()
}
