//! Reservations per second on the DynamoDB store against DynamoDB Local
//! (started here exactly as the tests start it; loopback only).
//!
//! ```text
//! cargo run --release -p sbiz-booking --example bench_dynamodb -- [clients] [seconds]
//! ```
//!
//! `clients` tasks (default 64) each create reservations as fast as they
//! can for `seconds` (default 10, at most 120) through `Store::create_reservation`,
//! the way the service does: a two-slot run with an idempotency key and a
//! weekly quota (a transaction of 6 items: 2 slot locks, the reservation,
//! its personal item, the idempotency record, the quota counter). Clients book distinct
//! slots, so every request should succeed; a second phase has all clients
//! fight over the same few slots to show the cost of conflicts. A third phase
//! goes through HTTP: the real router (axum on a loopback socket, with the
//! DynamoDB store) and keep-alive clients posting full bookings as JSON with
//! an Idempotency-Key, on distinct slots, as `bench_http` does on SQLite.
//! Prints throughput and latency percentiles, and the machine's core count.

#[cfg(feature = "dynamodb")]
#[path = "../tests/testsuite/support/dynamodb_local.rs"]
mod dynamodb_local;

#[cfg(feature = "dynamodb")]
mod common;

#[cfg(not(feature = "dynamodb"))]
fn main() {
    eprintln!("bench_dynamodb needs the `dynamodb` feature");
    std::process::exit(2);
}

#[cfg(feature = "dynamodb")]
#[tokio::main(flavor = "multi_thread")]
async fn main() {
    bench::run().await;
}

#[cfg(feature = "dynamodb")]
mod bench {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::{Duration, Instant};

    use sbiz_booking::Code;
    use sbiz_booking::catalog::{Date, TimeOfDay};
    use sbiz_booking::domain::*;
    use sbiz_booking::store::dynamodb::{DynamoStore, create_table};
    use sbiz_booking::store::{NewReservation, Store, WeeklyQuota};

    use super::{common, dynamodb_local};

    /// Full bookings through HTTP for `seconds`, on distinct slots.
    async fn drive_http(store: Arc<DynamoStore>, clients: u32, seconds: u64) -> Outcome {
        let (addr, server) = common::serve(store).await;
        let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for c in 0..clients {
            let next = next.clone();
            tasks.push(tokio::spawn(async move {
                let mut conn = common::connect(addr).await;
                let mut out = (0u64, 0u64, 0u64, Vec::new());
                while Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let body = common::booking(n, u64::from(c));
                    let t = Instant::now();
                    match common::post(&mut conn, &body, &format!("bench-http-{n:012}")).await {
                        Ok(201) => out.0 += 1,
                        Ok(409) => out.1 += 1,
                        Ok(status) => {
                            if out.2 == 0 {
                                eprintln!("HTTP {status}");
                            }
                            out.2 += 1
                        }
                        Err(e) => {
                            if out.2 == 0 {
                                eprintln!("connection: {e}");
                            }
                            out.2 += 1;
                            break;
                        }
                    }
                    out.3.push(t.elapsed());
                }
                out
            }));
        }
        let mut o = Outcome {
            ok: 0,
            conflicts: 0,
            errors: 0,
            latencies: Vec::new(),
            elapsed: Duration::ZERO,
        };
        for t in tasks {
            let (ok, conflicts, errors, lat) = t.await.expect("client");
            o.ok += ok;
            o.conflicts += conflicts;
            o.errors += errors;
            o.latencies.extend(lat);
        }
        o.elapsed = started.elapsed();
        server.abort();
        o
    }

    fn person(n: u32) -> Person {
        Person {
            name: PersonName::parse(&format!("벤치{n}")).expect("name"),
            phone: format!("010-{:04}-{:04}", 1000 + n / 10_000, n % 10_000)
                .parse()
                .expect("phone"),
            business: Some(BusinessName::parse("벤치봉제").expect("business")),
            email: None,
            notify: Default::default(),
        }
    }

    fn draft(
        equipment: &str,
        day: Date,
        start: TimeOfDay,
        who: u32,
        key: Option<String>,
    ) -> NewReservation {
        let token = ManageToken::generate();
        let p = person(who);
        let secret = ServerKey::from_material(b"the benchmark's fixed server secret, 32+ bytes")
            .expect("secret");
        let now = kst_instant(
            day.add_days(-7),
            TimeOfDay::from_minutes(9 * 60).expect("09:00"),
        );
        let run = SlotRun::new(equipment.parse().expect("id"), day, start, 30, 2).expect("run");
        let idempotency = key.map(|k| {
            IdempotencyRequest::new(&secret, &k.parse().expect("key"), &["bench", equipment])
        });
        NewReservation {
            reservation: Reservation {
                code: ReservationCode::generate(),
                token_hash: token.hash(),
                facility: "seoul-fashion".parse().expect("id"),
                purge_after: day.add_days(365),
                run,
                status: ReservationStatus::Confirmed,
                training_check: false,
                person_key: Some(p.key(&secret)),
                person: Some(p),
                consent: ConsentRecord {
                    version: "2026-01".into(),
                    at: now,
                },
                created_at: now,
                updated_at: now,
                taken_by_staff: None,
                cancelled_by: None,
                lang: sbiz_booking::catalog::Lang::Ko,
            },
            token,
            quota: Some(WeeklyQuota {
                week_start: day.week_start(),
                limit_minutes: 60 * 40,
            }),
            idempotency,
            messages: Vec::new(),
        }
    }

    struct Outcome {
        ok: u64,
        conflicts: u64,
        errors: u64,
        latencies: Vec<Duration>,
        elapsed: Duration,
    }

    fn report(name: &str, o: &Outcome) {
        let mut l = o.latencies.clone();
        l.sort();
        let pct = |p: f64| {
            l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
                .copied()
        };
        let ms = |d: Option<Duration>| {
            d.map(|d| format!("{:.1} ms", d.as_secs_f64() * 1000.0))
                .unwrap_or_default()
        };
        let total = o.ok + o.conflicts + o.errors;
        println!(
            "{name}: {total} requests in {:.2} s = {:.0} requests/s; {} reservations = {:.0} reservations/s; \
             {} slot_taken, {} errors; latency p50 {} p90 {} p99 {} max {}",
            o.elapsed.as_secs_f64(),
            total as f64 / o.elapsed.as_secs_f64(),
            o.ok,
            o.ok as f64 / o.elapsed.as_secs_f64(),
            o.conflicts,
            o.errors,
            ms(pct(0.50)),
            ms(pct(0.90)),
            ms(pct(0.99)),
            ms(l.last().copied()),
        );
    }

    /// `clients` tasks, each running `make(client, i)` requests until the
    /// deadline.
    async fn drive<F>(store: Arc<DynamoStore>, clients: u32, seconds: u64, make: F) -> Outcome
    where
        F: Fn(u32, u32) -> NewReservation + Send + Sync + 'static,
    {
        let make = Arc::new(make);
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for c in 0..clients {
            let (store, make) = (store.clone(), make.clone());
            tasks.push(tokio::spawn(async move {
                let mut out = (0u64, 0u64, 0u64, Vec::new());
                let mut i = 0;
                while Instant::now() < deadline {
                    let request = make(c, i);
                    i += 1;
                    let t = Instant::now();
                    match store.create_reservation(request).await {
                        Ok(_) => out.0 += 1,
                        Err(e) if e.code() == Code::SlotTaken => out.1 += 1,
                        Err(e) => {
                            if out.2 == 0 {
                                eprintln!("error: {e}");
                            }
                            out.2 += 1
                        }
                    }
                    out.3.push(t.elapsed());
                }
                out
            }));
        }
        let mut o = Outcome {
            ok: 0,
            conflicts: 0,
            errors: 0,
            latencies: Vec::new(),
            elapsed: Duration::ZERO,
        };
        for t in tasks {
            let (ok, conflicts, errors, lat) = t.await.expect("task");
            o.ok += ok;
            o.conflicts += conflicts;
            o.errors += errors;
            o.latencies.extend(lat);
        }
        o.elapsed = started.elapsed();
        o
    }

    pub async fn run() {
        let (clients, seconds) = common::args();
        let clients = clients as u32; // at most 1024
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        println!(
            "cores (available_parallelism): {cores}; clients: {clients}; {seconds} s per phase"
        );

        let client = dynamodb_local::client();
        let table = dynamodb_local::unique_table_name("bench");
        create_table(&client, &table)
            .await
            .expect("create the table");
        let store = Arc::new(DynamoStore::new(client, table));
        let base: Date = "2026-03-02".parse().expect("date");

        // Warm-up: connections, JIT.
        let warm = drive(store.clone(), clients, 2, move |c, i| {
            let day = base.add_days(400 + (i / 24) as i32);
            let start = TimeOfDay::from_minutes((i % 24 * 60) as u16).expect("time");
            draft(
                &format!("warm-{c}"),
                day,
                start,
                20_000_000 + c * 10_000 + i / 24,
                None,
            )
        })
        .await;
        report("warm-up", &warm);

        // Phase 1: distinct slots (each client its own equipment), every
        // request with an idempotency key and a quota.
        static KEY: AtomicU32 = AtomicU32::new(0);
        let free = drive(store.clone(), clients, seconds, move |c, i| {
            let day = base.add_days((i / 24) as i32);
            let start = TimeOfDay::from_minutes((i % 24 * 60) as u16).expect("time");
            let key = format!("bench-{:010}", KEY.fetch_add(1, Ordering::Relaxed));
            // One person per client and day: 24 h a day stays under the 40 h
            // weekly quota.
            draft(
                &format!("eq-{c}"),
                day,
                start,
                40_000_000 + c * 10_000 + i / 24,
                Some(key),
            )
        })
        .await;
        report("distinct slots", &free);

        // Phase 2: every client asks for the same 8 two-slot runs of one
        // equipment, over and over: one day's slots are gone at once, the
        // rest of the requests are answered slot_taken.
        let contended = drive(store.clone(), clients, seconds.min(5), move |c, i| {
            let start = TimeOfDay::from_minutes(((i % 8) * 60 + 9 * 60) as u16).expect("time");
            draft(
                "hot-cutter",
                base.add_days(200 + (i / 8) as i32 % 3),
                start,
                500_000 + c,
                None,
            )
        })
        .await;
        report("same slots", &contended);

        // Phase 3: through HTTP, the whole stack.
        let http = drive_http(store.clone(), clients, seconds).await;
        report("HTTP, distinct slots", &http);
        assert_eq!(
            free.errors + contended.errors + http.errors,
            0,
            "no request may fail with a storage error"
        );
    }
}
