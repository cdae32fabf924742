//! `Client::from_env` reads the key and, when set, the base URL from the environment.
//!
//! One test in its own binary: it changes the process environment, which no other test
//! may observe.

use postman_client::{Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this binary runs a single test and sets variables before any thread that
    // could read them concurrently exists (the runtime is built after each change).
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        Err(other) => panic!("expected a configuration error, got {other:?}"),
        Ok(client) => panic!("expected a configuration error, got {client:?}"),
    }
}

#[test]
fn from_env_reads_the_key_and_an_optional_base_url() {
    assert_eq!(Client::API_KEY_ENV, "POSTMAN_API_KEY");
    assert_eq!(Client::BASE_URL_ENV, "POSTMAN_API_BASE_URL");
    set("POSTMAN_API_KEY", Some("  PMAK-from-env  "));

    // Unset or blank: the default base URL.
    set("POSTMAN_API_BASE_URL", None);
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        Client::DEFAULT_BASE_URL
    );
    set("POSTMAN_API_BASE_URL", Some("   "));
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        Client::DEFAULT_BASE_URL
    );

    // Plain http elsewhere than on loopback is refused, naming the variable.
    set("POSTMAN_API_BASE_URL", Some("http://api.example.com"));
    let message = config_error(Client::from_env());
    assert!(message.contains("plain http"), "{message}");
    assert!(message.contains("POSTMAN_API_BASE_URL"), "{message}");
    // ... and so is a URL with credentials, without showing them.
    set(
        "POSTMAN_API_BASE_URL",
        Some("https://user:secret@api.example.com"),
    );
    let message = config_error(Client::from_env());
    assert!(!message.contains("secret"), "{message}");
    // https anywhere is fine; an explicit base URL on the builder wins over the variable.
    set(
        "POSTMAN_API_BASE_URL",
        Some("https://proxy.example.com/postman/"),
    );
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "https://proxy.example.com/postman"
    );
    let explicit = Client::builder()
        .api_key_from_env()
        .base_url_from_env()
        .base_url("https://other.example.com")
        .build()
        .unwrap();
    assert_eq!(explicit.base_url(), "https://other.example.com");

    // A mock server on loopback over plain http: the README example runs against it
    // unchanged, and the key read from the environment is sent.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/me"))
            .and(header("x-api-key", "PMAK-from-env"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "user": {
                    "id": 12345678,
                    "username": "taylor",
                    "email": "taylor@example.com",
                    "fullName": "Taylor",
                    "avatar": null,
                    "isPublic": false
                },
                "operations": []
            })))
            .expect(1)
            .mount(&server)
            .await;
        set("POSTMAN_API_BASE_URL", Some(&server.uri()));
        let client = Client::from_env().unwrap();
        assert_eq!(client.base_url(), server.uri());
        let me = client.get_authenticated_user().send().await.unwrap();
        assert_eq!(me.user.username, "taylor");
    });

    // `localhost` and `[::1]` count as loopback too.
    set("POSTMAN_API_BASE_URL", Some("http://localhost:4010"));
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "http://localhost:4010"
    );
    set("POSTMAN_API_BASE_URL", Some("http://[::1]:4010"));
    assert_eq!(Client::from_env().unwrap().base_url(), "http://[::1]:4010");
}
