//! `deploy/template.yaml` (the whole AWS stack) declares the same DynamoDB
//! table and the same table permissions as `dynamodb-table.json`, which
//! `dynamodb.rs` compares with `create_table`; its function is
//! configured with the variables the binary reads; and the fixes of the
//! trial deployment (issue 18) hold: no custom domain needed, a scheduled
//! purge, a stack recreated over the kept table and secret, staff tokens in
//! no parameter, JSON logs, Authorization forwarded to /api/*.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

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
    // The stack creates the table unless told to use one kept from before.
    let mut declared = deploy["Resources"]["BookingTable"].clone();
    assert_eq!(declared["Condition"], "CreateTable");
    declared
        .as_object_mut()
        .expect("resource")
        .remove("Condition");
    assert_eq!(
        declared, table["Resources"]["BookingTable"],
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
    let policies = function_policies(&deploy);
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
    // Nothing with a wildcard action or resource, but SNS Publish to a
    // phone number (which has no ARN: IAM authorises it only on "*").
    for p in &policies {
        for s in p["PolicyDocument"]["Statement"]
            .as_array()
            .expect("statements")
        {
            let text = s.to_string();
            if p["PolicyName"] == "sns-sms" {
                assert_eq!(
                    s,
                    &json!({ "Effect": "Allow", "Action": "sns:Publish", "Resource": "*" })
                );
                continue;
            }
            assert!(!text.contains("\"*\""), "wildcard in {text}");
            assert!(!text.contains(":*\""), "wildcard action in {text}");
        }
    }
}

/// The function role's inline policies, those behind a condition
/// (`Fn::If: [condition, policy, AWS::NoValue]`) included.
fn function_policies(deploy: &Value) -> Vec<Value> {
    deploy["Resources"]["FunctionRole"]["Properties"]["Policies"]
        .as_array()
        .expect("inline policies")
        .iter()
        .map(|p| match p.get("Fn::If") {
            Some(branches) => {
                assert_eq!(branches[2], json!({ "Ref": "AWS::NoValue" }), "{p}");
                branches[1].clone()
            }
            None => p.clone(),
        })
        .collect()
}

/// Messages: e-mail by SES as one identity and 문자 by SNS, each switched
/// by a parameter (off by default), with exactly the permission it needs.
#[test]
fn messaging_is_configured_by_parameters_with_least_privilege() {
    let deploy = deploy_template();
    let p = &deploy["Parameters"];
    assert_eq!(p["EmailFrom"]["Default"], "");
    assert_eq!(p["EmailIdentity"]["Default"], "");
    assert_eq!(p["SmsEnabled"]["Default"], "false");
    let env = &deploy["Resources"]["BookingFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env["SBIZ_EMAIL"],
        json!({ "Fn::If": ["HasEmail", "ses", "none"] })
    );
    assert_eq!(
        env["SBIZ_SMS"],
        json!({ "Fn::If": ["HasSms", "sns", "none"] })
    );
    assert_eq!(
        env["SBIZ_EMAIL_FROM"],
        json!({ "Fn::If": ["HasEmail", { "Ref": "EmailFrom" }, { "Ref": "AWS::NoValue" }] })
    );
    assert!(
        env["SBIZ_PUBLIC_BASE"].is_object(),
        "links need the public base"
    );
    let policies = function_policies(&deploy);
    let raw = deploy["Resources"]["FunctionRole"]["Properties"]["Policies"]
        .as_array()
        .expect("policies");
    let named = |name: &str| {
        let i = policies
            .iter()
            .position(|p| p["PolicyName"] == name)
            .unwrap_or_else(|| panic!("policy {name}"));
        (&policies[i], &raw[i])
    };
    let (ses, ses_raw) = named("ses-send");
    assert_eq!(ses_raw["Fn::If"][0], "HasEmail");
    let st = &ses["PolicyDocument"]["Statement"];
    assert_eq!(st.as_array().map(Vec::len), Some(1));
    assert_eq!(st[0]["Action"], "ses:SendEmail");
    let resources = st[0]["Resource"].to_string();
    assert!(
        resources.contains(":identity/${EmailIdentity}"),
        "{resources}"
    );
    assert!(
        resources.contains(":configuration-set/${SesConfigurationSet}"),
        "{resources}"
    );
    let (_, sns_raw) = named("sns-sms");
    assert_eq!(sns_raw["Fn::If"][0], "HasSms");
    // No other SES or SNS action anywhere.
    let actions: Vec<String> = policies
        .iter()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|s| match &s["Action"] {
            Value::Array(a) => a.clone(),
            a => vec![a.clone()],
        })
        .filter_map(|a| a.as_str().map(str::to_owned))
        .filter(|a| a.starts_with("ses:") || a.starts_with("sns:"))
        .collect();
    assert_eq!(actions, ["ses:SendEmail", "sns:Publish"]);
    let c = &deploy["Conditions"];
    assert_eq!(
        c["HasSms"],
        json!({ "Fn::Equals": [{ "Ref": "SmsEnabled" }, "true"] })
    );
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
    // The function finds its catalog in its own code ($LAMBDA_TASK_ROOT).
    assert!(env.get("SBIZ_CATALOG").is_none());
    assert_eq!(
        env["SBIZ_TABLE"]["Fn::If"],
        json!(["CreateTable", { "Ref": "BookingTable" }, { "Ref": "TableName" }])
    );
    // The server secret is generated by the stack, kept with the table, and
    // reaches the function by reference only (issue 9: sessions must not be
    // derivable from the configuration).
    assert_eq!(
        env["SBIZ_SECRET_ARN"]["Fn::If"],
        json!([
            "CreateServerSecret",
            { "Ref": "ServerSecret" },
            { "Ref": "ExistingServerSecretArn" }
        ])
    );
    let secret = &deploy["Resources"]["ServerSecret"];
    assert_eq!(secret["Type"], "AWS::SecretsManager::Secret");
    assert_eq!(secret["DeletionPolicy"], "Retain");
    assert!(
        secret["Properties"]["GenerateSecretString"]["PasswordLength"]
            .as_u64()
            .is_some_and(|n| n >= 32)
    );
    assert!(secret["Properties"].get("SecretString").is_none());
    let role = serde_json::to_string(&deploy["Resources"]["FunctionRole"]).unwrap();
    assert!(role.contains("secretsmanager:GetSecretValue") && role.contains("ServerSecret"));
    // The variables are the ones the binary reads.
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let code = [
        "main.rs",
        "ops.rs",
        "api/state.rs",
        "api/origin_verify.rs",
        "messaging/mod.rs",
        "messaging/aws.rs",
    ]
    .map(|f| std::fs::read_to_string(src.join(f)).expect("source"))
    .join("\n");
    for name in env.as_object().expect("variables").keys() {
        if name != "RUST_LOG" {
            assert!(
                code.contains(&format!("\"{name}\"")),
                "booking-fn does not read {name}"
            );
        }
    }
    assert!(code.contains("LAMBDA_TASK_ROOT"));
    // Logs are kept for a bounded time.
    assert!(
        deploy["Resources"]["FunctionLogGroup"]["Properties"]["RetentionInDays"]
            .get("Ref")
            .is_some()
    );
}

/// Every resource another one names (Ref, Fn::GetAtt, ${…} in Fn::Sub, DependsOn).
fn references(v: &Value, resources: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("Ref", Value::String(r)) => {
                        out.insert(r.clone());
                    }
                    ("Fn::GetAtt", Value::Array(a)) => {
                        if let Some(Value::String(r)) = a.first() {
                            out.insert(r.clone());
                        }
                    }
                    ("Fn::Sub", x) => {
                        let text = match x {
                            Value::String(t) => t.as_str(),
                            Value::Array(a) => a.first().and_then(Value::as_str).unwrap_or(""),
                            _ => "",
                        };
                        for part in text.split("${").skip(1) {
                            let name = part.split(['}', '.']).next().unwrap_or("");
                            out.insert(name.to_owned());
                        }
                        references(x, resources, out);
                    }
                    _ => references(x, resources, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| references(x, resources, out)),
        _ => {}
    }
    out.retain(|r| resources.contains(r));
}

#[test]
fn the_stack_has_no_circular_dependency() {
    let deploy = deploy_template();
    let res = deploy["Resources"].as_object().expect("resources");
    let names: BTreeSet<String> = res.keys().cloned().collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, r) in res {
        let mut out = BTreeSet::new();
        references(r, &names, &mut out);
        out.remove(name);
        deps.insert(name.clone(), out);
    }
    // Kahn's algorithm: every resource can be created after those it names.
    let mut done: BTreeSet<String> = BTreeSet::new();
    while done.len() < deps.len() {
        let ready: Vec<String> = deps
            .iter()
            .filter(|(n, d)| !done.contains(*n) && d.iter().all(|x| done.contains(x)))
            .map(|(n, _)| n.clone())
            .collect();
        assert!(
            !ready.is_empty(),
            "circular dependency among {:?}",
            deps.keys()
                .filter(|n| !done.contains(*n))
                .collect::<Vec<_>>()
        );
        done.extend(ready);
    }
    // The function takes the distribution's name, so the distribution must
    // not depend on the function.
    assert!(deps["BookingFunction"].contains("Distribution"));
}

#[test]
fn the_first_deployment_needs_no_custom_domain() {
    let deploy = deploy_template();
    let env = &deploy["Resources"]["BookingFunction"]["Properties"]["Environment"]["Variables"];
    // Links and accepted form posts: SiteOrigin, else the custom domain,
    // else the distribution's own *.cloudfront.net name.
    assert_eq!(
        env["SBIZ_PUBLIC_BASE"]["Fn::If"],
        json!([
            "HasSiteOrigin",
            { "Ref": "SiteOrigin" },
            { "Fn::If": [
                "HasDomain",
                { "Fn::Sub": "https://${DomainName}" },
                { "Fn::Sub": "https://${Distribution.DomainName}" }
            ] }
        ])
    );
    assert_eq!(
        env["SBIZ_EXTRA_ORIGINS"],
        json!({ "Fn::Sub": "https://${Distribution.DomainName}" })
    );
    assert_eq!(deploy["Parameters"]["SiteOrigin"]["Default"], "");
    assert_eq!(deploy["Parameters"]["DomainName"]["Default"], "");
}

#[test]
fn a_least_privilege_schedule_runs_the_scheduled_tasks() {
    let deploy = deploy_template();
    let r = &deploy["Resources"];
    let schedules: Vec<&Value> = r
        .as_object()
        .expect("resources")
        .values()
        .filter(|x| x["Type"] == "AWS::Scheduler::Schedule")
        .collect();
    // The dispatch every minute, the purge hourly (TaskSchedule).
    assert_eq!(schedules.len(), 2);
    let purge = &r["TaskScheduleRule"]["Properties"];
    assert_eq!(purge["ScheduleExpression"]["Ref"], "TaskSchedule");
    assert_eq!(
        deploy["Parameters"]["TaskSchedule"]["Default"],
        "rate(1 hour)"
    );
    let dispatch = &r["DispatchScheduleRule"]["Properties"];
    assert_eq!(dispatch["ScheduleExpression"], "rate(1 minute)");
    for (s, task) in [
        (purge, sbiz_booking::ops::ScheduledTask::Purge),
        (dispatch, sbiz_booking::ops::ScheduledTask::Dispatch),
    ] {
        assert_eq!(s["State"], "ENABLED");
        let target = &s["Target"];
        assert_eq!(
            target["Arn"],
            json!({ "Fn::GetAtt": ["BookingFunction", "Arn"] })
        );
        assert_eq!(
            target["RoleArn"],
            json!({ "Fn::GetAtt": ["ScheduleRole", "Arn"] })
        );
        let input = target["Input"].as_str().expect("input");
        assert_eq!(
            serde_json::from_str::<Value>(input).expect("JSON input"),
            json!({ "sbiz": "scheduled", "tasks": [task.name()] })
        );
        #[cfg(feature = "lambda")]
        assert!(matches!(
            sbiz_booking::lambda::Event::parse(input),
            Ok(sbiz_booking::lambda::Event::Scheduled(t)) if t == [task]
        ));
    }
    // Every task is on a schedule.
    assert_eq!(sbiz_booking::ops::ScheduledTask::ALL.len(), 2);
    // A dispatch stops starting batches well within the function's timeout.
    #[cfg(feature = "lambda")]
    {
        let timeout = r["BookingFunction"]["Properties"]["Timeout"]
            .as_u64()
            .expect("timeout");
        // At least 10 s of sending per run, and done before the next minute.
        assert!(timeout >= sbiz_booking::lambda::DISPATCH_MARGIN.as_secs() + 10);
        assert!(sbiz_booking::lambda::DISPATCH_BUDGET.as_secs() < 60);
    }
    // The role: only this account's scheduler may assume it, and it may only
    // invoke this function.
    let role = &r["ScheduleRole"]["Properties"];
    let trust = &role["AssumeRolePolicyDocument"]["Statement"];
    assert_eq!(trust.as_array().map(Vec::len), Some(1));
    assert_eq!(
        trust[0]["Principal"],
        json!({ "Service": "scheduler.amazonaws.com" })
    );
    assert_eq!(
        trust[0]["Condition"]["StringEquals"]["aws:SourceAccount"],
        json!({ "Ref": "AWS::AccountId" })
    );
    let policies = role["Policies"].as_array().expect("policies");
    assert_eq!(policies.len(), 1);
    let statements = policies[0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements");
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["Effect"], "Allow");
    assert_eq!(statements[0]["Action"], "lambda:InvokeFunction");
    assert_eq!(
        statements[0]["Resource"],
        json!({ "Fn::GetAtt": ["BookingFunction", "Arn"] })
    );
    assert!(role.get("ManagedPolicyArns").is_none());
}

#[test]
fn a_stack_can_be_recreated_over_the_kept_table_and_secret() {
    let deploy = deploy_template();
    let p = &deploy["Parameters"];
    assert_eq!(p["UseExistingTable"]["Default"], "false");
    assert_eq!(
        p["UseExistingTable"]["AllowedValues"],
        json!(["false", "true"])
    );
    assert_eq!(p["ExistingServerSecretArn"]["Default"], "");
    let c = &deploy["Conditions"];
    assert_eq!(
        c["CreateTable"],
        json!({ "Fn::Equals": [{ "Ref": "UseExistingTable" }, "false"] })
    );
    assert_eq!(
        c["CreateServerSecret"],
        json!({ "Fn::Equals": [{ "Ref": "ExistingServerSecretArn" }, ""] })
    );
    let r = &deploy["Resources"];
    for (name, condition) in [
        ("BookingTable", "CreateTable"),
        ("ServerSecret", "CreateServerSecret"),
    ] {
        assert_eq!(r[name]["Condition"], condition, "{name}");
        assert_eq!(r[name]["DeletionPolicy"], "Retain", "{name}");
        assert_eq!(r[name]["UpdateReplacePolicy"], "Retain", "{name}");
    }
    // Whichever table and secret, the function's role reaches exactly them.
    let role = serde_json::to_string(&r["FunctionRole"]).expect("json");
    assert!(role.contains("table/${TableName}\"") && role.contains("table/${TableName}/index/*\""));
    assert!(role.contains("{\"Ref\":\"ExistingServerSecretArn\"}"));
    // Outputs name what to keep.
    assert!(deploy["Outputs"]["ServerSecretArn"].is_object());
    assert!(deploy["Outputs"]["TableName"].is_object());
}

#[test]
fn staff_tokens_are_in_no_parameter_and_read_from_one_secret() {
    let deploy = deploy_template();
    for (name, p) in deploy["Parameters"].as_object().expect("parameters") {
        // The one secret parameter: what CloudFront and the function share
        // (origin_verify_secret_is_shared_by_cloudfront_and_the_function).
        assert!(
            p.get("NoEcho").is_none() || name == "OriginSecret",
            "{name} looks like a secret parameter"
        );
        assert!(name != "StaffTokens", "staff tokens in a parameter");
    }
    let f = &deploy["Resources"]["BookingFunction"]["Properties"];
    let env = &f["Environment"]["Variables"];
    assert!(env.get("SBIZ_STAFF_TOKENS").is_none());
    assert_eq!(
        env["SBIZ_STAFF_TOKENS_SECRET"],
        json!({ "Fn::Sub": "${AWS::StackName}/staff-tokens" })
    );
    let policies = deploy["Resources"]["FunctionRole"]["Properties"]["Policies"]
        .as_array()
        .expect("policies");
    let staff = policies
        .iter()
        .find(|p| p["PolicyName"] == "staff-tokens")
        .expect("a staff-tokens policy");
    let st = &staff["PolicyDocument"]["Statement"];
    assert_eq!(st.as_array().map(Vec::len), Some(1));
    assert_eq!(st[0]["Action"], "secretsmanager:GetSecretValue");
    // Secrets Manager appends "-" and 6 characters to the name in the ARN.
    assert_eq!(
        st[0]["Resource"],
        json!({ "Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${AWS::StackName}/staff-tokens-??????" })
    );
}

#[test]
fn logs_are_declared_json() {
    let deploy = deploy_template();
    let logging = &deploy["Resources"]["BookingFunction"]["Properties"]["LoggingConfig"];
    assert_eq!(logging["LogFormat"], "JSON");
    assert_eq!(logging["LogGroup"]["Ref"], "FunctionLogGroup");
}

#[test]
fn cloudfront_forwards_authorization_to_the_api() {
    let deploy = deploy_template();
    let behaviours =
        deploy["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"]
            .as_array()
            .expect("behaviours");
    let api = behaviours
        .iter()
        .find(|b| b["PathPattern"] == "/api/*")
        .expect("/api/* behaviour");
    assert_eq!(api["TargetOriginId"], "api");
    // Only a cache policy can forward Authorization (an origin request
    // policy that names it is refused by CloudFront).
    assert_eq!(api["CachePolicyId"], json!({ "Ref": "ApiCachePolicy" }));
    let policy = &deploy["Resources"]["ApiCachePolicy"]["Properties"]["CachePolicyConfig"];
    let key = &policy["ParametersInCacheKeyAndForwardedToOrigin"];
    assert_eq!(key["HeadersConfig"]["HeaderBehavior"], "whitelist");
    let headers = key["HeadersConfig"]["Headers"].as_array().expect("headers");
    assert!(headers.contains(&json!("Authorization")));
    // Nothing is kept unless the function says so, and it says no-store.
    assert_eq!(policy["MinTTL"], 0);
    assert_eq!(policy["DefaultTTL"], 0);
    assert_eq!(key["QueryStringsConfig"]["QueryStringBehavior"], "all");
    assert_eq!(key["CookiesConfig"]["CookieBehavior"], "all");
    // The managed AllViewerExceptHostHeader origin request policy: every
    // other header, the cookies and the query string.
    assert_eq!(
        api["OriginRequestPolicyId"],
        "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    );
}

/// Per-client limits (내 예약·신청's 인증번호 requests) need the viewer's
/// address: a CloudFront function sets it on every `/api/*` request, over
/// whatever the viewer sent, under the header the function is told to read.
#[test]
fn the_function_gets_the_viewers_address_from_cloudfront() {
    let deploy = deploy_template();
    let behaviours =
        deploy["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["CacheBehaviors"]
            .as_array()
            .expect("behaviours");
    let api = behaviours
        .iter()
        .find(|b| b["PathPattern"] == "/api/*")
        .expect("/api/* behaviour");
    let assoc = &api["FunctionAssociations"][0];
    assert_eq!(assoc["EventType"], "viewer-request");
    assert_eq!(
        assoc["FunctionARN"]["Fn::GetAtt"][0],
        "ApiClientAddressFunction"
    );
    let env = &deploy["Resources"]["BookingFunction"]["Properties"]["Environment"]["Variables"];
    let header = env["SBIZ_CLIENT_IP_HEADER"].as_str().expect("the header");
    let code = deploy["Resources"]["ApiClientAddressFunction"]["Properties"]["FunctionCode"]
        .as_str()
        .expect("code");
    assert!(
        code.contains(&format!(
            "request.headers['{header}'] = {{ value: event.viewer.ip }}"
        )),
        "{code}"
    );
}

/// The stack sets `SBIZ_EMAIL=ses` and `SBIZ_SMS=sns` when messaging is on:
/// the bundle `deploy/package.sh` builds must have those providers compiled
/// in (a function built without them refuses to start with that setting).
#[test]
fn the_lambda_bundle_is_built_with_the_channels_the_stack_configures() {
    let script = std::fs::read_to_string(workspace().join("deploy/package.sh"))
        .expect("read deploy/package.sh");
    let features = script
        .lines()
        .find(|l| l.starts_with("fn_features=("))
        .expect("the function's features in package.sh");
    let template = std::fs::read_to_string(workspace().join("deploy/template.yaml"))
        .expect("read deploy/template.yaml");
    assert!(template.contains("SBIZ_EMAIL:") && template.contains("SBIZ_SMS:"));
    for f in ["dynamodb", "lambda", "aws-messaging"] {
        assert!(features.contains(f), "{f} missing: {features}");
    }
}

/// The HTTP API's own address must not be a way around CloudFront (its WAF,
/// its client address header): CloudFront's api origin sends the secret
/// parameter as the header the function requires, and the function gets
/// the same parameter.
#[test]
fn origin_verify_secret_is_shared_by_cloudfront_and_the_function() {
    let deploy = deploy_template();
    let p = &deploy["Parameters"]["OriginSecret"];
    assert_eq!(p["NoEcho"], true);
    assert!(p.get("Default").is_none(), "generated, never a default");
    assert!(
        p["MinLength"]
            .as_u64()
            .is_some_and(|n| n as usize >= sbiz_booking::api::ORIGIN_SECRET_MIN_LEN),
        "{p}"
    );
    let origins =
        deploy["Resources"]["Distribution"]["Properties"]["DistributionConfig"]["Origins"]
            .as_array()
            .expect("origins");
    let api = origins
        .iter()
        .find(|o| o["Id"] == "api")
        .expect("api origin");
    assert_eq!(
        api["OriginCustomHeaders"],
        json!([{
            "HeaderName": sbiz_booking::api::ORIGIN_VERIFY_HEADER,
            "HeaderValue": { "Ref": "OriginSecret" }
        }])
    );
    let site = origins
        .iter()
        .find(|o| o["Id"] == "site")
        .expect("site origin");
    assert!(
        site.get("OriginCustomHeaders").is_none(),
        "the secret goes to the API only"
    );
    let env = &deploy["Resources"]["BookingFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        env[sbiz_booking::api::ORIGIN_SECRET_ENV],
        json!({ "Ref": "OriginSecret" })
    );
    // Its value is in no output.
    assert!(
        !serde_json::to_string(&deploy["Outputs"])
            .expect("json")
            .contains("OriginSecret")
    );
}
