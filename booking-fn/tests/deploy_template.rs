//! `deploy/template.yaml` (the whole AWS stack) declares the same DynamoDB
//! table and the same table permissions as `dynamodb-table.json`, which
//! `tests/dynamodb.rs` compares with `create_table`; and its function is
//! configured with the variables the binary reads.

use serde_json::Value;

fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn deploy_template() -> Value {
    let path = workspace().join("deploy/template.yaml");
    let text = std::fs::read_to_string(&path).expect("read deploy/template.yaml");
    serde_yaml::from_str(&text).expect("deploy/template.yaml is plain YAML (long-form intrinsics)")
}

fn table_template() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dynamodb-table.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON")
}

#[test]
fn the_deploy_template_declares_the_same_table() {
    let deploy = deploy_template();
    let table = table_template();
    assert_eq!(
        deploy["Resources"]["BookingTable"], table["Resources"]["BookingTable"],
        "BookingTable differs between deploy/template.yaml and booking-fn/dynamodb-table.json"
    );
    let props = &deploy["Resources"]["BookingTable"]["Properties"];
    assert_eq!(props["BillingMode"], "PAY_PER_REQUEST");
    assert_eq!(props["SSESpecification"]["SSEEnabled"], true);
    assert_eq!(
        props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert_eq!(
        props["TimeToLiveSpecification"]["AttributeName"],
        "expires_at"
    );
    assert_eq!(props["TimeToLiveSpecification"]["Enabled"], true);
}

#[test]
fn the_function_role_has_exactly_the_table_permissions() {
    let deploy = deploy_template();
    let table = table_template();
    let wanted = &table["Resources"]["BookingTableAccess"]["Properties"]["PolicyDocument"]["Statement"]
        [0]["Action"];
    let policies = deploy["Resources"]["FunctionRole"]["Properties"]["Policies"]
        .as_array()
        .expect("inline policies");
    let dynamo: Vec<&Value> = policies
        .iter()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_array()
                .expect("statements")
        })
        .filter(|s| {
            s["Action"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|x| x.as_str().is_some_and(|x| x.starts_with("dynamodb:")))
            })
        })
        .collect();
    assert_eq!(dynamo.len(), 1, "one statement for the table");
    assert_eq!(&dynamo[0]["Action"], wanted);
    // Nothing with a wildcard action or resource.
    for p in policies {
        for s in p["PolicyDocument"]["Statement"]
            .as_array()
            .expect("statements")
        {
            let text = s.to_string();
            assert!(!text.contains("\"*\""), "wildcard in {text}");
            assert!(!text.contains(":*\""), "wildcard action in {text}");
        }
    }
}

#[test]
fn the_function_runs_the_binary_with_its_catalog_and_table() {
    let deploy = deploy_template();
    let f = &deploy["Resources"]["BookingFunction"]["Properties"];
    assert_eq!(f["Runtime"], "provided.al2023");
    assert_eq!(f["Handler"], "bootstrap");
    // deploy/package.sh builds for the host (x86_64-unknown-linux-gnu).
    assert_eq!(f["Architectures"], serde_json::json!(["x86_64"]));
    let env = &f["Environment"]["Variables"];
    assert_eq!(env["SBIZ_CATALOG"], "/var/task/catalog.json");
    assert_eq!(env["SBIZ_TABLE"]["Ref"], "BookingTable");
    assert!(env.get("SBIZ_STAFF_TOKENS").is_some());
    // The variables are the ones the binary reads.
    let main = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs"),
    )
    .expect("main.rs");
    for name in env.as_object().expect("variables").keys() {
        if name != "RUST_LOG" {
            assert!(
                main.contains(name.as_str()),
                "booking-fn does not read {name}"
            );
        }
    }
    // Logs are kept for a bounded time.
    assert!(
        deploy["Resources"]["FunctionLogGroup"]["Properties"]["RetentionInDays"]
            .get("Ref")
            .is_some()
    );
}
