//! The links of `content/site.yaml`: the menu (`nav`), the utility links,
//! the open-data files and feeds are on every page, so each must point at
//! a page (or file) the build writes, and an anchor at one of its
//! headings, as body links do; a relative address (`guide`) is refused
//! with the page it most likely meant, as in a body. `consent.notice` and `form_help`, which
//! every form links to, must name a published page (that the page exists
//! is checked with the other settings).

use std::collections::HashMap;

use sbiz_catalog::Lang;

use super::{Anchors, Scheduled, Unread};
use crate::diagnostics::Diagnostic;
use crate::model::{SiteConfig, is_relative_site_link, is_site_path};
use crate::t;
use crate::yaml::Origin;

/// The broken links of the site's settings (`origin`: site.yaml).
pub(super) fn check(
    config: &SiteConfig,
    origin: &Origin,
    targets: &HashMap<&str, Anchors>,
    unread: &Unread<'_>,
    scheduled: &HashMap<String, Scheduled>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let lists = [
        ("nav", &config.nav),
        ("utility", &config.utility),
        ("open_data", &config.open_data),
        ("feeds", &config.feeds),
    ];
    for (key, items) in lists {
        for (i, item) in items.iter().enumerate() {
            let field = format!("{key}[{i}].url");
            if is_site_path(&item.url) {
                out.extend(check_link(
                    origin, &field, &item.url, targets, unread, scheduled,
                ));
            } else if is_relative_site_link(&item.url) {
                out.push(relative(origin, &field, &item.url, targets));
            }
            // Any other address (`https://…`, `//host/`) was refused as the
            // settings were read.
        }
    }
    let pages = [
        ("consent.notice", config.consent.notice.as_deref()),
        ("form_help", config.form_help.as_deref()),
    ];
    for (field, url) in pages {
        let Some(url) = url else { continue };
        // A page with no file is reported with the other settings.
        if let Some(d) = unpublished(origin, field, url, targets, scheduled) {
            out.push(d);
        }
    }
    out
}

/// A relative address (`guide`), refused as the settings' other
/// addresses are, with the page it most likely meant, as for a body link
/// (see `super::relative`).
fn relative(
    origin: &Origin,
    field: &str,
    link: &str,
    targets: &HashMap<&str, Anchors>,
) -> Diagnostic {
    let d = origin
        .at_value(field, t!("menu links must be site paths"))
        .found(format!("{link:?}"))
        .expected(t!("a path starting with a single /, such as /programmes/"));
    match super::relative::meant_page(link, Lang::Ko, |p| targets.contains_key(p)) {
        Some(page) => d.help(crate::diagnostics::did_you_mean(&page)),
        None => d,
    }
}

/// A link to the page of a record that has a file but is not published at
/// the build's time (it would be a broken link on every page).
fn unpublished(
    origin: &Origin,
    field: &str,
    page: &str,
    targets: &HashMap<&str, Anchors>,
    scheduled: &HashMap<String, Scheduled>,
) -> Option<Diagnostic> {
    let s = scheduled
        .get(page)
        .filter(|s| s.schedule.hidden() && !targets.contains_key(page))?;
    let (_, why) = super::schedule::describe(s);
    Some(
        origin
            .at_value(field, t!("link to a page that is not published"))
            .found(format!("`{page}`"))
            .expected(t!(
                "a published page (this link is on every page or every form)"
            ))
            .help(why),
    )
}

fn check_link(
    origin: &Origin,
    field: &str,
    link: &str,
    targets: &HashMap<&str, Anchors>,
    unread: &Unread<'_>,
    scheduled: &HashMap<String, Scheduled>,
) -> Option<Diagnostic> {
    let (path, anchor) = match link.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (link, None),
    };
    let page = path.split('?').next().unwrap_or(path);
    if !targets.contains_key(page) && unread.sections.iter().any(|s| page.starts_with(s.as_str())) {
        return None;
    }
    if let Some(d) = unpublished(origin, field, page, targets, scheduled) {
        return Some(d);
    }
    let u = super::unresolved(page, anchor, Lang::of_path(page), targets)?;
    let d = origin
        .at_value(field, u.message)
        .found(format!("`{link}`"))
        .expected(u.expected);
    Some(match u.help {
        Some(help) => d.help(help),
        None => d,
    })
}
