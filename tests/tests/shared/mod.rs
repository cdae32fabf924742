//! What the round-trip tests share: a table from type names (as the generator's model
//! spells them) to decode-and-encode through the client's type, and JSON equality.

use postman_client::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `value` into `T` and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

macro_rules! types {
    ($($name:ident),* $(,)?) => {
        /// The round trip through the type called `name`, if the table has it.
        pub fn through(name: &str, value: &Value) -> Option<Result<Value, String>> {
            match name {
                $(stringify!($name) => Some(round_trip::<types::$name>(value)),)*
                _ => None,
            }
        }
    };
}

types!(
    ApiListResponse,
    ApiResponse,
    ApiSchemaResponse,
    ApiVersionListResponse,
    ApiVersionResponse,
    AuditLogsResponse,
    CollectionForkResponse,
    CollectionIdsResponse,
    CollectionListResponse,
    CollectionRefResponse,
    CollectionResponse,
    ContractTestRelationsResponse,
    CreateCollectionRequest,
    CreateEnvironmentRequest,
    CreateMockRequest,
    CreateMonitorRequest,
    CreateServerResponseRequest,
    CreateWorkspaceRequest,
    DeletedServerResponse,
    DocumentationRelationsResponse,
    EnvironmentIdsResponse,
    EnvironmentListResponse,
    EnvironmentRefResponse,
    EnvironmentRelationsResponse,
    EnvironmentResponse,
    ForkCollectionRequest,
    IntegrationTestRelationsResponse,
    LinkedRelationsResponse,
    MeResponse,
    MergeCollectionForkRequest,
    MockCallLogsResponse,
    MockIdsResponse,
    MockListResponse,
    MockPublishResponse,
    MockRelationsResponse,
    MockResponse,
    MonitorIdsResponse,
    MonitorListResponse,
    MonitorRefResponse,
    MonitorRelationsResponse,
    MonitorResponse,
    MonitorRunResponse,
    PanListResponse,
    PanRequestListResponse,
    ScimGroup,
    ScimGroupListResponse,
    ScimResourceTypeList,
    ScimServiceProviderConfig,
    ScimUser,
    ScimUserListResponse,
    ServerResponse,
    ServerResponseList,
    TestRelationsResponse,
    TestSuiteRelationsResponse,
    UnclassifiedRelationsResponse,
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
pub fn same_json(a: &Value, b: &Value) -> bool {
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
pub fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {reference}")),
        None => value,
    }
}

/// `spec/postman.yaml` as JSON, and the generator's model of it.
pub fn spec() -> (Value, generator::model::Api) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/postman.yaml");
    let text = std::fs::read_to_string(&root).expect("the spec is readable");
    let spec: Value = yaml_serde::from_str(&text).expect("the spec is YAML");
    let settings = generator::Settings::new("postman-client", "spec/postman.yaml");
    let api = generator::generate_from_str(&text, "spec/postman.yaml", &settings)
        .expect("the spec generates")
        .api;
    (spec, api)
}

/// The first few places where `a` and `b` differ (as by [`same_json`]), as JSON pointers
/// with both values, for failure messages that stay short on big bodies.
pub fn differences(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_differences(a, b, String::new(), &mut out);
    out
}

fn walk_differences(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    if out.len() >= 3 || same_json(a, b) {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (x.get(key), y.get(key)) {
                    (Some(v), Some(w)) => walk_differences(v, w, here, out),
                    (v, w) => out.push(format!("{here}: {v:?} vs {w:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                walk_differences(v, w, format!("{at}/{i}"), out);
            }
        }
        _ => {
            let short = |v: &Value| v.to_string().chars().take(120).collect::<String>();
            out.push(format!("{at}: {} vs {}", short(a), short(b)));
        }
    }
}
