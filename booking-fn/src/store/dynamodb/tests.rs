use super::*;

#[test]
fn cancellation_reasons_from_a_message() {
    let m = "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]";
    assert_eq!(listed_reasons(m), ["None", "ConditionalCheckFailed"]);
    assert!(listed_reasons("no list").is_empty());
}

#[test]
fn client_tokens_fit_dynamodb_and_differ_per_table() {
    let idem = IdempotencyRequest::new(
        &crate::domain::ServerKey::generate(),
        &"key:with.dots_and-dashes".parse().unwrap(),
        &["op"],
    );
    let a = client_token("table-a", &idem);
    let b = client_token("table-b", &idem);
    assert_eq!(a.len(), 36);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
}

#[test]
fn personal_data_expires_the_day_after_purge_after_kst() {
    let d: Date = "2026-03-02".parse().unwrap();
    // 2026-03-03T00:00+09:00 = 2026-03-02T15:00Z
    let expected: Timestamp = "2026-03-02T15:00:00Z".parse().unwrap();
    assert_eq!(personal_expiry(d), expected.as_second());
}

#[test]
fn slot_keys_sort_by_day_then_time() {
    let d1: Date = "2026-03-02".parse().unwrap();
    let a = keys::slot_sk(d1, "09:00".parse().unwrap());
    let b = keys::slot_sk(d1, "10:30".parse().unwrap());
    let c = keys::slot_sk(d1.add_days(1), "00:00".parse().unwrap());
    assert!(a < b && b < c);
    assert!(format!("{d1}T") <= a && b < format!("{d1}U"));
    assert!(keys::waiter_sk(9) < keys::waiter_sk(10));
    // The counter, then the numbered entries, then the legacy ones.
    assert!(keys::COUNTER < keys::waiter_sk(0).as_str());
    assert!(keys::waiter_sk(u64::MAX) < keys::legacy_waiter_sk(0));
    assert!(keys::legacy_waiter_sk(u64::MAX).as_str() < keys::WAITLIST_END);
}
