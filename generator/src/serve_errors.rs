//! What `sbiz serve` shows in the browser of a build's errors and
//! warnings (never written into `public/`):
//!
//! - the page it answers with while the content has errors and no build
//!   has ever succeeded (so there is no page to show them on): the errors,
//!   escaped, and the live-reload script, so that it turns into the site as
//!   soon as the editor saves a fix;
//! - the overlay of the errors on the pages of the last good build;
//! - the notice of a good build's warnings: a small box in a corner that
//!   hides nothing of the page (a spacer as tall as it ends the page), its
//!   heading a landmark, the warnings behind a disclosure that the
//!   keyboard opens.

use sbiz_presentation::escape_html;

use crate::i18n;
use crate::t;

/// A whole HTML page listing `errors` (the build's report) in the
/// editor's language, loading `reload_script` (a URL).
pub(crate) fn page(errors: &str, reload_script: &str) -> String {
    let lang = i18n::current();
    let text = |t: i18n::Text| escape_html(&t.render(lang));
    format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <script src=\"{script}\" defer></script>\n</head>\n\
         <body style=\"margin:2rem auto;max-width:60rem;padding:0 1rem;font:16px/1.6 sans-serif;color:#222\">\n\
         <h1 style=\"color:#8a1010\">{heading}</h1>\n<p>{note}</p>\n\
         <pre role=\"alert\" style=\"white-space:pre-wrap;background:#fff4f4;border-left:4px solid #c00;padding:1rem;font:14px/1.5 monospace\">{errors}</pre>\n\
         </body>\n</html>\n",
        code = match lang {
            i18n::Lang::Ko => "ko",
            i18n::Lang::En => "en",
        },
        title = text(t!("build error")),
        script = escape_html(reload_script),
        heading = text(t!(
            "The site could not be built, and there is no earlier build to show."
        )),
        note = text(t!(
            "Fix the errors below and save the file: this page reloads by itself."
        )),
        errors = escape_html(errors),
    )
}

/// The warnings of a build that succeeded: how many, and their report.
#[derive(Debug, Clone)]
pub(crate) struct Warnings {
    pub(crate) count: usize,
    pub(crate) text: String,
}

/// The errors of the last build (its report) over the last good build's
/// page.
pub(crate) fn overlay(errors: &str) -> String {
    format!(
        "<div role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff4f4;color:#8a1010;border-top:4px solid #c00;padding:1rem;z-index:9999;font:14px/1.5 monospace;white-space:pre-wrap\"><strong>{}</strong>\n{}</div>",
        escape_html(&t!("build error: showing the last good build").to_string()),
        escape_html(errors)
    )
}

/// The notice of a good build's warnings, in the editor's language.
pub(crate) fn notice(w: &Warnings) -> String {
    let lang = i18n::current();
    let text = |t: i18n::Text| escape_html(&t.render(lang));
    let heading = if w.count == 1 {
        t!("{n} warning", n = w.count)
    } else {
        t!("{n} warnings", n = w.count)
    };
    format!(
        "<div aria-hidden=\"true\" style=\"height:6rem\"></div>\
         <aside id=\"sbiz-warnings\" aria-labelledby=\"sbiz-warnings-title\" style=\"position:fixed;right:1rem;bottom:1rem;z-index:9999;box-sizing:border-box;max-width:min(44rem,calc(100vw - 2rem));background:#fffbea;color:#222;border:2px solid #7a5c00;border-radius:4px;padding:.5rem .75rem;font:15px/1.5 sans-serif;text-align:left\">\
         <h2 id=\"sbiz-warnings-title\" style=\"margin:0;font-size:1rem;color:#222\">\u{26a0} {heading}</h2>\
         <p style=\"margin:0\">{note}</p>\
         <details><summary style=\"cursor:pointer;text-decoration:underline\">{show}</summary>\
         <pre tabindex=\"0\" style=\"margin:.5rem 0 0;max-height:50vh;overflow:auto;white-space:pre-wrap;font:13px/1.5 monospace;color:#222\">{warnings}</pre>\
         </details></aside>",
        heading = text(heading),
        note = text(t!(
            "The site was built: these warnings do not stop it, but check them."
        )),
        show = text(t!("Show the warnings")),
        warnings = escape_html(&w.text),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_escaped() {
        let html = page(
            "오류: a.md:1:1: <script>alert(1)</script> & \"x\"\n",
            "/r.js",
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "{html}"
        );
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("<script src=\"/r.js\" defer></script>"));
    }

    #[test]
    fn the_warnings_notice_is_escaped_and_labelled() {
        let html = notice(&Warnings {
            count: 1,
            text: "경고: a.md:1:1: <b>x</b> & y\n".into(),
        });
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt; &amp; y"), "{html}");
        assert!(!html.contains("<b>x"), "{html}");
        // A landmark named by its heading, which says in words what it is.
        assert!(
            html.contains("<aside id=\"sbiz-warnings\" aria-labelledby=\"sbiz-warnings-title\"")
        );
        assert!(html.contains("<h2 id=\"sbiz-warnings-title\""));
        // The list opens from the keyboard and scrolls from it.
        assert!(html.contains("<details><summary"));
        assert!(html.contains("<pre tabindex=\"0\""));
        // Not an alert: the page stays as it is.
        assert!(!html.contains("role=\"alert\""));
    }
}
