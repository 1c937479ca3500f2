//! Messages per second the dispatcher sustains, on SQLite (a temporary
//! file, WAL) and on DynamoDB Local (started as the tests start it).
//!
//! ```text
//! cargo run --release -p sbiz-booking --example bench_messages -- [messages]
//! ```
//!
//! Writes `messages` (default 5,000) due messages (10 per reservation, in
//! the reservation's own transaction), then runs `dispatch_due` (100 at a
//! time, 16 sends at once) until the outbox is empty, with a sender that
//! accepts at once: what is measured is the dispatcher and the store (claim
//! with lease, read the record for the recipient, render, mark sent), not a
//! provider. Real providers add their own latency and quotas (an account's
//! defaults are typically around 14 e-mails/s on SES and 20 SMS/s on SNS).

#[cfg(all(feature = "dynamodb", feature = "sqlite"))]
#[path = "../tests/testsuite/support/dynamodb_local.rs"]
mod dynamodb_local;

#[cfg(not(all(feature = "dynamodb", feature = "sqlite")))]
fn main() {
    eprintln!("bench_messages needs the `sqlite` and `dynamodb` features");
    std::process::exit(2);
}

#[cfg(all(feature = "dynamodb", feature = "sqlite"))]
#[tokio::main(flavor = "multi_thread")]
async fn main() {
    bench::run().await;
}

#[cfg(all(feature = "dynamodb", feature = "sqlite"))]
mod bench {
    use std::sync::Arc;
    use std::time::Instant;

    use async_trait::async_trait;
    use sbiz_booking::catalog::{
        Catalog, Channel, Date, MessageEvent, MessageTemplate, Messages, TimeOfDay,
    };
    use sbiz_booking::domain::*;
    use sbiz_booking::messaging::{Channels, Outgoing, SendError, Sender, dispatch_due};
    use sbiz_booking::store::dynamodb::{DynamoStore, create_table};
    use sbiz_booking::store::sqlite::SqliteStore;
    use sbiz_booking::store::{NewReservation, Store};

    use super::dynamodb_local;

    struct Accept(Channel);

    #[async_trait]
    impl Sender for Accept {
        fn channel(&self) -> Channel {
            self.0
        }
        fn provider(&self) -> &'static str {
            "accept"
        }
        async fn send(&self, m: &Outgoing) -> Result<(), SendError> {
            std::hint::black_box(m.body.len());
            Ok(())
        }
    }

    fn catalog() -> Catalog {
        let mut c: Catalog = serde_json::from_value(serde_json::json!({
            "version": 1, "origin": "https://sbiz.example.kr",
            "booking": {"retention_days": 365, "no_show": {"max": 2, "window_days": 90, "block_days": 30}},
            "consent": {"version": "1", "purpose": "p", "items": "i", "retention": "r", "refusal": "x"},
            "holidays": [], "facilities": [], "equipment": [], "programmes": [], "policies": [], "surveys": []
        }))
        .expect("catalog");
        c.messages = Messages {
            site_name: "소공인포털".into(),
            site_name_en: None,
            reminder: None,
            channels: vec![Channel::Sms, Channel::Email],
            templates: vec![MessageTemplate {
                event: MessageEvent::ReservationConfirmed,
                sms: "[{site}] {item} {time} 예약이 확정되었습니다. 예약번호 {code} {link}".into(),
                email_subject: "[{site}] 예약 확정: {item} {time}".into(),
                email_body: "예약번호 {code}\n{link}".into(),
                kakao_template: None,
                en: None,
            }],
        };
        c
    }

    fn day() -> Date {
        "2026-03-05".parse().expect("date")
    }

    fn now() -> jiff::Timestamp {
        kst_instant(day(), TimeOfDay::from_minutes(9 * 60).expect("time"))
    }

    async fn fill(store: &dyn Store, secret: &ServerKey, messages: u32) {
        let per = 10;
        for r in 0..messages.div_ceil(per) {
            let token = ManageToken::generate();
            let phone = format!("010-{:04}-{:04}", 1000 + r / 10_000, r % 10_000);
            let person = Person {
                name: PersonName::parse("시험").expect("name"),
                phone: phone.parse().expect("phone"),
                business: Some(BusinessName::parse("시험봉제").expect("business")),
                email: Some(Email::parse(&format!("p{r}@example.kr")).expect("email")),
                notify: Default::default(),
            };
            let equipment = format!("machine-{}", r / 24);
            let start =
                TimeOfDay::from_minutes(u16::try_from(r % 24).expect("hour") * 60).expect("time");
            let run =
                SlotRun::new(equipment.parse().expect("id"), day(), start, 60, 1).expect("run");
            let code = ReservationCode::generate();
            let msgs = (0..per)
                .map(|i| {
                    let m = NewMessage::new(
                        MessageEvent::ReservationConfirmed,
                        if i % 2 == 0 {
                            Channel::Sms
                        } else {
                            Channel::Email
                        },
                        now(),
                    )
                    .param("code", code.to_string())
                    .param("item", "자동재단기")
                    .param("time", "3월 5일 10:00");
                    let link = MessageLink::sealed(
                        secret,
                        &m.id,
                        format!("/api/reservations/{code}?token="),
                        &token,
                    );
                    m.with_link(link)
                })
                .collect();
            store
                .create_reservation(NewReservation {
                    reservation: Reservation {
                        code,
                        token_hash: token.hash(),
                        facility: "bench".parse().expect("id"),
                        purge_after: day().add_days(365),
                        run,
                        status: ReservationStatus::Confirmed,
                        training_check: false,
                        person_key: Some(person.key(secret)),
                        person: Some(person),
                        consent: ConsentRecord {
                            version: "1".into(),
                            at: now(),
                        },
                        created_at: now(),
                        updated_at: now(),
                        taken_by_staff: None,
                        cancelled_by: None,
                        lang: sbiz_booking::catalog::Lang::Ko,
                    },
                    token,
                    quota: None,
                    idempotency: None,
                    messages: msgs,
                })
                .await
                .expect("reservation");
        }
    }

    async fn measure(name: &str, store: Arc<dyn Store>, messages: u32) {
        let secret = Arc::new(ServerKey::generate());
        let started = Instant::now();
        fill(&*store, &secret, messages).await;
        let filled = started.elapsed();
        let channels = Arc::new(
            Channels::none(secret)
                .with(Arc::new(Accept(Channel::Sms)))
                .with(Arc::new(Accept(Channel::Email))),
        );
        let catalog = Arc::new(catalog());
        let started = Instant::now();
        let mut sent = 0;
        loop {
            let r = dispatch_due(store.clone(), channels.clone(), catalog.clone(), now(), 100)
                .await
                .expect("dispatch");
            sent += r.sent;
            assert_eq!(r.claimed, r.sent, "{r:?}");
            if r.claimed == 0 {
                break;
            }
        }
        let took = started.elapsed();
        println!(
            "{name}: {sent} messages sent in {:.2} s = {:.0} messages/s (writing them with their reservations took {:.2} s)",
            took.as_secs_f64(),
            sent as f64 / took.as_secs_f64(),
            filled.as_secs_f64()
        );
    }

    pub async fn run() {
        let messages: u32 = std::env::args()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(5000)
            .clamp(10, 200_000);
        println!(
            "cores: {}",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::temporary().expect("sqlite"));
        measure("sqlite (file, WAL)", sqlite, messages).await;
        let client = dynamodb_local::client();
        let table = dynamodb_local::unique_table_name("bench-messages");
        create_table(&client, &table).await.expect("table");
        let dynamo: Arc<dyn Store> = Arc::new(DynamoStore::new(client, table));
        measure("dynamodb (DynamoDB Local)", dynamo, messages).await;
    }
}
