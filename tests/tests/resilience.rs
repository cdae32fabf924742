//! Retries, the client-side rate limiter, per-call timeouts, transport safety
//! and uids, over real HTTP against `wiremock` servers on 127.0.0.1.
//!
//! Waits are kept to a second or two; nothing here asserts on wall time, only
//! on what the server received and what the caller got.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postman_client::types::{CreateEnvironmentRequest, EnvironmentInput};
use postman_client::{AuthMode, Client, Error, RequestOptions, RetryPolicy, TimeoutPhase, Uid};
use serde_json::json;
use tests::window::{WindowLimit, me_body};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "PMAK-resilience-secret";

/// Retries without jitter and with short backoffs, so tests stay quick.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(3)
        .backoff(Duration::from_millis(10), Duration::from_millis(40))
        .jitter(false)
}

fn client(server: &MockServer) -> Client {
    client_at(&server.uri())
}

/// A client for `base` with [`quick_retries`].
fn client_at(base: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base)
        .allow_insecure_http(true)
        .retry_policy(quick_retries())
        .build()
        .expect("a loopback client")
}

fn ok_me() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(me_body())
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({
        "error": {"name": "serverError", "message": "try again"}
    }))
}

/// `first` for the first `times` requests to `verb route`, then `then`.
async fn failing_then(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn environment() -> CreateEnvironmentRequest {
    CreateEnvironmentRequest::new(EnvironmentInput::new("Staging"))
}

fn epoch_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn get_is_retried_after_502_503_504() {
    for code in [502, 503, 504] {
        let server = MockServer::start().await;
        failing_then(&server, "GET", "/me", status(code), 2, ok_me()).await;

        let me = client(&server).get_authenticated_user().send().await;

        assert!(me.is_ok(), "{code}: {me:?}");
        assert_eq!(
            requests_to(&server).await,
            3,
            "{code}: two failures, then success"
        );
    }
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    failing_then(&server, "GET", "/me", status(503), 100, ok_me()).await;

    let err = client(&server)
        .get_authenticated_user()
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests_to(&server).await, 3, "max_attempts(3)");
}

/// A server on 127.0.0.1 that cuts its first answer short (the connection closes
/// after part of the body) and answers the next ones in full.
async fn cut_then_whole() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        let body = me_body().to_string();
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut request = vec![0; 4096];
            let _ = socket.read(&mut request).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let sent = if n == 0 { &body[..10] } else { &body[..] };
            let _ = socket.write_all(format!("{head}{sent}").as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (base, served)
}

#[tokio::test]
async fn an_answer_cut_off_is_retried_for_get_only() {
    let (base, served) = cut_then_whole().await;
    let client = client_at(&base);

    let me = client.get_authenticated_user().send().await;

    assert!(me.is_ok(), "{me:?}");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 2);

    // A POST cut off the same way is not sent again: the server may have acted on it.
    let (base, served) = cut_then_whole().await;
    let client = client_at(&base);
    let err = client
        .create_environment(environment())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn post_is_not_retried_by_default() {
    let server = MockServer::start().await;
    failing_then(&server, "POST", "/environments", status(503), 1, ok_me()).await;

    let err = client(&server)
        .create_environment(environment())
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests_to(&server).await, 1, "POST went out once");
}

#[tokio::test]
async fn post_is_retried_when_the_call_opts_in() {
    let server = MockServer::start().await;
    let created = ResponseTemplate::new(200).set_body_json(json!({
        "environment": {
            "id": "f158266e-306b-4702-a2b9-e4ede7878b7a",
            "name": "Staging",
            "uid": "12345678-f158266e-306b-4702-a2b9-e4ede7878b7a"
        }
    }));
    failing_then(&server, "POST", "/environments", status(503), 1, created).await;

    let response = client(&server)
        .create_environment(environment())
        .with_options(RequestOptions::new().retry_non_idempotent(true))
        .send()
        .await;

    assert!(response.is_ok(), "{response:?}");
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].body, received[1].body,
        "the same body both times"
    );
}

#[tokio::test]
async fn rate_limited_get_waits_for_the_reset_and_succeeds() {
    let server = MockServer::start().await;
    let reset = (epoch_seconds() + 1).to_string();
    let limited = ResponseTemplate::new(429)
        .insert_header("X-RateLimit-Limit", "60")
        .insert_header("X-RateLimit-Remaining", "0")
        .insert_header("X-RateLimit-Reset", reset.as_str())
        .set_body_json(
            json!({"error": {"name": "rateLimitError", "message": "Rate Limit exceeded."}}),
        );
    failing_then(&server, "GET", "/me", limited, 1, ok_me()).await;

    let me = client(&server).get_authenticated_user().send().await;

    assert!(me.is_ok(), "{me:?}");
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn every_retry_after_header_is_honoured() {
    for header in ["Retry-After", "RetryAfter", "X-RateLimit-RetryAfter"] {
        let server = MockServer::start().await;
        let limited = ResponseTemplate::new(429).insert_header(header, "0");
        failing_then(&server, "GET", "/me", limited, 1, ok_me()).await;
        // A budget of zero waiting: only a zero-second Retry-After fits, so a
        // header that was not read would fall back to a backoff and give up.
        let policy = quick_retries().max_total_wait(Duration::ZERO);
        let me = client(&server)
            .get_authenticated_user()
            .with_options(RequestOptions::new().retry_policy(policy))
            .send()
            .await;
        assert!(me.is_ok(), "{header}: {me:?}");
        assert_eq!(requests_to(&server).await, 2, "{header}");
    }
}

#[tokio::test]
async fn a_wait_beyond_the_budget_returns_the_429_at_once() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("Retry-After", "3600")
        .set_body_json(
            json!({"error": {"name": "rateLimitError", "message": "Rate Limit exceeded."}}),
        );
    failing_then(&server, "GET", "/me", limited, 1, ok_me()).await;

    let err = client(&server)
        .get_authenticated_user()
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.rate_limit().and_then(|r| r.retry_after()), Some(3600));
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn exhausted_usage_limit_is_not_retried() {
    let server = MockServer::start().await;
    let exhausted = ResponseTemplate::new(429).set_body_json(json!({
        "error": {"name": "usageLimitError", "message": "You have reached your plan's monthly usage limit."}
    }));
    failing_then(&server, "GET", "/me", exhausted, 1, ok_me()).await;

    let err = client(&server)
        .get_authenticated_user()
        .send()
        .await
        .unwrap_err();

    assert_eq!(err.as_api().and_then(|e| e.name()), Some("usageLimitError"));
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn retries_can_be_turned_off_for_the_client_or_one_call() {
    let server = MockServer::start().await;
    failing_then(&server, "GET", "/me", status(503), 100, ok_me()).await;
    let off = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    assert!(off.get_authenticated_user().send().await.is_err());
    assert_eq!(requests_to(&server).await, 1);

    let err = client(&server)
        .get_authenticated_user()
        .with_options(RequestOptions::new().retry_policy(RetryPolicy::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for code in [400, 401, 404, 500] {
        let server = MockServer::start().await;
        failing_then(&server, "GET", "/me", status(code), 1, ok_me()).await;
        let err = client(&server)
            .get_authenticated_user()
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(requests_to(&server).await, 1, "{code}");
    }
}

/// Collects the `tracing` events of the current thread as text.
#[derive(Default, Clone)]
struct Events(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Events {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = format!(
            "{} {} ",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut text));
        self.0.lock().unwrap().push(text);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn each_retry_is_traced_without_the_key() {
    let server = MockServer::start().await;
    failing_then(&server, "GET", "/collections", status(503), 2, {
        ResponseTemplate::new(200).set_body_json(json!({"collections": []}))
    })
    .await;
    let events = Events::default();
    let _guard = tracing::subscriber::set_default(events.clone());
    let client = Client::builder()
        .api_key(KEY)
        .auth_mode(AuthMode::Query)
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    client
        .get_collections()
        .workspace("w1")
        .send()
        .await
        .unwrap();

    let events = events.0.lock().unwrap().clone();
    let retries: Vec<&String> = events.iter().filter(|e| e.contains("retrying")).collect();
    assert_eq!(retries.len(), 2, "{events:#?}");
    for (event, number) in retries.iter().zip([1, 2]) {
        assert!(event.contains("postman_client::retry"), "{event}");
        assert!(event.contains("method=GET"), "{event}");
        assert!(event.contains("path=/collections"), "{event}");
        assert!(event.contains(&format!("retry={number}")), "{event}");
        assert!(event.contains("503"), "{event}");
    }
    assert!(
        !events.iter().any(|e| e.contains(KEY) || e.contains("w1")),
        "{events:#?}"
    );
}

// ---------------------------------------------------------------------------------------
// Staying under the limit
// ---------------------------------------------------------------------------------------

/// 8 tasks × 5 requests against 15 requests per second: without the limiter
/// and without retries some of them would get `429`.
async fn burst(limiter: bool) -> (usize, tests::window::WindowCounts) {
    let server = MockServer::start().await;
    let window = WindowLimit::new(15, me_body());
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(window.clone())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy::disabled())
        .rate_limiter(limiter)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut failed = 0;
                for _ in 0..5 {
                    if client.get_authenticated_user().send().await.is_err() {
                        failed += 1;
                    }
                }
                failed
            })
        })
        .collect();
    let mut failed = 0;
    for task in tasks {
        failed += task.await.unwrap();
    }
    (failed, window.counts())
}

#[tokio::test]
async fn the_shared_limiter_keeps_concurrent_tasks_under_the_limit() {
    let (failed, counts) = burst(true).await;
    assert_eq!(failed, 0);
    assert_eq!(counts.served, 40);
    assert_eq!(counts.rejected, 0, "no request went past the limit");
}

#[tokio::test]
async fn without_the_limiter_the_same_burst_is_rejected() {
    // The control for the test above: it shows the server does enforce its limit.
    let (failed, counts) = burst(false).await;
    assert!(failed > 0 && counts.rejected > 0, "{failed} {counts:?}");
}

// ---------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_call_can_shorten_or_lengthen_the_client_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ok_me().set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let err = client.get_authenticated_user().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Timeout(e) if e.phase() == TimeoutPhase::Answer),
        "{err:?}"
    );

    let longer = RequestOptions::new().timeout(Duration::from_secs(10));
    let me = client
        .get_authenticated_user()
        .with_options(longer)
        .send()
        .await;
    assert!(me.is_ok(), "{me:?}");
}

// ---------------------------------------------------------------------------------------
// Transport safety
// ---------------------------------------------------------------------------------------

#[test]
fn plain_http_is_refused_unless_allowed() {
    let err = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:8080")
        .build()
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("allow_insecure_http"), "{message}");
    assert!(!message.contains(KEY), "{message}");
    assert!(
        Client::builder()
            .api_key(KEY)
            .base_url("https://127.0.0.1:8080")
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn redirect_to_plain_http_elsewhere_gets_no_key() {
    // A 301 from one loopback server to another: another origin, so the
    // redirect is not followed, in either auth mode.
    for mode in [AuthMode::Header, AuthMode::Query] {
        let elsewhere = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ok_me())
            .mount(&elsewhere)
            .await;
        let server = MockServer::start().await;
        let location = format!("{}/me", elsewhere.uri());
        Mock::given(method("GET"))
            .and(path("/me"))
            .respond_with(ResponseTemplate::new(301).insert_header("Location", location.as_str()))
            .mount(&server)
            .await;
        let client = Client::builder()
            .api_key(KEY)
            .auth_mode(mode)
            .base_url(server.uri())
            .allow_insecure_http(true)
            .build()
            .unwrap();

        let err = client.get_authenticated_user().send().await.unwrap_err();

        assert_eq!(err.status().map(|s| s.as_u16()), Some(301), "{mode:?}");
        assert_eq!(
            requests_to(&elsewhere).await,
            0,
            "{mode:?}: the key went elsewhere"
        );
        let shown = format!("{err} {err:?} {client:?}");
        assert!(!shown.contains(KEY), "{shown}");
    }
}

// ---------------------------------------------------------------------------------------
// Uids
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_uid_or_an_id_goes_straight_into_the_path() {
    let server = MockServer::start().await;
    let uid: Uid = "12345678-12ece9e1-2abf-4edc-8e34-de66e74114d2"
        .parse()
        .unwrap();
    for expected in [uid.to_string(), uid.id().to_owned()] {
        Mock::given(method("DELETE"))
            .and(path(format!("/collections/{expected}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "collection": {"id": uid.id(), "uid": uid.to_string()}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);

    let deleted = client.delete_collection(&uid).send().await.unwrap();
    // The response's uid parses back, and its id works too.
    let again: Uid = deleted.collection.uid.parse().unwrap();
    assert_eq!(again, uid);
    client.delete_collection(again.id()).send().await.unwrap();
}

#[test]
fn a_bad_uid_is_a_clear_error() {
    let err = "not-a-uid".parse::<Uid>().unwrap_err();
    assert!(err.to_string().contains("not-a-uid"), "{err}");
    assert!(err.to_string().contains("owner id"), "{err}");
}
