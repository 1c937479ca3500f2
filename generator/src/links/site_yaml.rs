//! The links of `content/site.yaml`: the menu (`nav`), the utility links,
//! the open-data files and feeds are on every page, so each must point at
//! a page (or file) the build writes, and an anchor at one of its
//! headings, as body links do. `consent.notice` and `form_help`, which
//! every form links to, must name a published page (that the page exists
//! is checked with the other settings).

use std::collections::HashMap;

use sbiz_catalog::Lang;

use super::{Anchors, Scheduled, Unread, listed, percent_decode, suggest_page};
use crate::diagnostics::{Diagnostic, did_you_mean, suggest};
use crate::model::{SiteConfig, is_site_path};
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
        // A link that is not a site path has been reported already.
        for (i, item) in items
            .iter()
            .enumerate()
            .filter(|(_, l)| is_site_path(&l.url))
        {
            let field = format!("{key}[{i}].url");
            out.extend(check_link(
                origin, &field, &item.url, targets, unread, scheduled,
            ));
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
    let mk = |msg, expected| {
        origin
            .at_value(field, msg)
            .found(format!("`{link}`"))
            .expected(expected)
    };
    let Some(anchors) = targets.get(page) else {
        let mut d = mk(
            t!("internal link to a page that does not exist"),
            t!(
                "a path of a published page, written with a trailing slash, e.g. /programmes/pattern-cad-basic/"
            ),
        );
        if let Some(s) = suggest_page(page, Lang::of_path(page), targets) {
            d = d.help(did_you_mean(&s));
        }
        return Some(d);
    };
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let Anchors::Known(anchors) = anchors else {
        return None;
    };
    let decoded = percent_decode(anchor);
    if anchors.contains(&decoded) {
        return None;
    }
    let mut d = mk(
        t!("link to a heading that does not exist on that page"),
        t!(
            "one of the anchors of {page}: {anchors}",
            page = page,
            anchors = listed(anchors)
        ),
    );
    if let Some(s) = suggest(&decoded, anchors.iter().map(String::as_str)) {
        d = d.help(did_you_mean(&format!("#{s}")));
    }
    Some(d)
}
