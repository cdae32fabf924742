//! The generated client over real HTTP, against `wiremock` servers on 127.0.0.1.
//!
//! Mocks are mounted with `.expect(n)` and verified when their server is dropped, so a
//! request that does not match (wrong path, missing parameter or header) fails the test
//! even when the client would cope with wiremock's default `404`. What a matcher cannot
//! express is checked on `server.received_requests()`.

use std::net::TcpListener;
use std::time::{Duration, SystemTime};

use postman_client::types::{
    CollectionAuthType, CollectionDescription, CollectionEventListen, CollectionItemRequest,
    CollectionRequestBodyMode, CollectionRequestMethod, CreateEnvironmentRequest, EnvironmentInput,
    EnvironmentValue, EnvironmentValueType, ForkCollectionRequest, UserId, WorkspaceType,
};
use postman_client::{ApiError, AuthMode, Client, DecodeError, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{
    any, body_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "PMAK-test-key";

/// The uid of the collection in the spec's examples.
const COLLECTION_UID: &str = "12345678-12ece9e1-2abf-4edc-8e34-de66e74114d2";
/// The workspace ID in the spec's examples.
const WORKSPACE_ID: &str = "a35f5ff1-76ed-44df-a8a2-d8b8acf36f45";

const UNAUTHORIZED: &str = r#"{"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}}"#;
const RATE_LIMITED: &str = r#"{"error":{"name":"rateLimitError","message":"Rate Limit exceeded. Please retry at 1465452702843"}}"#;
const TRUNCATED: &str = r#"{"collection": {"info": "#;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A client for `base` that sends the test key the `mode` way.
fn client_for(base: &str, mode: AuthMode) -> Client {
    Client::builder()
        .api_key(KEY)
        .auth_mode(mode)
        .base_url(base)
        .allow_insecure_http(true)
        // Each test here is about one exchange; retries have their own tests.
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("the client accepts a plain http base URL when allowed")
}

/// Mounts a mock answering `verb route` with `response`, to be called exactly once.
async fn mount(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// A fresh server with one mock (see [`mount`]) and a client for it. Keep the server
/// bound (`_server`, not `_`) until the end of the test: dropping it verifies the mock.
async fn serve(
    mode: AuthMode,
    verb: &str,
    route: &str,
    response: ResponseTemplate,
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    mount(&server, verb, route, response).await;
    let client = client_for(&server.uri(), mode);
    (server, client)
}

/// A response with `body` sent byte for byte as `application/json`.
fn json_text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

/// The requests `server` received, in order.
async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("wiremock records requests by default")
}

/// The values of header `name` in `request`, as text.
fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("ASCII header").to_owned())
        .collect()
}

/// Asserts the decoded query pairs of `request`, in order.
fn assert_query(request: &Request, expected: &[(&str, &str)]) {
    let pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    assert_eq!(pairs, expected, "query of {}", request.url);
}

/// Decodes `%XX` escapes (and nothing else) of a path segment.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII escape");
            out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 segment")
}

/// The `Display`, `Debug` and pretty `Debug` text of `err` and of every error below it.
fn shown(err: &Error) -> String {
    let mut parts = vec![format!("{err}"), format!("{err:?}"), format!("{err:#?}")];
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        parts.push(format!("{inner} / {inner:?}"));
        source = inner.source();
    }
    parts.join(" | ")
}

fn assert_hides_key(text: &str) {
    assert!(!text.contains(KEY), "the API key leaked: {text}");
}

fn api_error(err: &Error) -> &ApiError {
    match err {
        Error::Api(inner) => inner.as_ref(),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn decode_error(err: &Error) -> &DecodeError {
    match err {
        Error::Decode(inner) => inner.as_ref(),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// The spec's example of `GET /me`, with the user ID given as `id`.
fn me_body(id: Value) -> Value {
    json!({
        "user": {
            "id": id,
            "username": "jane-doe",
            "email": "jane.doe@example.com",
            "fullName": "Jane Doe",
            "avatar": "https://avatars.example.com/u/12345678.png",
            "isPublic": false
        },
        "operations": [
            {"name": "mock_usage", "limit": 1000, "usage": 112, "overage": 0},
            {"name": "monitor_request_runs", "limit": 1000, "usage": 0, "overage": 0},
            {"name": "api_usage", "limit": 1000, "usage": 87, "overage": 0}
        ]
    })
}

/// A `GET /collections/{id}` answer with the least the schema requires.
fn minimal_collection() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "collection": {"info": {"name": "Orders API", "schema": "s"}, "item": []}
    }))
}

// ---------------------------------------------------------------------------------------
// Authentication: the key goes exactly where the chosen mode says, and nowhere else.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn header_mode_sends_the_key_only_in_x_api_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collections"))
        .and(header("x-api-key", KEY))
        .and(query_param_is_missing("apikey"))
        .respond_with(json_text(200, r#"{"collections":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Header);
    assert_eq!(client.base_url(), server.uri(), "plain http is kept as is");
    assert_eq!(client.auth_mode(), AuthMode::Header);

    let response = client
        .get_collections()
        .workspace("w")
        .send()
        .await
        .unwrap();
    assert!(response.collections.is_empty());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(header_values(request, "x-api-key"), [KEY]);
    assert_query(request, &[("workspace", "w")]);
    assert_eq!(header_values(request, "accept"), ["application/json"]);
    let agent = header_values(request, "user-agent");
    assert!(agent[0].starts_with("postman-client/"), "{agent:?}");
}

/// SCIM operations answer `application/scim+json` only, so they ask for it (a server, or
/// Prism, may refuse `Accept: application/json` with `406`).
#[tokio::test]
async fn scim_operations_accept_scim_json() {
    let (server, client) = serve(
        AuthMode::Header,
        "GET",
        "/scim/v2/ResourceTypes",
        ResponseTemplate::new(503),
    )
    .await;
    let result = client.get_scim_resource_types().send().await;
    assert!(result.is_err(), "503 is an error");
    let requests = received(&server).await;
    assert_eq!(
        header_values(&requests[0], "accept"),
        ["application/scim+json"]
    );
}

#[tokio::test]
async fn query_mode_sends_the_key_only_as_apikey_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/collections"))
        .and(query_param("apikey", KEY))
        .and(query_param("workspace", "w"))
        .respond_with(json_text(200, r#"{"collections":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Query);
    assert_eq!(client.auth_mode(), AuthMode::Query);

    client
        .get_collections()
        .workspace("w")
        .send()
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_query(request, &[("workspace", "w"), ("apikey", KEY)]);
    assert!(header_values(request, "x-api-key").is_empty());
    assert!(
        request
            .headers
            .values()
            .all(|value| !String::from_utf8_lossy(value.as_bytes()).contains(KEY)),
        "the key is in a header: {:?}",
        request.headers
    );
}

// ---------------------------------------------------------------------------------------
// Encoding: path, query and body reach the server as the spec describes them.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn collection_id_is_the_last_path_segment() {
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/collections/12345678-abc",
        minimal_collection(),
    )
    .await;
    let response = client.get_collection("12345678-abc").send().await.unwrap();
    assert_eq!(response.collection.info.name, "Orders API");
}

#[tokio::test]
async fn reserved_and_non_ascii_ids_stay_one_encoded_segment() {
    // `/` must not add a segment, `?` and `#` must not start a query or fragment, `%`
    // must not read as an escape, and UTF-8 is escaped byte by byte.
    let id = "a/b c?é#%";
    let encoded = "a%2Fb%20c%3F%C3%A9%23%25";
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &format!("/collections/{encoded}"),
        minimal_collection(),
    )
    .await;
    let client = client_for(&server.uri(), AuthMode::Header);

    client.get_collection(id).send().await.unwrap();

    let requests = received(&server).await;
    let url = &requests[0].url;
    assert_eq!(url.path(), format!("/collections/{encoded}"));
    assert_eq!((url.query(), url.fragment()), (None, None));
    let segments: Vec<&str> = url.path_segments().expect("a path").collect();
    assert_eq!(segments, ["collections", encoded]);
    assert_eq!(percent_decode(segments[1]), id);
}

#[tokio::test]
async fn dot_segment_ids_are_refused_before_sending() {
    // `..` would be resolved by URL parsers and hit another endpoint.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Header);

    for id in ["..", "."] {
        let err = client.delete_collection(id).send().await.unwrap_err();
        let Error::Encode(message) = &err else {
            panic!("expected Error::Encode for {id:?}, got {err:?}")
        };
        assert!(message.contains("segment"), "{message}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn workspace_query_is_form_encoded_and_left_out_when_unset() {
    let server = MockServer::start().await;
    let list = json_text(200, r#"{"collections":[]}"#);
    for workspace in ["w 1", "a&apikey=x#y"] {
        Mock::given(method("GET"))
            .and(path("/collections"))
            .and(query_param("workspace", workspace))
            .respond_with(list.clone())
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/collections"))
        .and(query_param_is_missing("workspace"))
        .respond_with(list)
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Header);

    client
        .get_collections()
        .workspace("w 1")
        .send()
        .await
        .unwrap();
    client
        .get_collections()
        .workspace("a&apikey=x#y")
        .send()
        .await
        .unwrap();
    client.get_collections().send().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    // Form encoding (WHATWG URL) writes a space as `+`; `%20` would be as correct.
    let raw = requests[0].url.query().expect("a query");
    assert!(raw == "workspace=w+1" || raw == "workspace=w%201", "{raw}");
    assert_query(&requests[0], &[("workspace", "w 1")]);
    // Delimiters inside the value cannot add parameters.
    assert_query(&requests[1], &[("workspace", "a&apikey=x#y")]);
    assert_eq!(requests[1].url.fragment(), None);
    assert_eq!(requests[2].url.query(), None);
}

#[tokio::test]
async fn workspace_type_is_sent_as_its_wire_value() {
    let server = MockServer::start().await;
    let answers = [
        (
            "team",
            json!({"workspaces": [{"id": WORKSPACE_ID, "name": "Payments team", "type": "team", "visibility": "team"}]}),
        ),
        (
            "partner-sandbox",
            json!({"workspaces": [{"id": "w2", "name": "Partners", "type": "partner-sandbox"}]}),
        ),
    ];
    for (wire, body) in answers {
        Mock::given(method("GET"))
            .and(path("/workspaces"))
            .and(query_param("type", wire))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server.uri(), AuthMode::Header);

    let team = client
        .get_workspaces()
        .r#type(WorkspaceType::Team)
        .send()
        .await
        .unwrap();
    assert_eq!(team.workspaces[0].r#type, WorkspaceType::Team);
    assert_eq!(team.workspaces[0].visibility.as_deref(), Some("team"));
    let unknown = WorkspaceType::Unknown("partner-sandbox".into());
    let other = client
        .get_workspaces()
        .r#type(unknown.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(other.workspaces[0].r#type, unknown);

    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), Some("type=team"));
    assert_eq!(requests[1].url.query(), Some("type=partner-sandbox"));
}

#[tokio::test]
async fn create_environment_sends_the_spec_body_as_json() {
    let server = MockServer::start().await;
    let created = json!({"environment": {
        "id": "93f08795-ce52-4e03-ad18-68a46b36d034",
        "name": "Staging",
        "uid": "12345678-93f08795-ce52-4e03-ad18-68a46b36d034"
    }});
    Mock::given(method("POST"))
        .and(path("/environments"))
        .and(header("content-type", "application/json"))
        .and(query_param_is_missing("workspace"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&created))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/environments"))
        .and(query_param("workspace", WORKSPACE_ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(&created))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Header);
    let variable = |key: &str, value: &str, kind| {
        EnvironmentValue::new(key, value)
            .with_enabled(true)
            .with_type(kind)
    };
    let staging = CreateEnvironmentRequest::new(EnvironmentInput::new("Staging").with_values([
        variable(
            "baseUrl",
            "https://staging.example.com",
            EnvironmentValueType::Default,
        ),
        variable("accessToken", "s3cr3t-t0ken", EnvironmentValueType::Secret),
    ]));
    let bare = CreateEnvironmentRequest::new(EnvironmentInput::new("Empty"));

    let response = client.create_environment(staging).send().await.unwrap();
    assert_eq!(
        response.environment.uid,
        "12345678-93f08795-ce52-4e03-ad18-68a46b36d034"
    );
    client
        .create_environment(bare)
        .workspace(WORKSPACE_ID)
        .send()
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    // The spec's request example, with `hovered` (None) left out rather than `null`.
    let expected = json!({"environment": {
        "name": "Staging",
        "values": [
            {"key": "baseUrl", "value": "https://staging.example.com", "enabled": true, "type": "default"},
            {"key": "accessToken", "value": "s3cr3t-t0ken", "enabled": true, "type": "secret"}
        ]
    }});
    assert_eq!(requests[0].body_json::<Value>().unwrap(), expected);
    assert_eq!(
        requests[1].body_json::<Value>().unwrap(),
        json!({"environment": {"name": "Empty"}})
    );
    for request in &requests {
        assert_eq!(header_values(request, "content-type"), ["application/json"]);
    }
}

#[test]
fn request_bodies_are_no_stricter_than_the_service() {
    // An environment variable as the service's own examples write it: no `enabled`.
    let value = EnvironmentValue::new("baseUrl", "https://staging.example.com");
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json!({"key": "baseUrl", "value": "https://staging.example.com"})
    );
    // A fork label under the name older clients send.
    let fork = ForkCollectionRequest::new().with_name("my changes");
    assert_eq!(
        serde_json::to_value(&fork).unwrap(),
        json!({"name": "my changes"})
    );
}

#[tokio::test]
async fn fork_collection_sends_the_required_workspace_and_label() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/collections/fork/{COLLECTION_UID}")))
        .and(query_param("workspace", WORKSPACE_ID))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"label": "my changes"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"collection": {
                "id": "c7727296-d84e-4c4e-85de-296a1682c4e4",
                "name": "Orders API",
                "uid": "12345678-c7727296-d84e-4c4e-85de-296a1682c4e4",
                "fork": {
                    "label": "my changes",
                    "createdAt": "2022-08-10T11:30:00.000Z",
                    "from": COLLECTION_UID
                }
            }})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Header);
    let body = ForkCollectionRequest::new().with_label("my changes");

    let response = client
        .fork_collection(COLLECTION_UID, WORKSPACE_ID, body)
        .send()
        .await
        .unwrap();

    let fork = &response.collection;
    assert_eq!(fork.uid, "12345678-c7727296-d84e-4c4e-85de-296a1682c4e4");
    assert_eq!(fork.fork.label, "my changes");
    assert_eq!(fork.fork.created_at, "2022-08-10T11:30:00.000Z");
    assert_eq!(fork.fork.from, COLLECTION_UID);
    let requests = received(&server).await;
    assert_query(&requests[0], &[("workspace", WORKSPACE_ID)]);
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/proxy/v1/me",
        ResponseTemplate::new(200).set_body_json(me_body(json!(1))),
    )
    .await;
    let client = client_for(&format!("{}/proxy/v1/", server.uri()), AuthMode::Header);
    assert_eq!(client.base_url(), format!("{}/proxy/v1", server.uri()));
    client.get_authenticated_user().send().await.unwrap();
}

// ---------------------------------------------------------------------------------------
// Decoding: the spec's own examples decode, with status and rate limit.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn collection_example_decodes_with_status_and_rate_limit() {
    // The example of `GET /collections/{collectionId}` in spec/postman.yaml.
    let example = json!({"collection": {
        "info": {
            "_postman_id": "12ece9e1-2abf-4edc-8e34-de66e74114d2",
            "name": "Orders API",
            "description": "Requests for the order service.",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
            "updatedAt": "2022-08-02T15:08:03.000Z"
        },
        "item": [{
            "id": "5ecba363-8067-48c7-a242-b21aa71adfe1",
            "name": "Orders",
            "item": [{
                "id": "cbadeea9-9cc5-4bb6-9fac-aee2ea20ab34",
                "name": "Create an order",
                "request": {
                    "method": "POST",
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": {"mode": "raw", "raw": "{\"sku\": \"A-1001\", \"quantity\": 2}"},
                    "url": {
                        "raw": "{{baseUrl}}/v1/orders",
                        "host": ["{{baseUrl}}"],
                        "path": ["v1", "orders"]
                    }
                },
                "response": [{
                    "id": "70c81dea-f908-47bf-b6dd-b022f38f8df0",
                    "name": "Order created",
                    "originalRequest": {"method": "POST", "url": {"raw": "{{baseUrl}}/v1/orders"}},
                    "code": 201,
                    "status": "Created",
                    "header": [{"key": "Content-Type", "value": "application/json"}],
                    "body": "{\"id\": \"ord_001\", \"status\": \"open\"}",
                    "_postman_previewlanguage": "json"
                }],
                "event": [{
                    "listen": "test",
                    "script": {
                        "type": "text/javascript",
                        "exec": [
                            "pm.test(\"status is 201\", function () {",
                            "    pm.response.to.have.status(201);",
                            "});"
                        ]
                    }
                }]
            }]
        }],
        "event": [{
            "listen": "prerequest",
            "script": {
                "type": "text/javascript",
                "exec": ["console.log(\"sending\", pm.request.url.toString());"]
            }
        }],
        "variable": [{"key": "baseUrl", "value": "https://api.example.com", "type": "string"}],
        "auth": {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{accessToken}}", "type": "string"}]
        }
    }});
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        &format!("/collections/{COLLECTION_UID}"),
        ResponseTemplate::new(200)
            .set_body_json(&example)
            .insert_header("X-RateLimit-Limit", "300")
            .insert_header("X-RateLimit-Remaining", "299")
            .insert_header("X-RateLimit-Reset", "1659452940"),
    )
    .await;

    let response = client.get_collection(COLLECTION_UID).send().await.unwrap();

    assert_eq!(response.status().as_u16(), 200);
    let rate_limit = response.rate_limit();
    assert_eq!(
        (
            rate_limit.limit(),
            rate_limit.remaining(),
            rate_limit.reset()
        ),
        (Some(300), Some(299), Some(1_659_452_940))
    );
    assert_eq!(rate_limit.retry_after(), None);
    let collection = &response.collection;
    let info = &collection.info;
    assert_eq!(
        info.postman_id.as_deref(),
        Some("12ece9e1-2abf-4edc-8e34-de66e74114d2")
    );
    assert_eq!(info.name, "Orders API");
    assert_eq!(
        info.description,
        postman_client::Nullable::Value(CollectionDescription::String(
            "Requests for the order service.".into()
        ))
    );
    assert_eq!(info.updated_at.as_deref(), Some("2022-08-02T15:08:03.000Z"));
    let folder = &collection.item[0];
    assert_eq!(folder.name.as_deref(), Some("Orders"));
    let entry = &folder.item.as_ref().expect("a folder")[0];
    let Some(CollectionItemRequest::CollectionRequest(request)) = &entry.request else {
        panic!("expected a request object: {entry:?}")
    };
    assert_eq!(request.method, Some(CollectionRequestMethod::Post));
    let body = request.body.as_ref().expect("a body");
    assert_eq!(body.mode, Some(CollectionRequestBodyMode::Raw));
    assert_eq!(
        body.raw.as_deref(),
        Some(r#"{"sku": "A-1001", "quantity": 2}"#)
    );
    assert_eq!(
        entry.response.as_ref().expect("examples")[0].code,
        Some(201)
    );
    assert_eq!(
        entry.event.as_ref().expect("scripts")[0].listen,
        CollectionEventListen::Test
    );
    assert_eq!(
        collection.event.as_ref().expect("scripts")[0].listen,
        CollectionEventListen::Prerequest
    );
    let auth = collection.auth.as_ref().expect("auth");
    assert_eq!(auth.r#type, CollectionAuthType::Bearer);
    assert_eq!(
        auth.bearer.as_ref().expect("bearer settings")[0].value,
        Some(json!("{{accessToken}}"))
    );
    // Nothing of the example was dropped or changed on the way in.
    assert_eq!(serde_json::to_value(response.body()).unwrap(), example);
}

#[tokio::test]
async fn collection_list_example_decodes() {
    // The example of `GET /collections` in spec/postman.yaml.
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/collections",
        ResponseTemplate::new(200).set_body_json(json!({"collections": [
            {
                "id": "12ece9e1-2abf-4edc-8e34-de66e74114d2",
                "name": "Orders API",
                "owner": "12345678",
                "uid": COLLECTION_UID,
                "createdAt": "2022-06-14T09:12:41.000Z",
                "updatedAt": "2022-08-02T15:08:03.000Z",
                "isPublic": false
            },
            {
                "id": "c7727296-d84e-4c4e-85de-296a1682c4e4",
                "name": "Orders API (my changes)",
                "owner": "12345678",
                "uid": "12345678-c7727296-d84e-4c4e-85de-296a1682c4e4",
                "createdAt": "2022-08-10T11:30:00.000Z",
                "updatedAt": "2022-08-10T11:30:00.000Z",
                "isPublic": false,
                "fork": {
                    "label": "my changes",
                    "createdAt": "2022-08-10T11:30:00.000Z",
                    "from": COLLECTION_UID
                }
            }
        ]})),
    )
    .await;

    let response = client.get_collections().send().await.unwrap();

    let [parent, fork] = response.collections.as_slice() else {
        panic!("expected two collections: {response:?}")
    };
    assert_eq!(parent.uid, COLLECTION_UID);
    assert_eq!(parent.owner, UserId::String("12345678".into()));
    assert_eq!(
        parent.created_at.as_deref(),
        Some("2022-06-14T09:12:41.000Z")
    );
    assert_eq!(parent.is_public, Some(false));
    assert_eq!(parent.fork, None);
    assert_eq!(fork.name, "Orders API (my changes)");
    let origin = fork.fork.as_ref().expect("fork info");
    assert_eq!(
        (origin.label.as_str(), origin.from.as_str()),
        ("my changes", COLLECTION_UID)
    );
    assert!(
        response.rate_limit().is_empty(),
        "no rate-limit headers were sent"
    );
}

#[tokio::test]
async fn user_id_decodes_from_integer_and_from_string() {
    // Newer payloads send the ID as a number, older ones as a string of digits.
    let cases = [
        (json!(12_345_678), UserId::Integer(12_345_678)),
        (json!("12345678"), UserId::String("12345678".into())),
    ];
    for (wire, expected) in cases {
        let (_server, client) = serve(
            AuthMode::Header,
            "GET",
            "/me",
            ResponseTemplate::new(200).set_body_json(me_body(wire)),
        )
        .await;

        let me = client.get_authenticated_user().send().await.unwrap();

        assert_eq!(me.user.id, expected);
        assert_eq!(me.user.username, "jane-doe");
        assert_eq!(me.user.full_name, "Jane Doe");
        assert_eq!(
            me.user.avatar.as_deref(),
            Some("https://avatars.example.com/u/12345678.png")
        );
        assert!(!me.user.is_public);
        assert_eq!(me.user.team_id, None);
        let usage: Vec<(&str, f64)> = me
            .operations
            .iter()
            .map(|op| (op.name.as_str(), op.usage))
            .collect();
        assert_eq!(
            usage,
            [
                ("mock_usage", 112.0),
                ("monitor_request_runs", 0.0),
                ("api_usage", 87.0)
            ]
        );
        assert_eq!(me.operations[0].limit, 1000.0);
    }
}

// ---------------------------------------------------------------------------------------
// Errors: every failure keeps what the server sent, and none shows the key.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn unauthorized_is_an_api_error_with_the_envelope_and_raw_body() {
    let (_server, client) =
        serve(AuthMode::Header, "GET", "/me", json_text(401, UNAUTHORIZED)).await;

    let err = client.get_authenticated_user().send().await.unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status().as_u16(), 401);
    assert_eq!(api.name(), Some("AuthenticationError"));
    assert_eq!(
        api.message(),
        Some("Invalid API Key. Every request requires a valid API Key to be sent.")
    );
    assert_eq!(api.details(), None);
    assert_eq!(api.body().as_ref(), UNAUTHORIZED.as_bytes());
    assert_eq!(
        err.raw_body().map(AsRef::as_ref),
        Some(UNAUTHORIZED.as_bytes())
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.to_string(),
        "401 Unauthorized: AuthenticationError: Invalid API Key. Every request requires a valid API Key to be sent."
    );
    assert_hides_key(&shown(&err));
}

#[tokio::test]
async fn rate_limited_is_an_api_error_with_the_limits() {
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/collections",
        json_text(429, RATE_LIMITED)
            .insert_header("X-RateLimit-Limit", "300")
            .insert_header("X-RateLimit-Remaining", "0")
            .insert_header("X-RateLimit-Reset", "1465452703"),
    )
    .await;

    let err = client.get_collections().send().await.unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status().as_u16(), 429);
    assert_eq!(api.name(), Some("rateLimitError"));
    assert_eq!(
        api.message(),
        Some("Rate Limit exceeded. Please retry at 1465452702843")
    );
    assert_eq!(api.body().as_ref(), RATE_LIMITED.as_bytes());
    let rate_limit = err.rate_limit().expect("a response");
    assert_eq!(
        (
            rate_limit.limit(),
            rate_limit.remaining(),
            rate_limit.reset()
        ),
        (Some(300), Some(0), Some(1_465_452_703))
    );
    assert_eq!(
        rate_limit.reset_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_465_452_703))
    );
    assert_eq!(api.rate_limit(), rate_limit);
    assert_eq!(
        err.to_string(),
        "429 Too Many Requests: rateLimitError: Rate Limit exceeded. Please retry at 1465452702843"
    );
    assert_hides_key(&shown(&err));
}

#[tokio::test]
async fn not_found_keeps_details_as_json() {
    // The spec's `NotFound` example.
    let body = r#"{"error":{"name":"instanceNotFoundError","message":"No collection matches the given ID.","details":{"item":"collection","id":"12ece9e1-2abf-4edc-8e34-de66e74114d2"}}}"#;
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/collections/12ece9e1-2abf-4edc-8e34-de66e74114d2",
        json_text(404, body),
    )
    .await;

    let err = client
        .get_collection("12ece9e1-2abf-4edc-8e34-de66e74114d2")
        .send()
        .await
        .unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.name(), Some("instanceNotFoundError"));
    assert_eq!(api.message(), Some("No collection matches the given ID."));
    assert_eq!(
        api.details(),
        Some(&json!({"item": "collection", "id": "12ece9e1-2abf-4edc-8e34-de66e74114d2"}))
    );
    assert_eq!(api.text(), body);
    assert_hides_key(&shown(&err));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_the_raw_text() {
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/collections/12345678-abc",
        json_text(200, TRUNCATED).insert_header("X-RateLimit-Remaining", "17"),
    )
    .await;

    let err = client
        .get_collection("12345678-abc")
        .send()
        .await
        .unwrap_err();

    let decode = decode_error(&err);
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.text(), TRUNCATED);
    assert_eq!(decode.body().as_ref(), TRUNCATED.as_bytes());
    assert_eq!(
        err.raw_body().map(AsRef::as_ref),
        Some(TRUNCATED.as_bytes())
    );
    assert!(decode.json_error().is_eof(), "{:?}", decode.json_error());
    assert!(
        decode.target_type().ends_with("CollectionResponse"),
        "{}",
        decode.target_type()
    );
    assert_eq!(decode.rate_limit().remaining(), Some(17));
    assert!(
        err.to_string()
            .starts_with("failed to decode the 200 OK response body as `"),
        "{err}"
    );
    assert_hides_key(&shown(&err));
}

#[tokio::test]
async fn wrong_shape_is_a_decode_error_with_the_raw_text() {
    let body = r#"{"collections": 5}"#;
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/collections",
        json_text(200, body),
    )
    .await;

    let err = client.get_collections().send().await.unwrap_err();

    let decode = decode_error(&err);
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.text(), body);
    assert_eq!(decode.body().as_ref(), body.as_bytes());
    assert!(decode.json_error().is_data(), "{:?}", decode.json_error());
    assert!(
        decode.target_type().ends_with("CollectionListResponse"),
        "{}",
        decode.target_type()
    );
    assert!(
        err.to_string()
            .contains("invalid type: integer `5`, expected a sequence"),
        "{err}"
    );
    assert_hides_key(&shown(&err));
}

#[tokio::test]
async fn html_error_page_is_an_api_error_without_envelope() {
    // What a proxy in front of the API sends when the API is down.
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        "/me",
        ResponseTemplate::new(502).set_body_raw(page, "text/html"),
    )
    .await;

    let err = client.get_authenticated_user().send().await.unwrap_err();

    let api = api_error(&err);
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(
        (api.name(), api.message(), api.details()),
        (None, None, None)
    );
    assert_eq!(api.text(), page);
    assert_eq!(api.body().as_ref(), page.as_bytes());
    let shown_error = err.to_string();
    assert!(
        shown_error.starts_with("502 Bad Gateway: <html>"),
        "{shown_error}"
    );
    assert!(!shown_error.contains('\n'), "one line: {shown_error:?}");
    assert_hides_key(&shown(&err));
}

// ---------------------------------------------------------------------------------------
// Secrets: Debug output and errors never carry the key, in either mode.
// ---------------------------------------------------------------------------------------

#[test]
fn debug_output_of_client_and_builders_hides_the_key() {
    for mode in [AuthMode::Header, AuthMode::Query] {
        let client = client_for("http://127.0.0.1:9", mode);
        let text = format!("{client:?} {client:#?}");
        assert_hides_key(&text);
        assert!(text.contains("http://127.0.0.1:9"), "{text}");
        assert_hides_key(&format!(
            "{:?}",
            Client::builder().api_key(KEY).auth_mode(mode)
        ));
        assert_hides_key(&format!("{:?}", client.get_collections().workspace("w")));
    }
}

#[tokio::test]
async fn query_mode_api_and_decode_errors_hide_the_key() {
    let server = MockServer::start().await;
    for (route, response) in [
        ("/me", json_text(401, UNAUTHORIZED)),
        ("/collections", json_text(200, TRUNCATED)),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("apikey", KEY))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server.uri(), AuthMode::Query);

    let api = client.get_authenticated_user().send().await.unwrap_err();
    let decode = client.get_collections().send().await.unwrap_err();

    assert_eq!(api_error(&api).status().as_u16(), 401);
    assert_eq!(decode_error(&decode).text(), TRUNCATED);
    assert_hides_key(&shown(&api));
    assert_hides_key(&shown(&decode));
}

#[tokio::test]
async fn query_mode_transport_error_hides_the_key() {
    // A port nothing listens on: the connection is refused at once.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = client_for(&base, AuthMode::Query);

    let err = client
        .get_collections()
        .workspace("w 1")
        .send()
        .await
        .unwrap_err();

    let Error::Transport(inner) = &err else {
        panic!("expected Error::Transport, got {err:?}")
    };
    assert!(inner.is_connect(), "{inner:?}");
    // The key's pair is gone from the URL; the other parameters stay.
    assert_eq!(
        inner.url().map(|url| url.as_str()),
        Some(format!("{base}/collections?workspace=w+1").as_str())
    );
    assert_eq!(err.status(), None);
    assert_hides_key(&shown(&err));
}

// ---------------------------------------------------------------------------------------
// Redirects: followed on the same origin only, so the key never reaches another one.
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn cross_origin_redirect_is_not_followed() {
    for mode in [AuthMode::Header, AuthMode::Query] {
        // Same host, another port: another origin.
        let elsewhere = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(me_body(json!(1))))
            .expect(0)
            .mount(&elsewhere)
            .await;
        let target = format!("{}/me", elsewhere.uri());
        let (_origin, client) = serve(
            mode,
            "GET",
            "/me",
            ResponseTemplate::new(301).insert_header("Location", target.as_str()),
        )
        .await;

        let err = client.get_authenticated_user().send().await.unwrap_err();

        // Documented: the redirect comes back as an API error with its 3xx status.
        let api = api_error(&err);
        assert_eq!(api.status().as_u16(), 301, "{mode:?}");
        assert_eq!(api.headers()["location"], target.as_str());
        assert!(
            received(&elsewhere).await.is_empty(),
            "{mode:?}: the other origin was contacted"
        );
        assert_hides_key(&shown(&err));
    }
}

#[tokio::test]
async fn same_origin_redirect_is_followed_with_the_key() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/me",
        ResponseTemplate::new(302).insert_header("Location", "/v2/me"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v2/me"))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(me_body(json!(7))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Header);

    let me = client.get_authenticated_user().send().await.unwrap();

    assert_eq!(me.status().as_u16(), 200);
    assert_eq!(me.user.id, UserId::Integer(7));
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert_eq!(paths, ["/me", "/v2/me"]);
}

#[tokio::test]
async fn query_mode_same_origin_redirect_keeps_the_key_in_the_url() {
    let server = MockServer::start().await;
    // The new location brings its own query, and a stale key, which must not win.
    mount(
        &server,
        "GET",
        "/me",
        ResponseTemplate::new(301).insert_header("Location", "/v2/me?apikey=stale&lang=en"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v2/me"))
        .and(query_param("apikey", KEY))
        .and(query_param("lang", "en"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me_body(json!(7))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Query);

    let me = client.get_authenticated_user().send().await.unwrap();

    assert_eq!(me.user.id, UserId::Integer(7));
    let received = received(&server).await;
    assert_eq!(received.len(), 2);
    assert_query(&received[1], &[("lang", "en"), ("apikey", KEY)]);
}

#[tokio::test]
async fn query_mode_post_redirected_with_303_continues_as_get_without_body() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/environments",
        ResponseTemplate::new(303).insert_header("Location", "/environments/created"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/environments/created"))
        .and(query_param("apikey", KEY))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"environment": {
                "id": "93f08795-ce52-4e03-ad18-68a46b36d034",
                "name": "Staging",
                "uid": "12345678-93f08795-ce52-4e03-ad18-68a46b36d034"
            }})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), AuthMode::Query);
    let body = CreateEnvironmentRequest::new(EnvironmentInput::new("Staging"));

    client.create_environment(body).send().await.unwrap();

    let received = received(&server).await;
    assert_eq!(received.len(), 2);
    assert!(received[1].body.is_empty(), "the body is not sent again");
    assert!(header_values(&received[1], "content-type").is_empty());
}

// ---------------------------------------------------------------------------------------
// Configuration: a missing key is reported before any request, naming the variable.
// ---------------------------------------------------------------------------------------

#[test]
fn missing_or_blank_key_is_a_config_error() {
    assert_eq!(Client::API_KEY_ENV, "POSTMAN_API_KEY");
    let err = Client::builder().build().unwrap_err();
    let Error::Config(message) = &err else {
        panic!("expected Error::Config, got {err:?}")
    };
    assert!(message.contains("POSTMAN_API_KEY"), "{message}");

    let err = Client::builder().api_key(" \t").build().unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m == "the API key is empty"),
        "{err:?}"
    );
}

#[test]
fn from_env_without_the_variable_names_it() {
    // Only reads the environment: changing it is unsafe with other tests running in
    // parallel. Where the variable is set (a developer's shell), there is nothing to check.
    if std::env::var_os(Client::API_KEY_ENV).is_some() {
        eprintln!("POSTMAN_API_KEY is set; skipping the missing-variable check");
        return;
    }
    let err = Client::from_env().unwrap_err();
    let Error::Config(message) = &err else {
        panic!("expected Error::Config, got {err:?}")
    };
    assert_eq!(
        message,
        "the POSTMAN_API_KEY environment variable is not set"
    );
}

/// A body that does not fit says where and what: the path of the member, and what the
/// union there accepts (not serde's "did not match any variant").
#[tokio::test]
async fn decode_errors_name_the_member_and_what_it_accepts() {
    let route = format!("/collections/{COLLECTION_UID}");
    let body = json!({
        "collection": {
            "info": {"name": "Orders API", "schema": "s"},
            "item": [
                {"name": "ok", "request": "https://api.example.com/orders"},
                {"name": "bad", "request": {"method": "GET", "url": 5}}
            ]
        }
    });
    let (_server, client) = serve(
        AuthMode::Header,
        "GET",
        &route,
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
    let err = client
        .get_collection(COLLECTION_UID)
        .send()
        .await
        .unwrap_err();
    let decode = decode_error(&err);
    assert_eq!(decode.path(), Some("collection.item[1].request.url"));
    let shown = err.to_string();
    assert!(
        shown.contains("at `collection.item[1].request.url`: invalid type: integer `5`, expected a string or an object (CollectionRequestUrl)"),
        "{shown}"
    );
    assert!(shown.contains("near `"), "{shown}");
}
