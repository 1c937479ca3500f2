//! Issue 17 point 3: the function answers the English edition in English.
//! A form rendered for English sends `lang=en`; the answers (the form again
//! with errors, the confirmation, the management page, a job application)
//! are in English, names in English where the catalog has them, error
//! codes the same as in Korean, and stored choices still the Korean option.

use std::sync::Arc;

use axum::http::{Request, StatusCode, header};
use sbiz_booking::catalog::{Catalog, FieldText, JobConsentText};

use crate::common::*;

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
    for j in &mut c.jobs {
        j.title_en = Some("Sewing machine operator wanted".into());
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

fn follow(location: &str) -> Request<axum::body::Body> {
    Request::get(location.trim_start_matches(ORIGIN))
        .header(header::ACCEPT, "text/html")
        .body(axum::body::Body::empty())
        .unwrap()
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
    let posted = send(
        &app.router,
        form("/api/reservations", &english_booking("010-7777-1234")),
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let location = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.ends_with("&result=1&lang=en"), "{location}");
    let page = send(&app.router, follow(&location)).await;
    let t = &page.text;
    assert_eq!(page.status, StatusCode::OK, "{t}");
    assert!(t.contains("lang=\"en\""), "{t}");
    assert!(t.contains("Your reservation is confirmed."), "{t}");
    assert!(t.contains("Reservation number"), "{t}");
    assert!(t.contains("Automatic cutting machine"), "{t}");
    assert!(t.contains("Seoul Fashion Smart Center"), "{t}");
    assert!(t.contains("Confirmed"), "{t}");
    assert!(t.contains("/en/equipment/cutter/"), "{t}");
    // The management link opens the English page again.
    let manage = t
        .split("data-manage>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("management link")
        .replace("&amp;", "&");
    assert!(manage.ends_with("&lang=en"), "{manage}");
    let shown = send(&app.router, follow(&manage)).await;
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
    assert!(shown.text.contains("Change the reservation"));
    assert!(shown.text.contains("Cancel the reservation"));
    assert!(shown.text.contains("name=\"lang\" value=\"en\""));
    // A refused change keeps the page English, the reason in English.
    let code = location
        .split("/api/reservations/")
        .nth(1)
        .and_then(|s| s.split('?').next())
        .unwrap()
        .to_owned();
    let token = manage
        .split("token=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_owned();
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
    let korean = send(&app.router, follow(manage.trim_end_matches("&lang=en"))).await;
    assert!(korean.text.contains("lang=\"ko\"") && korean.text.contains("예약이 취소되었습니다."));
    assert!(korean.text.contains("자동재단기"));
}

#[tokio::test]
async fn a_job_application_in_english_shows_english_labels_and_stores_korean_options() {
    let app = english_app();
    let uri = "/api/jobs/sewing-operator/applications";
    let mut pairs: Vec<(&'static str, String)> = vec![
        ("lang", "en".into()),
        ("name", "Jane Park".into()),
        ("phone", "010-7777-4321".into()),
        ("consent", "on".into()),
        ("fields.intro", "Three years on lockstitch machines.".into()),
        ("fields.experience", "1~3년".into()),
    ];
    // The start date is missing: the form comes back in English, with the
    // English label in the message and the English option labels.
    let again = send(&app.router, form(uri, &pairs)).await;
    let t = &again.text;
    assert_eq!(again.status.as_u16(), 422, "{t}");
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
    assert!(t.contains("Your application is given to"), "{t}");
    assert!(t.contains("Three years on lockstitch machines."), "{t}");
    pairs.push(("fields.start", "2026-03-16".into()));
    let posted = send(&app.router, form(uri, &pairs)).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let location = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let page = send(&app.router, follow(&location)).await;
    assert!(
        page.text.contains("We have received your application."),
        "{}",
        page.text
    );
    assert!(page.text.contains("Your job application"));
    assert!(page.text.contains("Application number"));
    // Staff read the answer as the Korean option.
    let list = send(
        &app.router,
        admin(get("/api/admin/applications?kind=job"), CITY_TOKEN),
    )
    .await;
    let apps = list.json();
    let found = apps["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .find(|a| a["person"]["name"] == "Jane Park")
        .cloned()
        .expect("the application");
    assert_eq!(found["answers"]["experience"], "1~3년");
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
    let posted = send(
        &app.router,
        form("/api/reservations", &english_booking("010-7777-5678")),
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let location = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let code = location
        .split("/api/reservations/")
        .nth(1)
        .and_then(|s| s.split('?').next())
        .unwrap()
        .to_owned();
    let token = location
        .split("token=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap()
        .to_owned();
    // After use (the booking ends at 12:00 on 5 March).
    app.clock
        .advance(jiff::SignedDuration::from_hours(2 * 24 + 4));
    let page = send(
        &app.router,
        follow(&format!(
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
