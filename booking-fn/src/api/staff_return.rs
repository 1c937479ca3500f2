//! Where the admin page's sign-in goes afterwards: back to the page the
//! staff member asked for when their session had ended. Only paths of the
//! admin page itself are taken (never another site, never a sign-in or
//! sign-out), and a staff action (a POST) is never replayed: it returns to
//! the page its form was on, which every admin form carries (the page's
//! address in a hidden [`FIELD`], or, on the admin page, its filters in
//! `filter`: `handlers::staff_auth::staff_action`).

use axum::http::{Method, Uri};

/// The field holding the return target: of the sign-in form, and of every
/// admin form that is not on the admin page itself.
pub(crate) const FIELD: &str = "next";

/// Where every return target lives.
const PREFIX: &str = "/api/admin/";

/// The admin page, where a sign-in returns to by default.
pub(crate) const DASHBOARD: &str = "/api/admin/dashboard";

/// Longest return target kept.
const MAX_CHARS: usize = 600;

/// Percent-escapes a browser may read as a path's `.`, `/` or `\`
/// (`/api/admin/%2e%2e/x` is `/x` to it): never in a return target's path.
const ESCAPED_SEPARATORS: [&str; 3] = ["%2e", "%2f", "%5c"];

/// `target` if it is a path and query of the admin page that a sign-in may
/// return to: under `/api/admin/`, relative to this site (no scheme, host,
/// `//`, backslash or `..`, nor a percent-escaped dot, slash or backslash
/// in the path), of URL characters only, not the sign-in or sign-out
/// itself.
pub(crate) fn checked(target: &str) -> Option<&str> {
    let path = target.split('?').next().unwrap_or("");
    let lower_path = path.to_ascii_lowercase();
    let ok = target.starts_with(PREFIX)
        && target.len() <= MAX_CHARS
        && !target.contains("//")
        && !target.contains("..")
        && !ESCAPED_SEPARATORS.iter().any(|e| lower_path.contains(e))
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/?=&-_.:%~+,".contains(c))
        && !matches!(path, "/api/admin/login" | "/api/admin/logout");
    ok.then_some(target)
}

/// The return target of a request that found no live session: the page
/// itself for a GET (with its filters), the admin page for anything else
/// (its handler puts the form's own instead: `staff_action`).
pub(crate) fn of_request(method: &Method, uri: &Uri) -> Option<String> {
    let path = uri.path();
    if !path.starts_with(PREFIX) {
        return None;
    }
    if *method == Method::GET {
        let target = match uri.query() {
            Some(q) if !q.is_empty() => format!("{path}?{q}"),
            _ => path.to_owned(),
        };
        return checked(&target).map(str::to_owned);
    }
    checked(path).map(|_| DASHBOARD.to_owned())
}

/// The admin page with the filters of an action's form (its `filter`
/// field, already cleaned to the characters of a filter query).
pub(crate) fn of_filter(filter: &str) -> String {
    if filter.is_empty() {
        DASHBOARD.to_owned()
    } else {
        format!("{DASHBOARD}?{filter}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_paths_of_this_site_are_targets() {
        for ok in [
            "/api/admin/dashboard",
            "/api/admin/dashboard?status=pending&from=2026-03-02",
            "/api/admin/reports?month=2026-03",
        ] {
            assert_eq!(checked(ok), Some(ok), "{ok}");
        }
        for bad in [
            "https://evil.example/api/admin/dashboard",
            "//evil.example/api/admin/",
            "/api/admin//evil.example",
            "/api/admin/../../evil",
            "/api/admin/\\evil.example",
            "/api/admin/%2e%2e/%2e%2e/evil",
            "/api/admin/%2E%2E/%2E%2E/evil",
            "/api/admin/.%2e/.%2E/evil",
            "/api/admin/%2f%2fevil.example",
            "/api/admin/%5cevil.example",
            "/admin/",
            "/api/reservations",
            "/api/admin/login",
            "/api/admin/logout?x=1",
            "/api/admin/dashboard#x",
            "/api/admin/dashboard?q=<script>",
            "",
        ] {
            assert_eq!(checked(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_post_returns_to_the_admin_page_never_to_itself() {
        let uri: Uri = "/api/admin/reservations/R-1/status".parse().unwrap();
        assert_eq!(of_request(&Method::POST, &uri).as_deref(), Some(DASHBOARD));
        let uri: Uri = "/api/admin/dashboard?status=pending".parse().unwrap();
        assert_eq!(
            of_request(&Method::GET, &uri).as_deref(),
            Some("/api/admin/dashboard?status=pending")
        );
        let uri: Uri = "/api/reservations".parse().unwrap();
        assert_eq!(of_request(&Method::GET, &uri), None);
        assert_eq!(
            of_filter("status=pending"),
            "/api/admin/dashboard?status=pending"
        );
    }
}
