//! `sbiz`: build, check, preview and scaffold the portal's content.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sbiz::build::{self, Options};
use sbiz::clock::Now;
use sbiz::diagnostics;

#[derive(Parser)]
#[command(
    name = "sbiz",
    version,
    about = "서울 소공인 지원 포털: builds content/ into the static site in public/"
)]
struct Cli {
    /// The site folder holding content/ and themes/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct BuildArgs {
    /// Treat this Korea-time moment as "now" (e.g. 2026-11-28 or 2026-11-28T09:00),
    /// for statuses and publish dates; default: the system clock.
    #[arg(long)]
    now: Option<Now>,
    /// Theme folder name under themes/.
    #[arg(long, default_value = "default")]
    theme: String,
    /// Folder holding the themes (default: <root>/themes).
    #[arg(long)]
    themes: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (nothing is written when the content has errors).
    Build {
        #[command(flatten)]
        args: BuildArgs,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check content, links and templates without writing anything.
    Check {
        #[command(flatten)]
        args: BuildArgs,
    },
    /// Build, serve on http://127.0.0.1:8080, and rebuild on every change.
    Serve {
        #[command(flatten)]
        args: BuildArgs,
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Folder for the booking database (default: <root>/data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Self-hosted production mode: build once (SIGHUP rebuilds), no live
        /// reload, security headers, rate limit on /api/ (see docs/operator-guide.md).
        #[arg(long)]
        production: bool,
        /// With --production: the /api/ budget per client, BURST/PER_SECOND.
        #[arg(long, default_value = "60/1", requires = "production")]
        api_rate: sbiz::production::RateLimit,
        /// With --production: behind a reverse proxy on this machine, take the
        /// client address from X-Forwarded-For.
        #[arg(long, requires = "production")]
        trust_proxy: bool,
    },
    /// Copy the booking database while the server runs (a consistent snapshot).
    Backup {
        /// The backup file to write (must not exist).
        dest: PathBuf,
        /// Folder of the booking database (default: <root>/data).
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Put a backup back as the booking database (stop the server first).
    Restore {
        /// The backup file to restore.
        from: PathBuf,
        /// Folder of the booking database (default: <root>/data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Restore even though the database's write-ahead log is not empty
        /// (after a crash; never while a server runs).
        #[arg(long)]
        force: bool,
    },
    /// Write a new content file with every field present and explained.
    New {
        /// facility, equipment, programme, policy, job, notice, page or survey.
        kind: String,
        /// The record's id (its file name): lowercase letters, digits and hyphens.
        id: String,
    },
    /// Write a synthetic site with N records in total, for benchmarks.
    Synth {
        /// Folder to create (content/ and themes/ are written inside).
        #[arg(long)]
        out: PathBuf,
        /// Records in total, spread over every kind.
        #[arg(long, default_value_t = 10_000)]
        records: usize,
        /// Also write the same records as a Hugo site here, for comparison.
        #[arg(long)]
        hugo: Option<PathBuf>,
    },
}

fn options(root: &std::path::Path, args: &BuildArgs) -> Options {
    let mut o = Options::new(root, args.now.unwrap_or_else(Now::system));
    o.theme = args.theme.clone();
    if let Some(t) = &args.themes {
        o.themes_dir = t.clone();
    }
    o
}

fn fail(diags: &[diagnostics::Diagnostic], what: &str) -> ExitCode {
    eprint!("{}", diagnostics::report(diags, what));
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { args, out } => {
            let mut o = options(&cli.root, &args);
            if let Some(out) = out {
                o.out = out;
            }
            match build::build(&o) {
                Ok(r) => {
                    println!(
                        "built {} pages from {} records in {} ms into {}",
                        r.pages,
                        r.records,
                        r.millis,
                        o.out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&d, "build"),
            }
        }
        Command::Check { args } => match build::check(&options(&cli.root, &args)) {
            Ok(r) => {
                println!(
                    "ok: {} records, {} pages checked in {} ms",
                    r.records, r.pages, r.millis
                );
                ExitCode::SUCCESS
            }
            Err(d) => fail(&d, "check"),
        },
        Command::Serve {
            args,
            host,
            port,
            data,
            production,
            api_rate,
            trust_proxy,
        } => {
            let build = options(&cli.root, &args);
            let data = data.unwrap_or_else(|| cli.root.join("data"));
            let opts = sbiz::serve::ServeOptions {
                build,
                fixed_now: args.now,
                host,
                port,
                data,
                production: production.then_some(sbiz::serve::Production {
                    rate: api_rate,
                    trust_proxy,
                }),
                timeouts: Default::default(),
            };
            match sbiz::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Backup { dest, data } => {
            let db = data
                .unwrap_or_else(|| cli.root.join("data"))
                .join("booking.sqlite3");
            match sbiz_booking::backup::backup(&db, &dest) {
                Ok(r) => {
                    println!(
                        "backed up {} ({} reservations, {} applications, {} bytes) to {}",
                        db.display(),
                        r.reservations,
                        r.applications,
                        r.bytes,
                        r.path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: backup failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Restore { from, data, force } => {
            let db = data
                .unwrap_or_else(|| cli.root.join("data"))
                .join("booking.sqlite3");
            match sbiz_booking::backup::restore(&from, &db, force) {
                Ok(r) => {
                    println!(
                        "restored {} ({} reservations, {} applications) as {}",
                        from.display(),
                        r.report.reservations,
                        r.report.applications,
                        db.display()
                    );
                    if let Some(p) = r.previous {
                        println!("the previous database is kept as {}", p.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: restore failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { kind, id } => match sbiz::scaffold::create(&cli.root, &kind, &id) {
            Ok(path) => {
                println!("created {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Synth { out, records, hugo } => {
            match sbiz::synth::write_with_hugo(&cli.root, &out, records, hugo.as_deref()) {
                Ok(n) => {
                    println!("wrote {n} records into {}", out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
