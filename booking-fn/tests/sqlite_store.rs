//! The conformance and concurrency suite on the SQLite store, on a file
//! (WAL, the reader pool) and in memory.
#![cfg(feature = "sqlite")]

mod conformance;

use std::sync::Arc;

use sbiz_booking::store::Store;
use sbiz_booking::store::sqlite::SqliteStore;

/// A fresh database file under the system temp directory.
pub fn temp_db() -> std::path::PathBuf {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("random");
    std::env::temp_dir().join(format!(
        "sbiz-test-{}-{}.sqlite3",
        std::process::id(),
        hex::encode(b)
    ))
}

mod on_file {
    use super::*;
    store_tests!(async || Arc::new(SqliteStore::temporary().expect("open")) as Arc<dyn Store>);
}

mod in_memory {
    use super::*;
    store_tests!(async || Arc::new(SqliteStore::in_memory().expect("open")) as Arc<dyn Store>);
}

#[tokio::test]
async fn reopening_keeps_data() {
    let path = temp_db();
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let code = d.reservation.code;
    {
        let s = SqliteStore::open(&path).expect("open");
        s.create_reservation(conformance::new_reservation(d))
            .await
            .expect("create");
    }
    let s = SqliteStore::open(&path).expect("reopen");
    assert!(s.reservation(&code).await.expect("read").is_some());
    drop(s);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Issue 9, finding 3: an idempotency record keeps neither the client's key
/// nor the management token in plain text (the raw database bytes hold
/// neither), yet a retry with the key still gets the token back.
#[tokio::test]
async fn idempotency_records_keep_no_plain_token_or_key() {
    let path = temp_db();
    let key = "plain-key-0123456789abcdef";
    let d = conformance::reservation("cutter", "2026-03-05", "10:00", 1, 1);
    let token = d.token.clone();
    let s = SqliteStore::open(&path).expect("open");
    let new = sbiz_booking::store::NewReservation {
        idempotency: conformance::idem(key, "a"),
        ..conformance::new_reservation(d)
    };
    s.create_reservation(new.clone()).await.expect("create");
    let replay = s.create_reservation(new).await.expect("replay");
    assert!(replay.replayed);
    assert_eq!(replay.token, token);
    drop(s);
    let mut raw = Vec::new();
    for suffix in ["", "-wal"] {
        if let Ok(b) = std::fs::read(format!("{}{suffix}", path.display())) {
            raw.extend(b);
        }
    }
    let raw = String::from_utf8_lossy(&raw);
    assert!(!raw.contains(&token.reveal()), "the plain token is stored");
    assert!(!raw.contains(key), "the plain idempotency key is stored");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
