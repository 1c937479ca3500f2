//! The page `sbiz serve` answers with while the content has errors and no
//! build has ever succeeded (so there is no page to show them on): the
//! errors, escaped, and the live-reload script, so that it turns into the
//! site as soon as the editor saves a fix.

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
}
