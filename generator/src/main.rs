//! `sbiz`: build, check, preview and scaffold the portal's content.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use sbiz::build::{self, Options};
use sbiz::diagnostics::{self, Step};
use sbiz::i18n::{self, Lang, Text};
use sbiz::t;
use sbiz_catalog::clock::Now;

// The help below is English; `localize` shows it in Korean from the message
// catalogue (generator/src/i18n/catalogue.rs), which has every help line.
#[derive(Parser)]
#[command(
    name = "sbiz",
    version,
    about = "서울 소공인 지원 포털: builds content/ into the static site in public/",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// The site folder holding content/ and themes/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Language of the messages: ko or en (default: SBIZ_LANG, then the locale, then Korean).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Print help.
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// Print the version.
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
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
        /// Address to listen on (the default, this computer only).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port to listen on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Folder for the booking database (default: <root>/data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        out: Option<PathBuf>,
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

/// The errors, the warnings found with them and the closing count line.
fn fail(failure: &build::Failure, step: Step) -> ExitCode {
    eprint!("{}", diagnostics::report(failure, step));
    ExitCode::FAILURE
}

/// An error line: `error: …` in the chosen language.
fn error(message: Text) -> ExitCode {
    eprintln!("{}: {message}", t!("error"));
    ExitCode::FAILURE
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| t!("expected ko or en").to_string())
}

/// `--lang` as given on the command line, read before clap so that the help
/// and clap's own parsing already speak the chosen language.
fn lang_from_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).and_then(|v| Lang::parse(v)),
            Some(v) => v.strip_prefix('=').and_then(Lang::parse),
            None => None,
        })
}

/// The command's help in `lang`: every about and help line is looked up in
/// the catalogue by its English text.
fn localize(cmd: clap::Command, lang: Lang) -> clap::Command {
    if lang == Lang::En {
        return cmd;
    }
    let tr = |s: &str| Text::lookup(s).render(lang);
    // clap's own headings are English; the template names the sections.
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n",
        tr("Usage:")
    );
    if cmd.has_subcommands() {
        template.push_str(&format!("\n{}:\n{{subcommands}}\n", tr("Commands")));
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str(&format!("\n{}:\n{{positionals}}\n", tr("Arguments")));
    }
    template.push_str(&format!("\n{}:\n{{options}}{{after-help}}", tr("Options")));
    let default = tr("default");
    let mut cmd = cmd
        .help_template(template)
        .subcommand_value_name(tr("COMMAND"))
        .mut_args(|a| {
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let mut help = a.get_help().map(|h| tr(&h.to_string()));
            let shows_default = !defaults.is_empty() && !a.is_hide_default_value_set();
            if shows_default {
                help = Some(format!(
                    "{} [{default}: {}]",
                    help.unwrap_or_default(),
                    defaults.join(", ")
                ));
            }
            let long = a.get_long_help().map(|h| tr(&h.to_string()));
            let mut a = if shows_default {
                a.hide_default_value(true)
            } else {
                a
            };
            if let Some(h) = help {
                a = a.help(h);
            }
            if let Some(h) = long {
                a = a.long_help(h);
            }
            a
        });
    if let Some(about) = cmd.get_about().map(|a| tr(&a.to_string())) {
        cmd = cmd.about(about);
    }
    if let Some(about) = cmd.get_long_about().map(|a| tr(&a.to_string())) {
        cmd = cmd.long_about(about);
    }
    cmd.mut_subcommands(|sub| localize(sub, lang))
}

/// A command-line mistake in Korean: clap's common kinds from the catalogue,
/// any other in clap's own (English) words.
fn parse_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let get = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => t!(
            "unknown command: `{name}`",
            name = get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => t!(
            "unknown option or argument: `{name}`",
            name = get(ContextKind::InvalidArg)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            t!(
                "invalid value `{value}` for {arg}: {why}",
                value = get(ContextKind::InvalidValue),
                arg = get(ContextKind::InvalidArg),
                why = why
            )
        }
        ErrorKind::MissingRequiredArgument => t!(
            "required arguments are missing: {names}",
            names = get(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            t!("a command is missing")
        }
        _ => return e.render().to_string(),
    };
    let mut out = format!("{}: {message}\n", t!("error"));
    let suggestion = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
        .into_iter()
        .map(get)
        .find(|s| !s.is_empty());
    if let Some(s) = suggestion {
        out.push_str(&format!(
            "  {} {}\n",
            t!("help:"),
            diagnostics::did_you_mean(&s)
        ));
    }
    out.push_str(&format!(
        "\n{}\n",
        t!("For more information, try '--help'.")
    ));
    out
}

/// See the comment on `mimalloc` in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_from_args(&args).unwrap_or_else(|| Lang::from_env(|k| std::env::var(k).ok()));
    i18n::set(lang);
    let matches = match localize(Cli::command(), lang).try_get_matches_from(args) {
        Ok(m) => m,
        // Help and version go to stdout as they are (already localized).
        Err(e) if lang == Lang::Ko && e.use_stderr() => {
            eprint!("{}", parse_error(&e));
            std::process::exit(e.exit_code());
        }
        Err(e) => e.exit(),
    };
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Build { args, out } => {
            let mut o = options(&cli.root, &args);
            if let Some(out) = out {
                o.out = out;
            }
            o.exits_after = true;
            match build::build(&o) {
                Ok(r) => {
                    eprint!("{}", sbiz::warning::report(&r.warnings));
                    println!(
                        "{}",
                        t!(
                            "built {pages} pages from {records} records in {ms} ms into {out} ({rendered} rendered, {unchanged} unchanged)",
                            pages = r.pages,
                            rendered = r.rendered,
                            unchanged = r.unchanged,
                            records = r.records,
                            ms = r.millis as u64,
                            out = o.out.display().to_string()
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&d, Step::Build),
            }
        }
        Command::Check { args } => match build::check(&options(&cli.root, &args)) {
            Ok(r) => {
                eprint!("{}", sbiz::warning::report(&r.warnings));
                println!(
                    "{}",
                    t!(
                        "ok: {records} records, {pages} pages checked in {ms} ms",
                        records = r.records,
                        pages = r.pages,
                        ms = r.millis as u64
                    )
                );
                ExitCode::SUCCESS
            }
            Err(d) => fail(&d, Step::Check),
        },
        Command::Serve {
            args,
            host,
            port,
            data,
            out,
            production,
            api_rate,
            trust_proxy,
        } => {
            let mut build = options(&cli.root, &args);
            if let Some(out) = out {
                build.out = out;
            }
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
                Err(e) => error(e.into()),
            }
        }
        Command::Backup { dest, data } => {
            let db = data
                .unwrap_or_else(|| cli.root.join("data"))
                .join("booking.sqlite3");
            // The usual mistakes, said in the editor's language before the
            // booking crate (whose own messages are English) is asked.
            if !db.is_file() {
                return error(t!(
                    "backup failed: {error}",
                    error = t!("{path} does not exist", path = db.display().to_string())
                ));
            }
            if dest.exists() {
                return error(t!(
                    "backup failed: {error}",
                    error = t!(
                        "{path} already exists; choose a new name",
                        path = dest.display().to_string()
                    )
                ));
            }
            match sbiz_booking::backup::backup(&db, &dest) {
                Ok(r) => {
                    println!(
                        "{}",
                        t!(
                            "backed up {db} ({reservations} reservations, {applications} applications, {bytes} bytes) to {dest}",
                            db = db.display().to_string(),
                            reservations = r.reservations,
                            applications = r.applications,
                            bytes = r.bytes,
                            dest = r.path.display().to_string()
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => error(t!("backup failed: {error}", error = e.to_string())),
            }
        }
        Command::Restore { from, data, force } => {
            let db = data
                .unwrap_or_else(|| cli.root.join("data"))
                .join("booking.sqlite3");
            if !from.is_file() {
                return error(t!(
                    "restore failed: {error}",
                    error = t!("{path} does not exist", path = from.display().to_string())
                ));
            }
            let mut wal = db.clone().into_os_string();
            wal.push("-wal");
            if !force && PathBuf::from(&wal).exists() {
                return error(t!(
                    "restore failed: {error}",
                    error = t!(
                        "{path} is in use (its write-ahead log exists): stop the server first, or pass --force after a crash",
                        path = db.display().to_string()
                    )
                ));
            }
            match sbiz_booking::backup::restore(&from, &db, force) {
                Ok(r) => {
                    println!(
                        "{}",
                        t!(
                            "restored {from} ({reservations} reservations, {applications} applications) as {db}",
                            from = from.display().to_string(),
                            reservations = r.report.reservations,
                            applications = r.report.applications,
                            db = db.display().to_string()
                        )
                    );
                    if let Some(p) = r.previous {
                        println!(
                            "{}",
                            t!(
                                "the previous database is kept as {path}",
                                path = p.display().to_string()
                            )
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => error(t!("restore failed: {error}", error = e.to_string())),
            }
        }
        Command::New { kind, id } => match sbiz::scaffold::create(&cli.root, &kind, &id, lang) {
            Ok(path) => {
                println!(
                    "{}",
                    t!(
                        "created {path}",
                        path = sbiz::scaffold::shown(&cli.root, &path)
                    )
                );
                ExitCode::SUCCESS
            }
            Err(e) => error(e),
        },
        Command::Synth { out, records, hugo } => {
            match sbiz::synth::write_with_hugo(&cli.root, &out, records, hugo.as_deref()) {
                Ok(n) => {
                    println!(
                        "{}",
                        t!(
                            "wrote {n} records into {out}",
                            n = n,
                            out = out.display().to_string()
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => error(e.into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(cmd: &clap::Command, out: &mut Vec<String>) {
        out.extend(cmd.get_about().map(|a| a.to_string()));
        out.extend(cmd.get_long_about().map(|a| a.to_string()));
        for a in cmd.get_arguments() {
            out.extend(a.get_help().map(|h| h.to_string()));
            out.extend(a.get_long_help().map(|h| h.to_string()));
        }
        for s in cmd.get_subcommands() {
            texts(s, out);
        }
    }

    #[test]
    fn every_help_line_has_a_korean_wording() {
        let mut all = vec![
            "Usage:".to_owned(),
            "Commands".to_owned(),
            "COMMAND".to_owned(),
            "Arguments".to_owned(),
            "Options".to_owned(),
            "default".to_owned(),
        ];
        texts(&Cli::command(), &mut all);
        let missing: Vec<&String> = all
            .iter()
            .filter(|s| matches!(Text::lookup(s), Text::Plain(_)))
            .collect();
        assert!(missing.is_empty(), "not in the catalogue: {missing:#?}");
    }

    #[test]
    fn the_language_flag_is_read_before_clap() {
        let args = |s: &[&str]| s.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_from_args(&args(&["sbiz", "--lang", "en", "check"])),
            Some(Lang::En)
        );
        assert_eq!(
            lang_from_args(&args(&["sbiz", "check", "--lang=ko"])),
            Some(Lang::Ko)
        );
        assert_eq!(lang_from_args(&args(&["sbiz", "check"])), None);
    }

    #[test]
    fn the_command_is_valid_in_both_languages() {
        localize(Cli::command(), Lang::Ko).debug_assert();
        Cli::command().debug_assert();
    }
}
