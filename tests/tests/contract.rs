//! Contract test: every operation of `spec/postman.yaml`, called through the generated
//! client, against Prism mocking that same spec.
//!
//! Run it with `cargo xtask contract` (it starts Prism, sets `PRISM_URL`, runs the
//! `#[ignore]`d tests below and then scans Prism's log for validation errors). Each
//! operation is called with realistic arguments (every optional parameter set, bodies
//! taken from the spec's request examples through the generated types) and must
//!
//! 1. pass Prism's request validation: no `sl-violations` header and a `2xx` answer;
//! 2. decode Prism's answer (the spec's response example) into the generated type;
//! 3. send only names the spec declares: Prism ignores unknown query parameters, headers
//!    and body fields, so each call is also made once against a recording `wiremock`
//!    server and the recorded request is checked against the spec (method and path
//!    template of the operation named, query parameter names, header names, JSON body
//!    field names, recursively through `$ref`s, arrays and `oneOf`s).
//!
//! The tests that need Prism are `#[ignore]`d so that `cargo test` stays fast and
//! offline; the checker's own tests below run everywhere.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use postman_client::types::{
    ImportFileRequest, ImportFileRequestType, PanElementType, PanItemType, PanRequestStatus,
    SortDirection, WorkspaceType,
};
use postman_client::{Binary, Client, Error, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// How many operations the inventory (`tests/inventory/endpoints.json`) lists (86).
fn inventory_operations() -> usize {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/inventory/endpoints.json");
    let text = std::fs::read_to_string(path).expect("tests/inventory/endpoints.json is readable");
    let entries: Vec<Value> = serde_json::from_str(&text).expect("the inventory is a JSON array");
    entries.len()
}

/// The spec, as JSON.
static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/postman.yaml");
    let text = std::fs::read_to_string(path).expect("spec/postman.yaml is readable");
    yaml_serde::from_str(&text).expect("spec/postman.yaml is YAML")
});

// IDs and values as the spec's examples use them.
const API_ID: &str = "387c2863-6ee3-4a56-8210-225f774edade";
const API_VERSION_ID: &str = "03c17f53-7e2e-427d-b55a-006b244f29ff";
const SCHEMA_ID: &str = "e3b3a0b7-34d5-4fc5-83e0-118bd9e8c822";
const COLLECTION_ID: &str = "12ece9e1-2abf-4edc-8e34-de66e74114d2";
const ENVIRONMENT_ID: &str = "93f08795-ce52-4e03-ad18-68a46b36d034";
const MOCK_ID: &str = "e3d951bf-873f-49ac-a658-b2dcb91d3289";
const SERVER_RESPONSE_ID: &str = "965cdd16-fe22-4d96-a161-3d05490ac421";
const MONITOR_ID: &str = "1e6b6cc1-c760-48e0-968f-4bfaeeae9af1";
const WORKSPACE_ID: &str = "a35f5ff1-76ed-44df-a8a2-d8b8acf36f45";
const PAN_ELEMENT_ID: &str = "12345678-12ece9e1-2abf-4edc-8e34-de66e74114d2";
const SCIM_USER_ID: &str = "405775fe15ed41872a8eea4c8aa2b38cda9749812cc55c99";
const SCIM_GROUP_ID: &str = "561631fe14ed41872a8eea4c8aa2b38cda9749812cc55c00";
const USER_ID: &str = "12345678";
const SINCE: &str = "2022-08-01T00:00:00Z";
const UNTIL: &str = "2022-08-31T23:59:59Z";

/// The one place the contract tests build a client.
fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("PMAK-contract-test")
        .base_url(base_url)
        .allow_insecure_http(true)
        .build()
        .expect("the client accepts the mock's http base URL")
}

fn prism_url() -> String {
    std::env::var("PRISM_URL")
        .expect("PRISM_URL is not set: run this test through `cargo xtask contract`")
}

// ---------------------------------------------------------------------------------------
// The spec, as the checks see it
// ---------------------------------------------------------------------------------------

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Follows local `$ref`s.
fn resolve<'a>(spec: &'a Value, mut node: &'a Value) -> &'a Value {
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        node = spec
            .pointer(pointer)
            .unwrap_or_else(|| panic!("unresolved $ref {reference}"));
    }
    node
}

/// Every operation: (operationId, method, path, operation, path item).
fn operations(spec: &Value) -> Vec<(&str, &str, &str, &Value, &Value)> {
    let mut out = Vec::new();
    let paths = spec["paths"].as_object().expect("spec has paths");
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let id = operation["operationId"]
                    .as_str()
                    .expect("every operation has an operationId");
                out.push((id, method, path.as_str(), operation, item));
            }
        }
    }
    out
}

/// The names of the operation's parameters that are `in` the given location.
fn parameter_names(spec: &Value, operation: &Value, item: &Value, location: &str) -> Vec<String> {
    let lists = [item.get("parameters"), operation.get("parameters")];
    lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(spec, p))
        .filter(|p| p["in"] == location)
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

/// The names of `apiKey` security schemes sent `in` the given location.
fn api_key_names(spec: &Value, location: &str) -> Vec<String> {
    spec.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemes| schemes.values())
        .filter(|s| s["type"] == "apiKey" && s["in"] == location)
        .filter_map(|s| s["name"].as_str().map(str::to_owned))
        .collect()
}

/// Whether a concrete path matches a path template such as `/apis/{apiId}`.
fn path_matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template.iter().zip(&path).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// The JSON body fields (as JSON pointers) that `schema` does not declare.
fn undeclared_fields(spec: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(spec, schema);
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        // Fine if any alternative declares everything; else report the closest one.
        let mut closest: Option<Vec<String>> = None;
        for alternative in alternatives {
            let mut found = Vec::new();
            undeclared_fields(spec, alternative, value, at, &mut found);
            if found.is_empty() {
                return;
            }
            if closest.as_ref().is_none_or(|c| found.len() < c.len()) {
                closest = Some(found);
            }
        }
        out.extend(closest.unwrap_or_default());
        return;
    }
    match value {
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            for (name, field) in fields {
                let here = format!("{at}/{name}");
                match (properties.and_then(|p| p.get(name)), additional) {
                    (Some(property), _) => undeclared_fields(spec, property, field, &here, out),
                    (None, Some(map)) if map.is_object() => {
                        undeclared_fields(spec, map, field, &here, out);
                    }
                    (None, Some(Value::Bool(true))) => {}
                    // An object schema with properties and nothing else: `name` is unknown.
                    (None, _) if properties.is_some() => out.push(here),
                    // A schema without properties accepts any JSON.
                    (None, _) => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    undeclared_fields(spec, item_schema, item, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Headers any HTTP client sends on its own, or that carry the body's framing.
const TRANSPORT_HEADERS: [&str; 8] = [
    "host",
    "user-agent",
    "accept",
    "accept-encoding",
    "content-type",
    "content-length",
    "connection",
    "transfer-encoding",
];

/// What the spec says is wrong with a request sent for operation `label`: an empty list
/// when it uses only the method, path, parameter names, headers and body fields the spec
/// declares for that operation.
fn request_problems(
    spec: &Value,
    label: &str,
    method: &str,
    url: &url::Url,
    headers: &[String],
    body: &[u8],
) -> Vec<String> {
    let operations = operations(spec);
    let Some(&(_, op_method, template, operation, item)) =
        operations.iter().find(|(id, ..)| *id == label)
    else {
        return vec![format!("{label} is not an operationId of the spec")];
    };
    let mut problems = Vec::new();
    if !method.eq_ignore_ascii_case(op_method) || !path_matches(template, url.path()) {
        problems.push(format!(
            "sent {method} {}, but {label} is {} {template}",
            url.path(),
            op_method.to_uppercase()
        ));
    }
    let mut query = parameter_names(spec, operation, item, "query");
    query.extend(api_key_names(spec, "query"));
    for (name, _) in url.query_pairs() {
        if !query.iter().any(|q| *q == name) {
            problems.push(format!("query parameter `{name}` is not declared"));
        }
    }
    let mut declared_headers = parameter_names(spec, operation, item, "header");
    declared_headers.extend(api_key_names(spec, "header"));
    for name in headers {
        let known = TRANSPORT_HEADERS.contains(&name.as_str())
            || declared_headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name));
        if !known {
            problems.push(format!("header `{name}` is not declared"));
        }
    }
    let json_schema = operation
        .get("requestBody")
        .map(|b| resolve(spec, b))
        .and_then(|b| b.pointer("/content/application~1json/schema"));
    let content_type = headers.iter().any(|h| h == "content-type");
    match (json_schema, body.is_empty()) {
        (_, true) => {}
        (Some(schema), false) => match serde_json::from_slice::<Value>(body) {
            Ok(value) => {
                let mut fields = Vec::new();
                undeclared_fields(spec, schema, &value, "", &mut fields);
                problems.extend(
                    fields
                        .into_iter()
                        .map(|f| format!("body field `{f}` is not declared")),
                );
            }
            // Multipart bodies (the import operations) are Prism's to check.
            Err(_) if content_type => {}
            Err(e) => problems.push(format!("body is not JSON: {e}")),
        },
        (None, false) if operation.get("requestBody").is_some() => {}
        (None, false) => problems.push("sent a body, but the operation takes none".to_owned()),
    }
    problems
}

/// The request example of `operation_id`, decoded into the generated body type; it must
/// encode back to the same JSON, so a field the type renames or drops fails here.
fn body<T: DeserializeOwned + Serialize>(operation_id: &str) -> T {
    let spec = &*SPEC;
    let (.., operation, _) = operations(spec)
        .into_iter()
        .find(|(id, ..)| *id == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"));
    let example = resolve(spec, &operation["requestBody"])
        .pointer("/content/application~1json/example")
        .unwrap_or_else(|| panic!("{operation_id} has no JSON request example"));
    let decoded: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| {
        panic!(
            "{operation_id}: the request example does not decode into {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let encoded = serde_json::to_value(&decoded).expect("bodies encode");
    assert_eq!(
        &encoded,
        example,
        "{operation_id}: the request example changes in a round trip through {}",
        std::any::type_name::<T>()
    );
    decoded
}

// ---------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------

struct Run {
    prism: Client,
    recorder: MockServer,
    recording: Client,
    recorded: usize,
    called: Vec<&'static str>,
    passed: usize,
    failures: Vec<String>,
}

impl Run {
    async fn new() -> Self {
        let recorder = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
            .mount(&recorder)
            .await;
        let recording = client(&recorder.uri());
        Run {
            prism: client(&prism_url()),
            recorder,
            recording,
            recorded: 0,
            called: Vec::new(),
            passed: 0,
            failures: Vec::new(),
        }
    }

    /// Checks the request the recording client just sent for `label`.
    async fn check_recorded(&mut self, label: &'static str) -> Vec<String> {
        self.called.push(label);
        let requests = self
            .recorder
            .received_requests()
            .await
            .expect("the recorder records requests");
        let new = &requests[self.recorded..];
        self.recorded = requests.len();
        let [request] = new else {
            return vec![format!("sent {} requests instead of one", new.len())];
        };
        let headers: Vec<String> = request
            .headers
            .keys()
            .map(|h| h.as_str().to_owned())
            .collect();
        request_problems(
            &SPEC,
            label,
            request.method.as_str(),
            &request.url,
            &headers,
            &request.body,
        )
    }

    /// Records the outcome of `label`: its recorded request's problems and Prism's answer.
    fn check<T>(
        &mut self,
        label: &'static str,
        mut problems: Vec<String>,
        result: Result<Response<T>, Error>,
    ) {
        match &result {
            Ok(response) => {
                if let Some(violations) = response.headers().get("sl-violations") {
                    problems.push(format!("Prism flagged the request: {violations:?}"));
                }
            }
            Err(error) => {
                let violations = error.headers().and_then(|h| h.get("sl-violations"));
                let body = error
                    .raw_body()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                problems.push(format!(
                    "{error} (sl-violations: {violations:?}; body: {body})"
                ));
            }
        }
        if problems.is_empty() {
            self.passed += 1;
        } else {
            self.failures
                .push(format!("{label}:\n    {}", problems.join("\n    ")));
        }
    }
}

/// Calls one operation twice with the same arguments: through the recording client (its
/// request is checked against the spec) and through the Prism client.
///
/// The calls' futures are boxed: inline, 172 of them make the test's one future larger
/// than a test thread's stack in a debug build.
macro_rules! call {
    ($run:ident, $label:literal, |$c:ident| $request:expr) => {{
        {
            let $c = &$run.recording;
            let _ignored = Box::pin($request.send()).await;
        }
        let problems = $run.check_recorded($label).await;
        let result = {
            let $c = &$run.prism;
            Box::pin($request.send()).await
        };
        $run.check($label, problems, result);
    }};
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask contract`"]
async fn every_operation_passes_prism_validation() {
    let mut run = Run::new().await;
    let r = &mut run;

    // API
    call!(r, "getApis", |c| c
        .get_apis()
        .workspace(WORKSPACE_ID)
        .since(SINCE)
        .until(UNTIL)
        .created_by(USER_ID)
        .updated_by(USER_ID)
        .is_public(false)
        .name("orders")
        .summary("track")
        .description("order service")
        .sort("updatedAt")
        .direction(SortDirection::Desc));
    call!(r, "createApi", |c| c
        .create_api(body("createApi"))
        .workspace(WORKSPACE_ID));
    call!(r, "getApi", |c| c.get_api(API_ID));
    call!(r, "updateApi", |c| c.update_api(API_ID, body("updateApi")));
    call!(r, "deleteApi", |c| c.delete_api(API_ID));

    // API versions
    call!(r, "getApiVersions", |c| c.get_api_versions(API_ID));
    call!(r, "createApiVersion", |c| c
        .create_api_version(API_ID, body("createApiVersion")));
    call!(r, "getApiVersion", |c| c
        .get_api_version(API_ID, API_VERSION_ID));
    call!(r, "updateApiVersion", |c| c.update_api_version(
        API_ID,
        API_VERSION_ID,
        body("updateApiVersion")
    ));
    call!(r, "deleteApiVersion", |c| c
        .delete_api_version(API_ID, API_VERSION_ID));

    // API relations
    call!(r, "getContractTestRelations", |c| c
        .get_contract_test_relations(API_ID, API_VERSION_ID));
    call!(r, "getDocumentationRelations", |c| c
        .get_documentation_relations(API_ID, API_VERSION_ID));
    call!(r, "getEnvironmentRelations", |c| c
        .get_environment_relations(API_ID, API_VERSION_ID));
    call!(r, "getIntegrationTestRelations", |c| c
        .get_integration_test_relations(API_ID, API_VERSION_ID));
    call!(r, "getMockRelations", |c| c
        .get_mock_relations(API_ID, API_VERSION_ID));
    call!(r, "getMonitorRelations", |c| c
        .get_monitor_relations(API_ID, API_VERSION_ID));
    call!(r, "getTestRelations", |c| c
        .get_test_relations(API_ID, API_VERSION_ID));
    call!(r, "getTestSuiteRelations", |c| c
        .get_test_suite_relations(API_ID, API_VERSION_ID));
    call!(r, "getUnclassifiedRelations", |c| c
        .get_unclassified_relations(API_ID, API_VERSION_ID));
    call!(r, "getLinkedRelations", |c| c
        .get_linked_relations(API_ID, API_VERSION_ID));
    call!(r, "createRelations", |c| c.create_relations(
        API_ID,
        API_VERSION_ID,
        body("createRelations")
    ));
    call!(r, "syncRelationWithSchema", |c| c
        .sync_relation_with_schema(
            API_ID,
            API_VERSION_ID,
            "documentation",
            COLLECTION_ID
        ));

    // API schemas
    call!(r, "createApiSchema", |c| c.create_api_schema(
        API_ID,
        API_VERSION_ID,
        body("createApiSchema")
    ));
    call!(r, "getApiSchema", |c| c.get_api_schema(
        API_ID,
        API_VERSION_ID,
        SCHEMA_ID
    ));
    call!(r, "updateApiSchema", |c| c.update_api_schema(
        API_ID,
        API_VERSION_ID,
        SCHEMA_ID,
        body("updateApiSchema")
    ));
    call!(r, "createCollectionFromSchema", |c| c
        .create_collection_from_schema(
            API_ID,
            API_VERSION_ID,
            SCHEMA_ID,
            body("createCollectionFromSchema")
        )
        .workspace(WORKSPACE_ID));

    // Collections
    call!(r, "getCollections", |c| c
        .get_collections()
        .workspace(WORKSPACE_ID));
    call!(r, "createCollection", |c| c
        .create_collection(body("createCollection"))
        .workspace(WORKSPACE_ID));
    call!(r, "getCollection", |c| c.get_collection(COLLECTION_ID));
    call!(r, "updateCollection", |c| c
        .update_collection(COLLECTION_ID, body("updateCollection")));
    call!(r, "deleteCollection", |c| c
        .delete_collection(COLLECTION_ID));
    call!(r, "forkCollection", |c| c.fork_collection(
        COLLECTION_ID,
        WORKSPACE_ID,
        body("forkCollection")
    ));
    call!(r, "mergeCollectionFork", |c| c
        .merge_collection_fork(body("mergeCollectionFork")));

    // Environments
    call!(r, "getEnvironments", |c| c
        .get_environments()
        .workspace(WORKSPACE_ID));
    call!(r, "createEnvironment", |c| c
        .create_environment(body("createEnvironment"))
        .workspace(WORKSPACE_ID));
    call!(r, "getEnvironment", |c| c.get_environment(ENVIRONMENT_ID));
    call!(r, "updateEnvironment", |c| c
        .update_environment(ENVIRONMENT_ID, body("updateEnvironment")));
    call!(r, "deleteEnvironment", |c| c
        .delete_environment(ENVIRONMENT_ID));

    // Import
    call!(r, "importOpenApi", |c| c
        .import_open_api(body("importOpenApi"))
        .workspace(WORKSPACE_ID));
    call!(r, "importExportedData", |c| c.import_exported_data(
        ImportFileRequest::new(
            ImportFileRequestType::File,
            Binary::new(&br#"{"version":1,"collections":[],"environments":[]}"#[..])
                .with_file_name("backup.json")
                .with_content_type("application/json"),
        )
    ));

    // Mocks
    call!(r, "getMocks", |c| c
        .get_mocks()
        .team_id("4127")
        .workspace(WORKSPACE_ID));
    call!(r, "createMock", |c| c
        .create_mock(body("createMock"))
        .workspace(WORKSPACE_ID));
    call!(r, "getMock", |c| c.get_mock(MOCK_ID));
    call!(r, "updateMock", |c| c
        .update_mock(MOCK_ID, body("updateMock")));
    call!(r, "deleteMock", |c| c.delete_mock(MOCK_ID));
    call!(r, "publishMock", |c| c.publish_mock(MOCK_ID));
    call!(r, "unpublishMock", |c| c.unpublish_mock(MOCK_ID));
    call!(r, "getMockCallLogs", |c| c
        .get_mock_call_logs(MOCK_ID)
        .limit(50)
        .cursor("MTY2MDIxODEwMTMzNw==")
        .until("2022-08-11T23:59:59Z")
        .since("2022-08-11T00:00:00Z")
        .response_status_code(201)
        .response_type("success")
        .request_method("POST")
        .request_path("/v1/orders")
        .sort("servedAt")
        .direction(SortDirection::Desc)
        .include("request.headers,response.body"));
    call!(r, "getMockServerResponses", |c| c
        .get_mock_server_responses(MOCK_ID));
    call!(r, "createMockServerResponse", |c| c
        .create_mock_server_response(
            MOCK_ID,
            body("createMockServerResponse")
        ));
    call!(r, "getMockServerResponse", |c| c
        .get_mock_server_response(MOCK_ID, SERVER_RESPONSE_ID));
    call!(r, "updateMockServerResponse", |c| c
        .update_mock_server_response(
            MOCK_ID,
            SERVER_RESPONSE_ID,
            body("updateMockServerResponse")
        ));
    call!(r, "deleteMockServerResponse", |c| c
        .delete_mock_server_response(MOCK_ID, SERVER_RESPONSE_ID));

    // Monitors
    call!(r, "getMonitors", |c| c
        .get_monitors()
        .workspace(WORKSPACE_ID));
    call!(r, "createMonitor", |c| c
        .create_monitor(body("createMonitor"))
        .workspace(WORKSPACE_ID));
    call!(r, "getMonitor", |c| c.get_monitor(MONITOR_ID));
    call!(r, "updateMonitor", |c| c
        .update_monitor(MONITOR_ID, body("updateMonitor")));
    call!(r, "deleteMonitor", |c| c.delete_monitor(MONITOR_ID));
    call!(r, "runMonitor", |c| c.run_monitor(MONITOR_ID));

    // Private API Network
    call!(r, "getPanElementsAndFolders", |c| c
        .get_pan_elements_and_folders()
        .since(SINCE)
        .until(UNTIL)
        .added_by(12345678)
        .name("orders")
        .summary("order service")
        .description("payments")
        .sort("updatedAt")
        .direction(SortDirection::Desc)
        .created_by(12345678)
        .offset(0)
        .limit(100)
        .parent_folder_id(1)
        .r#type(PanItemType::Collection));
    call!(r, "addPanElementOrFolder", |c| c
        .add_pan_element_or_folder(body("addPanElementOrFolder")));
    call!(r, "updatePanElementOrFolder", |c| c
        .update_pan_element_or_folder(
            PanItemType::Collection,
            PAN_ELEMENT_ID,
            body("updatePanElementOrFolder")
        ));
    call!(r, "removePanElementOrFolder", |c| c
        .remove_pan_element_or_folder(
            PanItemType::Collection,
            PAN_ELEMENT_ID
        ));
    call!(r, "getPanElementRequests", |c| c
        .get_pan_element_requests()
        .since(SINCE)
        .until(UNTIL)
        .requested_by(87654321)
        .r#type(PanElementType::Collection)
        .status(PanRequestStatus::Pending)
        .name("billing")
        .sort("updatedAt")
        .direction(SortDirection::Desc)
        .offset(0)
        .limit(100));
    call!(r, "respondToPanElementRequest", |c| c
        .respond_to_pan_element_request(
            42,
            body("respondToPanElementRequest")
        ));

    // Workspaces
    call!(r, "getWorkspaces", |c| c
        .get_workspaces()
        .r#type(WorkspaceType::Team));
    call!(r, "createWorkspace", |c| c
        .create_workspace(body("createWorkspace")));
    call!(r, "getWorkspace", |c| c.get_workspace(WORKSPACE_ID));
    call!(r, "updateWorkspace", |c| c
        .update_workspace(WORKSPACE_ID, body("updateWorkspace")));
    call!(r, "deleteWorkspace", |c| c.delete_workspace(WORKSPACE_ID));

    // User, webhooks
    call!(r, "getAuthenticatedUser", |c| c.get_authenticated_user());
    call!(r, "createWebhook", |c| c
        .create_webhook(body("createWebhook"))
        .workspace(WORKSPACE_ID));

    // SCIM users
    call!(r, "getScimUsers", |c| c
        .get_scim_users()
        .start_index(1)
        .count(100)
        .filter("userName eq \"jane.doe@example.com\""));
    call!(r, "createScimUser", |c| c
        .create_scim_user(body("createScimUser")));
    call!(r, "getScimUser", |c| c.get_scim_user(SCIM_USER_ID));
    call!(r, "updateScimUser", |c| c
        .update_scim_user(SCIM_USER_ID, body("updateScimUser")));
    call!(r, "updateScimUserState", |c| c.update_scim_user_state(
        SCIM_USER_ID,
        body("updateScimUserState")
    ));

    // SCIM groups
    call!(r, "getScimGroups", |c| c
        .get_scim_groups()
        .start_index(1)
        .count(100)
        .filter("displayName eq \"Payments\""));
    call!(r, "createScimGroup", |c| c
        .create_scim_group(body("createScimGroup")));
    call!(r, "getScimGroup", |c| c.get_scim_group(SCIM_GROUP_ID));
    call!(r, "deleteScimGroup", |c| c.delete_scim_group(SCIM_GROUP_ID));
    call!(r, "updateScimGroup", |c| c
        .update_scim_group(SCIM_GROUP_ID, body("updateScimGroup")));

    // SCIM, API security, audit logs
    call!(r, "getScimResourceTypes", |c| c.get_scim_resource_types());
    call!(r, "getScimServiceProviderConfig", |c| c
        .get_scim_service_provider_config());
    call!(r, "validateApiDefinitionSecurity", |c| c
        .validate_api_definition_security(body(
            "validateApiDefinitionSecurity"
        )));
    call!(r, "getAuditLogs", |c| c
        .get_audit_logs()
        .since("2022-08-01")
        .until("2022-08-12")
        .limit(100)
        .cursor("eyJpZCI6MTIzNDR9")
        .order_by(SortDirection::Desc));

    let spec_ids: BTreeSet<&str> = operations(&SPEC).iter().map(|(id, ..)| *id).collect();
    let called: BTreeSet<&str> = run.called.iter().copied().collect();
    let not_called: Vec<&&str> = spec_ids.difference(&called).collect();
    assert!(
        not_called.is_empty(),
        "the contract test does not call: {not_called:?}"
    );
    assert_eq!(
        run.called.len(),
        called.len(),
        "an operation is called twice"
    );
    let inventory = inventory_operations();
    println!(
        "contract: {}/{inventory} operations passed Prism validation",
        run.passed
    );
    assert!(
        run.failures.is_empty(),
        "{} operation(s) failed:\n{}",
        run.failures.len(),
        run.failures.join("\n")
    );
    assert_eq!(
        run.passed, inventory,
        "operations passed / inventory operations"
    );
}

// ---------------------------------------------------------------------------------------
// The detectors detect
// ---------------------------------------------------------------------------------------

/// Whether Prism flagged a request: a `sl-violations` header, or a `4xx` answer.
async fn prism_flags(request: reqwest::RequestBuilder) -> (bool, String) {
    let response = request.send().await.expect("Prism answers");
    let status = response.status();
    let violations = response
        .headers()
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let text = response.text().await.unwrap_or_default();
    let flagged = violations.is_some() || status.is_client_error();
    (
        flagged,
        format!("{status}, sl-violations: {violations:?}, body: {text}"),
    )
}

#[tokio::test]
#[ignore = "needs Prism: run `cargo xtask contract`"]
async fn prism_flags_wrong_requests() {
    let base = prism_url();
    let http = reqwest::Client::new();
    let key = ("X-Api-Key", "PMAK-contract-test");
    let json = ("Content-Type", "application/json");

    // The control: a right request is not flagged.
    let (flagged, detail) = prism_flags(http.get(format!("{base}/me")).header(key.0, key.1)).await;
    assert!(!flagged, "a valid request was flagged: {detail}");

    let wrong = [
        (
            "query parameter of the wrong type (isPublic=maybe)",
            http.get(format!("{base}/apis?isPublic=maybe")),
        ),
        (
            "path parameter of the wrong type (requestId=abc)",
            http.put(format!("{base}/network/private/network-entity/request/abc"))
                .header(json.0, json.1)
                .body(r#"{"response":{"message":"ok"},"status":"approved"}"#),
        ),
        (
            "required query parameter missing (fork without workspace)",
            http.post(format!("{base}/collections/fork/{COLLECTION_ID}"))
                .header(json.0, json.1)
                .body(r#"{"label":"my fork"}"#),
        ),
        (
            "body of the wrong shape (createApi without the `api` envelope)",
            http.post(format!("{base}/apis"))
                .header(json.0, json.1)
                .body(r#"{"name":"Orders API"}"#),
        ),
        (
            "body field of the wrong type (createWorkspace name: 42)",
            http.post(format!("{base}/workspaces"))
                .header(json.0, json.1)
                .body(r#"{"workspace":{"name":42,"type":"team"}}"#),
        ),
        (
            "enum query parameter out of range (type=galaxy)",
            http.get(format!("{base}/workspaces?type=galaxy")),
        ),
    ];
    let mut missed = Vec::new();
    for (what, request) in wrong {
        let (flagged, detail) = prism_flags(request.header(key.0, key.1)).await;
        println!("wrong request {what}: flagged={flagged} ({detail})");
        if !flagged {
            missed.push(what);
        }
    }
    let (flagged, detail) = prism_flags(http.get(format!("{base}/me"))).await;
    println!("wrong request without the X-Api-Key header: flagged={flagged} ({detail})");
    if !flagged {
        missed.push("missing X-Api-Key header");
    }
    assert!(missed.is_empty(), "Prism did not flag: {missed:?}");
}

fn problems_of(label: &str, method: &str, url: &str, headers: &[&str], body: &str) -> Vec<String> {
    let url = url::Url::parse(url).expect("test URL");
    let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    request_problems(&SPEC, label, method, &url, &headers, body.as_bytes())
}

/// What Prism does not check (unknown names), the recorded-request check does.
#[test]
fn the_request_check_flags_undeclared_names() {
    let base = "http://127.0.0.1:1";
    let ok = problems_of(
        "createApi",
        "POST",
        &format!("{base}/apis?workspace={WORKSPACE_ID}"),
        &["x-api-key", "content-type", "user-agent"],
        r#"{"api":{"name":"Orders API","summary":"s"}}"#,
    );
    assert_eq!(ok, Vec::<String>::new());

    let cases = [
        // A misspelt optional query parameter.
        (
            "getApis",
            "GET",
            format!("{base}/apis?isPublik=true"),
            "x-api-key",
            "",
        ),
        // An undeclared header.
        ("getApis", "GET", format!("{base}/apis"), "x-api-token", ""),
        // A misspelt body field, one level down.
        (
            "createApi",
            "POST",
            format!("{base}/apis"),
            "content-type",
            r#"{"api":{"name":"Orders API","summry":"s"}}"#,
        ),
        // The wrong method for the operation named.
        (
            "getApi",
            "DELETE",
            format!("{base}/apis/{API_ID}"),
            "x-api-key",
            "",
        ),
        // The wrong path for the operation named.
        (
            "getApi",
            "GET",
            format!("{base}/api/{API_ID}"),
            "x-api-key",
            "",
        ),
    ];
    for (label, method, url, header, body) in cases {
        let problems = problems_of(label, method, &url, &[header], body);
        assert!(
            !problems.is_empty(),
            "{label} {method} {url} [{header}] {body}: not flagged"
        );
    }
}
