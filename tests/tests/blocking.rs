//! The blocking facade (feature `blocking`) over real HTTP on 127.0.0.1, from a plain
//! thread with no async runtime of its own.

use postman_client::{Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn send_blocking_works_without_a_runtime() {
    // The mock server needs a runtime; the client call below runs outside of it.
    let server_runtime = tokio::runtime::Runtime::new().expect("a runtime for the mock server");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/me"))
            .and(header("X-Api-Key", "PMAK-blocking"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "user": {"id": 7, "username": "ada", "email": "ada@example.com",
                         "fullName": "Ada", "avatar": null, "isPublic": false},
                "operations": []
            })))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder()
        .api_key("PMAK-blocking")
        .base_url(server.uri())
        .allow_insecure_http(true)
        .build()
        .expect("client");
    let me = client
        .get_authenticated_user()
        .send_blocking()
        .expect("the call succeeds");
    assert_eq!(me.user.username, "ada");
    assert_eq!(me.status(), 200);
    server_runtime.block_on(server.verify());
}

#[tokio::test]
async fn send_blocking_inside_a_runtime_is_refused() {
    let client = Client::builder()
        .api_key("PMAK-blocking")
        .base_url("http://127.0.0.1:9")
        .allow_insecure_http(true)
        .build()
        .expect("client");
    match client.get_authenticated_user().send_blocking() {
        Err(Error::Config(message)) => assert!(message.contains(".send().await"), "{message}"),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}
