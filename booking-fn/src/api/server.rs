//! The HTTP server loop of `booking-fn serve` and of `sbiz serve` (the
//! preview and `--production`): HTTP/1.1 on hyper, with the read timeouts
//! that `axum::serve` cannot set.
//!
//! * The request line and headers must arrive within
//!   [`Timeouts::header_read`] of the connection opening (or, on a kept-alive
//!   connection, of the previous answer); otherwise the connection is
//!   closed. A client that stalls mid-headers, or never sends anything, no
//!   longer holds a connection (and a task) forever.
//! * A request body must arrive whole within [`Timeouts::body_read`] of the
//!   end of its headers, however it trickles in; otherwise reading it fails,
//!   the handler answers with an error and the connection is closed. (The
//!   API's bodies are at most 16 KB: a few seconds even on a poor line.)
//! * Answers are not limited: a long answer, such as the preview's
//!   live-reload event stream, stays open as long as it runs.
//! * On shutdown no connection is accepted any more, kept-alive connections
//!   close after their current request, and the answers in flight get
//!   [`Timeouts::shutdown_grace`] to finish.
//!
//! Every request carries the peer's address as
//! `axum::extract::ConnectInfo<SocketAddr>`.
//!
//! Only HTTP/1.1 is served: the automatic HTTP/2 detection of hyper-util
//! reads the first bytes of a connection with no time limit, so a silent
//! client would be kept forever again. A reverse proxy or CloudFront speaks
//! HTTP/2 to browsers.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use hyper::body::{Body as _, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::Service;

/// How long a client may take to send a request, and a server to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From the connection opening (or the previous answer) to the end of
    /// the request's headers.
    pub header_read: Duration,
    /// From the end of the headers to the end of the request body.
    pub body_read: Duration,
    /// How long answers in flight may run on after shutdown began.
    pub shutdown_grace: Duration,
}

impl Default for Timeouts {
    /// 10 s for the headers and 15 s for a body (a form's request is a few
    /// hundred bytes to a few KB; even a poor mobile connection sends it in
    /// well under a second), 10 s to finish on shutdown.
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(15),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then stops
/// gracefully (see the module documentation).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Out of file descriptors, typically: wait for some to
                    // be freed rather than spin.
                    tracing::error!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let body_read = timeouts.body_read;
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let req = req.map(|body| {
                if body.is_end_stream() {
                    Body::new(body)
                } else {
                    Body::new(Deadline::new(body, body_read))
                }
            });
            let mut app = app.clone();
            async move { app.call(req).await }
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(timeouts.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "answers still running {} s after shutdown began were cut",
            timeouts.shutdown_grace.as_secs()
        );
    }
    Ok(())
}

/// A request body that fails once its time is up (however it trickles in:
/// an idle timeout alone would let one byte every few seconds hold a
/// connection for hours).
struct Deadline {
    body: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(body: Incoming, within: Duration) -> Deadline {
        Deadline {
            body,
            deadline: Box::pin(tokio::time::sleep(within)),
        }
    }
}

/// The error of a body that did not arrive in time.
#[derive(Debug)]
struct TooSlow;

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for TooSlow {}

impl hyper::body::Body for Deadline {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        // What has arrived is always given, even past the deadline.
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(TooSlow)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Errors of one connection that the next `accept` does not share.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

/// Completes on `SIGTERM` (a service manager stopping the server) or Ctrl+C.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::net::SocketAddr;
    use std::time::Instant;

    use axum::response::sse::{Event, Sse};
    use axum::routing::{get, post};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::sync::oneshot;
    use tokio_stream::StreamExt;
    use tokio_stream::wrappers::IntervalStream;

    const SHORT: Timeouts = Timeouts {
        header_read: Duration::from_millis(300),
        body_read: Duration::from_millis(300),
        shutdown_grace: Duration::from_millis(300),
    };

    fn app() -> Router {
        Router::new()
            .route(
                "/peer",
                get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move {
                    peer.ip().to_string()
                }),
            )
            .route("/echo", post(|body: String| async move { body }))
            .route(
                "/events",
                get(|| async {
                    // An event every 100 ms, forever (like live reload).
                    let ticks = IntervalStream::new(tokio::time::interval(Duration::from_millis(100)))
                        .map(|_| Ok::<_, std::convert::Infallible>(Event::default().data("tick")));
                    Sse::new(ticks)
                }),
            )
    }

    /// A server on a free port with `SHORT` timeouts; sending on the
    /// returned channel stops it.
    async fn start() -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(listener, app(), SHORT, async {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
        });
        (addr, stop, task)
    }

    /// Reads until the server closes the connection (or 5 s pass, which
    /// fails the test); returns what was read and how long it took.
    async fn read_until_closed(s: &mut TcpStream) -> (String, Duration) {
        let start = Instant::now();
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
                Err(_) => panic!("the connection is still open after 5 s"),
            }
        }
        (String::from_utf8_lossy(&out).into_owned(), start.elapsed())
    }

    #[tokio::test]
    async fn stalled_headers_and_silent_clients_are_cut_off() {
        let (addr, _stop, _task) = start().await;
        // Mid-headers.
        let mut partial = TcpStream::connect(addr).await.expect("connect");
        partial
            .write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .expect("write");
        // Nothing at all.
        let mut silent = TcpStream::connect(addr).await.expect("connect");
        let (_, took) = read_until_closed(&mut partial).await;
        assert!(took < Duration::from_secs(2), "closed after {took:?}");
        let (_, took) = read_until_closed(&mut silent).await;
        assert!(took < Duration::from_secs(2), "closed after {took:?}");
    }

    #[tokio::test]
    async fn stalled_bodies_fail_and_whole_requests_are_answered() {
        let (addr, _stop, _task) = start().await;
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            .await
            .expect("write");
        let (answer, took) = read_until_closed(&mut s).await;
        assert!(took < Duration::from_secs(2), "closed after {took:?}");
        assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");

        // A byte every 100 ms never pauses long, but takes too long.
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n")
            .await
            .expect("write");
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if s.write_all(b"a").await.is_err() {
                break;
            }
        }
        let (answer, _) = read_until_closed(&mut s).await;
        assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");

        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        )
        .await
        .expect("write");
        let (answer, _) = read_until_closed(&mut s).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("hello"), "{answer}");

        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .expect("write");
        let (answer, _) = read_until_closed(&mut s).await;
        assert!(
            answer.ends_with("127.0.0.1"),
            "the peer's address: {answer}"
        );
    }

    #[tokio::test]
    async fn long_answers_outlive_the_read_timeouts_and_shutdown_stops_them() {
        let (addr, stop, task) = start().await;
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        // Well past every read timeout, the stream still sends events.
        tokio::time::sleep(SHORT.header_read * 3).await;
        let mut buf = vec![0u8; 64 * 1024];
        let n = s.read(&mut buf).await.expect("read");
        assert!(n > 0, "the stream is still open");
        let mut seen = String::from_utf8_lossy(&buf[..n]).into_owned();
        let n = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf))
            .await
            .expect("another event in time")
            .expect("read");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        assert!(seen.contains("data: tick"), "{seen}");

        // Shutdown: the never-ending answer is cut after the grace period.
        let start = Instant::now();
        let _ = stop.send(());
        tokio::time::timeout(Duration::from_secs(3), task)
            .await
            .expect("the server stops")
            .expect("no panic");
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(
            TcpStream::connect(addr).await.is_err(),
            "no connection accepted after shutdown"
        );
    }
}
