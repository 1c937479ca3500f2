//! Loads `content/` into the content model, reading files in parallel and
//! collecting every problem.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::render::cache::{Fingerprint, digest};
use rayon::prelude::*;
use sbiz_catalog::Id;
use serde_yaml::Value;

use crate::diagnostics::Diagnostic;
use crate::i18n::Text;
use crate::model::*;
use crate::t;
use crate::yaml::{Fields, Source};

/// A parsed file: its source and YAML root, or the syntax error.
struct Parsed {
    src: Source,
    root: Value,
    body: String,
}

fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Splits `---\nfront matter\n---\nbody` into (front matter, body, front matter's first line).
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let fm = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((fm, body));
        }
        offset += line.len();
    }
    None
}

/// `text` without the byte order mark it may start with.
pub(crate) fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// A YAML parser's problem in the editor's language: the common ones are in
/// the catalogue; any other is shown in the parser's own (English) words.
fn yaml_problem(msg: &str) -> Text {
    // `duplicate entry with key "name"`, perhaps after the path of its mapping.
    if let Some((_, key)) = msg.split_once("duplicate entry with key ") {
        return t!("the same key is written twice: {key}", key = key);
    }
    Text::lookup(msg)
}

/// A key written twice in one mapping, reported where it is written the
/// second time (the parser points at the mapping) and saying where the
/// first one is. `None` when `msg` is another error, or the second key
/// cannot be placed (then the parser's position is shown).
fn duplicate_key(shown: &Path, yaml: &str, offset: usize, msg: &str) -> Option<Diagnostic> {
    let (_, key) = msg.split_once("duplicate entry with key ")?;
    let name = key.trim().trim_matches('"');
    let twice = crate::yaml::locate::Locator::new(yaml, offset).written_twice(name)?;
    Some(
        Diagnostic::new(
            shown,
            twice.second.line,
            twice.second.column,
            &twice.path,
            t!(
                "the same field is written twice; first on line {line}",
                line = twice.first.line
            ),
        )
        .expected(t!(
            "each field once: keep one of the two `{key}:` lines",
            key = name
        )),
    )
}

fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::new(
            &display_path(root, path),
            1,
            1,
            "",
            t!("cannot read the file: {error}", error = e.to_string()),
        )
        .expected(t!("a UTF-8 text file"))
    })
}

fn parse(root: &Path, path: &Path, markdown: bool) -> Result<Parsed, Diagnostic> {
    parse_text(root, path, read_text(root, path)?, markdown)
}

fn parse_text(
    root: &Path,
    path: &Path,
    text: String,
    markdown: bool,
) -> Result<Parsed, Diagnostic> {
    let shown = display_path(root, path);
    // A byte order mark (Windows editors write one) is not part of the
    // text: without it `---` starts the file and line 1's columns count
    // from the first character an editor sees.
    let text = without_bom(text);
    let (yaml, body, offset) = if markdown {
        match split_front_matter(&text) {
            Some((fm, body)) => (fm, body.to_owned(), 1),
            None => {
                return Err(Diagnostic::new(&shown, 1, 1, "", t!("missing front matter"))
                    .expected(t!("the file to start with a `---` line, the YAML fields, then another `---` line")));
            }
        }
    } else {
        (text.as_str(), String::new(), 0)
    };
    let root_value: Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
            // The parser stops 128 levels deep; say so in an editor's words.
            if msg.starts_with("recursion limit exceeded") {
                return Err(Diagnostic::new(
                    &shown,
                    line + offset,
                    column,
                    "",
                    t!("YAML syntax error: lists and mappings are nested too deeply"),
                )
                .expected(t!(
                    "at most 128 levels of lists and mappings inside each other"
                )));
            }
            if let Some(d) = duplicate_key(&shown, yaml, offset, &msg) {
                return Err(d);
            }
            return Err(Diagnostic::new(
                &shown,
                line + offset,
                column,
                "",
                t!("YAML syntax error: {problem}", problem = yaml_problem(&msg)),
            )
            .expected(t!("valid YAML (check indentation, colons and quotes)")));
        }
    };
    let body_line = if markdown {
        text[..text.len() - body.len()].lines().count() + 1
    } else {
        1
    };
    Ok(Parsed {
        src: Source::new(shown, yaml, offset, body_line),
        root: root_value,
        body,
    })
}

/// Records read from their files, kept between the builds of one process
/// (`sbiz serve`): a file whose path and text are those of an earlier
/// build is not parsed again. A record depends only on its file (its id is
/// its name), so the text decides. A file is not even read again while
/// its [`Stamp`] (size, modification and change times, inode) is the one
/// it had when it was last read, unless that was too soon after it was
/// written to trust (see [`Stamp::settled`]): every folder is still
/// listed and every file's metadata read, so added, removed and renamed
/// files and edits the file watcher missed are all seen; the records of
/// files a load no longer reads (removed or renamed) are dropped at its
/// end. The same for Markdown bodies: one whose text (its XXH3-128) was
/// rendered by the previous build is not rendered again
/// (`markdown::render` reads nothing else). And the same for the pieces of
/// the files the render makes whole (`render::fragments`).
pub struct LoadCache {
    records: Mutex<HashMap<PathBuf, Cached>>,
    markdown: Mutex<MarkdownCache>,
    /// The pieces of the files the render makes whole (search entries,
    /// rows of open data, calendar events), by what they are made of.
    fragments: crate::render::fragments::Fragments,
    /// How long after its last write a file's stamp is trusted.
    settle: std::time::Duration,
}

impl Default for LoadCache {
    fn default() -> LoadCache {
        LoadCache::settling_after(SETTLE)
    }
}

/// What a file's metadata says about its content: equal stamps taken
/// apart in time mean the file was not written in between, provided the
/// earlier one was taken after the file had settled (see `settled`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    /// Change time and inode (Unix): a file replaced by a rename (as many
    /// editors save) or rewritten with its times set back changes them.
    #[cfg(unix)]
    changed: (i64, i64),
    #[cfg(unix)]
    inode: (u64, u64),
}

/// How long after its last write a file's stamp is not trusted (by
/// default; see [`LoadCache::settling_after`]): file
/// systems keep times at a coarse granularity (a clock tick, or seconds
/// on some), so a write within the same tick as the stamp taken before
/// reading can leave the stamp as it was. Such a file is read again (and
/// compared by its text) until its last write is this far in the past.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        }
    }

    /// Whether the file's last write (modification or change) is far
    /// enough before `now` that any later write would change the stamp.
    fn settled(&self, now: std::time::SystemTime, settle: std::time::Duration) -> bool {
        let old = |t: std::time::SystemTime| t.checked_add(settle).is_some_and(|t| t < now);
        #[cfg(unix)]
        let changed = {
            let (secs, nanos) = self.changed;
            let t = if secs >= 0 {
                std::time::UNIX_EPOCH.checked_add(std::time::Duration::new(
                    secs.unsigned_abs(),
                    u32::try_from(nanos).unwrap_or(0),
                ))
            } else {
                None
            };
            t.is_some_and(old)
        };
        #[cfg(not(unix))]
        let changed = true;
        self.modified.is_some_and(old) && changed
    }
}

/// Rendered bodies by the hash of their Markdown: those of the previous
/// build (`old`) and those used by the current one (`new`); what a build
/// no longer uses is dropped at its end.
#[derive(Default)]
struct MarkdownCache {
    old: HashMap<Fingerprint, crate::markdown::Rendered>,
    new: HashMap<Fingerprint, crate::markdown::Rendered>,
}

impl LoadCache {
    /// A cache that trusts a file's stamp once its last write is `settle`
    /// in the past (the default: [`SETTLE`]). Tests pass zero, so that the
    /// files they have just written are not read again unless their
    /// stamps say they changed.
    pub fn settling_after(settle: std::time::Duration) -> LoadCache {
        LoadCache {
            records: Mutex::default(),
            markdown: Mutex::default(),
            fragments: Default::default(),
            settle,
        }
    }

    /// `markdown::render(src)`, from the cache when the previous build (or
    /// this one) rendered the same text.
    pub(crate) fn markdown(&self, src: &str) -> crate::markdown::Rendered {
        let key = digest(src.as_bytes());
        if let Ok(mut m) = self.markdown.lock() {
            if let Some(r) = m.new.get(&key) {
                return r.clone();
            }
            if let Some(r) = m.old.remove(&key) {
                m.new.insert(key, r.clone());
                return r;
            }
        }
        let fresh = crate::markdown::render(src);
        if let Ok(mut m) = self.markdown.lock() {
            m.new.insert(key, fresh.clone());
        }
        fresh
    }

    /// The pieces of the files the render makes whole.
    pub(crate) fn fragments(&self) -> &crate::render::fragments::Fragments {
        &self.fragments
    }

    /// Ends a build's use of the Markdown cache: keeps what it used.
    pub(crate) fn markdown_done(&self) {
        if let Ok(mut m) = self.markdown.lock() {
            m.old = std::mem::take(&mut m.new);
        }
    }

    /// Ends a load's use of the records: keeps those of `files`, the
    /// record files it read.
    fn keep_only(&self, files: &HashSet<PathBuf>) {
        if let Ok(mut r) = self.records.lock() {
            r.retain(|path, _| files.contains(path));
        }
    }

    /// How many files' records are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.records.lock().map_or(0, |r| r.len())
    }
}

/// A file's text hash, the stamp it had before it was read (`None` when
/// it had not settled: read it again next time), and what reading it gave
/// (`(Option<T>, Vec<Diagnostic>)`).
struct Cached {
    hash: Fingerprint,
    stamp: Option<Stamp>,
    read: Arc<dyn Any + Send + Sync>,
}

impl std::fmt::Debug for LoadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.records.lock().map_or(0, |r| r.len());
        write!(f, "LoadCache({n} files)")
    }
}

/// Loads every file under `root/content`.
pub(crate) fn load(root: &Path, cache: Option<&LoadCache>) -> (Content, Vec<Diagnostic>) {
    let mut files = HashSet::new();
    let loaded = load_files(root, cache, &mut files);
    if let Some(cache) = cache {
        cache.keep_only(&files);
    }
    loaded
}

/// [`load`]; `files` gets the paths of the record files read.
fn load_files(
    root: &Path,
    cache: Option<&LoadCache>,
    files: &mut HashSet<PathBuf>,
) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let mut diags = Vec::new();
    let mut content = Content::default();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::new(
                &display_path(root, &content_dir),
                1,
                1,
                "",
                t!("the content folder is missing"),
            )
            .expected(t!(
                "a `content/` folder with site.yaml and the record folders"
            )),
        );
        return (content, diags);
    }

    // site.yaml
    let site_path = content_dir.join("site.yaml");
    match parse(root, &site_path, false) {
        Ok(p) => {
            let mut f = Fields::new(&p.src, String::new(), &p.root, t!("the site settings"));
            content.site = crate::model::read_site(&mut f);
            f.finish();
            let (origin, d) = p.src.finish();
            content.site_origin = Some(origin);
            content.english_edition = Some(p.root.get("en").is_some_and(|v| !v.is_null()));
            diags.extend(d);
        }
        Err(d) => diags.push(d),
    }

    // Taxonomies.
    for tax in Taxonomy::ALL {
        let path = content_dir
            .join("taxonomies")
            .join(format!("{}.yaml", tax.name()));
        match parse(root, &path, false) {
            Ok(p) => {
                let terms = read_list(&p, t!("a term"), crate::model::read_terms);
                let terms: Vec<Term> = terms
                    .into_iter()
                    .map(|(i, mut t)| {
                        t.field = format!("[{i}]");
                        t
                    })
                    .collect();
                // The ids of terms that could not be read: references to
                // them are not reported again.
                if let Value::Sequence(items) = &p.root {
                    let unread = items
                        .iter()
                        .filter_map(|item| item.get("id")?.as_str())
                        .filter(|id| !terms.iter().any(|t| t.id.as_str() == *id))
                        .map(|id| (tax, id.to_owned()));
                    content.unread_terms.extend(unread);
                }
                let (origin, d) = p.src.finish();
                diags.extend(d);
                content.taxonomies.push((tax, origin, terms));
            }
            Err(d) => diags.push(d),
        }
    }

    // Holidays (optional file).
    let hpath = content_dir.join("holidays.yaml");
    if hpath.exists() {
        match parse(root, &hpath, false) {
            Ok(p) => {
                let list = read_list(&p, t!("a holiday"), crate::model::read_holiday);
                content.holidays = list
                    .into_iter()
                    .map(|(i, h)| HolidayEntry {
                        holiday: h,
                        field: format!("[{i}]"),
                    })
                    .collect();
                let (origin, d) = p.src.finish();
                diags.extend(d);
                content.holidays_origin = Some(origin);
            }
            Err(d) => diags.push(d),
        }
    }

    // Message templates (optional file).
    let mpath = content_dir.join("messages.yaml");
    if mpath.exists() {
        match parse(root, &mpath, false) {
            Ok(p) => {
                let mut f =
                    Fields::new(&p.src, String::new(), &p.root, t!("the message templates"));
                if f.is_valid_mapping() {
                    content.messages = crate::model::read_messages(&mut f);
                }
                f.finish();
                let (_, d) = p.src.finish();
                diags.extend(d);
            }
            Err(d) => diags.push(d),
        }
    }

    // Record folders.
    content.surveys = load_kind(
        root,
        &content_dir.join("surveys"),
        false,
        t!("a survey"),
        |f, h, _| read_survey(f, h),
        content.ids.entry("surveys").or_default(),
        cache,
    )
    .into_records("surveys", &mut diags, files, &mut content.failed);
    content.facilities = load_kind(
        root,
        &content_dir.join("facilities"),
        false,
        t!("a facility"),
        |f, h, _| read_facility(f, h),
        content.ids.entry("facilities").or_default(),
        cache,
    )
    .into_records("facilities", &mut diags, files, &mut content.failed);
    content.equipment = load_kind(
        root,
        &content_dir.join("equipment"),
        false,
        t!("a piece of equipment"),
        |f, h, _| read_equipment(f, h),
        content.ids.entry("equipment").or_default(),
        cache,
    )
    .into_records("equipment", &mut diags, files, &mut content.failed);
    content.programmes = load_kind(
        root,
        &content_dir.join("programmes"),
        false,
        t!("a programme"),
        |f, h, _| read_programme(f, h),
        content.ids.entry("programmes").or_default(),
        cache,
    )
    .into_records("programmes", &mut diags, files, &mut content.failed);
    content.policies = load_kind_en(
        root,
        &content_dir.join("policies"),
        true,
        t!("a policy"),
        read_policy,
        content.ids.entry("policies").or_default(),
        cache,
        Some(EnglishFiles::markdown()),
    )
    .into_records("policies", &mut diags, files, &mut content.failed);
    content.jobs = load_kind(
        root,
        &content_dir.join("jobs"),
        false,
        t!("a job posting"),
        |f, h, _| read_job(f, h),
        content.ids.entry("jobs").or_default(),
        cache,
    )
    .into_records("jobs", &mut diags, files, &mut content.failed);
    content.notices = load_kind_en(
        root,
        &content_dir.join("notices"),
        true,
        t!("a notice"),
        read_notice,
        content.ids.entry("notices").or_default(),
        cache,
        Some(EnglishFiles::markdown()),
    )
    .into_records("notices", &mut diags, files, &mut content.failed);
    content.pages = load_kind_en(
        root,
        &content_dir.join("pages"),
        true,
        t!("a page"),
        read_page,
        content.ids.entry("pages").or_default(),
        cache,
        Some(EnglishFiles::markdown()),
    )
    .into_records("pages", &mut diags, files, &mut content.failed);

    diags.extend(unexpected_files(root, &content_dir));
    (content, diags)
}

/// Reads a file whose root is a list of mappings.
fn read_list<T>(
    p: &Parsed,
    what: Text,
    read: impl Fn(&mut Fields<'_>) -> Option<T>,
) -> Vec<(usize, T)> {
    match &p.root {
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let mut f = Fields::new(&p.src, format!("[{i}]"), item, what.clone());
                let out = if f.is_valid_mapping() {
                    read(&mut f)
                } else {
                    None
                };
                f.finish();
                out.map(|t| (i, t))
            })
            .collect(),
        other => {
            p.src.push(
                p.src
                    .at_value("", t!("expected a list"))
                    .found(crate::diagnostics::show_value(other))
                    .expected(t!(
                        "a list, each item ({what}) starting with `- `",
                        what = what
                    )),
            );
            Vec::new()
        }
    }
}

/// What a kind's folder gave: its records, the problems found and the
/// paths of the record files read (the [`LoadCache`] keeps only theirs).
struct Loaded<T> {
    records: Vec<T>,
    /// Files that were parsed but gave no record.
    failed: Vec<Failed>,
    diags: Vec<Diagnostic>,
    files: Vec<PathBuf>,
}

impl<T> Loaded<T> {
    /// The records; the problems go to `diags`, the paths to `files`, the
    /// files that gave no record to `failed` (with their folder's name).
    fn into_records(
        self,
        section: &'static str,
        diags: &mut Vec<Diagnostic>,
        files: &mut HashSet<PathBuf>,
        failed: &mut Vec<(&'static str, Failed)>,
    ) -> Vec<T> {
        diags.extend(self.diags);
        files.extend(self.files);
        failed.extend(self.failed.into_iter().map(|f| (section, f)));
        self.records
    }
}

/// How a Markdown kind reads its records' `<id>.en.md`: `read` fills the
/// record's English from the file's front matter and body, `origin` records
/// where the English file is.
pub(crate) struct EnglishFiles<T> {
    read: fn(&mut Fields<'_>, &mut T, String),
    origin: fn(&mut T, std::sync::Arc<crate::yaml::Origin>),
    /// Checks the file on its own when the Korean file gave no record.
    alone: fn(&mut Fields<'_>, String),
}

impl<T: MarkdownBody> EnglishFiles<T> {
    fn markdown() -> Self {
        EnglishFiles {
            read: read_markdown_english,
            origin: english_origin,
            alone: check_markdown_english::<T>,
        }
    }
}

fn load_kind<T: Send + Sync + Clone + HasHead + 'static>(
    root: &Path,
    dir: &Path,
    markdown: bool,
    what: Text,
    read: impl Fn(&mut Fields<'_>, Head, String) -> Option<T> + Sync,
    ids: &mut HashSet<String>,
    cache: Option<&LoadCache>,
) -> Loaded<T> {
    load_kind_en(root, dir, markdown, what, read, ids, cache, None)
}

/// `load_kind` for the kinds whose records may have an `<id>.en.md`.
/// The Korean files go through `cache`; the English files are read and
/// applied to the (cloned) records on every build.
#[allow(clippy::too_many_arguments)]
fn load_kind_en<T: Send + Sync + Clone + HasHead + 'static>(
    root: &Path,
    dir: &Path,
    markdown: bool,
    what: Text,
    read: impl Fn(&mut Fields<'_>, Head, String) -> Option<T> + Sync,
    ids: &mut HashSet<String>,
    cache: Option<&LoadCache>,
    english: Option<EnglishFiles<T>>,
) -> Loaded<T> {
    let mut english_files: Vec<(PathBuf, String)> = Vec::new();
    let ext = if markdown { "md" } else { "yaml" };
    // Stamps are taken before the files are read; only those of files
    // whose last write was before `now` (less the settling time) are kept.
    let now = std::time::SystemTime::now();
    let mut files: Vec<(PathBuf, Stamp)> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect::<Vec<_>>()
            .into_par_iter()
            // `metadata` follows symbolic links, as `is_file` does.
            .filter_map(|p| {
                let meta = std::fs::metadata(&p).ok().filter(|m| m.is_file())?;
                Some((p, Stamp::of(&meta)))
            })
            .collect(),
        Err(_) => {
            return Loaded {
                records: Vec::new(),
                failed: Vec::new(),
                diags: Vec::new(),
                files: Vec::new(),
            };
        }
    };
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut diags = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut wanted = Vec::new();
    for (path, stamp) in files {
        let shown = display_path(root, &path);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        let Some((stem, e)) = name.rsplit_once('.') else {
            diags.push(
                Diagnostic::new(&shown, 1, 1, "", t!("file without an extension"))
                    .expected(t!("a `.{ext}` file", ext = ext)),
            );
            continue;
        };
        if let (Some(_), Some(korean)) = (&english, stem.strip_suffix(".en"))
            && e == ext
        {
            english_files.push((path.clone(), korean.to_owned()));
            continue;
        }
        if e != ext && !(ext == "yaml" && e == "yml") {
            diags.push(
                Diagnostic::new(
                    &shown,
                    1,
                    1,
                    "",
                    t!("wrong file type for {what}", what = &what),
                )
                .found(format!("`.{e}`"))
                .expected(t!("a `.{ext}` file", ext = ext)),
            );
            continue;
        }
        if let Some(first) = seen.get(stem) {
            diags.push(
                Diagnostic::new(&shown, 1, 1, "", t!("duplicate id"))
                    .found(t!(
                        "`{id}`, already used by {file}",
                        id = stem,
                        file = first.display().to_string()
                    ))
                    .expected(t!("a file name not used by another record of this kind")),
            );
            continue;
        }
        seen.insert(stem.to_owned(), shown.clone());
        match stem.parse::<Id>() {
            Ok(id) => {
                ids.insert(id.to_string());
                let settled = cache.is_some_and(|c| stamp.settled(now, c.settle));
                wanted.push((path, id, settled.then_some(stamp)));
            }
            Err(e) => diags.push(
                Diagnostic::new(&shown, 1, 1, "", t!("the file name is not a valid id"))
                    .found(format!("{stem:?}"))
                    .expected(Text::lookup(&e.expected)),
            ),
        }
    }
    let results: Vec<ReadFile<T>> = wanted
        .par_iter()
        .map(|(path, id, stamp)| {
            type Read<T> = ReadFile<T>;
            // Not written since it was last read: not read again.
            if let (Some(cache), Some(stamp)) = (cache, stamp) {
                // The record is copied outside the lock (in parallel).
                let hit = cache.records.lock().ok().and_then(|r| {
                    let c = r.get(path).filter(|c| c.stamp == Some(*stamp))?;
                    Some(c.read.clone())
                });
                if let Some(hit) = hit.and_then(|a| a.downcast_ref::<Read<T>>().cloned()) {
                    return hit;
                }
            }
            let text = match read_text(root, path) {
                Ok(t) => t,
                Err(d) => return (Err(None), vec![d]),
            };
            let Some(cache) = cache else {
                return read_record(root, path, id, text, markdown, &what, &read);
            };
            let hash = digest(text.as_bytes());
            // The same text as when last read: not parsed again.
            let hit = cache.records.lock().ok().and_then(|mut r| {
                let c = r.get_mut(path).filter(|c| c.hash == hash)?;
                c.stamp = *stamp;
                Some(c.read.clone())
            });
            if let Some(hit) = hit.and_then(|a| a.downcast_ref::<Read<T>>().cloned()) {
                return hit;
            }
            let fresh = read_record(root, path, id, text, markdown, &what, &read);
            if let Ok(mut r) = cache.records.lock() {
                let cached = Cached {
                    hash,
                    stamp: *stamp,
                    read: Arc::new(fresh.clone()),
                };
                r.insert(path.clone(), cached);
            }
            fresh
        })
        .collect();
    let mut out = Vec::new();
    let mut failed = Vec::new();
    for (r, d) in results {
        match r {
            Ok(r) => out.push(r),
            Err(f) => failed.extend(f),
        }
        diags.extend(d);
    }
    if let Some(english) = english {
        for (path, id) in english_files {
            let shown = display_path(root, &path);
            let Some(record) = out.iter_mut().find(|r| r.head().id.as_str() == id) else {
                // A Korean file that failed to read was reported already;
                // its English is checked in the same run.
                if seen.contains_key(&id) {
                    let korean = failed.iter().find(|f: &&Failed| f.id.as_str() == id);
                    let (english_failed, d) =
                        english_alone(root, &path, markdown, english.alone, korean);
                    diags.extend(d);
                    failed.extend(english_failed);
                } else {
                    diags.push(
                        Diagnostic::new(
                            &shown,
                            1,
                            1,
                            "",
                            t!("an English version without its Korean file"),
                        )
                        .found(format!("`{id}.en.{ext}`"))
                        .expected(t!(
                            "`{file}` beside it: the English translates a Korean record",
                            file = format!("{id}.{ext}")
                        )),
                    );
                }
                continue;
            };
            match parse(root, &path, markdown) {
                Ok(p) => {
                    let mut f =
                        Fields::new(&p.src, String::new(), &p.root, t!("the English version"));
                    if f.is_valid_mapping() {
                        (english.read)(&mut f, record, p.body.clone());
                    }
                    f.finish();
                    let (origin, d) = p.src.finish();
                    (english.origin)(record, origin);
                    diags.extend(d);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    Loaded {
        records: out,
        failed,
        diags,
        files: wanted.into_iter().map(|(path, _, _)| path).collect(),
    }
}

/// Checks the English file at `path` of a Korean file that gave no record
/// (`korean`: what was read of it, `None` when it could not be parsed):
/// its problems, and what was read of it, for its Markdown's links to be
/// checked as the English page's when the Korean's are.
fn english_alone(
    root: &Path,
    path: &Path,
    markdown: bool,
    check: fn(&mut Fields<'_>, String),
    korean: Option<&Failed>,
) -> (Option<Failed>, Vec<Diagnostic>) {
    let p = match parse(root, path, markdown) {
        Ok(p) => p,
        Err(d) => return (None, vec![d]),
    };
    let mut f = Fields::new(&p.src, String::new(), &p.root, t!("the English version"));
    if f.is_valid_mapping() {
        check(&mut f, p.body.clone());
    }
    f.finish();
    let bodies = p.src.take_bodies();
    let (origin, d) = p.src.finish();
    let failed = korean.map(|k| Failed {
        id: k.id.clone(),
        meta: k.meta.clone(),
        origin,
        bodies,
        english: true,
    });
    (failed, d)
}

/// What reading a record's file gave: the record, or what could be read
/// of a record that could not be made (`None` when the file could not be
/// parsed at all); and the problems found.
type ReadFile<T> = (Result<T, Option<Failed>>, Vec<Diagnostic>);

/// Reads one record from its file's text.
fn read_record<T: HasHead>(
    root: &Path,
    path: &Path,
    id: &Id,
    text: String,
    markdown: bool,
    what: &Text,
    read: &(impl Fn(&mut Fields<'_>, Head, String) -> Option<T> + Sync),
) -> ReadFile<T> {
    match parse_text(root, path, text, markdown) {
        Ok(p) => {
            let mut f = Fields::new(&p.src, String::new(), &p.root, what.clone());
            let meta = read_meta(&mut f);
            // Origin is only known after reading; use a placeholder and patch it in.
            let placeholder = std::sync::Arc::new(crate::yaml::Origin {
                path: p.src.path.clone(),
                locator: Default::default(),
                body_line: 1,
                refs: Vec::new(),
            });
            let kept = meta.clone();
            let head = Head {
                id: id.clone(),
                meta,
                origin: placeholder,
            };
            let out = if f.is_valid_mapping() {
                read(&mut f, head, p.body.clone())
            } else {
                None
            };
            f.finish();
            let bodies = p.src.take_bodies();
            let (origin, d) = p.src.finish();
            match out {
                Some(r) => (Ok(with_origin(r, origin)), d),
                None => {
                    let failed = Failed {
                        id: id.clone(),
                        meta: kept,
                        origin,
                        bodies,
                        english: false,
                    };
                    (Err(Some(failed)), d)
                }
            }
        }
        Err(d) => (Err(None), vec![d]),
    }
}

/// Replaces the placeholder origin of a freshly read record.
fn with_origin<T: HasHead>(mut record: T, origin: std::sync::Arc<crate::yaml::Origin>) -> T {
    record.head_mut().origin = origin;
    record
}

/// What `content/` may hold: the site's files, the folder of each kind
/// (from [`Kind::SECTIONS`]) and the pages.
fn top_level() -> Vec<&'static str> {
    let mut names = vec![
        "site.yaml",
        "taxonomies",
        "holidays.yaml",
        "messages.yaml",
        "surveys",
    ];
    names.extend(Kind::SECTIONS);
    names.push("pages");
    names
}

/// Files or folders in `content/` that nothing reads: likely a misplaced file.
fn unexpected_files(root: &Path, content_dir: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(content_dir) else {
        return out;
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let top_level = top_level();
    for name in names {
        if name.starts_with('.') || top_level.contains(&name.as_str()) {
            continue;
        }
        let mut d = Diagnostic::new(
            &display_path(root, &content_dir.join(&name)),
            1,
            1,
            "",
            t!("unexpected file or folder in content/"),
        )
        .found(format!("`{name}`"))
        .expected(t!(
            "only {names}",
            names = top_level
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if let Some(s) = crate::diagnostics::suggest(&name, top_level.iter().copied()) {
            d = d.help(crate::diagnostics::did_you_mean(s));
        }
        out.push(d);
    }
    let tax_dir = content_dir.join("taxonomies");
    if let Ok(rd) = std::fs::read_dir(&tax_dir) {
        let known: Vec<String> = Taxonomy::ALL
            .iter()
            .map(|t| format!("{}.yaml", t.name()))
            .collect();
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            if !name.starts_with('.') && !known.contains(&name) {
                out.push(
                    Diagnostic::new(
                        &display_path(root, &tax_dir.join(&name)),
                        1,
                        1,
                        "",
                        t!("unknown taxonomy file"),
                    )
                    .found(format!("`{name}`"))
                    .expected(t!("one of {names}", names = known.join(", "))),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
        std::fs::write(&path, text).expect("write");
    }

    #[test]
    fn the_cache_keeps_only_the_records_of_files_the_last_load_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let notice = "---\ntitle: 알림\ndate: 2026-11-01\n---\n본문\n";
        for id in ["a", "b", "c"] {
            write(root, &format!("content/notices/{id}.md"), notice);
        }
        // An English version is read on every load, never cached.
        write(
            root,
            "content/notices/a.en.md",
            "---\ntitle: Notice\n---\nBody\n",
        );
        write(root, "content/facilities/x.yaml", "name: 센터\n");
        let cache = LoadCache::settling_after(std::time::Duration::ZERO);
        let n = |what: &str| {
            load(root, Some(&cache));
            let n = cache.len();
            // A second load of the same files keeps the same.
            load(root, Some(&cache));
            assert_eq!(cache.len(), n, "{what}, loaded again");
            n
        };
        assert_eq!(n("four records"), 4);
        let notices = root.join("content/notices");
        std::fs::rename(notices.join("b.md"), notices.join("d.md")).expect("rename");
        assert_eq!(n("a record renamed"), 4);
        std::fs::remove_file(notices.join("c.md")).expect("remove");
        assert_eq!(n("a record removed"), 3);
        std::fs::rename(notices.join("d.md"), notices.join("d.txt")).expect("rename");
        assert_eq!(n("a record's file renamed to another type"), 2);
        std::fs::remove_dir_all(root.join("content/facilities")).expect("remove the folder");
        assert_eq!(n("a kind's folder removed"), 1);
        std::fs::remove_dir_all(root.join("content")).expect("remove content");
        assert_eq!(n("the content folder removed"), 0);
    }
}
