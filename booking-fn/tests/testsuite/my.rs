//! 내 예약·신청 end to end through the router on SQLite, with the 인증번호
//! sent for real: Amazon SNS as emulated by ministack (PyPI, pinned, see
//! `support/pyserver.rs`), read back from its `/_ministack/sns/sms-messages`.
//! The phone step, the code (wrong, right, locked, expired), the session's
//! list (only the person's records), view, cancel (with the deadline),
//! survey, sign-out and expiry; the same answer whether a phone has records
//! or not; the limits per code, phone and client; a deployment without 문자;
//! and no phone number or code in any log line.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use sbiz_booking::messaging::Channels;
use sbiz_booking::messaging::aws::SnsSender;

use crate::common::*;
use crate::support::pyserver;

/// The ministack of the running test (each test starts its own, stopped
/// and cleaned up when the test ends).
struct Sms(pyserver::Server);

impl Sms {
    fn port(&self) -> u16 {
        self.0.port
    }
}

fn sns(port: u16) -> SnsSender {
    use aws_sdk_sns::config::{BehaviorVersion, Credentials, Region};
    let client = aws_sdk_sns::Client::from_conf(
        aws_sdk_sns::Config::builder()
            .http_client(sbiz_booking::aws::http_client())
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "ministack"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .build(),
    );
    SnsSender::new(client)
}

/// The fixture app with the site's templates and 문자 through a ministack
/// of its own.
fn my_app() -> (App, Sms) {
    let sms = Sms(pyserver::ministack(pyserver::free_port()));
    let app = app();
    app.state.set_catalog(Arc::new(catalog_with_messages()));
    let channels =
        Channels::none(app.state.config().secret.clone()).with(Arc::new(sns(sms.port())));
    app.state.set_channels(Arc::new(channels));
    (app, sms)
}

/// `010-5555-NNNN` in E.164.
fn e164(phone: &str) -> String {
    format!("+82{}", &phone.replace('-', "")[1..])
}

/// The 인증번호 sent to `phone` so far, oldest first.
fn codes_sent(sms: &Sms, phone: &str) -> Vec<String> {
    let path = format!(
        "/_ministack/sns/sms-messages?phoneNumber={}",
        e164(phone).replace('+', "%2B")
    );
    let (status, body) = pyserver::http_get(sms.port(), &path).expect("ministack answers");
    assert_eq!(status, 200, "{body}");
    // JSON with the text as is or with \u escapes: either way, the six
    // digits after the word.
    let mut out = Vec::new();
    for marker in ["인증번호 ", "\\uc778\\uc99d\\ubc88\\ud638 "] {
        for (i, _) in body.match_indices(marker) {
            let digits: String = body[i + marker.len()..].chars().take(6).collect();
            if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
                out.push(digits);
            }
        }
    }
    out
}

/// Waits for the next code sent to `phone` (after `before` of them).
async fn next_code(sms: &Sms, phone: &str, before: usize) -> String {
    for _ in 0..100 {
        let all = codes_sent(sms, phone);
        if all.len() > before {
            return all.last().cloned().expect("a code");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no code reached {phone}");
}

fn with_cookie(req: Request<Body>, cookie: &str) -> Request<Body> {
    let (mut parts, body) = req.into_parts();
    parts
        .headers
        .insert(header::COOKIE, cookie.parse().expect("cookie"));
    Request::from_parts(parts, body)
}

fn page(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let req = Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    match cookie {
        Some(c) => with_cookie(req, c),
        None => req,
    }
}

fn json_get(uri: &str, cookie: &str) -> Request<Body> {
    with_cookie(get(uri), cookie)
}

/// The `name=value` of the cookie `name` a response sets, and the whole
/// `Set-Cookie` line.
fn set_cookie(a: &Answer, name: &str) -> (String, String) {
    let line = a
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie: {} {}", a.status, a.text))
        .to_owned();
    let pair = line.split(';').next().unwrap_or_default().to_owned();
    (pair, line)
}

fn location(a: &Answer) -> String {
    a.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location: {} {}", a.status, a.text))
        .to_owned()
}

/// Asks for a code for `phone`: the pending cookie, and the code the phone got.
async fn request_code(app: &App, sms: &Sms, phone: &str) -> (String, String) {
    let before = codes_sent(sms, phone).len();
    let a = send(&app.router, post_form("/api/my/code", &[("phone", phone)])).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(location(&a), "/api/my/code");
    let (pending, _) = set_cookie(&a, "sbiz_my_code");
    (pending, next_code(sms, phone, before).await)
}

/// Phone, code, session: the session cookie.
async fn sign_in(app: &App, sms: &Sms, phone: &str) -> String {
    let (pending, code) = request_code(app, sms, phone).await;
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    set_cookie(&a, "sbiz_my").0
}

async fn reserve(app: &App, date: &str, start: &str, who: u32) -> String {
    let a = send(
        &app.router,
        post_json("/api/reservations", booking("cutter", date, start, 1, who)),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    a.json()["reservation"]["code"]
        .as_str()
        .expect("code")
        .to_owned()
}

async fn enrol(app: &App, who: u32) -> String {
    let a = send(
        &app.router,
        post_json(
            "/api/programmes/laser-safety/applications",
            Value::Object(person(who)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    a.json()["application"]["code"]
        .as_str()
        .expect("code")
        .to_owned()
}

fn set_now(app: &App, at: &str) {
    let (d, t) = at.split_once(' ').expect("YYYY-MM-DD HH:MM");
    app.clock.set(sbiz_booking::domain::kst_instant(
        d.parse().expect("date"),
        t.parse().expect("time"),
    ));
}

fn phone(who: u32) -> String {
    format!("010-5555-{who:04}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_sees_and_acts_on_their_records_after_a_code_by_sms() {
    let (app, sms) = my_app();
    let me = 101;
    let mine = reserve(&app, "2026-03-05", "10:00", me).await;
    let late = reserve(&app, "2026-03-05", "14:00", me).await;
    let class = enrol(&app, me).await;
    let theirs = reserve(&app, "2026-03-05", "13:00", me + 1).await;

    // The phone step, then the code form behind a cookie of its own.
    let start = send(&app.router, page("/api/my", None)).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(
        start.text.contains("id=\"my-phone-phone\""),
        "{}",
        start.text
    );
    let before = codes_sent(&sms, &phone(me)).len();
    let a = send(
        &app.router,
        post_form("/api/my/code", &[("phone", &phone(me))]),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let (pending, line) = set_cookie(&a, "sbiz_my_code");
    for attr in [
        "Path=/api/my",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Max-Age=600",
    ] {
        assert!(line.contains(attr), "{line}");
    }
    assert!(
        !line.contains(&phone(me).replace('-', "")),
        "no phone in the cookie"
    );
    let code = next_code(&sms, &phone(me), before).await;
    let form = send(&app.router, page("/api/my/code", Some(&pending))).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("id=\"my-code-code\""), "{}", form.text);
    assert!(form.text.contains("autocomplete=\"one-time-code\""));
    // Without the cookie: back to the phone step.
    let none = send(&app.router, page("/api/my/code", None)).await;
    assert_eq!(
        (none.status, location(&none).as_str()),
        (StatusCode::SEE_OTHER, "/api/my")
    );

    // A wrong code: the form again, with the tries left, nothing echoed.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", wrong)]), &pending),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text.contains("4번 더 입력할 수 있습니다"), "{}", a.text);
    assert!(!a.text.contains(&format!("value=\"{wrong}\"")));
    // The right one: a session, and the pending cookie cleared.
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(location(&a), "/api/my");
    let (session, line) = set_cookie(&a, "sbiz_my");
    for attr in [
        "Path=/api/my",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Max-Age=1800",
    ] {
        assert!(line.contains(attr), "{line}");
    }
    let (_, cleared) = set_cookie(&a, "sbiz_my_code");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // The code is used up.
    let again = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("새로 받아"), "{}", again.text);

    // The list: the person's records only, each with its actions.
    let list = send(&app.router, page("/api/my", Some(&session))).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.headers[header::CACHE_CONTROL], "no-store");
    for c in [&mine, &late, &class] {
        assert!(
            list.text.contains(&format!("data-my-record=\"{c}\"")),
            "{c}: {}",
            list.text
        );
    }
    assert!(!list.text.contains(&theirs), "someone else's reservation");
    assert!(
        list.text
            .contains(&format!("/api/my/reservations/{mine}/cancel"))
    );
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    assert_eq!(j["signed_in"], true);
    assert_eq!(j["reservations"].as_array().map(Vec::len), Some(2));
    assert_eq!(j["applications"][0]["record"]["code"], class.as_str());
    assert_eq!(
        j["applications"][0]["cancel"],
        format!("/api/my/applications/{class}/cancel")
    );
    assert!(
        j["reservations"][0]["record"]["person"].is_null(),
        "no personal data in the list"
    );

    // View: the record's page without a management link; someone else's
    // record looks unknown.
    let shown = send(
        &app.router,
        page(&format!("/api/my/applications/{class}"), Some(&session)),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains(&class) && shown.text.contains("data-my-back"));
    assert!(!shown.text.contains("data-manage"), "no management link");
    let other = send(
        &app.router,
        json_get(&format!("/api/my/reservations/{theirs}"), &session),
    )
    .await;
    assert_eq!(
        (other.status, other.error_code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );

    // Cancel from the list: back to it, which says so.
    let a = send(
        &app.router,
        with_cookie(
            post_form(&format!("/api/my/reservations/{mine}/cancel"), &[]),
            &session,
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(location(&a), format!("/api/my?done=cancelled&code={mine}"));
    let list = send(&app.router, page(&location(&a), Some(&session))).await;
    assert!(
        list.text.contains(&format!("{mine} 예약을 취소했습니다")),
        "{}",
        list.text
    );
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    let r = j["reservations"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["record"]["code"] == mine.as_str())
        .expect("still listed")
        .clone();
    assert_eq!(r["record"]["status"], "cancelled");
    assert!(r["cancel"].is_null());
    // Recorded as the person's own cancellation (신청자 취소).
    let stored = app
        .state
        .service()
        .store
        .reservation(&mine.parse().expect("code"))
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        stored.cancelled_by,
        Some(sbiz_booking::domain::CancelledBy::Applicant)
    );

    // Sign out: the cookie is dead on the server.
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/logout", &[]), &session),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    assert_eq!(
        (j["signed_in"].clone(), j["sms"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );
    let refused = send(
        &app.router,
        json_get(&format!("/api/my/applications/{class}"), &session),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    // Past the cancellation deadline (24 hours before 03-05 14:00): no
    // cancel link, and a cancel is refused as from the management link.
    set_now(&app, "2026-03-04 15:00");
    let session = sign_in(&app, &sms, &phone(me)).await;
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    let r = j["reservations"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["record"]["code"] == late.as_str())
        .expect("listed")
        .clone();
    assert!(r["cancel"].is_null(), "{r}");
    let a = send(
        &app.router,
        with_cookie(
            post_json(
                &format!("/api/my/reservations/{late}/cancel"),
                serde_json::json!({}),
            ),
            &session,
        ),
    )
    .await;
    assert_eq!(a.error_code(), "cancel_deadline_passed", "{}", a.text);
    // The session lasts 30 minutes.
    set_now(&app, "2026-03-04 15:31");
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    assert_eq!(j["signed_in"], false);

    // After the programme's session (03-12), its survey, once, from the list.
    set_now(&app, "2026-03-12 20:00");
    let session = sign_in(&app, &sms, &phone(me)).await;
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    let survey = j["applications"][0]["survey"]
        .as_str()
        .expect("the survey is offered")
        .to_owned();
    assert_eq!(
        survey,
        format!("/api/my/applications/{class}/survey?lang=ko")
    );
    let form = send(&app.router, page(&survey, Some(&session))).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text.contains(&format!("action=\"{survey}\"")),
        "{}",
        form.text
    );
    assert!(!form.text.contains("name=\"token\""));
    // A mistake shows the form again; an answer goes back to the list.
    let a = send(&app.router, with_cookie(post_form(&survey, &[]), &session)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
    assert!(a.text.contains(&format!("action=\"{survey}\"")));
    let doc: Value = send(&app.router, json_get(&survey, &session)).await.json();
    let mut answers = Vec::new();
    for q in doc["survey"]["questions"].as_array().expect("questions") {
        let id = q["id"].as_str().expect("id");
        let value = match q["kind"]["type"].as_str().or(q["type"].as_str()) {
            Some("text") => "좋았습니다".to_owned(),
            Some("choice") => q["kind"]["options"][0]
                .as_str()
                .or(q["options"][0].as_str())
                .unwrap_or("")
                .to_owned(),
            _ => "5".to_owned(),
        };
        answers.push((format!("answers.{id}"), value));
    }
    let pairs: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a = send(
        &app.router,
        with_cookie(post_form(&survey, &pairs), &session),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    assert_eq!(location(&a), "/api/my?done=survey");
    let a = send(
        &app.router,
        with_cookie(post_form(&survey, &pairs), &session),
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text);
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    assert!(
        j["applications"][0]["survey"].is_null(),
        "answered: not offered again"
    );
}

/// A survey opened from 내 예약·신청 is in the page's language: the Korean
/// page's link opens the Korean survey even for a reservation made in
/// English, the English page's the English one, and the form posts back in
/// the same language. Asked for without a language (a bare address), it is
/// in the record's language, as from the management link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_from_my_pages_is_in_the_page_s_language_else_the_record_s() {
    let (app, sms) = my_app();
    let mut c = crate::english::english_catalog();
    c.messages = catalog_with_messages().messages;
    app.state.set_catalog(Arc::new(c));
    let me = 301;
    let mut body = booking("cutter", "2026-03-05", "10:00", 1, me);
    body["lang"] = "en".into();
    let a = send(&app.router, post_json("/api/reservations", body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let code = a.json()["reservation"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    // After use (10:00-11:00).
    set_now(&app, "2026-03-05 13:00");
    let session = sign_in(&app, &sms, &phone(me)).await;
    let bare = format!("/api/my/reservations/{code}/survey");

    // The Korean page: the Korean survey, posting back in Korean.
    let list = send(&app.router, page("/api/my", Some(&session))).await;
    let korean = format!("{bare}?lang=ko");
    assert!(
        list.text.contains(&format!("href=\"{korean}\"")),
        "{}",
        list.text
    );
    let form = send(&app.router, page(&korean, Some(&session))).await;
    let t = &form.text;
    assert_eq!(form.status, StatusCode::OK, "{t}");
    assert!(
        t.contains("lang=\"ko\"") && t.contains("장비 이용 만족도 조사"),
        "{t}"
    );
    assert!(!t.contains("Equipment satisfaction survey"), "{t}");
    assert!(t.contains(&format!("action=\"{korean}\"")), "{t}");
    // A mistake comes back in Korean too.
    let again = send(&app.router, with_cookie(post_form(&korean, &[]), &session)).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.text
    );
    assert!(again.text.contains("lang=\"ko\""), "{}", again.text);
    assert!(
        again.text.contains(&format!("action=\"{korean}\"")),
        "{}",
        again.text
    );

    // The English page: the English survey.
    let list = send(&app.router, page("/api/my?lang=en", Some(&session))).await;
    let english = format!("{bare}?lang=en");
    assert!(
        list.text.contains(&format!("href=\"{english}\"")),
        "{}",
        list.text
    );
    let form = send(&app.router, page(&english, Some(&session))).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(
        form.text.contains("lang=\"en\"") && form.text.contains("Equipment satisfaction survey"),
        "{}",
        form.text
    );

    // Without a language: the record's (English), its form saying so.
    let form = send(&app.router, page(&bare, Some(&session))).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(
        form.text.contains("lang=\"en\"") && form.text.contains("Equipment satisfaction survey"),
        "{}",
        form.text
    );
    assert!(
        form.text.contains(&format!("action=\"{english}\"")),
        "{}",
        form.text
    );
    let answered = send(
        &app.router,
        with_cookie(
            post_form(&bare, &[("answers.overall", "5"), ("answers.again", "예")]),
            &session,
        ),
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.text);
    assert_eq!(location(&answered), "/api/my?done=survey&lang=en");
}

/// Whether a phone has records or not, the answer is the same and a code
/// is sent: `/my/` tells nobody but the phone's holder what it booked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_is_the_same_whether_a_phone_has_records_or_not() {
    let (app, sms) = my_app();
    let booked = 201;
    let unknown = 202;
    reserve(&app, "2026-03-05", "10:00", booked).await;
    let answer = async |who: u32| {
        let a = send(
            &app.router,
            post_form("/api/my/code", &[("phone", &phone(who))]),
        )
        .await;
        let (_, line) = set_cookie(&a, "sbiz_my_code");
        let attrs: Vec<String> = line.split(';').skip(1).map(str::to_owned).collect();
        (a.status, location(&a), a.text.clone(), attrs)
    };
    assert_eq!(answer(booked).await, answer(unknown).await);
    let b = send(
        &app.router,
        post_json(
            "/api/my/code",
            serde_json::json!({ "phone": phone(booked) }),
        ),
    )
    .await;
    let u = send(
        &app.router,
        post_json(
            "/api/my/code",
            serde_json::json!({ "phone": phone(unknown) }),
        ),
    )
    .await;
    assert_eq!((b.status, b.text.clone()), (u.status, u.text.clone()));
    assert_eq!(b.status, StatusCode::ACCEPTED);
    assert_eq!(b.json()["code_sent"], true);
    assert_eq!(
        codes_sent(&sms, &phone(unknown)).len(),
        2,
        "sent either way"
    );
    // Only after the code: an empty list for the phone without records.
    let session = sign_in(&app, &sms, &phone(unknown)).await;
    let j = send(&app.router, json_get("/api/my", &session))
        .await
        .json();
    assert_eq!(j["reservations"], serde_json::json!([]));
    // An API client: JSON all the way, the list with the verification.
    let before = codes_sent(&sms, &phone(booked)).len();
    let a = send(
        &app.router,
        post_json(
            "/api/my/code",
            serde_json::json!({ "phone": phone(booked) }),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text);
    let pending = set_cookie(&a, "sbiz_my_code").0;
    let code = next_code(&sms, &phone(booked), before).await;
    let a = send(
        &app.router,
        with_cookie(
            post_json("/api/my/verify", serde_json::json!({ "code": code })),
            &pending,
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let j = a.json();
    assert_eq!(j["signed_in"], true);
    assert_eq!(j["reservations"].as_array().map(Vec::len), Some(1));
    assert_eq!(j["applications"], serde_json::json!([]));
    let list = send(&app.router, page("/api/my", Some(&session))).await;
    assert!(list.text.contains("data-my-empty=\"reservations\""));
    // A number that cannot receive 문자 is a field error, for everyone.
    let a = send(
        &app.router,
        post_form("/api/my/code", &[("phone", "02-2133-8761")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.text.contains("문자를 받을 수 있는 휴대전화 번호"),
        "{}",
        a.text
    );
}

/// 5 wrong tries per code, then the code is refused even when right; 10
/// wrong codes a day per phone, then no code is checked or sent for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_are_limited_per_code_and_per_phone() {
    let (app, sms) = my_app();
    let who = phone(301);
    let (pending, code) = request_code(&app, &sms, &who).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let verify = async |c: &str| {
        send(
            &app.router,
            with_cookie(post_form("/api/my/verify", &[("code", c)]), &pending),
        )
        .await
    };
    for left in (0..5).rev() {
        let a = verify(wrong).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{left}");
        if left > 0 {
            assert!(a.text.contains(&format!("{left}번 더")), "{}", a.text);
        }
    }
    let a = verify(&code).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text);
    assert!(a.text.contains("새로 받아"), "{}", a.text);

    // A second code: 5 more wrong make 10 today; then nothing for this phone.
    let (pending, code) = request_code(&app, &sms, &who).await;
    for _ in 0..5 {
        let a = send(
            &app.router,
            with_cookie(post_form("/api/my/verify", &[("code", wrong)]), &pending),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text);
    let before = codes_sent(&sms, &who).len();
    let a = send(&app.router, post_form("/api/my/code", &[("phone", &who)])).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text);
    assert_eq!(codes_sent(&sms, &who).len(), before, "no code sent");
    // The next day's window: codes again.
    set_now(&app, "2026-03-04 09:00");
    request_code(&app, &sms, &who).await;

    // An expired code (5 minutes): refused as such.
    let other = phone(302);
    let (pending, code) = request_code(&app, &sms, &other).await;
    set_now(&app, "2026-03-04 09:06");
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text.contains("유효 시간(5분)이 지났"), "{}", a.text);
    // After 10 minutes the pending cookie itself is over: start again.
    set_now(&app, "2026-03-04 09:11");
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text);
    // A forged pending cookie names no one.
    let a = send(
        &app.router,
        with_cookie(
            post_form("/api/my/verify", &[("code", &code)]),
            &format!(
                "sbiz_my_code=v1.{}.9999999999.{}",
                "a".repeat(32),
                "b".repeat(64)
            ),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

/// 5 codes per phone and hour; 20 code requests per client and hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_requests_are_limited_per_phone_and_per_client() {
    let (app, sms) = my_app();
    let who = phone(401);
    for _ in 0..5 {
        let a = send(&app.router, post_form("/api/my/code", &[("phone", &who)])).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    }
    let a = send(
        &app.router,
        post_json("/api/my/code", serde_json::json!({ "phone": who })),
    )
    .await;
    assert_eq!(a.error_code(), "too_many_attempts", "{}", a.text);
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    // Another phone is not affected (6 of this client's 20 used so far).
    for n in 0..14 {
        let a = send(
            &app.router,
            post_form("/api/my/code", &[("phone", &phone(410 + n))]),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{n}: {}", a.text);
    }
    // The client's 21st request in the hour, whatever the phone.
    let a = send(
        &app.router,
        post_json("/api/my/code", serde_json::json!({ "phone": phone(499) })),
    )
    .await;
    assert_eq!(a.error_code(), "too_many_attempts", "{}", a.text);
    assert!(codes_sent(&sms, &phone(499)).is_empty());
    // An hour later, both again.
    set_now(&app, "2026-03-03 10:00");
    let a = send(&app.router, post_form("/api/my/code", &[("phone", &who)])).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
}

/// A deployment without 문자 says so at once, and where to go instead.
#[tokio::test]
async fn without_a_sms_channel_the_page_says_codes_cannot_be_sent() {
    let app = app();
    app.state.set_catalog(Arc::new(catalog_with_messages()));
    let start = send(&app.router, page("/api/my", None)).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.text.contains("data-my-unavailable"), "{}", start.text);
    assert!(start.text.contains("인증번호 문자를 보내지 않도록"));
    assert!(start.text.contains("/reservation/"));
    assert!(
        !start.text.contains("id=\"my-phone-phone\""),
        "no form that cannot work"
    );
    // The static page's form, posted anyway.
    let a = send(
        &app.router,
        post_form("/api/my/code", &[("phone", "010-5555-0501")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.text.contains("data-my-unavailable") && a.text.contains("/reservation/"));
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    // Even with a number that would be refused: nothing to correct here.
    let a = send(&app.router, post_form("/api/my/code", &[("phone", "")])).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.text.contains("data-my-unavailable"));
    let a = send(
        &app.router,
        post_json(
            "/api/my/code",
            serde_json::json!({ "phone": "010-5555-0501" }),
        ),
    )
    .await;
    assert_eq!(a.error_code(), "sms_unavailable");
    let j = send(&app.router, get("/api/my")).await.json();
    assert_eq!(
        (j["signed_in"].clone(), j["sms"].clone()),
        (Value::Bool(false), Value::Bool(false))
    );
}

/// A forged or altered session cookie opens nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_cannot_be_forged() {
    let (app, sms) = my_app();
    let who = 601;
    let code = reserve(&app, "2026-03-05", "10:00", who).await;
    let session = sign_in(&app, &sms, &phone(who)).await;
    let ok = send(
        &app.router,
        json_get(&format!("/api/my/reservations/{code}"), &session),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    let value = session.trim_start_matches("sbiz_my=");
    let parts: Vec<&str> = value.split('.').collect();
    let stretched = format!(
        "sbiz_my={}.{}.{}.{}",
        parts[0], parts[1], "9999999999", parts[3]
    );
    let forged = format!(
        "sbiz_my=v1.{}.{}.{}",
        "c".repeat(32),
        parts[2],
        "d".repeat(64)
    );
    // A staff cookie's shape under the person cookie's name: refused too.
    let staffish = format!("sbiz_my=v2.{}.{}.{}", parts[1], parts[2], parts[3]);
    for bad in [stretched, forged, staffish] {
        let a = send(
            &app.router,
            json_get(&format!("/api/my/reservations/{code}"), &bad),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{bad}");
    }
}

/// No phone number and no code in any log line of a whole session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_phone_number_or_code() {
    let capture = crate::support::log_capture::open();
    let (app, sms) = my_app();
    let who = 701;
    let r = reserve(&app, "2026-03-05", "10:00", who).await;
    let (pending, code) = request_code(&app, &sms, &phone(who)).await;
    send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", "000001")]), &pending),
    )
    .await;
    let a = send(
        &app.router,
        with_cookie(post_form("/api/my/verify", &[("code", &code)]), &pending),
    )
    .await;
    let session = set_cookie(&a, "sbiz_my").0;
    send(&app.router, page("/api/my", Some(&session))).await;
    send(
        &app.router,
        with_cookie(
            post_form(&format!("/api/my/reservations/{r}/cancel"), &[]),
            &session,
        ),
    )
    .await;
    let logs = String::from_utf8_lossy(&capture.logs().0.lock().expect("logs")).into_owned();
    assert!(logs.contains("one-time code sent"), "{logs}");
    let digits = phone(who).replace('-', "");
    for secret in [
        phone(who),
        digits.clone(),
        e164(&phone(who)),
        digits[3..].to_owned(),
    ] {
        assert!(
            !logs.contains(&secret),
            "a log line holds {secret}:\n{logs}"
        );
    }
    let code_alone = logs.match_indices(&code).any(|(i, _)| {
        let before = logs[..i].chars().next_back();
        let after = logs[i + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    });
    assert!(!code_alone, "a log line holds the code {code}:\n{logs}");
    let cookie_value = session.trim_start_matches("sbiz_my=");
    assert!(!logs.contains(cookie_value), "a log line holds the session");
}

/// Applying twice where 내 예약·신청 can send its 인증번호: the page points
/// there, besides the management link and the facility's phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applying_twice_points_to_my_reservations_when_it_can_send_codes() {
    let (app, _sms) = my_app();
    let p = person(701);
    let pairs: Vec<(&str, &str)> = ["name", "phone", "business"]
        .into_iter()
        .map(|k| (k, p[k].as_str().unwrap_or_default()))
        .chain([("consent", "on")])
        .collect();
    let uri = "/api/programmes/laser-safety/applications";
    let first = send(&app.router, post_form(uri, &pairs)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text);
    let again = send(&app.router, post_form(uri, &pairs)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert!(
        again.text.contains("data-already-applied"),
        "{}",
        again.text
    );
    assert!(
        again.text.contains(&format!(
            "href=\"{ORIGIN}/my/\" data-already-my>내 예약·신청</a>"
        )),
        "{}",
        again.text
    );
}
