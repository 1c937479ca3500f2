//! Links and images whose address is relative (`how-to-book`,
//! `../guide/`, `www.example.kr`): a browser reads them against the page's
//! own address, so they lead nowhere on the site. They are refused, with
//! the address that was most likely meant.

use sbiz_catalog::Lang;

use crate::diagnostics::Diagnostic;
use crate::i18n::Text;
use crate::markdown::Relative;
use crate::t;

/// The error for `r`, placed by `at` (which makes the diagnostic with its
/// message); `exists` says whether a site path is a page.
pub(crate) fn error(
    at: impl FnOnce(Text) -> Diagnostic,
    r: &Relative,
    lang: Lang,
    exists: impl Fn(&str) -> bool,
) -> Diagnostic {
    let message = if r.image {
        t!("image whose address starts with neither / nor https://: it is not shown on the site")
    } else {
        t!("link whose address starts with neither / nor https://: it is broken on the site")
    };
    let mut d = at(message).found(format!("`{}`", r.dest)).expected(t!(
        "a site path starting with / (/how-to-book/), an anchor starting with #, or an address starting with https://, http://, mailto: or tel:"
    ));
    if let Some(s) = meant(&r.dest, lang, exists) {
        d = d.help(crate::diagnostics::did_you_mean(&s));
    }
    d
}

/// The site path most likely meant by the relative `dest` (a link of
/// site.yaml, which must be a page of the site): as for a body link of
/// `lang`, when what was meant is a page.
pub(super) fn meant_page(dest: &str, lang: Lang, exists: impl Fn(&str) -> bool) -> Option<String> {
    meant(dest, lang, exists).filter(|p| crate::model::is_site_path(p))
}

/// The address most likely meant by the relative `dest` in a body of
/// `lang`: `https://` before `www.` and `//`, `mailto:` before an e-mail
/// address, and the site path of a page that exists (in `lang` when it
/// has that edition).
fn meant(dest: &str, lang: Lang, exists: impl Fn(&str) -> bool) -> Option<String> {
    let dest = dest.trim();
    if dest.starts_with("//") {
        return Some(format!("https:{dest}"));
    }
    if dest.to_ascii_lowercase().starts_with("www.") {
        return Some(format!("https://{dest}"));
    }
    if dest.contains('@') && !dest.contains(['/', ' ']) {
        return Some(format!("mailto:{dest}"));
    }
    let (path, rest) = match dest.find(['#', '?']) {
        Some(i) => dest.split_at(i),
        None => (dest, ""),
    };
    let mut path = path;
    while let Some(p) = path.strip_prefix("./").or_else(|| path.strip_prefix("../")) {
        path = p;
    }
    let path = path.trim_matches('/');
    if path.is_empty() {
        return None;
    }
    let korean = format!("/{path}/");
    let korean = match korean.strip_prefix("/pages/") {
        Some(id) => format!("/{id}"),
        None => korean,
    };
    let localized = lang.path(crate::english::korean_path(&korean));
    [localized, korean]
        .into_iter()
        .find(|p| exists(p))
        .map(|p| format!("{p}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_meant_is_suggested_when_it_is_plain() {
        let pages = ["/how-to-book/", "/en/how-to-book/", "/about/"];
        let exists = |p: &str| pages.contains(&p);
        let ko = |d: &str| meant(d, Lang::Ko, exists);
        let en = |d: &str| meant(d, Lang::En, exists);
        assert_eq!(ko("how-to-book").as_deref(), Some("/how-to-book/"));
        assert_eq!(
            ko("../how-to-book/#예약-방법").as_deref(),
            Some("/how-to-book/#예약-방법")
        );
        assert_eq!(ko("pages/about").as_deref(), Some("/about/"));
        assert_eq!(en("how-to-book").as_deref(), Some("/en/how-to-book/"));
        assert_eq!(en("about/").as_deref(), Some("/about/"));
        assert_eq!(ko("../../nothing/"), None);
        assert_eq!(ko(""), None);
        assert_eq!(
            ko("www.example.kr/a").as_deref(),
            Some("https://www.example.kr/a")
        );
        assert_eq!(ko("//example.kr/").as_deref(), Some("https://example.kr/"));
        assert_eq!(
            ko("help@example.kr").as_deref(),
            Some("mailto:help@example.kr")
        );
        // A link of site.yaml is only ever given a page of the site.
        let page = |d: &str| meant_page(d, Lang::Ko, exists);
        assert_eq!(page("how-to-book").as_deref(), Some("/how-to-book/"));
        assert_eq!(page("www.example.kr"), None);
        assert_eq!(page("help@example.kr"), None);
    }
}
