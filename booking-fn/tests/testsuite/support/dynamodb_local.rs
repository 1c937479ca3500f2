//! DynamoDB Local for the tests: one server per test process (the whole
//! `testsuite` binary shares it; `examples/bench_dynamodb.rs` starts its own).
//!
//! - The server is the jar shipped inside the npm package
//!   `amplify-dynamodb-simulator@2.9.30` (DynamoDB Local 1.25.1). The first
//!   run fetches the package with `npm pack` into the git-ignored cache
//!   `tests/.cache/dynamodb-local/` at the workspace root (or the folder in
//!   `SBIZ_DYNAMODB_LOCAL_DIR`); later runs reuse it. The jar is never
//!   committed.
//! - It runs on the machine's Java (`java` on `PATH`, or `$JAVA`) on a free
//!   loopback port, in memory, and is started once per test process, on first
//!   use.
//! - It cannot outlive the test process: Java is started by a small `sh`
//!   watchdog that kills it as soon as its standard input reaches end of
//!   file, and only this process holds the write end of that pipe. The kernel
//!   closes it when the test binary exits for any reason (normal exit, panic,
//!   abort, even SIGKILL), so no orphan `java` stays behind.
//! - If DynamoDB Local cannot be installed or started the calling test
//!   panics with the reason and the server log. Tests never skip.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// The npm package that carries DynamoDB Local.
pub const PACKAGE: &str = "amplify-dynamodb-simulator@2.9.30";
const PACKAGE_TARBALL: &str = "amplify-dynamodb-simulator-2.9.30.tgz";
/// How long Java may take to answer its first request (slow CI machines
/// compile while the tests start).
const START_TIMEOUT: Duration = Duration::from_secs(90);

struct Server {
    endpoint: String,
    /// The write end of the watchdog's stdin: dropped (closed) only when the
    /// process exits, which stops Java.
    _lifeline: Mutex<ChildStdin>,
    _watchdog: Mutex<Child>,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The endpoint URL of this test binary's DynamoDB Local, starting it on
/// first use. Panics (failing the test) when it cannot start.
pub fn endpoint() -> &'static str {
    match SERVER.get_or_init(start) {
        Ok(server) => &server.endpoint,
        Err(why) => {
            panic!("DynamoDB Local could not start, so the DynamoDB tests cannot run:\n{why}")
        }
    }
}

/// A DynamoDB client for the local server: dummy static credentials, a
/// fixed region, and the local endpoint. Build one per test: the HTTP client
/// is bound to the Tokio runtime that first uses it.
pub fn client() -> Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .http_client(sbiz_booking::aws::http_client())
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("ap-northeast-2"))
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "dynamodb-local",
        ))
        .endpoint_url(endpoint())
        .build();
    Client::from_conf(config)
}

/// A table name no other test in this run uses (tables are created per test
/// so that tests are independent; the server is in memory and shared).
pub fn unique_table_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let clean: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    format!("{clean}-{}-{n}", std::process::id())
}

fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SBIZ_DYNAMODB_LOCAL_DIR") {
        return PathBuf::from(dir);
    }
    // booking-fn/ -> the workspace root, whose `/tests/.cache` is git-ignored.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join(".cache")
        .join("dynamodb-local")
}

fn start() -> Result<Server, String> {
    let emulator = install()?;
    let java = std::env::var_os("JAVA").unwrap_or_else(|| "java".into());
    let mut last_error = String::new();
    // A free port can be taken between choosing and binding it; try again then.
    for _attempt in 0..3 {
        let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
        let log_path = cache_dir().join(format!("server-{}-{port}.log", std::process::id()));
        let log = std::fs::File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let log2 = log.try_clone().map_err(|e| e.to_string())?;
        // fd 3 keeps the pipe from this process; the background reader kills
        // Java when it reaches end of file. `wait` makes the shell exit when
        // Java does, so an early failure is seen below.
        let script = r#"exec 3<&0
"$0" -Djava.library.path=DynamoDBLocal_lib -jar DynamoDBLocal.jar -inMemory -sharedDb -port "$1" -disableTelemetry </dev/null &
j=$!
( read -r _line <&3; kill -KILL "$j" 2>/dev/null ) &
trap 'kill "$j" 2>/dev/null' TERM INT HUP
wait "$j""#;
        let mut watchdog = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(&java)
            .arg(port.to_string())
            .current_dir(&emulator)
            .stdin(Stdio::piped())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            .spawn()
            .map_err(|e| format!("cannot run sh to start Java: {e}"))?;
        let lifeline = watchdog.stdin.take().expect("piped stdin");
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if answers(port) {
                let _ = std::fs::remove_file(&log_path);
                return Ok(Server {
                    endpoint,
                    _lifeline: Mutex::new(lifeline),
                    _watchdog: Mutex::new(watchdog),
                });
            }
            if let Ok(Some(status)) = watchdog.try_wait() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                last_error = format!(
                    "`{} -jar DynamoDBLocal.jar` in {} exited with {status} before answering. Log:\n{log}\n\
                     (Is Java 11+ installed and on PATH? Set $JAVA to its path otherwise.)",
                    java.to_string_lossy(),
                    emulator.display()
                );
                break;
            }
            if Instant::now() > deadline {
                drop(lifeline);
                let _ = watchdog.kill();
                let _ = watchdog.wait();
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                return Err(format!(
                    "DynamoDB Local on port {port} did not answer within {}s. Log:\n{log}",
                    START_TIMEOUT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    Err(last_error)
}

fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    Ok(listener.local_addr()?.port())
}

/// Whether DynamoDB answers a `ListTables` call on the port (an open port
/// alone is not enough: Jetty listens before the service is wired).
fn answers(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let body = "{}";
    let request = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n\
         Content-Type: application/x-amz-json-1.0\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/ap-northeast-2/dynamodb/aws4_request, \
         SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    text.starts_with("HTTP/1.1 200") && text.contains("TableNames")
}

/// The folder holding `DynamoDBLocal.jar`, fetching the npm package first if
/// the cache does not have it yet.
fn install() -> Result<PathBuf, String> {
    let cache = cache_dir();
    let emulator = cache.join("package").join("emulator");
    if emulator.join("DynamoDBLocal.jar").is_file() && emulator.join("DynamoDBLocal_lib").is_dir() {
        return Ok(emulator);
    }
    std::fs::create_dir_all(&cache)
        .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    // Unpack into a private folder, then rename: test binaries running at the
    // same time never see half a package.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let tmp = cache.join(format!(".tmp-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let result = fetch_into(&tmp).and_then(|()| {
        match std::fs::rename(tmp.join("package"), cache.join("package")) {
            Ok(()) => Ok(()),
            // Another test binary finished first: use its copy.
            Err(_) if emulator.join("DynamoDBLocal.jar").is_file() => Ok(()),
            Err(e) => Err(format!(
                "cannot move the package into {}: {e}",
                cache.display()
            )),
        }
    });
    let _ = std::fs::remove_dir_all(&tmp);
    result?;
    if emulator.join("DynamoDBLocal.jar").is_file() {
        Ok(emulator)
    } else {
        Err(format!("{PACKAGE} has no emulator/DynamoDBLocal.jar"))
    }
}

fn fetch_into(dir: &Path) -> Result<(), String> {
    // `npm pack` fetches only this package's tarball (npm checks its
    // integrity against the registry); the jar needs none of the package's
    // JavaScript dependencies.
    let out = Command::new("npm")
        .args(["pack", PACKAGE, "--silent", "--pack-destination", "."])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run npm to fetch {PACKAGE} (is Node.js installed?): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`npm pack {PACKAGE}` failed with {}:\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tarball = dir.join(PACKAGE_TARBALL);
    if !tarball.is_file() {
        return Err(format!(
            "`npm pack {PACKAGE}` did not write {PACKAGE_TARBALL}"
        ));
    }
    let out = Command::new("tar")
        .arg("-xzf")
        .arg(PACKAGE_TARBALL)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "unpacking {PACKAGE_TARBALL} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let _ = std::fs::remove_file(&tarball);
    Ok(())
}
