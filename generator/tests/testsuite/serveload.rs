//! `sbiz serve` keeps the content it loaded between rebuilds and reads
//! again only the files whose stamp (size, times, inode) changed. After
//! each kind of edit an editor makes (a field, a file added, removed or
//! renamed, one saved through a temporary file, a file broken then fixed,
//! site.yaml, a taxonomy term) its output is byte for byte a clean
//! build's, and the errors it shows are a full check's. The edits keep
//! each file's size and put its modification time back, so that only the
//! change time or the inode tells them: a load that trusted size and
//! modification time alone would serve a stale record.

use std::path::Path;
use std::time::{Duration, SystemTime};

use sbiz::build::{self, LoadCache};
use sbiz::diagnostics::{self, Step};

use crate::incremental::{assert_same_as_clean, edit, options, serve_options, site};

const AT: &str = "2026-11-28";

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Puts a file's modification time back to `at` (as `cp -p`, `rsync -t`
/// or an editor restoring a backup would).
fn set_modified(path: &Path, at: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(at))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// `edit`, keeping the file's size and modification time.
fn edit_in_place(root: &Path, rel: &str, from: &str, to: &str) {
    assert_eq!(from.len(), to.len(), "the same size");
    let path = root.join(rel);
    let at = modified(&path);
    edit(root, rel, from, to);
    set_modified(&path, at);
}

/// Saves as many editors do: the new text into a temporary file beside
/// it, renamed over the file; the same size and modification time.
fn save_through_rename(root: &Path, rel: &str, from: &str, to: &str) {
    assert_eq!(from.len(), to.len(), "the same size");
    let path = root.join(rel);
    let at = modified(&path);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains(from), "{rel} holds {from:?}");
    let temp = path.with_file_name(".save.tmp");
    std::fs::write(&temp, text.replacen(from, to, 1)).expect("write the temporary file");
    set_modified(&temp, at);
    std::fs::rename(&temp, &path).expect("rename over the file");
}

/// The report a full check (nothing cached) gives, if the content fails.
fn full_check(root: &Path) -> Option<String> {
    build::check(&options(root, AT, root.join("unused")))
        .err()
        .map(|d| diagnostics::report(&d, Step::Build))
}

#[test]
fn serve_reloads_only_changed_files_and_equals_a_full_load_after_every_edit() {
    let dir = site();
    let root = dir.path();
    // Stamps trusted at once, so that the files just written are not read
    // again: only their stamps can tell the edits below.
    let serve = serve_options(root, AT, LoadCache::settling_after(Duration::ZERO));
    let preview = sbiz::serve::Preview::new();
    for _ in 0..2 {
        assert!(sbiz::serve::rebuild(&serve, &preview, None));
    }
    // Rebuilds, then compares the output with a clean build's, or the
    // errors shown with a full check's.
    let rebuilt = |what: &str| {
        let ok = sbiz::serve::rebuild(&serve, &preview, None);
        let expected = full_check(root);
        assert_eq!(
            preview.errors(),
            expected,
            "after {what}: the errors of a full check"
        );
        if ok {
            assert_same_as_clean(root, AT, what);
        }
        ok
    };
    let jobs = root.join("content/jobs/sewing-operator.yaml");
    let good_job = std::fs::read(&jobs).expect("the job");
    let job_written = modified(&jobs);
    // (what, the edit, whether the content is valid after it)
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>, bool);
    let steps: Vec<Step<'_>> = vec![
        (
            "a record's field, same size and modification time",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/programmes/cutter-safety.yaml",
                    "apply_until: 2026-12-05",
                    "apply_until: 2026-12-06",
                )
            }),
            true,
        ),
        (
            "a notice saved through a renamed temporary file",
            Box::new(|| {
                save_through_rename(
                    root,
                    "content/notices/year-end.md",
                    "12월 31일은",
                    "12월 30일은",
                )
            }),
            true,
        ),
        (
            "a record added",
            Box::new(|| {
                std::fs::copy(
                    root.join("content/notices/year-end.md"),
                    root.join("content/notices/new-year.md"),
                )
                .map(drop)
                .expect("copy")
            }),
            true,
        ),
        (
            "a record removed",
            Box::new(|| {
                std::fs::remove_file(root.join("content/notices/autumn-survey.md")).expect("remove")
            }),
            true,
        ),
        (
            "a referenced facility renamed (its equipment's reference breaks)",
            Box::new(|| {
                std::fs::rename(
                    root.join("content/facilities/jewelry-hub.yaml"),
                    root.join("content/facilities/jewelry-mall.yaml"),
                )
                .expect("rename")
            }),
            false,
        ),
        (
            "the facility renamed back",
            Box::new(|| {
                std::fs::rename(
                    root.join("content/facilities/jewelry-mall.yaml"),
                    root.join("content/facilities/jewelry-hub.yaml"),
                )
                .expect("rename")
            }),
            true,
        ),
        (
            "a job broken (a date that does not exist)",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/jobs/sewing-operator.yaml",
                    "deadline: 2026-12-20",
                    "deadline: 2026-12-32",
                )
            }),
            false,
        ),
        (
            "the job fixed (its bytes and modification time as they were)",
            Box::new(|| {
                std::fs::write(&jobs, &good_job).expect("fix");
                set_modified(&jobs, job_written);
            }),
            true,
        ),
        (
            "site.yaml",
            Box::new(|| edit(root, "content/site.yaml", "name: ", "name: 새 ")),
            true,
        ),
        (
            "a taxonomy term",
            Box::new(|| {
                edit_in_place(
                    root,
                    "content/taxonomies/industries.yaml",
                    "name: 의류·봉제",
                    "name: 의복·봉제",
                )
            }),
            true,
        ),
        (
            "a taxonomy term in use removed",
            Box::new(|| {
                edit(
                    root,
                    "content/taxonomies/industries.yaml",
                    "- id: jewelry\n",
                    "- id: jewels\n",
                )
            }),
            false,
        ),
    ];
    for (what, change, ok) in steps {
        change();
        assert_eq!(rebuilt(what), ok, "after {what}: {:?}", preview.errors());
        // Nothing changed since: the same again.
        assert_eq!(rebuilt(what), ok, "{what}, once more");
    }
    let errors = preview.errors().expect("the removed term's errors");
    assert!(errors.contains("content/"), "{errors}");
}
