//! The English edition: the site as English readers see it, and the links of
//! its pages.
//!
//! The English edition is the same site rendered a second time, under
//! `/en/`, from a [`Site`] that holds only what was translated: each record
//! with an English version, with its text fields replaced by the English
//! (dates, prices, rules and ids are the Korean record's), and the
//! taxonomy terms with an English name. Its pages are rendered by the same
//! renderer and templates with the English translation table; then
//! [`localize_links`] (`sbiz_presentation::links`, which the booking
//! function's English pages go through too) points every link at the English page when there is
//! one, and marks a link to a page that exists only in Korean with
//! `hreflang="ko"` and "(in Korean)", so an English reader is never dropped
//! on a Korean page unawares and never sees a page mixing the languages.

use sbiz_catalog::Lang;
pub(crate) use sbiz_presentation::links::localize_links;

use crate::model::*;
use crate::site::{Lookup, Site};
use crate::urls::term_url;

/// The generated English pages that Markdown may link to besides records:
/// the home, search, 예약 조회, 내 예약·신청, the lists of kinds with an
/// English record, and the taxonomy pages of terms with an English name.
pub(crate) fn static_urls(
    taxonomies: &[(Taxonomy, Vec<Term>)],
    kinds: &[(Kind, bool)],
) -> Vec<String> {
    let mut v: Vec<String> = ["/", "/search/", "/reservation/", "/my/"]
        .iter()
        .map(|u| Lang::En.path(u))
        .collect();
    for (k, any) in kinds {
        if *any {
            v.push(Lang::En.path(&format!("/{}/", k.section())));
        }
    }
    for (t, terms) in taxonomies {
        if terms.iter().any(|t| t.en.is_some()) {
            v.push(Lang::En.path(&format!("/{}/", t.name())));
        }
        for term in terms.iter().filter(|t| t.en.is_some()) {
            v.push(Lang::En.path(&term_url(*t, &term.id)));
        }
    }
    v
}

impl Site {
    /// The English edition's site, when `site.yaml` has `en:`.
    pub(crate) fn english(&self) -> Option<Site> {
        let config = self.config.english()?;
        let taxonomies = self
            .taxonomies
            .iter()
            .map(|(t, terms)| (*t, english_versions(terms)))
            .collect();
        // The English bodies were rendered at their English URLs; the
        // renderer looks them up at the record's path.
        let bodies = self
            .bodies
            .iter()
            .filter(|(url, _)| Lang::of_path(url) == Lang::En)
            .map(|(url, r)| (korean_path(url).to_owned(), r.clone()))
            .collect();
        let facilities = english_versions(&self.facilities);
        let programmes = english_versions(&self.programmes);
        Some(Site {
            config,
            now: self.now,
            taxonomies,
            // The same catalog as the Korean site's (cloned below).
            lookup: Lookup::new(&facilities, &programmes, self.lookup.catalog.clone()),
            facilities,
            equipment: english_versions(&self.equipment),
            programmes,
            policies: english_versions(&self.policies),
            jobs: english_versions(&self.jobs),
            notices: english_versions(&self.notices),
            pages: english_versions(&self.pages),
            bodies,
            catalog: self.catalog.clone(),
            // Warnings are the Korean site's: its check covers the
            // English bodies too.
            warnings: Vec::new(),
        })
    }
}

/// The English versions of the records that have one.
fn english_versions<R: Translatable>(records: &[R]) -> Vec<R> {
    records
        .iter()
        .filter_map(|r| r.english().cloned())
        .collect()
}

/// The Korean path of an English one: `/en/facilities/` is `/facilities/`.
pub(crate) fn korean_path(url: &str) -> &str {
    if Lang::of_path(url) == Lang::En {
        match &url[Lang::En.prefix().len()..] {
            "" => "/",
            rest => rest,
        }
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_paths_map_back_to_korean() {
        assert_eq!(korean_path("/en/"), "/");
        assert_eq!(korean_path("/en"), "/");
        assert_eq!(korean_path("/en/jobs/x/"), "/jobs/x/");
        assert_eq!(korean_path("/jobs/"), "/jobs/");
        assert_eq!(korean_path("/entry/"), "/entry/");
    }
}
