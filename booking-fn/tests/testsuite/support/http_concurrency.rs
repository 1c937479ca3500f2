//! The concurrency scenarios through the whole HTTP stack, run on each
//! store: `concurrency.rs` (SQLite) and `dynamodb_http.rs` (DynamoDB Local)
//! call these with their app. Many simultaneous requests, one winner per
//! slot, one record per idempotency key, exactly `capacity` enrolments.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

pub async fn two_hundred_simultaneous_requests_for_overlapping_slots(app: App) {
    let mut tasks = Vec::new();
    for i in 0..200u32 {
        let router = app.router.clone();
        let start = 9 + i % 9; // 09:00 .. 17:00
        let count = (1 + i % 3).min(18 - start);
        let body = booking(
            "lathe",
            "2026-03-05",
            &format!("{start:02}:00"),
            count,
            1000 + i,
        );
        tasks.push(tokio::spawn(async move {
            send(&router, post_json("/api/reservations", body)).await
        }));
    }
    let mut holders: HashMap<String, String> = HashMap::new();
    let (mut won, mut lost) = (0, 0);
    for t in tasks {
        let a = t.await.expect("task");
        match a.status {
            StatusCode::CREATED => {
                won += 1;
                let r = &a.json()["reservation"];
                let code = r["code"].as_str().unwrap().to_owned();
                let start: u32 = r["start"].as_str().unwrap()[..2].parse().unwrap();
                for h in start..start + r["slots"].as_u64().unwrap() as u32 {
                    if let Some(other) = holders.insert(format!("{h:02}:00"), code.clone()) {
                        panic!("{h:02}:00 held by {other} and {code}");
                    }
                }
            }
            StatusCode::CONFLICT => {
                assert_eq!(a.error_code(), "slot_taken", "{}", a.text);
                lost += 1;
            }
            other => panic!("unexpected {other}: {}", a.text),
        }
    }
    assert_eq!(won + lost, 200);
    assert!(won >= 3, "at least a few runs fit in nine hours");
    let avail = send(
        &app.router,
        get("/api/equipment/lathe/availability?from=2026-03-05&to=2026-03-05"),
    )
    .await
    .json();
    let taken = avail["days"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["free"] == false)
        .count();
    assert_eq!(taken, holders.len());
    let listed = send(
        &app.router,
        admin(get("/api/admin/reservations?equipment=lathe"), CITY_TOKEN),
    )
    .await
    .json();
    assert_eq!(listed["reservations"].as_array().unwrap().len(), won);
}

pub async fn simultaneous_retries_with_one_key_make_one_record(app: App) {
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            let mut req = post_json(
                "/api/reservations",
                booking("cutter", "2026-03-05", "14:00", 2, 7),
            );
            req.headers_mut()
                .insert("idempotency-key", "retry-storm-0000001".parse().unwrap());
            send(&router, req).await
        }));
    }
    let mut codes = HashSet::new();
    for t in tasks {
        let a = t.await.expect("task");
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        codes.insert(a.json()["reservation"]["code"].as_str().unwrap().to_owned());
    }
    assert_eq!(codes.len(), 1);
    let listed = send(
        &app.router,
        admin(get("/api/admin/reservations"), CITY_TOKEN),
    )
    .await
    .json();
    assert_eq!(listed["reservations"].as_array().unwrap().len(), 1);
}

pub async fn capacity_n_with_3n_simultaneous_applicants(app: App) {
    const N: u32 = 15;
    let mut cat = catalog();
    let p = cat
        .programmes
        .iter_mut()
        .find(|p| p.id.as_str() == "laser-safety")
        .unwrap();
    p.capacity = N;
    p.waitlist = 2 * N;
    app.state.set_catalog(Arc::new(cat));
    let mut tasks = Vec::new();
    for who in 0..3 * N {
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            send(
                &router,
                post_json(
                    "/api/programmes/laser-safety/applications",
                    Value::Object(person(2000 + who)),
                ),
            )
            .await
        }));
    }
    let mut all: Vec<Value> = Vec::new();
    for t in tasks {
        let a = t.await.expect("task");
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
        all.push(a.json());
    }
    all.sort_by_key(|a| a["application"]["seq"].as_u64().unwrap());
    for (i, a) in all.iter().enumerate() {
        assert_eq!(a["application"]["seq"], i as u64 + 1);
        let expected = if i < N as usize {
            "enrolled"
        } else {
            "waitlisted"
        };
        assert_eq!(a["application"]["status"], expected, "seq {}", i + 1);
    }
    // Three enrolled cancel at once: the three earliest waiting move up.
    let mut tasks = Vec::new();
    for a in all.iter().take(3) {
        let router = app.router.clone();
        let uri = format!(
            "/api/applications/{}/cancel",
            a["application"]["code"].as_str().unwrap()
        );
        let body = json!({ "token": a["token"] });
        tasks.push(tokio::spawn(async move {
            send(&router, post_json(&uri, body)).await
        }));
    }
    for t in tasks {
        let a = t.await.expect("task");
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    }
    // The admin list reads an index on DynamoDB (eventually consistent on
    // AWS; DynamoDB Local updates it at once).
    let listed = send(
        &app.router,
        admin(
            get("/api/admin/applications?kind=programme&target=laser-safety&status=enrolled"),
            CITY_TOKEN,
        ),
    )
    .await
    .json();
    let mut seqs: Vec<u64> = listed["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["seq"].as_u64().unwrap())
        .collect();
    seqs.sort();
    let expected: Vec<u64> = (4..=u64::from(N) + 3).collect();
    assert_eq!(seqs, expected);
}
