//! Methods without a `reqwest` constant (`Request::with_method`): `QUERY` is
//! sent with its body, retried like `GET` and keeps both through a `307`;
//! other methods are not retried; a name that is not a token fails before
//! sending.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::{Value, json};

use super::KEY;
use crate::client::{AuthMode, Client, Schemes};
use crate::error::Error;
use crate::request::Request;
use crate::retry::RetryPolicy;

/// A client whose retries wait 1 ms.
fn client(mode: AuthMode, base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .auth_mode(mode)
        .base_url(base_url)
        .allow_insecure_http(true)
        .timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::new()
                .jitter(false)
                .backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .build_with(&Schemes::TEST)
        .unwrap()
}

/// Answers the connections of `listener` with `responses` in order, reading
/// each request whole (head and `Content-Length` body); yields the requests.
fn serve(responses: Vec<String>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut requests = Vec::new();
        for response in responses {
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
                if let Some((_, value)) = line
                    .split_once(':')
                    .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                {
                    length = value.trim().parse().unwrap();
                }
                head.push_str(&line);
                if line == "\r\n" || line.is_empty() {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            reader.get_mut().write_all(response.as_bytes()).unwrap();
            requests.push(head + &String::from_utf8_lossy(&body));
        }
        requests
    });
    (origin, handle)
}

fn response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
}

fn query(path: &str) -> Request {
    let mut request = Request::with_method("QUERY", path.to_owned());
    request.json(&json!({"q": "cats"})).unwrap();
    request
}

#[tokio::test]
async fn query_is_sent_with_its_body_and_retried_on_503() {
    let (origin, server) = serve(vec![
        response("503 Service Unavailable", "", ""),
        response("200 OK", "Content-Type: application/json\r\n", r#"{"n":2}"#),
    ]);
    let answer = client(AuthMode::Header, &origin)
        .execute::<Value>(query("/search"))
        .await
        .unwrap();
    assert_eq!(*answer, json!({"n": 2}));
    let requests = server.join().unwrap();
    for request in &requests {
        assert!(
            request.starts_with("QUERY /search HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(
            request
                .to_ascii_lowercase()
                .contains("content-type: application/json\r\n"),
            "{request}"
        );
        assert!(request.ends_with(r#"{"q":"cats"}"#), "{request}");
    }
}

#[tokio::test]
async fn query_keeps_method_and_body_through_a_307() {
    // Header auth: reqwest follows; query auth: the runtime follows by hand.
    for mode in [AuthMode::Header, AuthMode::Query] {
        let (origin, server) = serve(vec![
            response("307 Temporary Redirect", "Location: /elsewhere\r\n", ""),
            response("200 OK", "Content-Type: application/json\r\n", "{}"),
        ]);
        client(mode, &origin)
            .execute::<Value>(query("/search"))
            .await
            .unwrap();
        let requests = server.join().unwrap();
        assert!(
            requests[1].starts_with("QUERY /elsewhere"),
            "{mode:?}: {requests:?}"
        );
        assert!(
            requests[1].ends_with(r#"{"q":"cats"}"#),
            "{mode:?}: {requests:?}"
        );
    }
}

#[tokio::test]
async fn other_methods_are_not_retried_without_an_opt_in() {
    let (origin, server) = serve(vec![response("503 Service Unavailable", "", "")]);
    let err = client(AuthMode::Header, &origin)
        .execute::<Value>(Request::with_method("COPY", "/a".to_owned()))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
    let requests = server.join().unwrap();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].starts_with("COPY /a HTTP/1.1\r\n"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_method_that_is_not_a_token_fails_before_sending() {
    let client = client(AuthMode::Header, "http://127.0.0.1:9");
    let err = client
        .execute::<Value>(Request::with_method("CO PY", "/a".to_owned()))
        .await
        .unwrap_err();
    match err {
        Error::Encode(message) => assert!(message.contains("`CO PY`"), "{message}"),
        other => panic!("expected an encode error, got {other:?}"),
    }
}
