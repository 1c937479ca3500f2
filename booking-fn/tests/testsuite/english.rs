//! Issue 17 point 3: the function answers the English edition in English.
//! A form rendered for English sends `lang=en`; the answers (the form again
//! with errors, the confirmation, the management page, a policy's or a
//! job's application) are in English, names in English where the catalog
//! has them, error codes the same as in Korean, and stored choices still
//! the Korean option.

use std::sync::Arc;

use axum::http::{Request, StatusCode, header};
use sbiz_booking::catalog::{Catalog, FieldText, JobConsentText};

use crate::common::*;
use crate::support::record_page::{code_and_token, html_get, post_and_follow, post_redirected};

/// The fixture catalog with the English texts an English edition has.
pub fn english_catalog() -> Catalog {
    let mut c = catalog();
    for e in &mut c.equipment {
        if e.id.as_str() == "cutter" {
            e.name_en = Some("Automatic cutting machine".into());
        }
    }
    for f in &mut c.facilities {
        if f.id.as_str() == "seoul-fashion" {
            f.name_en = Some("Seoul Fashion Smart Center".into());
        }
    }
    for p in &mut c.policies {
        if p.id.as_str() == "smart-factory" {
            p.title_en = Some("Smart workshop support".into());
            p.form_en.insert(
                "plan".into(),
                FieldText {
                    label: "Your plan for the equipment".into(),
                    hint: None,
                    options: Default::default(),
                },
            );
            p.form_en.insert(
                "workers".into(),
                FieldText {
                    label: "Number of regular workers".into(),
                    hint: Some("Do not count the business owner.".into()),
                    options: Default::default(),
                },
            );
            p.form_en.insert(
                "industry".into(),
                FieldText {
                    label: "Industry".into(),
                    hint: None,
                    options: [
                        ("의류·봉제", "Apparel and sewing"),
                        ("인쇄", "Printing"),
                        ("기계·금속", "Machinery and metal"),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
                },
            );
        }
    }
    for j in &mut c.jobs {
        j.title_en = Some("Sewing machine operator wanted".into());
        j.company_en = Some("Changsin Apparel (sample)".into());
        j.form_en.insert(
            "intro".into(),
            FieldText {
                label: "About you".into(),
                hint: None,
                options: Default::default(),
            },
        );
        j.form_en.insert(
            "experience".into(),
            FieldText {
                label: "Relevant experience".into(),
                hint: None,
                options: [
                    ("경력 없음(신입)", "None (new to the trade)"),
                    ("1~3년", "1 to 3 years"),
                    ("3년 이상", "3 years or more"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            },
        );
        j.form_en.insert(
            "start".into(),
            FieldText {
                label: "Earliest start date".into(),
                hint: None,
                options: Default::default(),
            },
        );
    }
    for sv in &mut c.surveys {
        if sv.id.as_str() == "equipment-satisfaction" {
            sv.title_en = Some("Equipment satisfaction survey".into());
            sv.questions_en.insert(
                "overall".into(),
                FieldText {
                    label: "Overall, how satisfied were you?".into(),
                    hint: None,
                    options: Default::default(),
                },
            );
            sv.questions_en.insert(
                "again".into(),
                FieldText {
                    label: "Would you use it again?".into(),
                    hint: None,
                    options: [("예", "Yes"), ("아니요", "No")]
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                },
            );
        }
    }
    if let Some(jc) = c.job_consent.as_mut() {
        jc.en = Some(JobConsentText {
            purpose: "To select applicants for the job".into(),
            items: "Name, mobile number, e-mail, the answers of the form".into(),
            retention: "One year after the deadline".into(),
            refusal: "You may refuse; then you cannot apply here.".into(),
            employer: "Your application is given to {company} for '{title}'.".into(),
        });
    }
    c
}

fn english_app() -> App {
    let app = app();
    app.state.set_catalog(Arc::new(english_catalog()));
    app
}

fn english_booking(phone: &str) -> Vec<(&'static str, String)> {
    vec![
        ("lang", "en".into()),
        ("equipment", "cutter".into()),
        ("date", "2026-03-05".into()),
        ("start", "10:00".into()),
        ("slots", "2".into()),
        ("name", "Jane Park".into()),
        ("phone", phone.into()),
        ("business", "Park Sewing".into()),
        ("consent", "on".into()),
    ]
}

fn form(uri: &str, pairs: &[(&'static str, String)]) -> Request<axum::body::Body> {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut req = post_form(uri, &pairs);
    req.headers_mut().insert(
        header::REFERER,
        format!("{ORIGIN}/en/equipment/cutter/").parse().unwrap(),
    );
    req
}

#[tokio::test]
async fn an_english_form_with_a_bad_phone_comes_back_in_english_with_what_was_typed() {
    let app = english_app();
    let bad = english_booking("12345");
    let page = send(&app.router, form("/api/reservations", &bad)).await;
    assert_eq!(page.status.as_u16(), 422, "{}", page.text);
    let t = &page.text;
    assert!(t.contains("lang=\"en\""), "{t}");
    assert!(t.contains("Please check what you entered"), "{t}");
    assert!(
        t.contains("Please enter your mobile number like 010-1234-5678."),
        "{t}"
    );
    assert!(t.contains("Book Automatic cutting machine"), "{t}");
    assert!(t.contains("Mobile number"), "{t}");
    // What was typed is kept, and the form still says it is English.
    assert!(
        t.contains("value=\"Jane Park\"") && t.contains("value=\"12345\""),
        "{t}"
    );
    assert!(t.contains("name=\"lang\" value=\"en\""), "{t}");
    assert!(t.contains("data-error-code=\"invalid_input\""), "{t}");
    // The consent box and the help link lead to the English pages.
    assert!(
        t.contains("/en/privacy/\">Read the full privacy policy</a>"),
        "{t}"
    );
    assert!(
        t.contains("/en/how-to-book/\">How booking and applying work</a>"),
        "{t}"
    );
    assert!(!t.contains("휴대전화 번호를"), "no Korean message: {t}");
    // The same mistake in JSON: the same code in both languages, the
    // message in the language asked for.
    let mut body = booking("cutter", "2026-03-05", "10:00", 2, 1);
    body["phone"] = "12345".into();
    let ko = send(&app.router, post_json("/api/reservations", body.clone())).await;
    body["lang"] = "en".into();
    let en = send(&app.router, post_json("/api/reservations", body)).await;
    assert_eq!(ko.status, en.status);
    assert_eq!(ko.error_code(), "invalid_input");
    assert_eq!(en.error_code(), ko.error_code());
    assert_eq!(
        en.json()["error"]["fields"]["phone"],
        "Please enter your mobile number like 010-1234-5678."
    );
    assert_eq!(
        ko.json()["error"]["fields"]["phone"],
        "휴대전화 번호를 010-1234-5678처럼 입력해 주세요."
    );
    // An unknown language is Korean.
    let mut other = english_booking("12345");
    other[0].1 = "fr".into();
    let fr = send(&app.router, form("/api/reservations", &other)).await;
    assert!(fr.text.contains("lang=\"ko\"") && fr.text.contains("휴대전화 번호를"));
}

#[tokio::test]
async fn an_english_booking_is_confirmed_and_managed_in_english() {
    let app = english_app();
    let (location, page) = post_and_follow(
        &app,
        form("/api/reservations", &english_booking("010-7777-1234")),
    )
    .await;
    assert!(location.ends_with("&result=1&lang=en"), "{location}");
    let t = &page.text;
    assert_eq!(page.status, StatusCode::OK, "{t}");
    assert!(t.contains("lang=\"en\""), "{t}");
    assert!(t.contains("Your reservation is confirmed."), "{t}");
    assert!(t.contains("Reservation number"), "{t}");
    assert!(t.contains("Automatic cutting machine"), "{t}");
    assert!(t.contains("Seoul Fashion Smart Center"), "{t}");
    assert!(
        t.contains("<dd data-status=\"confirmed\">Confirmed</dd>"),
        "{t}"
    );
    assert!(t.contains("/en/equipment/cutter/"), "{t}");
    // The management link opens the English page again.
    let manage = t
        .split("data-manage>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("management link")
        .replace("&amp;", "&");
    assert!(manage.ends_with("&lang=en"), "{manage}");
    let shown = send(&app.router, html_get(&manage)).await;
    assert!(
        shown.text.contains("Look up a reservation"),
        "{}",
        shown.text
    );
    // The calendar file too.
    let ics = shown
        .text
        .split("data-ics")
        .next()
        .and_then(|s| s.rsplit("href=\"").next())
        .and_then(|s| s.split('"').next())
        .expect("the calendar link")
        .replace("&amp;", "&");
    assert!(ics.ends_with("&lang=en"), "{ics}");
    let file = send(&app.router, get(ics.trim_start_matches(ORIGIN))).await;
    assert!(
        file.text
            .contains("SUMMARY:Reservation: Automatic cutting machine"),
        "{}",
        file.text
    );
    assert!(
        file.text.contains(" · Status Confirmed · "),
        "{}",
        file.text
    );
    assert!(shown.text.contains("Change the reservation"));
    assert!(shown.text.contains("Cancel the reservation"));
    assert!(shown.text.contains("name=\"lang\" value=\"en\""));
    // The change form has the booking form's English controls: how long
    // in hours, never a count of "booking slots".
    assert!(
        shown
            .text
            .contains("<label for=\"reschedule-slots\">How long"),
        "{}",
        shown.text
    );
    assert!(shown.text.contains("<option value=\"1\">1 hour</option>"));
    assert!(
        shown
            .text
            .contains("<option value=\"2\" selected>2 hours</option>")
    );
    assert!(!shown.text.contains("booking slot"), "{}", shown.text);
    // A refused change keeps the page English, the reason in English.
    let (code, token) = code_and_token(&manage);
    let moved = send(
        &app.router,
        form(
            &format!("/api/reservations/{code}/reschedule"),
            &[
                ("token", token.clone()),
                ("lang", "en".into()),
                ("date", "2026-03-05".into()),
                ("start", "10:00".into()),
                ("slots", "99".into()),
            ],
        ),
    )
    .await;
    assert!(
        moved.text.contains("Your reservation could not be changed"),
        "{}",
        moved.text
    );
    assert!(
        moved
            .text
            .contains("This is longer than you can book at one time."),
        "{}",
        moved.text
    );
    // Cancelling from the English page answers in English.
    let cancelled = send(
        &app.router,
        form(
            &format!("/api/reservations/{code}/cancel"),
            &[("token", token), ("lang", "en".into())],
        ),
    )
    .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert!(
        cancelled
            .text
            .contains("Your reservation has been cancelled.")
    );
    assert!(cancelled.text.contains("Reservation cancelled"));
    // The Korean page of the same reservation is unchanged.
    let korean = send(&app.router, html_get(manage.trim_end_matches("&lang=en"))).await;
    assert!(korean.text.contains("lang=\"ko\"") && korean.text.contains("예약이 취소되었습니다."));
    assert!(korean.text.contains("자동재단기"));
}

/// What an application from the English edition went through: the form
/// that came back without one required field (422), the receipt page once
/// the field was added, and the application as staff list it.
struct Applied {
    again: Answer,
    receipt: Answer,
    staff: serde_json::Value,
}

/// Jane Park's answers on an English application form (`phone` hers),
/// before the form's own fields.
fn jane(phone: &str) -> Vec<(&'static str, String)> {
    vec![
        ("lang", "en".into()),
        ("name", "Jane Park".into()),
        ("phone", phone.into()),
        ("consent", "on".into()),
    ]
}

/// Applies at `uri` with `pairs`, first without `missing` (the form comes
/// back), then with it (the receipt), and finds the application in the
/// staff list of `kind` (`job`, `policy`).
async fn apply_in_english(
    app: &App,
    uri: &str,
    kind: &str,
    mut pairs: Vec<(&'static str, String)>,
    missing: (&'static str, String),
) -> Applied {
    let again = send(&app.router, form(uri, &pairs)).await;
    assert_eq!(again.status.as_u16(), 422, "{}", again.text);
    pairs.push(missing);
    let (_, receipt) = post_and_follow(app, form(uri, &pairs)).await;
    assert!(
        receipt.text.contains("We have received your application."),
        "{}",
        receipt.text
    );
    let list = send(
        &app.router,
        admin(
            get(&format!("/api/admin/applications?kind={kind}")),
            CITY_TOKEN,
        ),
    )
    .await
    .json();
    let staff = list["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .find(|a| a["person"]["name"] == "Jane Park")
        .cloned()
        .expect("the application");
    Applied {
        again,
        receipt,
        staff,
    }
}

#[tokio::test]
async fn a_job_application_in_english_shows_english_labels_and_stores_korean_options() {
    let app = english_app();
    let mut pairs = jane("010-7777-4321");
    pairs.extend([
        ("fields.intro", "Three years on lockstitch machines.".into()),
        ("fields.experience", "1~3년".into()),
    ]);
    // The start date is missing: the form comes back in English, with the
    // English label in the message and the English option labels.
    let applied = apply_in_english(
        &app,
        "/api/jobs/sewing-operator/applications",
        "job",
        pairs,
        ("fields.start", "2026-03-16".into()),
    )
    .await;
    let t = &applied.again.text;
    assert!(
        t.contains("Apply for Sewing machine operator wanted"),
        "{t}"
    );
    assert!(
        t.contains("Please fill in &#39;Earliest start date&#39;."),
        "{t}"
    );
    assert!(t.contains(">1 to 3 years</option>"), "{t}");
    assert!(
        t.contains("<option value=\"1~3년\" selected>1 to 3 years</option>"),
        "{t}"
    );
    assert!(t.contains("About you"), "{t}");
    assert!(
        t.contains("Your application is given to Changsin Apparel (sample) for"),
        "{t}"
    );
    assert!(!t.contains("창신어패럴"), "the employer in English: {t}");
    assert!(t.contains("Three years on lockstitch machines."), "{t}");
    let receipt = &applied.receipt.text;
    assert!(receipt.contains("Your job application"), "{receipt}");
    assert!(receipt.contains("Application number"), "{receipt}");
    // Staff read the answer as the Korean option.
    assert_eq!(applied.staff["answers"]["experience"], "1~3년");
}

#[tokio::test]
async fn a_policy_application_in_english_shows_english_labels_and_stores_korean_options() {
    let app = english_app();
    let mut pairs = jane("010-7777-5678");
    pairs.extend([
        ("business", "Park Printing".into()),
        (
            "fields.plan",
            "A second offset press for short runs.".into(),
        ),
        ("fields.industry", "인쇄".into()),
    ]);
    // The number of workers is missing: the form comes back in English,
    // the message naming the English label, with what was typed and the
    // chosen option under its English label.
    let applied = apply_in_english(
        &app,
        "/api/policies/smart-factory/applications",
        "policy",
        pairs,
        ("fields.workers", "4".into()),
    )
    .await;
    let t = &applied.again.text;
    assert!(t.contains("<html lang=\"en\""), "{t}");
    assert!(t.contains("Smart workshop support"), "{t}");
    assert!(
        t.contains("Please fill in &#39;Number of regular workers&#39;."),
        "{t}"
    );
    assert!(t.contains("Do not count the business owner."), "{t}");
    assert!(t.contains("Your plan for the equipment"), "{t}");
    assert!(t.contains("A second offset press for short runs."), "{t}");
    assert!(t.contains("Park Printing"), "{t}");
    assert!(
        t.contains("<option value=\"인쇄\" selected>Printing</option>"),
        "{t}"
    );
    assert!(
        t.contains("<option value=\"의류·봉제\">Apparel and sewing</option>"),
        "{t}"
    );
    assert!(
        !t.contains("상시 근로자 수") && !t.contains("도입 계획"),
        "{t}"
    );
    let receipt = &applied.receipt.text;
    assert!(
        receipt.contains("Your support scheme application"),
        "{receipt}"
    );
    assert!(
        receipt.contains("<dd data-status=\"submitted\">Received</dd>"),
        "{receipt}"
    );
    // Staff read the answers as the Korean option, and the status in Korean.
    assert_eq!(applied.staff["answers"]["industry"], "인쇄");
    assert_eq!(applied.staff["answers"]["workers"], "4");
    assert_eq!(applied.staff["status"], "submitted");
    assert_eq!(applied.staff["status_label"], "접수");
    // Staff select it: the management link shows the new status in English,
    // the staff list in Korean.
    let code = applied.staff["code"].as_str().expect("code");
    let decided = send(
        &app.router,
        admin(
            post_json(
                &format!("/api/admin/applications/{code}/status"),
                serde_json::json!({ "status": "approved" }),
            ),
            CITY_TOKEN,
        ),
    )
    .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    assert_eq!(decided.json()["application"]["status_label"], "선정");
    let manage = receipt
        .split("data-manage>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("management link")
        .replace("&amp;", "&");
    let shown = send(&app.router, html_get(&manage)).await;
    assert!(
        shown
            .text
            .contains("<dd data-status=\"approved\">Selected</dd>"),
        "{}",
        shown.text
    );
    let json = send(&app.router, get(manage.trim_start_matches(ORIGIN)))
        .await
        .json();
    assert_eq!(json["application"]["status"], "approved", "{json}");
    assert_eq!(json["application"]["status_label"], "Selected", "{json}");
}

#[tokio::test]
async fn my_pages_and_error_pages_answer_in_english_when_asked() {
    let app = english_app();
    let html = |uri: &str| {
        Request::get(uri)
            .header(header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    // The search without JavaScript: titled in English (the site's layout
    // places it in English too: the generator's `english_served` tests).
    let search = send(&app.router, html("/api/search?lang=en&q=cutter")).await;
    assert!(search.text.contains("lang=\"en\""), "{}", search.text);
    assert!(search.text.contains(": 0 - Search | "), "{}", search.text);
    assert!(!search.text.contains("통합검색"), "{}", search.text);
    let korean = send(&app.router, html("/api/search?q=cutter")).await;
    assert!(korean.text.contains(" - 통합검색 | "), "{}", korean.text);
    // This deployment sends no 문자: 내 예약·신청 says so, in English.
    let my = send(&app.router, html("/api/my?lang=en")).await;
    assert!(my.text.contains("lang=\"en\""), "{}", my.text);
    assert!(my.text.contains("My reservations and applications"));
    assert!(my.text.contains("/en/reservation/"), "{}", my.text);
    let korean = send(&app.router, html("/api/my")).await;
    assert!(korean.text.contains("내 예약·신청") && korean.text.contains("lang=\"ko\""));
    // A page that does not exist, in English; the same code as in Korean.
    let missing = send(&app.router, html("/api/nothing-here?lang=en")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.text.contains("There is no page at this address."),
        "{}",
        missing.text
    );
    assert!(
        missing.text.contains("Error code: not_found"),
        "{}",
        missing.text
    );
    assert!(missing.text.contains("We could not do that"));
    let missing_ko = send(&app.router, html("/api/nothing-here")).await;
    assert!(missing_ko.text.contains("없는 주소입니다.") && missing_ko.text.contains("not_found"));
    // A management link that does not open, in English.
    let bad = send(
        &app.router,
        html("/api/reservations/ABCD-EFGH?token=00&lang=en"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND, "{}", bad.text);
    assert!(bad.text.contains("lang=\"en\""), "{}", bad.text);
    assert!(!bad.text.contains("찾을 수 없습니다"), "{}", bad.text);
}

#[tokio::test]
async fn the_survey_of_an_english_booking_is_in_english() {
    let app = english_app();
    let location = post_redirected(
        &app,
        form("/api/reservations", &english_booking("010-7777-5678")),
    )
    .await;
    let (code, token) = code_and_token(&location);
    // After use (the booking ends at 12:00 on 5 March).
    app.clock
        .advance(jiff::SignedDuration::from_hours(2 * 24 + 4));
    let page = send(
        &app.router,
        html_get(&format!(
            "/api/surveys/equipment-satisfaction?code={code}&token={token}&lang=en"
        )),
    )
    .await;
    let t = &page.text;
    assert_eq!(page.status, StatusCode::OK, "{t}");
    assert!(t.contains("Equipment satisfaction survey"), "{t}");
    assert!(t.contains("Overall, how satisfied were you?"), "{t}");
    assert!(
        t.contains("Please tell us what you thought of Automatic cutting machine."),
        "{t}"
    );
    assert!(
        t.contains("value=\"예\"") && t.contains("> Yes</label>"),
        "{t}"
    );
    assert!(
        t.contains("1 means very dissatisfied, 5 very satisfied."),
        "{t}"
    );
    // Sending it without the required answer: English, the same code.
    let again = send(
        &app.router,
        form(
            "/api/surveys/equipment-satisfaction/responses",
            &[
                ("code", code.clone()),
                ("token", token.clone()),
                ("lang", "en".into()),
                ("answers.again", "예".into()),
            ],
        ),
    )
    .await;
    assert_eq!(again.status.as_u16(), 422, "{}", again.text);
    assert!(
        again
            .text
            .contains("Please answer &#39;Overall, how satisfied were you?&#39;."),
        "{}",
        again.text
    );
    let done = send(
        &app.router,
        form(
            "/api/surveys/equipment-satisfaction/responses",
            &[
                ("code", code),
                ("token", token),
                ("lang", "en".into()),
                ("answers.overall", "5".into()),
                ("answers.again", "예".into()),
            ],
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert!(
        done.text.contains("Thank you for your answers"),
        "{}",
        done.text
    );
    assert!(done.text.contains("/en/"), "{}", done.text);
}

/// The reservation remembers that it was made in English: its survey,
/// opened by a link that does not say `lang`, is in English (title,
/// questions, choice labels), a choice is still stored as the Korean
/// option, and staff read the Korean one in the summary. A request that
/// asks for Korean gets Korean.
#[tokio::test]
async fn an_english_reservation_s_survey_is_english_without_asking_and_stores_the_korean_answer() {
    let app = english_app();
    let location = post_redirected(
        &app,
        form("/api/reservations", &english_booking("010-7777-8765")),
    )
    .await;
    let (code, token) = code_and_token(&location);
    app.clock
        .advance(jiff::SignedDuration::from_hours(2 * 24 + 4));
    let uri = format!("/api/surveys/equipment-satisfaction?code={code}&token={token}");
    let page = send(&app.router, html_get(&uri)).await;
    let t = &page.text;
    assert_eq!(page.status, StatusCode::OK, "{t}");
    assert!(t.contains("lang=\"en\""), "{t}");
    assert!(t.contains("Equipment satisfaction survey"), "{t}");
    assert!(t.contains("Overall, how satisfied were you?"), "{t}");
    assert!(t.contains("Would you use it again?"), "{t}");
    assert!(
        t.contains("value=\"예\"") && t.contains("> Yes</label>"),
        "{t}"
    );
    assert!(t.contains("name=\"lang\" value=\"en\""), "{t}");
    assert!(
        !t.contains("다시 이용하시겠어요?"),
        "no Korean question: {t}"
    );
    // Asking for Korean shows the Korean questions.
    let korean = send(&app.router, html_get(&format!("{uri}&lang=ko"))).await;
    assert_eq!(korean.status, StatusCode::OK, "{}", korean.text);
    assert!(korean.text.contains("lang=\"ko\""), "{}", korean.text);
    assert!(
        !korean.text.contains("Overall, how satisfied were you?"),
        "{}",
        korean.text
    );
    // Sent without `lang`: the answer is English too.
    let done = send(
        &app.router,
        form(
            "/api/surveys/equipment-satisfaction/responses",
            &[
                ("code", code.clone()),
                ("token", token.clone()),
                ("answers.overall", "4".into()),
                ("answers.again", "예".into()),
            ],
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert!(
        done.text.contains("Thank you for your answers"),
        "{}",
        done.text
    );
    let summary = send(
        &app.router,
        admin(
            get("/api/admin/surveys/equipment-satisfaction/summary"),
            FASHION_TOKEN,
        ),
    )
    .await
    .json();
    assert_eq!(summary["responses"], 1, "{summary}");
    assert_eq!(summary["questions"][1]["counts"]["예"], 1, "{summary}");
    assert!(
        summary["questions"][1]["counts"].get("Yes").is_none(),
        "{summary}"
    );
    // Answered: opening it again says so, in English.
    let again = send(&app.router, html_get(&uri)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert!(again.text.contains("lang=\"en\""), "{}", again.text);
}

/// The same for a programme: an application made in English opens its
/// survey in English from a link that does not say `lang`; one made in
/// Korean stays Korean.
#[tokio::test]
async fn an_english_application_s_survey_is_english_without_asking() {
    let app = app();
    let mut c = english_catalog();
    for p in &mut c.programmes {
        if p.id.as_str() == "laser-safety" {
            p.title_en = Some("Laser cutter safety training".into());
        }
    }
    for sv in &mut c.surveys {
        if sv.id.as_str() == "programme-satisfaction" {
            sv.title_en = Some("Course satisfaction survey".into());
            sv.questions_en.insert(
                "overall".into(),
                FieldText {
                    label: "Were you satisfied with the course?".into(),
                    hint: None,
                    options: Default::default(),
                },
            );
        }
    }
    app.state.set_catalog(Arc::new(c));
    let mut links = Vec::new();
    for (who, lang) in [(1, "en"), (2, "ko")] {
        let mut body = person(who);
        body.insert("lang".into(), lang.into());
        let a = send(
            &app.router,
            post_json(
                "/api/programmes/laser-safety/applications",
                serde_json::Value::Object(body),
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        let j = a.json();
        assert_eq!(j["application"]["status"], "enrolled", "{j}");
        let (code, token) = (
            j["application"]["code"].as_str().unwrap().to_owned(),
            j["token"].as_str().unwrap().to_owned(),
        );
        links.push(format!(
            "/api/surveys/programme-satisfaction?code={code}&token={token}"
        ));
    }
    // After the session (12 March, 10:00-12:00).
    app.clock
        .advance(jiff::SignedDuration::from_hours(9 * 24 + 4));
    let en = send(&app.router, html_get(&links[0])).await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.text);
    assert!(en.text.contains("lang=\"en\""), "{}", en.text);
    assert!(
        en.text.contains("Course satisfaction survey"),
        "{}",
        en.text
    );
    assert!(
        en.text.contains("Were you satisfied with the course?"),
        "{}",
        en.text
    );
    assert!(
        en.text
            .contains("Please tell us what you thought of Laser cutter safety training."),
        "{}",
        en.text
    );
    let ko = send(&app.router, html_get(&links[1])).await;
    assert_eq!(ko.status, StatusCode::OK, "{}", ko.text);
    assert!(ko.text.contains("lang=\"ko\""), "{}", ko.text);
    assert!(ko.text.contains("교육에 만족하셨나요?"), "{}", ko.text);
}

/// The built-in pages (no `forms.json`) name the site in the page's
/// language: the English name on English pages.
#[tokio::test]
async fn the_built_in_pages_name_the_site_in_the_page_s_language() {
    let app = english_app();
    let en = send(
        &app.router,
        form("/api/reservations", &english_booking("12345")),
    )
    .await;
    assert!(
        en.text
            .contains("| Seoul Small Manufacturers Support Portal</title>"),
        "{}",
        en.text
    );
    assert!(!en.text.contains("서울 소공인 지원 포털"), "{}", en.text);
    let mut korean = english_booking("12345");
    korean.remove(0);
    let ko = send(&app.router, form("/api/reservations", &korean)).await;
    assert!(
        ko.text.contains("| 서울 소공인 지원 포털</title>"),
        "{}",
        ko.text
    );
}

#[tokio::test]
async fn an_english_post_without_origin_is_refused_in_english() {
    let app = english_app();
    // A privacy tool stripped the Origin (and the Referer): still refused,
    // nothing booked, but the refusal is in the form's language.
    let stripped = |uri: &str, pairs: &[(&'static str, String)], origin: Option<&str>| {
        let mut req = form(uri, pairs);
        req.headers_mut().remove(header::ORIGIN);
        req.headers_mut().remove(header::REFERER);
        if let Some(o) = origin {
            req.headers_mut().insert(header::ORIGIN, o.parse().unwrap());
        }
        req
    };
    let booking = english_booking("010-2323-4545");
    let en = send(&app.router, stripped("/api/reservations", &booking, None)).await;
    assert_eq!(en.status, StatusCode::FORBIDDEN, "{}", en.text);
    let t = &en.text;
    assert!(t.contains("lang=\"en\""), "{t}");
    assert!(t.contains("data-error-code=\"origin_not_allowed\""), "{t}");
    assert!(
        t.contains("This request came from a place that is not allowed."),
        "{t}"
    );
    assert!(!t.contains("허용되지 않은"), "no Korean message: {t}");
    // From another site: refused, in English too.
    let foreign = send(
        &app.router,
        stripped("/api/reservations", &booking, Some("https://evil.example")),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(foreign.text.contains("lang=\"en\""), "{}", foreign.text);
    // A Korean form is refused in Korean, as before.
    let korean: Vec<(&'static str, String)> = booking
        .iter()
        .filter(|(k, _)| *k != "lang")
        .cloned()
        .collect();
    let ko = send(&app.router, stripped("/api/reservations", &korean, None)).await;
    assert_eq!(ko.status, StatusCode::FORBIDDEN);
    assert!(
        ko.text.contains("허용되지 않은 곳에서 보낸 요청입니다."),
        "{}",
        ko.text
    );
    // Nothing was booked: the slot is still free.
    let free = send(
        &app.router,
        get("/api/equipment/cutter/availability?from=2026-03-05&to=2026-03-05"),
    )
    .await
    .json();
    assert_eq!(free["days"][0]["slots"][1]["start"], "10:00");
    assert_eq!(free["days"][0]["slots"][1]["free"], true);
    // The same for the other forms of the English pages, e.g. cancelling
    // from a management page.
    let cancel = send(
        &app.router,
        stripped(
            "/api/reservations/R-NOPE/cancel",
            &[("lang", "en".to_owned()), ("token", "x".to_owned())],
            None,
        ),
    )
    .await;
    assert_eq!(cancel.status, StatusCode::FORBIDDEN, "{}", cancel.text);
    assert!(cancel.text.contains("lang=\"en\""), "{}", cancel.text);
}
