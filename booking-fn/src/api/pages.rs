//! Answers as pages: an [`Answer`] rendered by `forms/answer.html` of the
//! site's theme (`forms.json`), or of the default theme compiled into the
//! binary when none is loaded or the site's fails.

use super::answer::Answer;
use super::theme::{PageEnv, Theme};

/// The page of an answer, or `None` when it has none (JSON-only answers) or
/// no theme could render it. Failures are logged without personal data
/// (template errors name templates and variables only).
pub(crate) fn render(theme: Option<&Theme>, answer: &Answer, env: &PageEnv) -> Option<String> {
    page(theme, answer, env).map(|html| sbiz_presentation::finish_page(&html))
}

fn page(theme: Option<&Theme>, answer: &Answer, env: &PageEnv) -> Option<String> {
    let meta = answer.page()?;
    let url = env.lang.path(&meta.url);
    if let Some(theme) = theme {
        match theme.page(&meta, &url, answer, env) {
            Ok(page) => return Some(page),
            Err(e) => tracing::error!(error = %e, "theme page failed; built-in page instead"),
        }
    }
    let built_in = Theme::built_in()
        .map_err(|e| tracing::error!(error = %e, "built-in pages do not compile"))
        .ok()?;
    built_in
        .page(&meta, &url, answer, env)
        .map_err(|e| tracing::error!(error = %e, "built-in page failed"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Error};
    use sbiz_catalog::Lang;

    fn korean() -> PageEnv<'static> {
        PageEnv {
            site: "https://sbiz.example.kr",
            lang: Lang::Ko,
            example_date: sbiz_catalog::Date::new(2026, 12, 5).expect("date"),
        }
    }

    #[test]
    fn built_in_error_pages_escape_and_link_back() {
        let e = Error::staff_field("name", "<이름>을 입력해 주세요.");
        let back = "https://sbiz.example.kr/equipment/cutter/";
        let answer = Answer::of_error(&e, None, Some(back.to_owned()), Lang::Ko);
        let html = render(None, &answer, &korean()).expect("a page");
        assert!(html.contains("lang=\"ko\""));
        assert!(html.contains("&lt;이름&gt;을 입력해 주세요."), "{html}");
        assert!(html.contains(Code::InvalidInput.as_str()));
        assert!(html.contains(&format!("href=\"{back}\"")));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn built_in_forms_use_the_field_components() {
        let catalog: sbiz_catalog::Catalog =
            serde_json::from_str(include_str!("../../tests/fixtures/catalog.json"))
                .expect("catalog");
        let form = sbiz_presentation::forms::reservation(
            &catalog,
            "cutter",
            sbiz_catalog::Date::new(2026, 11, 28).expect("date"),
            Lang::Ko,
        )
        .expect("form");
        let mut e = Error::field("phone", crate::Msg::PhoneFormat);
        if let Error::Rejected { fields, .. } = &mut e {
            fields.insert("name".into(), crate::Msg::KoreanOnly("<b>이름</b>".into()));
        }
        let values = [("name".to_owned(), "<i>x</i>".to_owned())].into();
        let echo = crate::api::answer::Echo { form, values };
        let answer = Answer::of_error(&e, Some(echo), None, Lang::Ko);
        let html = render(None, &answer, &korean()).expect("a page");
        // Hint and error both described, the error marked, nothing unescaped.
        assert!(
            html.contains(
                "aria-invalid=\"true\" aria-describedby=\"reserve-phone-hint reserve-phone-error\""
            ),
            "{html}"
        );
        assert!(
            html.contains(
                "id=\"reserve-phone-error\"><span class=\"visually-hidden\">오류: </span>"
            )
        );
        assert!(
            html.contains("&lt;b&gt;이름&lt;&#x2f;b&gt;")
                || html.contains("&lt;b&gt;이름&lt;/b&gt;"),
            "{html}"
        );
        assert!(html.contains("value=\"&lt;i&gt;x&lt;"), "{html}");
        assert!(html.contains("href=\"https://sbiz.example.kr/equipment/cutter/\""));
        assert!(html.contains("data-error-code=\"invalid_input\""));
    }
}
