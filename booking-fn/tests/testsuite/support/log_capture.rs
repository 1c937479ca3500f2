//! The log capture of the privacy tests (`privacy.rs`, `dynamodb_privacy.rs`),
//! one for the whole test process.
//!
//! A process has one global `tracing` subscriber, and the crate logs from
//! threads a test does not own (the SQLite writer thread, `spawn_blocking`,
//! the runtime's workers), so a subscriber scoped to the test's thread would
//! miss lines. Instead the first [`open`] installs a global subscriber, once:
//! every event at TRACE, with the cap the binary puts on the AWS SDK (which
//! logs whole responses at TRACE: see `cap_sdk_logs`), is formatted as the
//! tests' own subscribers did (plain text, no colours) and appended to every
//! capture open at that moment. A capture therefore holds every line the
//! process logged while it was open: all of its own test's lines, and those
//! of any test running beside it, so the search for personal data covers at
//! least what it covered when each privacy test had a process of its own.
//! While no capture is open nothing is formatted, and the other tests run as
//! if there were no subscriber.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use tracing::Metadata;
use tracing::subscriber::Interest;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, Filter, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use super::privacy_session::Captured;

/// The captures open now, each with its own buffer.
static OPEN: Mutex<Vec<(u64, Captured)>> = Mutex::new(Vec::new());
/// How many captures are open (read on every event, without the lock).
static OPEN_COUNT: AtomicUsize = AtomicUsize::new(0);

/// An open capture: every line logged from now until it is dropped.
pub struct Capture {
    id: u64,
    logs: Captured,
}

impl Capture {
    /// The lines captured so far (shared: it keeps filling while open).
    pub fn logs(&self) -> Captured {
        self.logs.clone()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let mut open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
        open.retain(|(id, _)| *id != self.id);
        OPEN_COUNT.store(open.len(), Ordering::SeqCst);
    }
}

/// Starts capturing every log line of the process, installing the global
/// subscriber on first use.
pub fn open() -> Capture {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(|| ToOpenCaptures)
                    .with_ansi(false)
                    .with_filter(filter())
                    .with_filter(WhileOpen),
            )
            .init();
    });
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let capture = Capture {
        id: NEXT.fetch_add(1, Ordering::SeqCst),
        logs: Captured::default(),
    };
    let mut open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    open.push((capture.id, capture.logs.clone()));
    OPEN_COUNT.store(open.len(), Ordering::SeqCst);
    capture
}

/// Everything at TRACE; with the DynamoDB store compiled in, the AWS SDK
/// capped as the binary caps it.
fn filter() -> Targets {
    let filter = Targets::new().with_default(LevelFilter::TRACE);
    #[cfg(feature = "dynamodb")]
    let filter = sbiz_booking::store::dynamodb::cap_sdk_logs(filter);
    filter
}

/// Lets events through only while a capture is open. Asked on every event
/// (never cached per call site), since captures open and close.
struct WhileOpen;

impl<S> Filter<S> for WhileOpen {
    fn enabled(&self, _: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        OPEN_COUNT.load(Ordering::SeqCst) > 0
    }
    fn callsite_enabled(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
}

/// The writer of the global subscriber: one formatted event per write,
/// copied into every open capture.
struct ToOpenCaptures;

impl Write for ToOpenCaptures {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
        for (_, logs) in open.iter() {
            logs.clone().write_all(buf)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
