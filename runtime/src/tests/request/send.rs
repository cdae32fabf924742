//! Sending: `Client::execute*` end to end against one-shot HTTP servers on
//! 127.0.0.1, redirects, and the API key kept out of errors
//! (`crate::request::send`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;

use super::{KEY, client_with, test_client};
use crate::binary::Binary;
use crate::client::{ApiKey, AuthMode, Client, Schemes};
use crate::error::{Error, TimeLimit, TimeoutPhase};
use crate::request::send::remove_key_from_location;
use crate::request::{Request, encode_path, json};
use crate::response::Response;

#[test]
fn execute_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = test_client(AuthMode::Header, "https://api.example.com");
    let future = client.execute::<Value>(Request::new(Method::GET, "/me".to_owned()));
    assert_send(&future);
}

// ---- End to end against a one-shot HTTP server on 127.0.0.1 ----

/// A listener on a free port of 127.0.0.1, and its `http://` origin.
fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    (listener, origin)
}

/// Answers one connection with `response`; returns the raw request.
fn answer(listener: &TcpListener, response: &[u8]) -> String {
    let (stream, _) = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let content_length = line
            .split_once(':')
            .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"));
        if let Some((_, value)) = content_length {
            length = value.trim().parse().unwrap();
        }
        head.push_str(&line);
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    reader.get_mut().write_all(response).unwrap();
    head + &String::from_utf8_lossy(&body)
}

/// Answers connections with `responses`, in order, on a background thread.
fn serve(listener: TcpListener, responses: Vec<String>) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        responses
            .iter()
            .map(|response| answer(&listener, response.as_bytes()))
            .collect()
    })
}

/// Serves one response; returns the base URL (with a `/v1` prefix) and the
/// handle that yields the raw request.
fn serve_once(response: impl Into<Vec<u8>>) -> (String, std::thread::JoinHandle<String>) {
    let response = response.into();
    let (listener, origin) = listen();
    let handle = std::thread::spawn(move || answer(&listener, &response));
    (format!("{origin}/v1"), handle)
}

fn http_response(status: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

#[derive(Debug, Deserialize, PartialEq)]
struct Me {
    user: User,
}

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: u64,
}

#[tokio::test]
async fn execute_decodes_a_success() {
    let (base, server) = serve_once(http_response(
        "200 OK",
        "Content-Type: application/json\r\nX-RateLimit-Remaining: 299\r\n",
        r#"{"user":{"id":12}}"#,
    ));
    let client = test_client(AuthMode::Header, &base);
    let mut request = Request::new(Method::POST, format!("/users/{}", encode_path("a b")));
    request.query("tag", &["x", "y"]);
    request.json(&serde_json::json!({"k": true})).unwrap();
    let response = client.execute::<Me>(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.user.id, 12);
    assert_eq!(response.rate_limit().remaining(), Some(299));
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");

    let raw = server.join().unwrap();
    let lower = raw.to_ascii_lowercase();
    assert!(
        raw.starts_with("POST /v1/users/a%20b?tag=x&tag=y HTTP/1.1\r\n"),
        "{raw}"
    );
    assert!(
        lower.contains(&format!("x-api-key: {}\r\n", KEY.to_ascii_lowercase())),
        "{raw}"
    );
    assert!(lower.contains("accept: application/json\r\n"), "{raw}");
    assert!(
        lower.contains("content-type: application/json\r\n"),
        "{raw}"
    );
    assert!(
        lower.contains(&format!("user-agent: {}\r\n", crate::meta::USER_AGENT)),
        "{raw}"
    );
    assert!(raw.ends_with(r#"{"k":true}"#), "{raw}");
}

#[tokio::test]
async fn execute_treats_an_empty_body_as_null() {
    let (base, server) = serve_once(http_response("204 No Content", "", ""));
    let client = test_client(AuthMode::Query, &base);
    let response = client
        .execute::<()>(Request::new(Method::DELETE, "/things/1".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let raw = server.join().unwrap();
    let name = Schemes::TEST.query.unwrap();
    assert!(
        raw.starts_with(&format!("DELETE /v1/things/1?{name}={KEY} HTTP/1.1")),
        "{raw}"
    );

    let (base, server) = serve_once(http_response("200 OK", "", ""));
    let client = test_client(AuthMode::Header, &base);
    let response = client
        .execute::<Option<Me>>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.into_body(), None);
    server.join().unwrap();
}

#[tokio::test]
async fn an_empty_body_where_a_value_is_expected_says_so() {
    let (base, server) = serve_once(http_response("200 OK", "", ""));
    let client = test_client(AuthMode::Header, &base);
    let err = client
        .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert!(decode.is_empty_body());
    assert!(err.to_string().ends_with("`: empty body"), "{err}");
}

#[tokio::test]
async fn transport_errors_name_their_cause() {
    // A port nothing listens on: the connection is refused at once.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .api_key(ApiKey::from(KEY))
        .auth_mode(AuthMode::Query)
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_insecure_http(true)
        .retry_policy(crate::RetryPolicy::disabled())
        .build_with(&Schemes::TEST)
        .unwrap();
    let err = client
        .execute::<Value>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    let Error::Transport(inner) = &err else {
        panic!("expected a transport error: {err:?}")
    };
    assert!(inner.is_connect());
    let shown = err.to_string();
    assert!(
        shown.starts_with("HTTP transport error: error sending request"),
        "{shown}"
    );
    assert!(
        shown.to_lowercase().contains("connection refused"),
        "{shown}"
    );
    assert!(!shown.contains(KEY), "{shown}");
    assert!(
        std::error::Error::source(&err).is_none(),
        "the causes are in the text"
    );
}

#[tokio::test]
async fn execute_reports_api_errors() {
    let (base, server) = serve_once(http_response(
        "401 Unauthorized",
        "X-RateLimit-Limit: 300\r\nX-RateLimit-Reset: 1700000000\r\n",
        r#"{"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}}"#,
    ));
    let client = test_client(AuthMode::Query, &base);
    let err = client
        .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.rate_limit().unwrap().limit(), Some(300));
    assert_eq!(err.rate_limit().unwrap().reset(), Some(1_700_000_000));
    let Error::Api(api) = &err else {
        panic!("expected an API error: {err:?}")
    };
    assert_eq!(api.name(), Some("AuthenticationError"));
    assert_eq!(
        err.to_string(),
        "401 Unauthorized: AuthenticationError: Invalid API Key. Every request requires a valid API Key to be sent."
    );
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn execute_reports_decode_errors() {
    let body = r#"{"user":{"id":"not a number"}}"#;
    let (base, server) = serve_once(http_response(
        "200 OK",
        "X-RateLimit-Remaining: 1\r\n",
        body,
    ));
    let client = test_client(AuthMode::Header, &base);
    let err = client
        .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert_eq!(decode.status(), StatusCode::OK);
    assert_eq!(decode.text(), body);
    assert_eq!(decode.body().as_ref(), body.as_bytes());
    assert_eq!(decode.rate_limit().remaining(), Some(1));
    assert_eq!(decode.json_error().line(), 1);
    assert!(
        decode.target_type().ends_with("Me"),
        "{}",
        decode.target_type()
    );
    assert!(err.to_string().contains("invalid type: string"), "{err}");
}

#[tokio::test]
async fn execute_surfaces_encode_errors_before_sending() {
    let client = test_client(AuthMode::Header, "http://127.0.0.1:9");
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.query("p", &f64::NAN);
    let err = client.execute::<Value>(request).await.unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
}

#[tokio::test]
async fn timeouts_say_what_happened_and_never_contain_the_key() {
    // Accepts connections (the kernel backlog does) but never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = Client::builder()
        .api_key(ApiKey::from(KEY))
        .auth_mode(AuthMode::Query)
        .base_url(&base)
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(200))
        .retry_policy(crate::RetryPolicy::disabled())
        .build_with(&Schemes::TEST)
        .unwrap();
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request.query("a", "1");
    let err = client.execute::<Value>(request).await.unwrap_err();
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert_eq!(timeout.limit(), TimeLimit::Attempt);
    assert_eq!(timeout.phase(), TimeoutPhase::Answer);
    assert_eq!(timeout.after(), Duration::from_millis(200));
    assert_eq!(timeout.attempts(), 1);
    assert_eq!(err.status(), None);
    assert_eq!(
        err.to_string(),
        "timed out after 200 ms while waiting for the answer (after 1 attempt)"
    );
    let shown = format!("{err} | {err:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");

    // A call's deadline shorter than the attempt's timeout is the one that passes.
    let mut request = Request::new(Method::GET, "/me".to_owned());
    request = request.with_options(
        crate::RequestOptions::new()
            .timeout(Duration::from_secs(10))
            .call_timeout(Duration::from_millis(150)),
    );
    let err = client.execute::<Value>(request).await.unwrap_err();
    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert!(timeout.is_deadline());
    assert_eq!(
        err.to_string(),
        "the call's deadline of 150 ms passed while waiting for the answer (after 1 attempt)"
    );
    drop(listener);
}

/// A client for `base` that accepts bodies of up to 100 bytes.
fn small_bodies_client(base: &str) -> Client {
    Client::builder()
        .api_key(ApiKey::from(KEY))
        .auth_mode(AuthMode::Header)
        .base_url(base)
        .allow_insecure_http(true)
        .max_body_size(100)
        .retry_policy(crate::RetryPolicy::disabled())
        .build_with(&Schemes::TEST)
        .unwrap()
}

#[tokio::test]
async fn bodies_past_the_limit_are_not_read() {
    let big = "x".repeat(1000);
    // Announced: fails before reading.
    let (base, server) = serve_once(http_response(
        "200 OK",
        "X-RateLimit-Remaining: 7\r\n",
        &big,
    ));
    let client = small_bodies_client(&base);
    let err = client
        .execute::<Value>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    let Error::BodyTooLarge(too_large) = &err else {
        panic!("expected BodyTooLarge: {err:?}")
    };
    assert_eq!(too_large.limit(), 100);
    assert_eq!(too_large.content_length(), Some(1000));
    assert_eq!(too_large.received(), 0);
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.rate_limit().and_then(|r| r.remaining()), Some(7));
    assert_eq!(
        err.to_string(),
        "the body of the 200 OK answer is larger than 100 bytes, the most the client accepts \
         (Content-Length: 1000)"
    );

    // Not announced (read until the connection closes): stops at the limit.
    let response = format!("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{big}");
    let (base, server) = serve_once(response);
    let err = small_bodies_client(&base)
        .execute::<Value>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    let Error::BodyTooLarge(too_large) = &err else {
        panic!("expected BodyTooLarge: {err:?}")
    };
    assert_eq!(too_large.content_length(), None);
    assert!(too_large.received() > 100, "{}", too_large.received());
    assert!(err.to_string().contains("(stopped after"), "{err}");

    // One call may take more.
    let (base, server) = serve_once(http_response("200 OK", "", &format!("\"{big}\"")));
    let options = crate::RequestOptions::new().max_body_size(2000);
    let text = small_bodies_client(&base)
        .execute::<String>(Request::new(Method::GET, "/me".to_owned()).with_options(options))
        .await
        .unwrap();
    server.join().unwrap();
    assert_eq!(text.len(), 1000);
}

#[tokio::test]
async fn error_bodies_past_the_limit_are_cut() {
    let big = format!("<html>{}</html>", "y".repeat(1000));
    let (base, server) = serve_once(http_response("500 Internal Server Error", "", &big));
    let err = small_bodies_client(&base)
        .execute::<Value>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    let Error::Api(api) = &err else {
        panic!("expected an API error: {err:?}")
    };
    assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(api.is_truncated());
    assert_eq!(api.body().as_ref(), &big.as_bytes()[..100]);
    // A short error body is whole.
    let (base, server) = serve_once(http_response("404 Not Found", "", "{}"));
    let err = small_bodies_client(&base)
        .execute::<Value>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    assert!(!err.as_api().unwrap().is_truncated());
}

#[tokio::test]
async fn follows_same_origin_redirects() {
    let (listener, origin) = listen();
    let server = serve(
        listener,
        vec![
            http_response("302 Found", "Location: /v1/other\r\n", ""),
            http_response("200 OK", "", r#"{"user":{"id":1}}"#),
        ],
    );
    let client = test_client(AuthMode::Header, &format!("{origin}/v1"));
    let response = client
        .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.user.id, 1);
    let requests = server.join().unwrap();
    assert!(
        requests[1].starts_with("GET /v1/other HTTP/1.1"),
        "{requests:?}"
    );
    assert!(
        requests[1].to_ascii_lowercase().contains("x-api-key: "),
        "{requests:?}"
    );
}

#[tokio::test]
async fn stops_at_redirects_to_another_origin() {
    let (elsewhere, elsewhere_origin) = listen();
    elsewhere.set_nonblocking(true).unwrap();
    for mode in [AuthMode::Header, AuthMode::Query] {
        let (listener, origin) = listen();
        let location = format!("Location: {elsewhere_origin}/steal\r\n");
        let server = serve(
            listener,
            vec![http_response("301 Moved Permanently", &location, "")],
        );
        let client = test_client(mode, &origin);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        assert_eq!(err.status(), Some(StatusCode::MOVED_PERMANENTLY), "{err:?}");
        assert!(matches!(err, Error::Api(_)), "{err:?}");
    }
    let never = elsewhere.accept().map(|_| ()).unwrap_err();
    assert_eq!(
        never.kind(),
        std::io::ErrorKind::WouldBlock,
        "the key went elsewhere"
    );
}

#[tokio::test]
async fn redirect_loops_end_without_leaking_the_key() {
    let (listener, origin) = listen();
    let name = Schemes::TEST.query.unwrap();
    let location = format!("Location: /loop?{name}={KEY}&n=1\r\n");
    let server = serve(
        listener,
        vec![http_response("302 Found", &location, ""); crate::client::MAX_REDIRECTS + 1],
    );
    let client = test_client(AuthMode::Query, &origin);
    let err = client
        .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    // Query mode follows redirects itself (to put the key back into each
    // URL) and, after the last hop allowed, returns the redirect as it is,
    // without the key its `Location` echoed.
    let Error::Api(api) = &err else {
        panic!("expected the redirect as an API error: {err:?}")
    };
    assert_eq!(api.status(), StatusCode::FOUND);
    assert_eq!(api.headers()[LOCATION], "/loop?n=1");
    assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
}

#[test]
fn location_loses_only_the_key() {
    let mut headers = HeaderMap::new();
    for (location, expected) in [
        ("/a?apikey=k&n=1#f", "/a?n=1#f"),
        ("/a?apikey=k", "/a"),
        ("/a?n=1&apikey=k&apikey=j", "/a?n=1"),
        ("/a?apikeys=k", "/a?apikeys=k"),
        ("https://h/a?x=apikey", "https://h/a?x=apikey"),
        ("/plain", "/plain"),
    ] {
        headers.insert(LOCATION, HeaderValue::from_static(location));
        remove_key_from_location(&mut headers, "apikey");
        assert_eq!(headers[LOCATION], expected, "{location}");
    }
}

#[test]
fn json_treats_blank_bodies_as_null() {
    assert_eq!(json::<Option<u8>>(b"").unwrap(), None);
    assert_eq!(json::<()>(b" \n").unwrap(), ());
    assert_eq!(json::<u8>(b" 5 ").unwrap(), 5);
    assert!(json::<u8>(b"x").unwrap_err().is_syntax());
    assert!(json::<u8>(b"").unwrap_err().is_data());
}

// ---- Text, bytes and by-status responses, end to end ----

#[tokio::test]
async fn execute_text_decodes_utf8() {
    let (base, server) = serve_once(http_response(
        "200 OK",
        "Content-Type: text/plain\r\nX-RateLimit-Remaining: 5\r\n",
        "héllo\nwörld",
    ));
    let client = test_client(AuthMode::Header, &base);
    let response = client
        .execute_text(Request::new(Method::GET, "/readme".to_owned()))
        .await
        .unwrap();
    assert_eq!(response.body(), "héllo\nwörld");
    assert_eq!(response.rate_limit().remaining(), Some(5));
    let raw = server.join().unwrap().to_ascii_lowercase();
    assert!(raw.contains("\r\naccept: text/*, */*;q=0.8\r\n"), "{raw}");

    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\n".to_vec();
    response.extend_from_slice(b"a\xffb\xfe");
    let (base, server) = serve_once(response);
    let client = test_client(AuthMode::Header, &base);
    let err = client
        .execute_text(Request::new(Method::GET, "/readme".to_owned()))
        .await
        .unwrap_err();
    server.join().unwrap();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert_eq!(decode.body().as_ref(), b"a\xffb\xfe");
    assert!(decode.target_type().ends_with("String"));
    assert!(err.to_string().contains("not UTF-8"), "{err}");
}

#[tokio::test]
async fn execute_bytes_keeps_the_body() {
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"
            .to_vec();
    response.extend_from_slice(b"\x00\xff\x10");
    let (base, server) = serve_once(response);
    let client = test_client(AuthMode::Query, &base);
    let mut request = Request::new(Method::POST, "/thumbs".to_owned());
    request.bytes(Bytes::from_static(b"img"), "image/png");
    let response = client.execute_bytes(request).await.unwrap();
    assert_eq!(response.body().as_ref(), b"\x00\xff\x10");
    assert_eq!(response.headers()[CONTENT_TYPE], "image/png");
    let raw = server.join().unwrap();
    let lower = raw.to_ascii_lowercase();
    assert!(lower.contains("\r\naccept: */*\r\n"), "{raw}");
    assert!(lower.contains("\r\ncontent-type: image/png\r\n"), "{raw}");
    assert!(raw.ends_with("\r\n\r\nimg"), "{raw}");
}

#[derive(Debug, PartialEq)]
enum JobOk {
    Done(Me),
    Accepted(User),
    NoContent,
}

fn job_ok(status: StatusCode, body: &[u8]) -> Option<Result<JobOk, serde_json::Error>> {
    match status.as_u16() {
        200 => Some(json(body).map(JobOk::Done)),
        202 => Some(json(body).map(JobOk::Accepted)),
        204 => Some(Ok(JobOk::NoContent)),
        _ => None,
    }
}

async fn run_job(response: String) -> (Result<Response<JobOk>, Error>, String) {
    let (base, server) = serve_once(response);
    let client = test_client(AuthMode::Header, &base);
    let result = client
        .execute_with(Request::new(Method::POST, "/jobs".to_owned()), job_ok)
        .await;
    (result, server.join().unwrap())
}

#[tokio::test]
async fn execute_with_decodes_by_status() {
    let (result, raw) = run_job(http_response("202 Accepted", "", r#"{"id":4}"#)).await;
    let response = result.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(*response, JobOk::Accepted(User { id: 4 }));
    assert!(
        raw.to_ascii_lowercase()
            .contains("\r\naccept: application/json\r\n")
    );

    let (result, _) = run_job(http_response("204 No Content", "", "")).await;
    assert_eq!(result.unwrap().into_body(), JobOk::NoContent);

    let (result, _) = run_job(http_response("200 OK", "", r#"{"user":{"id":"x"}}"#)).await;
    let err = result.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert!(decode.json_error().is_data());
    assert!(
        decode.target_type().ends_with("JobOk"),
        "{}",
        decode.target_type()
    );

    let (result, _) = run_job(http_response(
        "201 Created",
        "X-RateLimit-Limit: 9\r\n",
        r#"{"id":4}"#,
    ))
    .await;
    let err = result.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert_eq!(decode.status(), StatusCode::CREATED);
    assert_eq!(decode.text(), r#"{"id":4}"#);
    assert_eq!(decode.rate_limit().limit(), Some(9));
    assert!(
        err.to_string().contains("unexpected status 201 Created"),
        "{err}"
    );

    // Errors never reach the decoder.
    let (base, server) = serve_once(http_response("404 Not Found", "", r#"{"id":4}"#));
    let client = test_client(AuthMode::Header, &base);
    let err = client
        .execute_with(
            Request::new(Method::POST, "/jobs".to_owned()),
            |_, _| -> Option<Result<(), serde_json::Error>> { panic!("decoded an error") },
        )
        .await
        .unwrap_err();
    server.join().unwrap();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert!(matches!(err, Error::Api(_)), "{err:?}");
}

#[tokio::test]
async fn sends_multipart_form_and_cookies() {
    let (base, server) = serve_once(http_response("204 No Content", "", ""));
    let client = client_with(AuthMode::Cookie, &base);
    let mut request = Request::new(Method::POST, "/files".to_owned());
    request.cookie("lang", "en");
    request
        .multipart(&BTreeMap::from([(
            "file",
            Binary::from(b"a,b\n".to_vec())
                .with_file_name("t.csv")
                .with_content_type("text/csv"),
        )]))
        .unwrap();
    client
        .execute_with(request, |_, _| Some(Ok(())))
        .await
        .unwrap();
    let raw = server.join().unwrap();
    let lower = raw.to_ascii_lowercase();
    assert!(
        lower.contains("\r\ncontent-type: multipart/form-data; boundary=----formboundary"),
        "{raw}"
    );
    assert!(
        lower.contains(&format!(
            "\r\ncookie: lang=en; sid={}\r\n",
            KEY.to_ascii_lowercase()
        )),
        "{raw}"
    );
    assert!(
        raw.contains(
            "Content-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\n\
             Content-Type: text/csv\r\n\r\na,b\n\r\n--"
        ),
        "{raw}"
    );

    let (base, server) = serve_once(http_response("200 OK", "", "ok"));
    let client = client_with(AuthMode::Bearer, &base);
    let mut request = Request::new(Method::POST, "/login".to_owned());
    request
        .form(&BTreeMap::from([("user", "me"), ("scope", "a b")]))
        .unwrap();
    let response = client.execute_text(request).await.unwrap();
    assert_eq!(response.into_body(), "ok");
    let raw = server.join().unwrap();
    let lower = raw.to_ascii_lowercase();
    assert!(
        lower.contains("\r\ncontent-type: application/x-www-form-urlencoded\r\n"),
        "{raw}"
    );
    assert!(
        lower.contains(&format!(
            "\r\nauthorization: bearer {}\r\n",
            KEY.to_ascii_lowercase()
        )),
        "{raw}"
    );
    assert!(raw.ends_with("\r\n\r\nscope=a+b&user=me"), "{raw}");
}

#[test]
fn all_execute_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = test_client(AuthMode::Header, "https://api.example.com");
    let request = || Request::new(Method::GET, "/me".to_owned());
    assert_send(&client.execute_text(request()));
    assert_send(&client.execute_bytes(request()));
    assert_send(&client.execute_with(request(), |_, _| Some(Ok(()))));
}
