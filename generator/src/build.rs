//! The build: load → check → assemble → render into a staging folder → swap.
//!
//! An invalid build writes nothing: the output is rendered next to the old
//! `public/`, which is replaced only when everything succeeded. A rebuild is
//! incremental: each folder's manifest (`render::cache`) lets the render
//! skip every file whose inputs did not change.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diagnostics::{self, Diagnostic};
use crate::render::cache::Manifest;
use crate::render::{self, Renderer};
use crate::site::{self, Site};
use crate::t;
use sbiz_catalog::clock::Now;

pub use crate::load::LoadCache;

#[derive(Debug, Clone)]
pub struct Options {
    /// The site root: holds `content/` and `themes/`.
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub out: PathBuf,
    pub theme: String,
    /// Folder holding the themes (default `<root>/themes`).
    pub themes_dir: PathBuf,
    pub now: Now,
    /// Replaces `site.yaml`'s `messaging:` (the channels the forms offer):
    /// `sbiz serve` sets it to the channels it is configured with, so the
    /// pages it builds promise exactly what it sends.
    pub messaging: Option<Vec<sbiz_catalog::Channel>>,
    /// Records parsed by earlier builds of this process (`sbiz serve`
    /// keeps one), so that only the files whose text changed are parsed.
    pub cache: Option<Arc<LoadCache>>,
    /// The process ends when this build returns (`sbiz build`): the
    /// assembled site is then left for the end of the process to take back
    /// instead of being freed piece by piece (3 % of the CPU of a
    /// 10,000-record rebuild). `sbiz serve`, which builds again and again,
    /// leaves it false.
    pub exits_after: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>, now: Now) -> Options {
        let root = root.into();
        Options {
            out: root.join("public"),
            themes_dir: root.join("themes"),
            root,
            theme: "default".into(),
            now,
            messaging: None,
            cache: None,
            exits_after: false,
        }
    }
    fn theme_dir(&self) -> PathBuf {
        self.themes_dir.join(&self.theme)
    }
}

#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub records: usize,
    pub millis: u128,
    /// HTML pages rendered by this build (all of them for `check`, a clean
    /// build, or a build whose output folder has no usable manifest).
    pub rendered: usize,
    /// HTML pages whose inputs had not changed, left as they were.
    pub unchanged: usize,
    /// What the build did that an editor should know (see
    /// [`crate::warning`]), sorted by file and position.
    pub warnings: Vec<crate::warning::Warning>,
    /// What the output now holds (for `sbiz serve`, which reloads the
    /// booking API only from the files whose fingerprint changed).
    pub(crate) files: Files,
}

/// A build or check that failed: its errors, sorted by file and position,
/// and the warnings found meanwhile (an editor fixing the errors learns of
/// them in the same run).
#[derive(Debug, Default)]
pub struct Failure {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<crate::warning::Warning>,
}

impl From<Vec<Diagnostic>> for Failure {
    /// Errors found before any warning could be (the output folder, the
    /// lock).
    fn from(errors: Vec<Diagnostic>) -> Failure {
        Failure {
            errors,
            warnings: Vec::new(),
        }
    }
}

/// The fingerprint of every file a build wrote or kept, by site URL.
#[derive(Default)]
pub(crate) struct Files(Manifest);

impl Files {
    /// The fingerprint of the file at `url` (`/catalog.json`), if any.
    pub(crate) fn fingerprint(&self, url: &str) -> Option<&crate::render::cache::Fingerprint> {
        self.0.files.get(url)
    }
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Files({} files)", self.0.files.len())
    }
}

/// Loads and checks the content; returns the assembled site.
pub(crate) fn load_site(opts: &Options) -> Result<Site, Failure> {
    let t = Instant::now();
    let (mut content, mut diags) = crate::load::load(&opts.root, opts.cache.as_deref());
    if let (Some(m), Some(site)) = (&opts.messaging, content.site.as_mut()) {
        site.messaging = m.clone();
    }
    timing("load", t);
    let t = Instant::now();
    diags.extend(crate::validate::check(&content));
    timing("check references", t);
    // Links are checked whatever was found so far: one run lists every
    // problem.
    let t = Instant::now();
    let site = site::assemble(content, opts.now, opts.cache.as_deref(), &opts.root, diags).map_err(
        |mut f| {
            diagnostics::sort(&mut f.errors);
            f
        },
    );
    timing("assemble (Markdown, links, catalog)", t);
    site
}

/// With `SBIZ_TIMINGS` set, prints how long a phase took (for profiling
/// builds; benchmarks measure whole runs).
pub(crate) fn timing(phase: &str, since: Instant) {
    if std::env::var_os("SBIZ_TIMINGS").is_some() {
        eprintln!("{phase}: {} ms", since.elapsed().as_millis());
    }
}

/// Where a build writes: a folder, the file that holds its manifest, and
/// whether the folder was empty (then it has nothing to compare with or
/// to prune: a clean build).
struct Target<'p> {
    dir: &'p Path,
    manifest: &'p Path,
    empty: bool,
}

/// Everything a build does, without writing when `out` is `None`; returns
/// the report and the manifest of what the folder now holds.
fn run(opts: &Options, out: Option<Target<'_>>) -> Result<(Report, Manifest), Failure> {
    let started = Instant::now();
    let site = load_site(opts);
    let theme = opts.theme_dir();
    let templates = render::templates::load(&theme, &opts.root);
    let shown = theme
        .strip_prefix(&opts.root)
        .unwrap_or(&theme)
        .join("static");
    let assets = render::assets::collect(&theme.join("static"), &shown).map_err(|d| vec![d]);
    // The content, the templates and the assets are checked apart: their
    // problems are reported together.
    let (mut site, templates, (mut asset_map, mut assets)) = match (site, templates, assets) {
        (Ok(s), Ok(t), Ok(a)) => (s, t, a),
        (s, t, a) => {
            let mut failure = match s {
                Ok(mut site) => Failure {
                    errors: Vec::new(),
                    warnings: warnings_of(&mut site),
                },
                Err(f) => f,
            };
            failure.errors.extend(t.err().unwrap_or_default());
            failure.errors.extend(a.err().unwrap_or_default());
            diagnostics::sort(&mut failure.errors);
            return Err(failure);
        }
    };
    render::assets::add_form_texts(&templates.translations, &mut asset_map, &mut assets);
    let warnings = warnings_of(&mut site);
    let t = Instant::now();
    // The English edition, when site.yaml has `en:` (see `crate::english`).
    let english_site = site.english();
    let renderer = Renderer::new(&site, templates.clone(), &asset_map);
    let english = english_site
        .as_ref()
        .map(|s| Renderer::english(s, templates, &asset_map, &renderer));
    timing("index entries", t);
    // The folder's manifest is read, then removed before anything is
    // written: a build that stops half-way leaves a folder without one,
    // which the next build renders whole.
    // An empty folder holds none of what a manifest may still list.
    let previous = out.as_ref().and_then(|o| {
        let m = Manifest::read(o.manifest).filter(|_| !o.empty);
        let _ = std::fs::remove_file(o.manifest);
        m
    });
    let t = Instant::now();
    let rendered = renderer.render_all(
        out.as_ref().map(|o| render::Out {
            dir: o.dir,
            empty: o.empty,
        }),
        previous.as_ref(),
        &assets,
        english.as_ref(),
        render::fragments::Pieces(opts.cache.as_deref().map(LoadCache::fragments)),
    );
    if let Some(c) = &opts.cache {
        let pieces = c.fragments();
        pieces.done();
        if std::env::var_os("SBIZ_TIMINGS").is_some() {
            let (made, used) = pieces.last_build();
            eprintln!(
                "pieces of the files made whole: {made} made, {} reused",
                used.saturating_sub(made)
            );
        }
    }
    let rendered = rendered.map_err(|errors| Failure {
        errors,
        warnings: warnings.clone(),
    })?;
    timing("render and write", t);
    // A folder that was empty holds only what this build wrote.
    if let Some(o) = out.as_ref().filter(|o| !o.empty) {
        let t = Instant::now();
        prune(o.dir, &rendered.manifest, previous.as_ref());
        timing("prune", t);
    }
    let report = Report {
        pages: rendered.html_urls.len(),
        records: renderer.records(),
        millis: started.elapsed().as_millis(),
        rendered: rendered.rendered,
        unchanged: rendered.unchanged,
        warnings,
        files: Files::default(),
    };
    // Freeing the assembled sites (every record, body and view) takes one
    // thread tens of milliseconds on a large site: not done at all when the
    // process ends next, otherwise another thread does it while the output
    // is swapped in.
    // The renderers (entries, cards, the texts the search index is made
    // of: few large blocks) are freed, so that what the swap allocates can
    // reuse their memory.
    drop(english);
    drop(renderer);
    if opts.exits_after {
        std::mem::forget((site, english_site));
    } else {
        std::thread::spawn(move || drop((site, english_site)));
    }
    Ok((report, rendered.manifest))
}

/// The warnings of an assembled site, taken out of it.
fn warnings_of(site: &mut Site) -> Vec<crate::warning::Warning> {
    std::mem::take(&mut site.warnings)
        .into_iter()
        .map(crate::warning::Warning)
        .collect()
}

/// Validates everything (content, links, templates) without writing.
pub fn check(opts: &Options) -> Result<Report, Failure> {
    run(opts, None).map(|(r, _)| r)
}

/// Builds into a staging folder beside the output, then swaps it in.
///
/// The staging folder (`public.staging` next to `public`) is kept between
/// builds: after a swap it holds the previous output, which the next build
/// updates in place (only the files whose fingerprint changed) and prunes.
/// That saves rendering and writing tens of thousands of files per build,
/// while `public/` itself is only ever replaced whole. A lock file keeps
/// two builds from sharing it.
///
/// Each folder's manifest lives beside it (`public.cache`,
/// `public.staging.cache`) and moves with it at the swap: both are out of
/// place before the folders are renamed (the staging one removed, the
/// output's moved to `public.swap.cache`) and put back after, so that a
/// crash in between leaves folders without manifests (rendered whole next
/// time; the next build removes a `public.swap.cache` left behind), never
/// a manifest describing the other folder.
pub fn build(opts: &Options) -> Result<Report, Failure> {
    let name = opts
        .out
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("public")
        .to_owned();
    let parent = opts
        .out
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let staging = parent.join(format!("{name}.staging"));
    let swap = parent.join(format!("{name}.swap"));
    let io = |what: crate::i18n::Text, p: &Path, e: std::io::Error| {
        vec![Diagnostic::new(
            p,
            1,
            1,
            "",
            t!("cannot {what}: {error}", what = what, error = e.to_string()),
        )]
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(t!("create the output folder"), &parent, e))?;
    let lock_path = parent.join(format!("{name}.lock"));
    let lock = std::fs::File::create(&lock_path)
        .map_err(|e| io(t!("create the build lock"), &lock_path, e))?;
    lock.lock()
        .map_err(|e| io(t!("lock the build"), &lock_path, e))?;
    let staging_manifest = parent.join(format!("{name}.staging.cache"));
    let out_manifest = parent.join(format!("{name}.cache"));
    // The old output's manifest while the folders are swapped.
    let swap_manifest = parent.join(format!("{name}.swap.cache"));
    // A swap interrupted before its last step leaves the old output here
    // (without a manifest: see below).
    if swap.exists() && !staging.exists() {
        let _ = std::fs::remove_file(&staging_manifest);
        let _ = std::fs::rename(&swap, &staging);
    }
    remove_tree(&swap);
    let _ = std::fs::remove_file(&swap_manifest);
    // The file lists of earlier versions of sbiz.
    for old in [format!("{name}.files"), format!("{name}.staging.files")] {
        let _ = std::fs::remove_file(parent.join(old));
    }
    std::fs::create_dir_all(&staging)
        .map_err(|e| io(t!("create the staging folder"), &staging, e))?;
    // Empty after a clean start (no earlier build, or its folders removed):
    // then the build writes without looking at what is there and prunes
    // nothing. The lock keeps other builds out of it meanwhile.
    let empty = std::fs::read_dir(&staging).is_ok_and(|mut d| d.next().is_none());
    let (mut report, manifest) = run(
        opts,
        Some(Target {
            dir: &staging,
            manifest: &staging_manifest,
            empty,
        }),
    )?;
    // The old output's manifest goes with it to the staging side, moved
    // as it is (the build that uses it reads and checks it).
    let moved = std::fs::rename(&out_manifest, &swap_manifest).is_ok();
    if opts.out.exists()
        && let Err(e) = std::fs::rename(&opts.out, &swap)
    {
        let _ = std::fs::remove_file(&swap_manifest);
        return Err(io(t!("move the old output aside"), &opts.out, e).into());
    }
    if let Err(e) = std::fs::rename(&staging, &opts.out) {
        // Put the previous output back (its manifest is gone: rendered
        // whole next time).
        let _ = std::fs::rename(&swap, &opts.out);
        let _ = std::fs::remove_file(&swap_manifest);
        return Err(io(t!("move the new output in place"), &opts.out, e).into());
    }
    let _ = manifest.write(&out_manifest);
    if !(moved
        && swap.exists()
        && std::fs::rename(&swap, &staging).is_ok()
        && std::fs::rename(&swap_manifest, &staging_manifest).is_ok())
    {
        let _ = std::fs::remove_file(&swap_manifest);
    }
    report.files = Files(manifest);
    Ok(report)
}

/// Deletes files under `dir` that this build did not write (left from an
/// older build), then the folders that became empty. `previous` lists what
/// the folder held, when known; otherwise the folder is walked.
fn prune(dir: &Path, written: &Manifest, previous: Option<&Manifest>) {
    use rayon::prelude::*;
    let held: Vec<PathBuf> = match previous {
        // Only URLs this build did not write can be stale (most rebuilds
        // have none): their files, not every file's, are compared below.
        Some(m) => m
            .files
            .keys()
            .filter(|u| !written.files.contains_key(*u))
            .map(|u| crate::urls::url_path(dir, u))
            .collect(),
        None => walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(walkdir::DirEntry::into_path)
            .collect(),
    };
    if held.is_empty() {
        return;
    }
    // Compared by file, since two URLs can name one file (`/a/` and
    // `/a/index.html`).
    let keep: std::collections::HashSet<PathBuf> = written
        .files
        .keys()
        .map(|u| crate::urls::url_path(dir, u))
        .collect();
    let stale: Vec<&PathBuf> = held.iter().filter(|p| !keep.contains(*p)).collect();
    stale.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    // Remove folders that became empty, deepest first, up to `dir`.
    let mut emptied: Vec<PathBuf> = stale
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    emptied.dedup();
    let mut i = 0;
    while i < emptied.len() {
        let d = emptied[i].clone();
        i += 1;
        if d.starts_with(dir)
            && d != dir
            && std::fs::remove_dir(&d).is_ok()
            && let Some(parent) = d.parent()
        {
            emptied.push(parent.to_path_buf());
        }
    }
}

/// Deletes a folder tree, files in parallel (an old output can hold tens of
/// thousands of files).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if !dir.exists() {
        return;
    }
    let (dirs, files): (Vec<walkdir::DirEntry>, Vec<walkdir::DirEntry>) =
        walkdir::WalkDir::new(dir)
            .contents_first(true)
            .into_iter()
            .filter_map(Result::ok)
            .partition(|e| e.file_type().is_dir());
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f.path());
    });
    // Deepest first (contents_first order), each folder now empty.
    for d in &dirs {
        let _ = std::fs::remove_dir(d.path());
    }
    // Anything left (e.g. a file created meanwhile) goes the slow way.
    let _ = std::fs::remove_dir_all(dir);
}
