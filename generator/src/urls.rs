//! Every URL of the site in one place: detail, term, page and list pages
//! (with their filters), and the output file that serves a URL. The site
//! assembly (link targets), the renderers and the build's pruning share them.

use std::path::{Path, PathBuf};

use sbiz_catalog::Id;

use crate::model::{Kind, Status, Taxonomy};

/// A record's detail page: `/programmes/pattern-cad-basic/`.
pub(crate) fn detail_url(kind: Kind, id: &Id) -> String {
    format!("/{}/{}/", kind.section(), id)
}

/// A taxonomy term's page: `/industries/apparel/`.
pub(crate) fn term_url(tax: Taxonomy, id: &Id) -> String {
    format!("/{}/{}/", tax.name(), id)
}

/// A static page: `/about/`.
pub(crate) fn page_url(id: &Id) -> String {
    format!("/{id}/")
}

/// A single-dimension filter of a list: by a taxonomy term or by status.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Filter {
    Term(Taxonomy, Id),
    Status(Status),
}

impl Filter {
    fn path(&self) -> String {
        match self {
            Filter::Term(t, id) => format!("{}/{}/", t.name(), id),
            Filter::Status(s) => format!("status/{}/", s.key()),
        }
    }
}

/// Which taxonomies filter each kind's list.
pub(crate) fn filters_for(kind: Kind) -> &'static [Taxonomy] {
    match kind {
        Kind::Facility => &[
            Taxonomy::Industries,
            Taxonomy::Districts,
            Taxonomy::Audiences,
            Taxonomy::Areas,
        ],
        Kind::Equipment => &[Taxonomy::Industries, Taxonomy::Districts],
        Kind::Programme | Kind::Policy => &[
            Taxonomy::Industries,
            Taxonomy::Districts,
            Taxonomy::Audiences,
            Taxonomy::Stages,
            Taxonomy::Areas,
        ],
        Kind::Job => &[
            Taxonomy::Industries,
            Taxonomy::Districts,
            Taxonomy::Audiences,
        ],
        Kind::Notice => &[],
    }
}

pub(crate) fn has_status(kind: Kind) -> bool {
    matches!(kind, Kind::Programme | Kind::Policy | Kind::Job)
}

/// A list page of a kind, filtered or not, and its page number.
pub(crate) fn list_url(kind: Kind, filter: Option<&Filter>, page: usize) -> String {
    let base = match filter {
        Some(f) => format!("/{}/{}", kind.section(), f.path()),
        None => format!("/{}/", kind.section()),
    };
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

/// The file under `out` that serves `url`.
pub(crate) fn url_path(out: &Path, url: &str) -> PathBuf {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}
