//! The README and the guides say what ships: their `sbiz check` example is
//! what `sbiz check` prints, their links between documents resolve, the
//! content model lists every message event with its placeholders, every
//! `SBIZ_…` variable they name is read by the code, and the self-hosted
//! proxy examples let through every body the function accepts.

use std::path::{Path, PathBuf};

use crate::support::{build_site, copy_dir, repo, sbiz};

/// The documents for people: the README, the guides, the function's and
/// the benchmarks' READMEs.
fn documents() -> Vec<PathBuf> {
    let root = repo();
    let mut out: Vec<PathBuf> = ["README.md", "bench/README.md", "booking-fn/README.md"]
        .iter()
        .map(|p| root.join(p))
        .collect();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fenced block of `text` whose first line starts with `first`.
fn fenced_block<'a>(text: &'a str, first: &str) -> &'a str {
    let start = text
        .find(&format!("```\n{first}"))
        .unwrap_or_else(|| panic!("no fenced block starting with {first:?}"))
        + 4;
    let len = text[start..].find("```").expect("the block ends");
    &text[start..start + len]
}

#[test]
fn the_readmes_check_example_is_what_sbiz_check_prints() {
    let readme = read(&repo().join("README.md"));
    let site = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("content"), &site.path().join("content"));
    let file = site.path().join("content/programmes/cutter-safety.yaml");
    let yaml = read(&file);
    assert_eq!(yaml.matches("\napply_until:").count(), 1, "{yaml}");
    std::fs::write(&file, yaml.replace("\napply_until:", "\napply_untill:"))
        .expect("write the misspelled field");
    for (lang, first) in [
        (None, "오류: content/programmes/cutter-safety.yaml"),
        (Some("en"), "error: content/programmes/cutter-safety.yaml"),
    ] {
        let mut cmd = sbiz();
        cmd.arg("--root").arg(site.path());
        if let Some(lang) = lang {
            cmd.args(["--lang", lang]);
        }
        let out = cmd
            .args(["check", "--now", "2026-11-28", "--themes"])
            .arg(repo().join("themes"))
            .output()
            .expect("sbiz runs");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(
            fenced_block(&readme, first),
            stderr,
            "README.md's example of `sbiz check` ({lang:?})"
        );
    }
}

/// A heading's anchor as GitHub makes it: lower case, only letters,
/// digits, `-`, `_` and spaces kept, spaces turned into `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside fenced code), with
/// GitHub's `-1`, `-2`… for repeated ones.
fn anchors(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if fenced || hashes == 0 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let s = slug(&line[hashes..]);
        let n = seen.entry(s.clone()).or_insert(0);
        out.push(if *n == 0 { s } else { format!("{s}-{n}") });
        *n += 1;
    }
    out
}

/// The relative targets of a Markdown text's inline links: `[text](target)`.
fn relative_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        let external = target.contains("://") || target.starts_with("mailto:");
        if !external && !target.starts_with('/') && !target.contains(char::is_whitespace) {
            out.push(target.to_owned());
        }
    }
    out
}

#[test]
fn links_between_the_documents_resolve() {
    let mut report = Vec::new();
    let mut links = 0;
    for doc in documents() {
        let text = read(&doc);
        let dir = doc.parent().expect("a folder");
        for link in relative_links(&text) {
            links += 1;
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                doc.clone()
            } else {
                dir.join(file)
            };
            let name = doc
                .strip_prefix(repo())
                .unwrap_or(&doc)
                .display()
                .to_string();
            if !target.exists() {
                report.push(format!("{name}: `{link}`: no such file"));
            } else if !anchor.is_empty()
                && target.extension().is_some_and(|e| e == "md")
                && !anchors(&read(&target)).iter().any(|a| a == anchor)
            {
                report.push(format!("{name}: `{link}`: no such heading"));
            }
        }
    }
    assert!(links > 20, "the links were found ({links})");
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The rows of a document's table of message events: (event, placeholders).
fn event_rows(text: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // | `event` | when | placeholders |
            let [_, event, _, placeholders, _] = cells.as_slice() else {
                return None;
            };
            let event = event.strip_prefix('`')?.strip_suffix('`')?;
            sbiz_catalog::MessageEvent::parse(event)?;
            let names = placeholders
                .split(',')
                .map(|p| {
                    p.split(['(', ' '])
                        .find(|w| !w.is_empty())
                        .unwrap_or("")
                        .to_owned()
                })
                .collect();
            Some((event.to_owned(), names))
        })
        .collect()
}

#[test]
fn the_content_model_lists_every_message_event_with_its_placeholders() {
    use sbiz_catalog::MessageEvent;
    let expected: Vec<(String, Vec<String>)> = MessageEvent::ALL
        .iter()
        .map(|e| {
            let names = e.placeholders().iter().map(|p| (*p).to_owned()).collect();
            (e.as_str().to_owned(), names)
        })
        .collect();
    for doc in ["docs/content-model.md", "docs/content-model.en.md"] {
        assert_eq!(event_rows(&read(&repo().join(doc))), expected, "{doc}");
    }
}

#[test]
fn every_variable_the_documents_name_is_read_by_the_code() {
    let root = repo();
    let mut code = String::new();
    let mut stack = vec![root.join("generator/src"), root.join("booking-fn/src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)
            .expect("a source folder")
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                code.push_str(&read(&p));
            }
        }
    }
    let mut report = Vec::new();
    for doc in documents() {
        let text = read(&doc);
        for (i, _) in text.match_indices("SBIZ_") {
            let name: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            // `SBIZ_SMTP_*` names a family, not a variable.
            if name.ends_with('_') || code.contains(&format!("\"{name}\"")) {
                continue;
            }
            report.push(format!("{}: {name}", doc.display()));
        }
    }
    report.dedup();
    assert!(
        report.is_empty(),
        "named but never read:\n{}",
        report.join("\n")
    );
}

/// A size in a proxy's configuration (`64k`, `64KB`) in bytes.
fn size(value: &str) -> usize {
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    let n: usize = digits.parse().unwrap_or_else(|_| panic!("a size: {value}"));
    match value[digits.len()..].to_ascii_lowercase().as_str() {
        "k" | "kb" => n * 1000,
        "" => n,
        other => panic!("unit {other}"),
    }
}

/// The value after `key` in a configuration file.
fn setting(file: &str, key: &str) -> usize {
    let text = read(&repo().join(file));
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("{file} sets {key}"));
    size(line[key.len()..].trim().trim_end_matches(';'))
}

#[test]
fn the_self_hosted_proxies_let_through_every_body_the_function_accepts() {
    let out = build_site(&repo(), "2026-11-28");
    let catalog: sbiz_catalog::Catalog =
        serde_json::from_str(&read(&out.path().join("catalog.json"))).expect("catalog.json");
    let limit = sbiz_booking::api::body_limit(&catalog);
    for (file, key) in [
        ("deploy/self-hosted/nginx.conf", "client_max_body_size"),
        ("deploy/self-hosted/Caddyfile", "max_size"),
    ] {
        let allowed = setting(file, key);
        assert!(
            allowed >= limit,
            "{file}: {key} {allowed} is below the function's {limit} bytes for the repository's content"
        );
    }
}

#[test]
fn the_architecture_names_every_crate_of_the_workspace() {
    let cargo = read(&repo().join("Cargo.toml"));
    let line = cargo
        .lines()
        .find(|l| l.starts_with("members"))
        .expect("the workspace's members");
    let members: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
    let architecture = read(&repo().join("docs/architecture.md"));
    let rows = architecture
        .lines()
        .filter(|l| l.starts_with("| `sbiz-"))
        .count();
    for member in &members {
        assert!(
            architecture.contains(&format!("| `{member}/` |")),
            "docs/architecture.md's table of crates lacks {member}/"
        );
    }
    assert_eq!(rows, members.len(), "one row per crate");
    let words = ["One", "Two", "Three", "Four", "Five", "Six", "Seven"];
    let count = words.get(members.len() - 1).expect("a small workspace");
    assert!(
        architecture.contains(&format!("{count} crates in one")),
        "docs/architecture.md says how many crates there are ({count})"
    );
}

#[test]
fn the_functions_readme_lists_every_error_code() {
    let readme = read(&repo().join("booking-fn/README.md"));
    let start = readme.find("Codes: `").expect("the list of error codes");
    let end = start + readme[start..].find(".\n").expect("the list ends");
    let mut listed: Vec<&str> = readme[start..end].split('`').skip(1).step_by(2).collect();
    let mut codes: Vec<&str> = sbiz_booking::Code::ALL.iter().map(|c| c.as_str()).collect();
    listed.sort_unstable();
    codes.sort_unstable();
    assert_eq!(listed, codes, "booking-fn/README.md's error codes");
}
