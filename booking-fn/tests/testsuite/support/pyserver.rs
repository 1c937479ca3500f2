//! Servers from PyPI for the messaging tests: an SMTP server (`aiosmtpd`)
//! and a local AWS emulator (`ministack`), each pinned and installed into
//! its own virtual environment under the git-ignored `tests/.cache/`.
//!
//! - Installation is idempotent and safe when several test binaries do it
//!   at once: each builds its venv in a private folder and renames it into
//!   place; whoever loses the race uses the winner's. A venv counts as
//!   installed when its Python imports the package, so a venv made by
//!   another test (the deploy tests share `ministack-venv`) is reused.
//! - Servers run under the same `sh` watchdog as DynamoDB Local: they die
//!   when this process exits, however it exits.
//! - If a server cannot be installed or started the test panics with the
//!   reason: these tests fail, they never skip.

#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

pub const AIOSMTPD: &str = "aiosmtpd==1.4.6";
pub const MINISTACK: &str = "ministack==1.5.33";

pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("tests")
        .join(".cache")
}

/// The venv `name` under `tests/.cache/` with `requirement` installed and
/// `module` importable; built on first use.
pub fn venv(name: &str, requirement: &str, module: &str) -> PathBuf {
    match try_venv(name, requirement, module) {
        Ok(p) => p,
        Err(why) => panic!("cannot install {requirement} for the messaging tests:\n{why}"),
    }
}

fn imports(venv: &Path, module: &str) -> bool {
    Command::new(venv.join("bin").join("python"))
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn try_venv(name: &str, requirement: &str, module: &str) -> Result<PathBuf, String> {
    let cache = cache_dir();
    let target = cache.join(name);
    if imports(&target, module) {
        return Ok(target);
    }
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let tmp = cache.join(format!(".tmp-{name}-{}-{nanos}", std::process::id()));
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let run = |cmd: &mut Command, what: &str| -> Result<(), String> {
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {what}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed with {}:\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let result = run(
        Command::new(&python).arg("-m").arg("venv").arg(&tmp),
        "python3 -m venv",
    )
    .and_then(|()| {
        run(
            Command::new(tmp.join("bin").join("python")).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                requirement,
            ]),
            "pip install",
        )
    })
    .and_then(|()| match std::fs::rename(&tmp, &target) {
        Ok(()) => Ok(()),
        Err(_) if imports(&target, module) => Ok(()),
        Err(e) => {
            // A broken leftover (no working package) is replaced.
            let _ = std::fs::remove_dir_all(&target);
            std::fs::rename(&tmp, &target)
                .map_err(|e2| format!("cannot move the venv into {}: {e}; {e2}", target.display()))
        }
    });
    let _ = std::fs::remove_dir_all(&tmp);
    result?;
    if imports(&target, module) {
        Ok(target)
    } else {
        Err(format!("{} does not import {module}", target.display()))
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A server process that dies with the test process.
pub struct Server {
    pub port: u16,
    pub log: PathBuf,
    lifeline: Option<ChildStdin>,
    watchdog: Child,
    /// Removed when the server stops (its log, its temporary folder).
    pub cleanup: Vec<PathBuf>,
}

impl Server {
    /// Stops the server now (to test a provider that is down).
    pub fn stop(self) {
        let port = self.port;
        drop(self);
        // The port is free once nothing answers.
        let deadline = Instant::now() + Duration::from_secs(10);
        while listening(port) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.lifeline.take());
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
        let _ = std::fs::remove_file(&self.log);
        for p in &self.cleanup {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

pub fn listening(port: u16) -> bool {
    TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_millis(300),
    )
    .is_ok()
}

/// Runs `python -m <args…>` from `venv` with `env`, on `port`, until `ready`
/// says it answers (at most 90 s).
pub fn start(
    venv: &Path,
    args: &[&str],
    env: &[(&str, String)],
    port: u16,
    ready: impl Fn(u16) -> bool,
) -> Server {
    let log = cache_dir().join(format!("server-{}-{port}.log", std::process::id()));
    let out = std::fs::File::create(&log).expect("server log file");
    let err = out.try_clone().expect("server log file");
    let script = r#"exec 3<&0
"$0" "$@" </dev/null &
j=$!
( read -r _line <&3; kill -KILL "$j" 2>/dev/null ) &
trap 'kill "$j" 2>/dev/null' TERM INT HUP
wait "$j""#;
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(venv.join("bin").join("python"))
        .arg("-m")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut watchdog = cmd.spawn().expect("sh to start a test server");
    let lifeline = watchdog.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if ready(port) {
            return Server {
                port,
                log,
                lifeline,
                watchdog,
                cleanup: Vec::new(),
            };
        }
        if let Ok(Some(status)) = watchdog.try_wait() {
            panic!(
                "python -m {} exited with {status} before answering:\n{}",
                args.join(" "),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        if Instant::now() > deadline {
            panic!(
                "python -m {} did not answer within 90 s:\n{}",
                args.join(" "),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An SMTP server on `port` that keeps each message as a file in `maildir`
/// (`new/`).
pub fn smtp(port: u16, maildir: &Path) -> Server {
    let venv = venv("aiosmtpd-venv", AIOSMTPD, "aiosmtpd");
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
    }
    start(
        &venv,
        &[
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
            &maildir.to_string_lossy(),
        ],
        &[],
        port,
        listening,
    )
}

/// The messages in a maildir, each as (headers and body decoded by Python's
/// `email` package).
pub fn mails(maildir: &Path) -> Vec<String> {
    let venv = venv("aiosmtpd-venv", AIOSMTPD, "aiosmtpd");
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    let script = "import email,sys\nfrom email import policy\nm=email.message_from_binary_file(open(sys.argv[1],'rb'),policy=policy.default)\nprint('Message-ID:',m['Message-ID'])\nprint('To:',m['To'])\nprint('Subject:',m['Subject'])\nprint()\nprint(m.get_content())";
    let mut out = Vec::new();
    for e in entries.flatten() {
        let o = Command::new(venv.join("bin").join("python"))
            .args(["-c", script])
            .arg(e.path())
            .output()
            .expect("python to read a mail");
        out.push(String::from_utf8_lossy(&o.stdout).into_owned());
    }
    out
}

/// ministack on `port` (loopback only, its own TMPDIR).
pub fn ministack(port: u16) -> Server {
    let venv = venv("ministack-venv", MINISTACK, "ministack");
    let tmp = cache_dir().join(format!("ministack-tmp-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("ministack TMPDIR");
    let mut server = start(
        &venv,
        &["ministack"],
        &[
            ("GATEWAY_PORT", port.to_string()),
            ("BIND_HOST", "127.0.0.1".into()),
            ("TMPDIR", tmp.to_string_lossy().into_owned()),
            ("S3_DATA_DIR", tmp.join("s3").to_string_lossy().into_owned()),
        ],
        port,
        |p| http_get(p, "/_ministack/ses/messages").is_some_and(|(status, _)| status == 200),
    );
    server.cleanup.push(tmp);
    server
}

/// A plain HTTP GET on loopback: (status, body).
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_millis(500),
    )
    .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.get(9..12)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    // Chunked bodies: good enough for `contains` checks.
    Some((status, body))
}
