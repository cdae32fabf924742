//! Every example in `spec/postman.yaml` of a body of the collections, environments, mocks,
//! monitors and workspaces operations decodes into the client's type and encodes back to
//! the same JSON: what the service's own examples show survives a read-modify-write.
//!
//! The operations' types come from the generator's model of the spec; the table below maps
//! their names to the Rust types, and the test fails if a type is missing from it.

use postman_client::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The tags whose examples are checked.
const TAGS: &[&str] = &[
    "collections",
    "environments",
    "mocks",
    "monitors",
    "workspaces",
];

/// Decodes `example` into `T` and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize>(example: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(example.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

macro_rules! types {
    ($($name:ident),* $(,)?) => {
        /// The round trip through the type called `name`, if the table has it.
        fn through(name: &str, example: &Value) -> Option<Result<Value, String>> {
            match name {
                $(stringify!($name) => Some(round_trip::<types::$name>(example)),)*
                _ => None,
            }
        }
    };
}

types!(
    CollectionForkResponse,
    CollectionIdsResponse,
    CollectionListResponse,
    CollectionRefResponse,
    CollectionResponse,
    CreateCollectionRequest,
    CreateEnvironmentRequest,
    CreateMockRequest,
    CreateMonitorRequest,
    CreateServerResponseRequest,
    CreateWorkspaceRequest,
    DeletedServerResponse,
    EnvironmentIdsResponse,
    EnvironmentListResponse,
    EnvironmentRefResponse,
    EnvironmentResponse,
    ForkCollectionRequest,
    MergeCollectionForkRequest,
    MockCallLogsResponse,
    MockIdsResponse,
    MockListResponse,
    MockPublishResponse,
    MockResponse,
    MonitorIdsResponse,
    MonitorListResponse,
    MonitorRefResponse,
    MonitorResponse,
    MonitorRunResponse,
    ServerResponse,
    ServerResponseList,
    UpdateCollectionRequest,
    UpdateEnvironmentRequest,
    UpdateMockRequest,
    UpdateMonitorRequest,
    UpdateServerResponseRequest,
    UpdateWorkspaceRequest,
    WorkspaceIdsResponse,
    WorkspaceListResponse,
    WorkspaceRefResponse,
    WorkspaceResponse,
);

/// JSON equality where numbers compare by value: a `number` member is an `f64`, which
/// writes `0` back as `0.0`, the same JSON number.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Follows a local `$ref` (`#/components/...`) one step, if `value` is one.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {reference}")),
        None => value,
    }
}

/// The JSON examples of a request body or response object.
fn examples<'a>(spec: &'a Value, holder: &'a Value) -> Vec<&'a Value> {
    let holder = resolve(spec, holder);
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (media, media_object) in content {
        if !media.contains("json") {
            continue;
        }
        out.extend(media_object.get("example"));
        if let Some(named) = media_object.get("examples").and_then(Value::as_object) {
            out.extend(named.values().filter_map(|e| resolve(spec, e).get("value")));
        }
    }
    out
}

#[test]
fn spec_examples_round_trip_through_the_client_types() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/postman.yaml");
    let text = std::fs::read_to_string(&root).expect("the spec is readable");
    let spec: Value = yaml_serde::from_str(&text).expect("the spec is YAML");
    let settings = generator::Settings::new("postman-client", "spec/postman.yaml");
    let api = generator::generate_from_str(&text, "spec/postman.yaml", &settings)
        .expect("the spec generates")
        .api;
    let (mut checked, mut failures, mut missing) = (0, Vec::new(), Vec::new());
    for module in api
        .modules
        .iter()
        .filter(|m| TAGS.contains(&m.name.as_str()))
    {
        for op in &module.operations {
            let at = op.pointer.to_string();
            let operation = spec
                .pointer(at.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{at} is not in the spec"));
            let mut sites: Vec<(String, &generator::model::TypeRef, Vec<&Value>)> = Vec::new();
            if let (Some(body), Some(request)) = (&op.body, operation.get("requestBody")) {
                sites.push((
                    format!("{} request", op.id),
                    &body.ty,
                    examples(&spec, request),
                ));
            }
            if let generator::model::Success::Single(generator::model::ResponseBody::Json(ty)) =
                &op.response
            {
                let responses = operation["responses"].as_object().expect("responses");
                for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                    sites.push((format!("{} {status}", op.id), ty, examples(&spec, response)));
                }
            }
            for (site, ty, found) in sites {
                let name = generator::surface::type_name(&api, ty);
                for example in found {
                    match through(&name, example) {
                        None => missing.push(name.clone()),
                        Some(Ok(back)) if same_json(&back, example) => checked += 1,
                        Some(Ok(back)) => failures.push(format!(
                            "{site}: `{name}` changed the example:\n  in:  {example}\n  out: {back}"
                        )),
                        Some(Err(e)) => {
                            failures.push(format!("{site}: `{name}` does not decode: {e}"))
                        }
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add these types to the table: {missing:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 40, "only {checked} examples were checked");
    println!("{checked} examples survive a round trip");
}
