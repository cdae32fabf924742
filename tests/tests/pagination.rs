//! Paging (`x-pagination` in the spec) over real HTTP: `pages()` and `items()` follow
//! SCIM's `startIndex` offsets and the mock call logs' cursor until the last page, ask
//! for each page once, and stop after an error.

use postman_client::{AuthMode, Client, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .api_key("PMAK-test-key")
        .auth_mode(AuthMode::Header)
        .base_url(server.uri())
        .allow_insecure_http(true)
        // A failed page must surface as it is; retries have their own tests.
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("the client accepts the loopback server")
}

fn scim_user(n: u32) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("user-{n}"),
        "userName": format!("user{n}@example.com"),
        "name": {"givenName": "Test", "familyName": format!("User {n}")},
        "active": true,
        "meta": {"resourceType": "User", "created": "2021-02-22T04:24:13.000Z", "lastModified": "2021-02-22T04:24:13.000Z"}
    })
}

/// A SCIM list page starting at `start` (1-based) with users `start..start + count`, of `total`.
fn scim_page(start: u32, count: u32, total: u32) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": count,
        "Resources": (start..start + count).map(scim_user).collect::<Vec<_>>(),
    }))
}

async fn mount_scim_page(server: &MockServer, start: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(query_param("startIndex", start))
        .and(query_param("count", "2"))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn scim_offsets_walk_every_page_up_to_the_total() {
    let server = MockServer::start().await;
    mount_scim_page(&server, "1", scim_page(1, 2, 5)).await;
    mount_scim_page(&server, "3", scim_page(3, 2, 5)).await;
    mount_scim_page(&server, "5", scim_page(5, 1, 5)).await;
    let client = client_for(&server);

    let mut items = client.get_scim_users().start_index(1).count(2).items();
    let mut ids = Vec::new();
    while let Some(user) = items.next().await {
        ids.push(user.expect("every page decodes").id);
    }
    assert_eq!(ids, ["user-1", "user-2", "user-3", "user-4", "user-5"]);
}

#[tokio::test]
async fn scim_walk_without_a_start_index_continues_from_the_declared_start() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users"))
        .and(query_param_is_missing("startIndex"))
        .respond_with(scim_page(1, 2, 3))
        .expect(1)
        .mount(&server)
        .await;
    mount_scim_page(&server, "3", scim_page(3, 1, 3)).await;
    let client = client_for(&server);

    let mut pages = client.get_scim_users().count(2).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("every page decodes");
        assert_eq!(page.status().as_u16(), 200);
        sizes.push(page.body().resources.len());
    }
    assert_eq!(sizes, [2, 1]);
}

#[tokio::test]
async fn an_error_ends_the_walk_after_reporting_it() {
    let server = MockServer::start().await;
    mount_scim_page(&server, "1", scim_page(1, 2, 6)).await;
    mount_scim_page(
        &server,
        "3",
        ResponseTemplate::new(503).set_body_string("upstream unavailable"),
    )
    .await;
    let client = client_for(&server);

    let mut pages = client.get_scim_users().start_index(1).count(2).pages();
    assert!(pages.next().await.expect("a first page").is_ok());
    let second = pages.next().await.expect("the failed page is reported");
    match second {
        Err(Error::Api(error)) => assert_eq!(error.status().as_u16(), 503),
        other => panic!("expected the 503 as an API error, got {other:?}"),
    }
    assert!(pages.next().await.is_none(), "no page after an error");
}

fn call_log(id: &str) -> Value {
    json!({
        "id": id,
        "responseName": "OK",
        "servedAt": "2022-01-17T06:19:30.000Z",
        "request": {"method": "GET", "path": "/users"},
        "response": {"type": "success", "statusCode": 200}
    })
}

fn call_log_page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "call-logs": ids.iter().map(|id| call_log(id)).collect::<Vec<_>>(),
        "meta": {"nextCursor": next},
    }))
}

#[tokio::test]
async fn call_log_cursor_is_followed_until_the_body_names_no_next_page() {
    let server = MockServer::start().await;
    let logs = "/mocks/mock-1/call-logs";
    Mock::given(method("GET"))
        .and(path(logs))
        .and(query_param_is_missing("cursor"))
        .respond_with(call_log_page(&["a", "b"], Some("page-2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(logs))
        .and(query_param("cursor", "page-2"))
        .and(query_param("limit", "2"))
        .respond_with(call_log_page(&["c"], None))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);

    let ids: Vec<String> = client
        .get_mock_call_logs("mock-1")
        .limit(2)
        .pages()
        .try_collect_items()
        .await
        .expect("both pages decode")
        .into_iter()
        .map(|log| log.id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_cursor_that_repeats_does_not_loop() {
    let server = MockServer::start().await;
    let logs = "/mocks/mock-1/call-logs";
    Mock::given(method("GET"))
        .and(path(logs))
        .and(query_param("cursor", "same"))
        .respond_with(call_log_page(&["a"], Some("same")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);

    let mut pages = client.get_mock_call_logs("mock-1").cursor("same").pages();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        page.expect("the page decodes");
        count += 1;
    }
    assert_eq!(count, 1);
}
