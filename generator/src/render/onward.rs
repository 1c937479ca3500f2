//! The ways on from a term's page, so that none is a dead end: the lists of
//! each kind (on a page with nothing of its own), and on a district's page
//! the support schemes open in every district (those that name no
//! `districts:`) and the other districts that have support centers.

use serde::Serialize;

use super::Renderer;
use super::cache::Hashed;
use super::entries::Card;
use crate::model::{Kind, Taxonomy, Term};
use crate::urls::{Filter, list_url, term_url};

/// How many city-wide schemes a district's page shows as cards.
const CITYWIDE_CARDS: usize = 6;

/// A plain link: a list of a kind, or another term's page.
#[derive(Serialize)]
pub(super) struct Link {
    pub(super) name: String,
    pub(super) url: String,
}

/// The support schemes open in every district (no `districts:`).
#[derive(Serialize)]
pub(super) struct Citywide<'b> {
    pub(super) total: usize,
    pub(super) more_url: String,
    pub(super) cards: Vec<Hashed<'b, Card>>,
}

impl Renderer<'_> {
    /// The list of every kind that has records, for a term's page that
    /// has none of its own.
    pub(super) fn kind_lists(&self) -> Vec<Link> {
        Kind::ALL
            .iter()
            .filter(|k| self.by_kind.get(k).is_some_and(|v| !v.is_empty()))
            .map(|k| Link {
                name: self.tr().kind(*k),
                url: list_url(*k, None, 1),
            })
            .collect()
    }

    /// The schemes that name no district, which a 소공인 in any district
    /// can apply to, in the list's order (open first).
    pub(super) fn citywide_policies(&self) -> Option<Citywide<'_>> {
        let idx: Vec<usize> = self
            .by_kind
            .get(&Kind::Policy)?
            .iter()
            .copied()
            .filter(|i| {
                let e = &self.entries[*i];
                self.site
                    .policies
                    .get(e.pos)
                    .is_some_and(|p| p.districts.is_empty())
            })
            .collect();
        if idx.is_empty() {
            return None;
        }
        Some(Citywide {
            total: idx.len(),
            more_url: list_url(Kind::Policy, None, 1),
            cards: self.cards(&idx[..idx.len().min(CITYWIDE_CARDS)]),
        })
    }

    /// The districts other than `current` that have support centers, in
    /// the taxonomy's order.
    pub(super) fn districts_with_facilities(&self, current: &Term) -> Vec<Link> {
        self.site
            .terms(Taxonomy::Districts)
            .iter()
            .filter(|d| d.id != current.id)
            .filter(|d| {
                let f = Filter::Term(Taxonomy::Districts, d.id.clone());
                self.by_filter
                    .get(&(Kind::Facility, f))
                    .is_some_and(|v| !v.is_empty())
            })
            .map(|d| Link {
                name: d.name.clone(),
                url: term_url(Taxonomy::Districts, &d.id),
            })
            .collect()
    }
}
