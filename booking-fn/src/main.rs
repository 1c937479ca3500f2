//! `booking-fn`: the booking API as a Lambda function (when
//! `AWS_LAMBDA_RUNTIME_API` is set) or as a plain HTTP server.
//!
//! ```text
//! booking-fn [serve] [--port 8080] [--host 127.0.0.1] [--db data/booking.sqlite3] [--catalog public/catalog.json]
//! booking-fn purge [--db PATH] [--catalog PATH]
//! booking-fn hash-token TOKEN
//! booking-fn usage-report --month YYYY-MM [--out FILE] [--db PATH] [--catalog PATH]
//! booking-fn create-table [TABLE]
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use sbiz_booking::api::server;
use sbiz_booking::domain::SystemClock;
use sbiz_booking::messaging::{Channels, dispatch_every_from_env, spawn_dispatcher};
use sbiz_booking::ops::{
    default_catalog_path, load_catalog, load_secret, load_staff_tokens, migrate, purge_now,
    reload_catalog, reload_theme, spawn_purge, usage_open_data,
};
use sbiz_booking::store::Store;
use sbiz_booking::{AppConfig, AppState, Error, StaffTokens, router};
use tracing_subscriber::filter::{LevelFilter, Targets};

struct Options {
    command: String,
    port: u16,
    host: String,
    db: PathBuf,
    catalog: PathBuf,
    /// `usage-report`: the month and the file to write.
    month: Option<String>,
    out: Option<PathBuf>,
    rest: Vec<String>,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        command: "serve".into(),
        port: env_or("PORT", "8080")
            .parse()
            .map_err(|_| "PORT must be a port number".to_owned())?,
        host: env_or("SBIZ_HOST", "127.0.0.1"),
        db: env_or("SBIZ_DB", "data/booking.sqlite3").into(),
        catalog: default_catalog_path(),
        month: None,
        out: None,
        rest: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    let mut first = true;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--port" => {
                o.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be a port number".to_owned())?
            }
            "--host" => o.host = value("--host")?,
            "--db" => o.db = value("--db")?.into(),
            "--catalog" => o.catalog = value("--catalog")?.into(),
            "--month" => o.month = Some(value("--month")?),
            "--out" => o.out = Some(value("--out")?.into()),
            "-h" | "--help" => o.command = "help".into(),
            cmd if first && !cmd.starts_with('-') => o.command = cmd.to_owned(),
            other if !other.starts_with('-') => o.rest.push(other.to_owned()),
            other => return Err(format!("unknown option {other}")),
        }
        first = false;
    }
    Ok(o)
}

const HELP: &str = "booking-fn: the booking API of 서울 소공인 지원 포털

USAGE
  booking-fn [serve] [--port N] [--host ADDR] [--db FILE] [--catalog FILE]
  booking-fn purge [--db FILE] [--catalog FILE]    delete personal data past retention, and move
                                                   records from legacy person keys to keyed ones
  booking-fn hash-token TOKEN                      the SHA-256 to put in SBIZ_STAFF_TOKENS
  booking-fn create-table [TABLE]                  create the DynamoDB table (default: SBIZ_TABLE)
  booking-fn usage-report --month YYYY-MM [--out FILE] [--db FILE] [--catalog FILE]
                                                   write the month's city-wide usage per facility and
                                                   equipment as open data CSV (no personal data;
                                                   rows with fewer than 3 users are left blank)

ENVIRONMENT
  SBIZ_CATALOG        catalog.json written by `sbiz build` (public/catalog.json; on Lambda
                      $LAMBDA_TASK_ROOT/catalog.json)
  SBIZ_DB             SQLite file (data/booking.sqlite3)
  SBIZ_TABLE          DynamoDB table; when set, the DynamoDB store is used
  SBIZ_SECRET_FILE    file holding the server secret, mode 0600 (default with SQLite: secret.key
                      beside the SQLite file, created when missing; DynamoDB has no default)
  SBIZ_SECRET_ARN     AWS Secrets Manager secret holding the server secret (on Lambda)
  SBIZ_STAFF_TOKENS   staff tokens as SCOPE:SHA256HEX, comma-separated; SCOPE is a facility id or *
  SBIZ_STAFF_TOKENS_SECRET
                      AWS Secrets Manager secret (name or ARN) holding more staff tokens in the
                      same form, read at start (on Lambda)
  SBIZ_STAFF_TOKENS_REVISION
                      only logged: the stack changes it to make Lambda start fresh instances,
                      which read the staff tokens secret again
  SBIZ_EXTRA_ORIGINS  more origins allowed for CORS and form posts, comma-separated
  SBIZ_PUBLIC_BASE    base URL of links in answers and messages (default: the catalog's origin)
  SBIZ_EMAIL          e-mail channel: smtp, ses or none (SBIZ_EMAIL_FROM, SBIZ_SMTP_*; see README)
  SBIZ_SMS            문자 channel: sns or none
  SBIZ_DISPATCH_SECONDS
                      how often the plain server sends due messages (10)
  SBIZ_CLIENT_IP_HEADER
                      a header a trusted front end sets to the client's address (per-client
                      limits of 인증번호 requests); default: the connection's or the HTTP API's
  SBIZ_ORIGIN_SECRET  a secret (at least 32 characters) the front end adds to every request as
                      the header x-sbiz-origin-verify (the AWS stack's CloudFront); when set,
                      requests without it are refused (403 direct_request); default: none checked
  PORT, SBIZ_HOST     where the plain HTTP server listens (8080, 127.0.0.1)
  RUST_LOG            log filter (info)
";

/// The log filter: `RUST_LOG` as comma-separated `target=level` directives
/// and at most one bare default level (`info`, `debug,hyper=info`), `info`
/// when it is unset, blank or not of that form. tracing-subscriber's
/// `Targets` rather than its `EnvFilter`, whose span and field filters need
/// regular expressions (regex-automata and regex-syntax: 154 KB of code in
/// the Lambda binary).
fn log_filter() -> Targets {
    std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| v.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO))
}

fn init_logs(json: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = log_filter();
    // The AWS SDK logs whole DynamoDB items at TRACE: never let it.
    #[cfg(feature = "dynamodb")]
    let filter = sbiz_booking::store::dynamodb::cap_sdk_logs(filter);
    let logs = tracing_subscriber::registry().with(filter);
    let format = tracing_subscriber::fmt::layer().with_target(false);
    if json {
        logs.with(format.json().without_time()).init();
    } else {
        logs.with(format).init();
    }
}

async fn open_store(o: &Options) -> Result<Arc<dyn Store>, Error> {
    #[cfg(feature = "dynamodb")]
    if let Ok(table) = std::env::var("SBIZ_TABLE")
        && !table.is_empty()
    {
        return Ok(Arc::new(
            sbiz_booking::store::dynamodb::DynamoStore::from_env(table).await,
        ));
    }
    #[cfg(feature = "sqlite")]
    {
        if let Some(dir) = o.db.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
        Ok(Arc::new(sbiz_booking::store::sqlite::SqliteStore::open(
            &o.db,
        )?))
    }
    #[cfg(not(feature = "sqlite"))]
    {
        let _ = o;
        Err(Error::Config(
            "no store: set SBIZ_TABLE (this build has no SQLite)".into(),
        ))
    }
}

/// The configuration from the environment; `shared` runs (on Lambda, or
/// on a DynamoDB table the Lambda function also uses) need the secret from
/// Secrets Manager or a file, a plain server on SQLite keeps one beside its
/// database.
async fn config(o: &Options, shared: bool) -> Result<AppConfig, Error> {
    let default_secret =
        o.db.parent()
            .unwrap_or(std::path::Path::new("."))
            .join("secret.key");
    let secret = load_secret((!shared).then_some(default_secret.as_path())).await?;
    // Staff tokens may also come from a secret (AWS): read at start.
    Ok(AppConfig {
        staff: load_staff_tokens().await?,
        ..AppConfig::from_env(Arc::new(secret))?
    })
}

async fn state(o: &Options) -> Result<AppState, Error> {
    let catalog = Arc::new(load_catalog(&o.catalog)?);
    let store = open_store(o).await?;
    let on_lambda = std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some();
    // A table's person keys are the function's: a secret file made up here
    // (`booking-fn purge` on an operator's machine) would move them to keys
    // no request will ever compute.
    let config = config(o, on_lambda || store.kind() == "dynamodb").await?;
    let state = AppState::new(catalog, store, Arc::new(SystemClock), config);
    reload_theme(&state, &o.catalog)?;
    Ok(state)
}

/// The messaging channels named by the environment (`SBIZ_EMAIL`,
/// `SBIZ_SMS`…); a configuration error stops the start.
async fn channels(state: &AppState) -> Result<Arc<Channels>, Error> {
    Channels::from_env(state.config().secret.clone())
        .await
        .map(Arc::new)
        .map_err(|e| Error::Config(format!("messaging: {e}")))
}

async fn serve(o: Options) -> Result<(), Error> {
    let state = state(&o).await?;
    if state.config().staff.is_empty() {
        tracing::warn!("SBIZ_STAFF_TOKENS is empty: the admin API refuses everyone");
    }
    // Records under legacy person keys move before the first request (and
    // again with each purge, should this fail).
    if let Err(e) = migrate(&state).await {
        tracing::error!(error = %e, "person keys not moved to the server secret");
    }
    let _purge = spawn_purge(state.clone(), Duration::from_secs(3600));
    // Messages: the outbox is sent every 10 s (SBIZ_DISPATCH_SECONDS); the
    // one-time codes of 내 예약·신청 go at once through the same channels.
    let channels = channels(&state).await?;
    let _dispatch = spawn_dispatcher(state.clone(), channels, dispatch_every_from_env()?);
    #[cfg(unix)]
    {
        // SIGHUP reloads the catalog (after `sbiz build`).
        let (state, path) = (state.clone(), o.catalog.clone());
        tokio::spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut hup) = signal(SignalKind::hangup()) else {
                return;
            };
            while hup.recv().await.is_some() {
                if let Err(e) = reload_catalog(&state, &path) {
                    tracing::error!(error = %e, "catalog not reloaded");
                }
            }
        });
    }
    let addr: SocketAddr = format!("{}:{}", o.host, o.port)
        .parse()
        .map_err(|_| Error::Config(format!("cannot listen on {}:{}", o.host, o.port)))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Config(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!(%addr, store = state.service().store.kind(), "listening");
    // Read timeouts for headers and bodies; stops on SIGTERM or Ctrl+C.
    server::serve(
        listener,
        router(state),
        server::Timeouts::default(),
        server::shutdown_signal(),
    )
    .await
    .map_err(|e| Error::Config(format!("server stopped: {e}")))
}

/// Under Lambda: HTTP API events go to the router, scheduled events run the
/// scheduled tasks (see `sbiz_booking::lambda`).
#[cfg(feature = "lambda")]
async fn lambda(o: Options) -> Result<(), Error> {
    let state = state(&o).await?;
    // Built once per cold start; scheduled `dispatch` runs send with them.
    let channels = channels(&state).await?;
    channels.report();
    state.set_channels(channels);
    tracing::info!(
        store = state.service().store.kind(),
        staff = ?state.config().staff,
        staff_tokens_revision = env_or("SBIZ_STAFF_TOKENS_REVISION", "-"),
        "started"
    );
    sbiz_booking::lambda::run(state).await
}

/// Writes the city-wide usage of one month as open data CSV (to `--out`,
/// replaced whole, or to standard output). Reads the store and the catalog
/// only: no secret is needed, nothing is changed.
async fn usage_report(o: &Options) -> Result<(), Error> {
    let month = o
        .month
        .as_deref()
        .ok_or_else(|| Error::Config("usage-report needs --month YYYY-MM".into()))?;
    let on_table = std::env::var("SBIZ_TABLE").is_ok_and(|t| !t.is_empty());
    if !on_table && !o.db.exists() {
        // Opening would create an empty database and report nothing.
        return Err(Error::Config(format!(
            "no database at {} (--db or SBIZ_DB)",
            o.db.display()
        )));
    }
    let catalog = load_catalog(&o.catalog)?;
    let csv = usage_open_data(open_store(o).await?, &catalog, month).await?;
    match &o.out {
        None => print!("{csv}"),
        Some(path) => {
            let io =
                |e: std::io::Error| Error::Config(format!("cannot write {}: {e}", path.display()));
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            let tmp = path.with_extension("csv.tmp");
            std::fs::write(&tmp, csv).map_err(io)?;
            std::fs::rename(&tmp, path).map_err(io)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// Creates the DynamoDB table (keys, indexes, TTL; see DYNAMODB.md) named on
/// the command line or by `SBIZ_TABLE`, with the AWS SDK's usual
/// configuration (`AWS_ENDPOINT_URL_DYNAMODB` for DynamoDB Local).
async fn create_table(o: &Options) -> Result<(), Error> {
    let table = o
        .rest
        .first()
        .cloned()
        .or_else(|| std::env::var("SBIZ_TABLE").ok().filter(|t| !t.is_empty()))
        .ok_or_else(|| Error::Config("create-table needs a table name (or SBIZ_TABLE)".into()))?;
    #[cfg(feature = "dynamodb")]
    {
        sbiz_booking::store::dynamodb::create_table_from_env(&table).await?;
        println!("created table {table}");
        Ok(())
    }
    #[cfg(not(feature = "dynamodb"))]
    {
        Err(Error::Config(format!(
            "cannot create {table}: this build has no DynamoDB support (feature `dynamodb`)"
        )))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("booking-fn: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let on_lambda = std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some();
    init_logs(on_lambda);
    let result = match o.command.as_str() {
        "help" => {
            print!("{HELP}");
            Ok(())
        }
        "hash-token" => match o.rest.first() {
            Some(t) => {
                println!("{}", StaffTokens::hash_token(t));
                Ok(())
            }
            None => Err(Error::Config("hash-token needs the token".into())),
        },
        "purge" => match state(&o).await {
            Ok(s) => purge_now(&s).await.map(|r| {
                println!(
                    "purged: {} reservations, {} applications, {} idempotency records",
                    r.reservations, r.applications, r.idempotency_records
                );
            }),
            Err(e) => Err(e),
        },
        "create-table" => create_table(&o).await,
        "usage-report" => usage_report(&o).await,
        "serve" if on_lambda => {
            #[cfg(feature = "lambda")]
            {
                lambda(o).await
            }
            #[cfg(not(feature = "lambda"))]
            {
                Err(Error::Config(
                    "this build has no Lambda support (feature `lambda`)".into(),
                ))
            }
        }
        "serve" => serve(o).await,
        other => Err(Error::Config(format!(
            "unknown command {other}; see --help"
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "stopped");
            eprintln!("booking-fn: {e}");
            ExitCode::FAILURE
        }
    }
}
