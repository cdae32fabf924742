//! The `reqwest` request built from a `Request`: headers, cookies, the API
//! key in every mode, no timeout of its own.

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT};

use super::{KEY, client_with, test_client};
use crate::client::{AuthMode, Client, Schemes};
use crate::error::Error;
use crate::request::Request;
use crate::request::send::ACCEPT_JSON;

#[test]
fn http_request_in_header_mode() {
    let client = test_client(AuthMode::Header, "https://api.example.com");
    let mut request = Request::new(Method::POST, "/collections".to_owned());
    request.query("workspace", &Some("w 1"));
    request.header("X-Request-Id", "r-1");
    request.json(&serde_json::json!({"a": 1})).unwrap();
    let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
    assert_eq!(http.method(), Method::POST);
    assert_eq!(
        http.url().as_str(),
        "https://api.example.com/collections?workspace=w+1"
    );
    assert!(!http.url().as_str().contains(KEY));
    let headers = http.headers();
    assert_eq!(headers[ACCEPT], "application/json");
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    assert_eq!(headers[USER_AGENT], crate::meta::USER_AGENT);
    assert_eq!(headers["x-request-id"], "r-1");
    let auth = &headers[Schemes::TEST.header.unwrap()];
    assert_eq!(auth, KEY);
    assert!(auth.is_sensitive());
    assert!(!format!("{headers:?}").contains(KEY));
    // Time limits are kept by the send loop, not by reqwest.
    assert_eq!(http.timeout(), None);
    assert_eq!(
        http.body().and_then(reqwest::Body::as_bytes),
        Some(&br#"{"a":1}"#[..])
    );
}

#[test]
fn parameters_cannot_replace_the_key() {
    let client = test_client(AuthMode::Header, "https://api.example.com");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.header(Schemes::TEST.header.unwrap(), "other");
    request.header("Accept", "application/vnd.x+json");
    let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
    assert_eq!(http.headers()[Schemes::TEST.header.unwrap()], KEY);
    assert_eq!(http.headers()[ACCEPT], "application/vnd.x+json");
}

#[test]
fn http_request_in_query_mode() {
    let client = test_client(AuthMode::Query, "https://api.example.com/v1");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.query("tag", &["a", "b"]);
    let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
    let name = Schemes::TEST.query.unwrap();
    assert_eq!(
        http.url().as_str(),
        format!("https://api.example.com/v1/me?tag=a&tag=b&{name}={KEY}")
    );
    assert!(!http.headers().contains_key(Schemes::TEST.header.unwrap()));
    let http = Request::new(Method::GET, "/me".to_owned())
        .into_http(client.inner(), ACCEPT_JSON)
        .unwrap();
    assert_eq!(http.url().query(), Some(format!("{name}={KEY}").as_str()));
}

#[test]
fn recorded_errors_surface_as_encode_errors() {
    let client = test_client(AuthMode::Header, "https://api.example.com");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.header("X-Id", "a\rb");
    let err = request.into_http(client.inner(), ACCEPT_JSON).unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
}

#[test]
fn cookie_header_joins_parameters_and_the_key() {
    let client = client_with(AuthMode::Header, "https://api.example.com");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.cookie("a", "1");
    request.cookie("b", "x y");
    request.header("Cookie", "replaced=1");
    let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
    assert_eq!(http.headers().get_all(COOKIE).iter().count(), 1);
    assert_eq!(http.headers()[COOKIE], "a=1; b=x%20y");
    assert!(http.headers()[COOKIE].is_sensitive());

    let client = client_with(AuthMode::Cookie, "https://api.example.com");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.cookie("a", "1");
    let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
    assert_eq!(http.headers()[COOKIE], format!("a=1; sid={KEY}").as_str());
    assert!(http.headers()[COOKIE].is_sensitive());
    assert!(!format!("{:?}", http.headers()).contains(KEY));
    assert_eq!(http.url().query(), None);
    assert!(!http.headers().contains_key("x-api-key"));
    let http = Request::new(Method::GET, "/me".to_owned())
        .into_http(client.inner(), ACCEPT_JSON)
        .unwrap();
    assert_eq!(http.headers()[COOKIE], format!("sid={KEY}").as_str());

    // No cookies at all: no header.
    let client = client_with(AuthMode::Query, "https://api.example.com");
    let http = Request::new(Method::GET, "/me".to_owned())
        .into_http(client.inner(), ACCEPT_JSON)
        .unwrap();
    assert!(!http.headers().contains_key(COOKIE));
}

#[test]
fn bearer_basic_and_no_credentials() {
    let client = client_with(AuthMode::Bearer, "https://api.example.com");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.header("Authorization", "Bearer other");
    let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
    let authorization = &http.headers()[reqwest::header::AUTHORIZATION];
    assert_eq!(authorization, format!("Bearer {KEY}").as_str());
    assert!(authorization.is_sensitive());
    assert_eq!(http.url().query(), None);

    let client = Client::builder()
        .api_key("user:pass")
        .auth_mode(AuthMode::Basic)
        .base_url("https://api.example.com")
        .build_with(&Schemes::TEST)
        .unwrap();
    let http = Request::new(Method::GET, "/me".to_owned())
        .into_http(client.inner(), ACCEPT_JSON)
        .unwrap();
    let authorization = &http.headers()[reqwest::header::AUTHORIZATION];
    assert_eq!(authorization, "Basic dXNlcjpwYXNz");
    assert!(authorization.is_sensitive());

    let client = Client::builder()
        .auth_mode(AuthMode::None)
        .base_url("https://api.example.com")
        .build_with(&Schemes::TEST)
        .unwrap();
    let http = Request::new(Method::GET, "/me".to_owned())
        .into_http(client.inner(), ACCEPT_JSON)
        .unwrap();
    assert_eq!(http.url().as_str(), format!("{}/me", client.base_url()));
    let names: Vec<&str> = http.headers().keys().map(|name| name.as_str()).collect();
    assert_eq!(names, ["accept", "user-agent"]);
}
