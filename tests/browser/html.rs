//! The Nu Html Checker (npm `vnu-jar`, on the machine's Java) over every
//! built HTML page; fails on any error.

use std::process::Command;

use sbiz_e2e::site;

#[test]
fn every_page_is_valid_html() {
    let site = site::built();
    let files = site.html_files();
    assert!(files.len() > 50, "only {} pages were built", files.len());
    let jar = sbiz_e2e::npm_file("vnu-jar/build/dist/vnu.jar");
    let java = std::env::var_os("JAVA").unwrap_or_else(|| "java".into());
    let out = Command::new(&java)
        .arg("-Xss4m")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run Java ({e}): install Debian's default-jre-headless (./tests/run-all does it)")
        });
    // vnu writes its JSON report to stderr.
    let text = String::from_utf8_lossy(&out.stderr);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "vnu did not report JSON ({e}); exit {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            text
        )
    });
    let mut errors = Vec::new();
    for m in json["messages"].as_array().into_iter().flatten() {
        if m["type"] == "error" || m["subType"] == "fatal" {
            let file = m["url"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("file:");
            let url = site.url_of(std::path::Path::new(file));
            errors.push(format!(
                "  {url}:{}:{}: {}\n      {}",
                m["lastLine"],
                m["firstColumn"]
                    .as_u64()
                    .or(m["lastColumn"].as_u64())
                    .unwrap_or(0),
                m["message"].as_str().unwrap_or_default(),
                m["extract"].as_str().unwrap_or_default().replace('\n', " ")
            ));
        }
    }
    println!("vnu checked {} pages", files.len());
    assert!(
        errors.is_empty(),
        "the Nu Html Checker found {} error(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
}
