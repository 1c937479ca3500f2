//! Small Korean HTML pages for plain form posts and management links, so
//! that every task works with JavaScript off. All HTML the function writes
//! is here, so that a theme can replace it in one place.

use std::fmt::Write;

use sbiz_catalog::{QuestionKind, Survey};

use super::views::{ApplicationView, ReservationView};
use crate::Error;

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,'Pretendard GOV',sans-serif;max-width:40rem;margin:2rem auto;\
padding:0 1rem;line-height:1.6;color:#1e2124}h1{font-size:1.5rem}dl{display:grid;grid-template-columns:max-content 1fr;\
gap:.25rem 1rem}dt{font-weight:600}.code{font-size:1.4rem;font-weight:700;letter-spacing:.05em}\
.error{border-left:4px solid #d50136;padding:.5rem 1rem;background:#fdefec}.ok{border-left:4px solid #228738;\
padding:.5rem 1rem;background:#eaf6ec}button{font:inherit;padding:.5rem 1rem}a:focus,button:focus,input:focus,\
textarea:focus{outline:3px solid #256ef4;outline-offset:2px}fieldset{margin:1rem 0}";

/// A whole page: `lang="ko"`, a title, no script.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">\
<title>{} | 서울 소공인 지원 포털</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        esc(title)
    )
}

/// What went wrong, the code, each field's problem, and the way back.
pub fn error(err: &Error, back: Option<&str>) -> String {
    let mut body = format!(
        "<h1>처리하지 못했습니다</h1><div class=\"error\" role=\"alert\"><p>{}</p>",
        esc(err.message())
    );
    if let Some(fields) = err.field_errors() {
        body.push_str("<ul>");
        for (field, msg) in fields {
            let _ = write!(
                body,
                "<li>{} <small>({})</small></li>",
                esc(msg),
                esc(field)
            );
        }
        body.push_str("</ul>");
    }
    let _ = write!(
        body,
        "<p><small>오류 코드: {}</small></p></div>",
        esc(err.code().as_str())
    );
    match back {
        Some(url) => {
            let _ = write!(
                body,
                "<p><a href=\"{}\">이전 화면으로 돌아가기</a> (브라우저의 뒤로 가기를 누르면 입력한 내용이 남아 있습니다.)</p>",
                esc(url)
            );
        }
        None => body.push_str("<p>브라우저의 뒤로 가기를 눌러 입력한 내용을 고쳐 주세요.</p>"),
    }
    page("오류", &body)
}

fn rows(rows: &[(&str, String)]) -> String {
    let mut out = String::from("<dl>");
    for (k, v) in rows {
        if !v.is_empty() {
            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
        }
    }
    out.push_str("</dl>");
    out
}

fn post_button(action: &str, hidden: &[(&str, &str)], label: &str) -> String {
    let mut out = format!("<form method=\"post\" action=\"{}\">", esc(action));
    for (k, v) in hidden {
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(k),
            esc(v)
        );
    }
    let _ = write!(
        out,
        "<button type=\"submit\">{}</button></form>",
        esc(label)
    );
    out
}

pub struct Links {
    /// The management link (with its secret), to keep; `None` when the
    /// record was found by phone number (the token is not stored).
    pub manage: Option<String>,
    /// Where the cancel form posts, when cancelling is possible.
    pub cancel: Option<String>,
    /// The survey form, when open.
    pub survey: Option<String>,
    /// The reservation as an iCalendar file.
    pub ics: Option<String>,
    /// The name of the secret the cancel form sends: `token` or `phone`.
    pub secret_name: &'static str,
    pub token: String,
}

fn links_html(l: &Links, what: &str) -> String {
    let mut out = String::new();
    if let Some(manage) = &l.manage {
        let _ = write!(
            out,
            "<h2>관리 링크</h2><p>아래 링크로 {what} 내용을 다시 보고 취소할 수 있습니다. 다른 사람에게 알려 주지 마세요.</p>\
<p><a href=\"{0}\">{0}</a></p>",
            esc(manage)
        );
    }
    if let Some(ics) = &l.ics {
        let _ = write!(
            out,
            "<p><a href=\"{}\" download>달력에 추가 (.ics)</a></p>",
            esc(ics)
        );
    }
    if let Some(survey) = &l.survey {
        let _ = write!(
            out,
            "<p><a href=\"{}\">만족도 조사에 참여하기</a></p>",
            esc(survey)
        );
    }
    if let Some(cancel) = &l.cancel {
        out.push_str(&post_button(
            cancel,
            &[(l.secret_name, &l.token)],
            &format!("{what} 취소하기"),
        ));
    }
    out
}

pub fn reservation(heading: &str, lead: &str, v: &ReservationView, links: &Links) -> String {
    let mut body = format!(
        "<h1>{}</h1><div class=\"ok\" role=\"status\"><p>{}</p><p>예약번호 <span class=\"code\">{}</span></p></div>",
        esc(heading),
        esc(lead),
        esc(&v.code)
    );
    body.push_str(&rows(&[
        ("상태", v.status_label.to_owned()),
        ("장비", v.equipment.name.clone()),
        ("시설", v.facility.name.clone()),
        (
            "이용일",
            format!("{} ({})", v.date, v.date.weekday().korean()),
        ),
        ("시간", format!("{}~{}", v.start, v.end)),
        (
            "이용료",
            if v.fee_won == 0 {
                "무료".to_owned()
            } else {
                format!("{}원", v.fee_won)
            },
        ),
        ("취소 기한", v.cancel_until.clone().unwrap_or_default()),
        ("시설 전화", v.facility_phone.clone().unwrap_or_default()),
    ]));
    if v.training_check {
        body.push_str("<p>이 장비는 사전 교육 이수가 필요합니다. 담당자가 이수 여부를 확인한 뒤 예약을 확정합니다.</p>");
    } else if v.status == "pending" {
        body.push_str("<p>담당자가 확인한 뒤 예약을 확정합니다.</p>");
    }
    body.push_str(&links_html(links, "예약"));
    page(heading, &body)
}

pub fn application(heading: &str, lead: &str, v: &ApplicationView, links: &Links) -> String {
    let mut body = format!(
        "<h1>{}</h1><div class=\"ok\" role=\"status\"><p>{}</p><p>접수번호 <span class=\"code\">{}</span></p></div>",
        esc(heading),
        esc(lead),
        esc(&v.code)
    );
    body.push_str(&rows(&[
        ("상태", v.status_label.to_owned()),
        (
            if v.kind == "programme" {
                "교육"
            } else {
                "지원사업"
            },
            v.target.name.clone(),
        ),
        (
            "대기 순서",
            v.waiting_before
                .map(|n| format!("앞에 {n}명"))
                .unwrap_or_default(),
        ),
        ("신청일시", v.created_at.clone()),
    ]));
    body.push_str(&links_html(links, "신청"));
    page(heading, &body)
}

pub fn message(heading: &str, lead: &str, back: Option<&str>) -> String {
    let mut body = format!(
        "<h1>{}</h1><div class=\"ok\" role=\"status\"><p>{}</p></div>",
        esc(heading),
        esc(lead)
    );
    if let Some(b) = back {
        let _ = write!(body, "<p><a href=\"{}\">돌아가기</a></p>", esc(b));
    }
    page(heading, &body)
}

/// The survey as a plain form posting to `action`.
pub fn survey_form(survey: &Survey, about: &str, action: &str, code: &str, token: &str) -> String {
    let mut body = format!(
        "<h1>{}</h1><p>{} 이용에 대한 의견을 들려주세요. 응답은 이름 없이 통계로만 씁니다.</p>\
<form method=\"post\" action=\"{}\" novalidate><input type=\"hidden\" name=\"code\" value=\"{}\">\
<input type=\"hidden\" name=\"token\" value=\"{}\">",
        esc(&survey.title),
        esc(about),
        esc(action),
        esc(code),
        esc(token)
    );
    for q in &survey.questions {
        let name = format!("answers.{}", q.id);
        let req = if q.required {
            " <small>(필수)</small>"
        } else {
            ""
        };
        match &q.kind {
            QuestionKind::Rating { scale } => {
                let scale = if *scale == 0 { 5 } else { *scale };
                let _ = write!(body, "<fieldset><legend>{}{req}</legend>", esc(&q.label));
                for n in 1..=scale {
                    let _ = write!(
                        body,
                        "<label><input type=\"radio\" name=\"{}\" value=\"{n}\"> {n}</label> ",
                        esc(&name)
                    );
                }
                body.push_str(
                    "<p><small>1은 매우 불만족, 숫자가 클수록 만족입니다.</small></p></fieldset>",
                );
            }
            QuestionKind::Choice { options } => {
                let _ = write!(body, "<fieldset><legend>{}{req}</legend>", esc(&q.label));
                for o in options {
                    let _ = write!(
                        body,
                        "<label><input type=\"radio\" name=\"{}\" value=\"{}\"> {}</label><br>",
                        esc(&name),
                        esc(o),
                        esc(o)
                    );
                }
                body.push_str("</fieldset>");
            }
            QuestionKind::Text { max_length } => {
                let _ = write!(
                    body,
                    "<p><label for=\"{0}\">{1}{req}</label><br><textarea id=\"{0}\" name=\"{0}\" rows=\"4\" cols=\"40\" \
maxlength=\"{max_length}\"></textarea></p>",
                    esc(&name),
                    esc(&q.label)
                );
            }
        }
    }
    body.push_str("<p><button type=\"submit\">응답 보내기</button></p></form>");
    page(&survey.title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn escapes_and_error_pages() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let e = Error::field("name", "<이름>을 입력해 주세요.");
        let html = error(&e, Some("https://sbiz.example.kr/equipment/cutter/"));
        assert!(html.contains("lang=\"ko\""));
        assert!(html.contains("&lt;이름&gt;을 입력해 주세요."));
        assert!(html.contains(Code::InvalidInput.as_str()));
        assert!(html.contains("href=\"https://sbiz.example.kr/equipment/cutter/\""));
        assert!(!html.contains("<script"));
    }
}
