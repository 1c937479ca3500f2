//! `openapi.yaml` describes exactly the routes the router serves, every
//! error code, and has no dangling `$ref`.

use std::collections::BTreeSet;

use sbiz_booking::Code;
use sbiz_booking::api::routes;
use serde_yaml::Value;

fn doc() -> Value {
    serde_yaml::from_str(include_str!("../../openapi.yaml")).expect("openapi.yaml is YAML")
}

#[test]
fn is_openapi_3_1() {
    let d = doc();
    assert!(d["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")));
    assert!(d["info"]["title"].as_str().is_some());
}

#[test]
fn every_route_is_documented_and_nothing_else() {
    let d = doc();
    let mut documented = BTreeSet::new();
    for (path, item) in d["paths"].as_mapping().expect("paths").iter() {
        let path = path.as_str().expect("path").to_owned();
        for (method, _) in item.as_mapping().expect("path item") {
            let m = method.as_str().expect("method");
            if ["get", "post", "put", "patch", "delete", "options", "head"].contains(&m) {
                documented.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    let served: BTreeSet<(String, String)> = routes::list()
        .into_iter()
        .map(|(m, p)| (m.as_str().to_owned(), p.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes missing from openapi.yaml: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "openapi.yaml documents routes that do not exist: {extra:?}"
    );
}

#[test]
fn every_error_code_is_listed() {
    let d = doc();
    let listed: BTreeSet<&str> = d["components"]["schemas"]["ErrorCode"]["enum"]
        .as_sequence()
        .expect("ErrorCode enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let codes: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, codes);
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                if k.as_str() == Some("$ref") {
                    if let Some(r) = v.as_str() {
                        out.push(r);
                    }
                } else {
                    refs(v, out);
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_ref_resolves() {
    let d = doc();
    let mut all = Vec::new();
    refs(&d, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let path = r
            .strip_prefix("#/")
            .unwrap_or_else(|| panic!("external $ref {r}"));
        let mut node = &d;
        for part in path.split('/') {
            node = &node[part];
        }
        assert!(!node.is_null(), "dangling $ref {r}");
    }
}
