//! The built site: the repository's real content, built once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The moment the test site is built at (Korea time), as `sbiz build --now`.
pub const NOW: &str = "2026-11-28";

/// Sections of the record kinds, as in URLs.
pub const SECTIONS: [&str; 6] = sbiz::model::Kind::SECTIONS;

/// Path segments of list pages that are not record ids.
pub const NOT_IDS: [&str; 7] = [
    "industries",
    "districts",
    "audiences",
    "stages",
    "areas",
    "status",
    "page",
];

pub struct BuiltSite {
    /// The output folder (like `public/`).
    pub out: PathBuf,
}

static SITE: OnceLock<BuiltSite> = OnceLock::new();

/// Builds `content/` with the default theme at [`NOW`], once per process.
/// Each test binary gets its own output folder, so binaries never race.
pub fn built() -> &'static BuiltSite {
    SITE.get_or_init(|| {
        let name = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "site".into());
        let out = crate::scratch_dir().join(format!("public-{name}"));
        build_into(&out);
        BuiltSite { out }
    })
}

/// Builds the repository's site into `out` (replacing what was there).
pub fn build_into(out: &Path) {
    build_at(out, NOW);
}

/// Builds the repository's site into `out` at `now` (`2026-11-25`, Korea
/// time, as `sbiz build --now`), replacing what was there.
pub fn build_at(out: &Path, now: &str) {
    let now = now.parse().expect("a valid --now");
    let mut opts = sbiz::build::Options::new(crate::repo_root(), now);
    opts.out = out.to_path_buf();
    if let Err(failure) = sbiz::build::build(&opts) {
        let text: Vec<String> = failure.errors.iter().map(|d| format!("{d:?}")).collect();
        panic!("the site does not build:\n{}", text.join("\n"));
    }
}

impl BuiltSite {
    /// Every HTML file, sorted.
    pub fn html_files(&self) -> Vec<PathBuf> {
        let mut v = Vec::new();
        walk(&self.out, &mut v);
        v.retain(|p| p.extension().is_some_and(|e| e == "html"));
        v.sort();
        v
    }

    /// The site URL of an output file (`/programmes/x/` for
    /// `programmes/x/index.html`).
    pub fn url_of(&self, file: &Path) -> String {
        let rel = file
            .strip_prefix(&self.out)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        match rel.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{rel}"),
        }
    }

    /// The output file of a site URL.
    pub fn file_of(&self, url: &str) -> PathBuf {
        let rel = url.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            self.out.join(rel).join("index.html")
        } else {
            self.out.join(rel)
        }
    }

    /// Whether a page exists at `url`.
    pub fn has(&self, url: &str) -> bool {
        self.file_of(url).is_file()
    }

    /// The URL of the first record's detail page of a section.
    pub fn first_detail(&self, section: &str) -> Option<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.out.join(section))
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.path().join("index.html").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !NOT_IDS.contains(&n.as_str()))
            .collect();
        ids.sort();
        ids.first().map(|id| format!("/{section}/{id}/"))
    }

    /// What template a URL was rendered with, for grouping pages in reports:
    /// `home`, `list:<section>`, `filtered:<section>`, `detail:<section>`,
    /// `taxonomy`, `term`, `search`, `404` or `page`; pages of the English
    /// edition (`/en/…`) as `en:<template>`.
    pub fn template_of(&self, url: &str) -> String {
        if let Some(rest) = url.strip_prefix("/en/") {
            return format!("en:{}", self.template_of(&format!("/{rest}")));
        }
        let parts: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
        match parts.as_slice() {
            [] => "home".into(),
            ["404.html"] => "404".into(),
            ["search"] => "search".into(),
            [s] if SECTIONS.contains(s) => format!("list:{s}"),
            [s, "page", _] if SECTIONS.contains(s) => format!("list:{s}"),
            [s, f, ..] if SECTIONS.contains(s) && NOT_IDS.contains(f) => format!("filtered:{s}"),
            [s, _] if SECTIONS.contains(s) => format!("detail:{s}"),
            [t] if NOT_IDS[..5].contains(t) => "taxonomy".into(),
            [t, _] if NOT_IDS[..5].contains(t) => "term".into(),
            _ => "page".into(),
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}
