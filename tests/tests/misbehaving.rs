//! Servers that misbehave, over real loopback TCP (`tests::raw`): one that
//! never answers, one that stalls after the headers, one that trickles a
//! byte a second, bodies far past the limit, a connection cut mid-body,
//! absurd rate-limit headers with the client-side limiter on, `Retry-After`
//! as an HTTP date and as a huge number, and redirect loops. Every call ends
//! by its deadline with a typed error that names what happened.
//!
//! Deadlines are short (hundreds of milliseconds). The only assertions on
//! time are generous upper bounds ([`SLACK`] past the deadline) that prove a
//! call ended by its deadline. Each case prints one line (`--nocapture`):
//! the error's text and the time taken.

use std::fmt::Debug;
use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postman_client::{
    AuthMode, Client, ClientBuilder, Error, RequestOptions, RetryPolicy, TimeLimit, TimeoutPhase,
};
use tests::raw::{Conn, Server, head, response, serve};
use tests::window::me_body;
use tokio::time::Instant;

const KEY: &str = "PMAK-misbehaving-secret";

/// How far past its deadline a call may end and still count as ending by it
/// (scheduling on a busy machine).
const SLACK: Duration = Duration::from_secs(2);

const MIB: u64 = 1024 * 1024;

fn builder(server: &Server) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(&server.base)
        .allow_insecure_http(true)
}

/// Retries without jitter and with short backoffs.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .backoff(Duration::from_millis(10), Duration::from_millis(40))
        .jitter(false)
}

/// Runs `call`, prints its outcome and time, and checks that it ended by
/// `deadline` and that its error does not show the API key.
/// `GET /me` to `server` with only a call deadline set; the call must fail (by then).
async fn fails_within(server: &Server, case: &str, deadline: Duration) -> Error {
    let client = builder(server).call_timeout(deadline).build().unwrap();
    get_me(&client, case, deadline).await.unwrap_err()
}

/// `GET /me` through `client`, timed by [`timed`].
async fn get_me(
    client: &Client,
    case: &str,
    deadline: Duration,
) -> Result<postman_client::Response<postman_client::types::MeResponse>, Error> {
    timed(case, deadline, client.get_authenticated_user().send()).await
}

async fn timed<T: Debug>(
    case: &str,
    deadline: Duration,
    call: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let start = Instant::now();
    let result = call.await;
    let took = start.elapsed();
    let outcome = match &result {
        Ok(_) => "ok".to_owned(),
        Err(error) => {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(KEY), "{case}: the key leaked: {shown}");
            error.to_string()
        }
    };
    println!("| {case} | {outcome} | {:.2} s |", took.as_secs_f64());
    assert!(
        took <= deadline + SLACK,
        "{case}: took {took:?}, the deadline was {deadline:?}"
    );
    result
}

fn epoch_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

/// Reads the request, then answers nothing and keeps the connection open.
async fn silent(mut conn: Conn) {
    conn.read_request().await;
    conn.hold().await;
}

// Tokio's clock is paused and jumps ahead whenever every task waits, so the
// defaults (30 s per attempt, 120 s per call) are reached in milliseconds.
#[tokio::test(start_paused = true)]
async fn a_client_with_defaults_ends_a_call_that_is_never_answered() {
    let server = serve(silent).await;
    let client = builder(&server).build().unwrap();

    let err = get_me(
        &client,
        "never answers, client defaults (virtual time)",
        Client::DEFAULT_CALL_TIMEOUT,
    )
    .await
    .unwrap_err();

    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert!(timeout.is_deadline(), "{err}");
    assert_eq!(timeout.after(), Client::DEFAULT_CALL_TIMEOUT);
    assert!(
        timeout.attempts() >= 2,
        "attempts that timed out are retried: {err}"
    );
}

#[tokio::test]
async fn never_answers() {
    let server = serve(silent).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .call_timeout(Duration::from_millis(800))
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let err = get_me(
        &client,
        "never answers: timeout 300 ms, call_timeout 800 ms",
        Duration::from_millis(800),
    )
    .await
    .unwrap_err();

    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert_eq!(timeout.phase(), TimeoutPhase::Answer);
    assert_eq!(timeout.limit(), TimeLimit::Call, "{err}");
    assert!(timeout.attempts() >= 2, "{err}");
    assert_eq!(server.connections() as u32, timeout.attempts());
    assert_eq!(err.status(), None);
    assert!(
        err.to_string()
            .starts_with("the call's deadline of 800 ms passed while waiting for the answer"),
        "{err}"
    );

    // Without retries, the attempt's timeout is what passes.
    let err = timed(
        "never answers: timeout 300 ms, no retries",
        Duration::from_millis(300),
        client
            .get_authenticated_user()
            .with_options(RequestOptions::new().retry_policy(RetryPolicy::disabled()))
            .send(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "timed out after 300 ms while waiting for the answer (after 1 attempt)"
    );
}

#[tokio::test]
async fn sends_the_headers_then_stalls() {
    let server = serve(|mut conn: Conn| async move {
        conn.read_request().await;
        let headers = [
            "Content-Type: application/json".to_owned(),
            "Content-Length: 1000".to_owned(),
            "X-RateLimit-Remaining: 42".to_owned(),
        ];
        conn.send(head("200 OK", &headers)).await;
        conn.hold().await;
    })
    .await;
    // The issue's case: a 2 s timeout per attempt cost 9.3 s over 4 attempts
    // and said `error decoding response body`. The call's deadline bounds it.
    let client = builder(&server)
        .timeout(Duration::from_millis(300))
        .call_timeout(Duration::from_millis(800))
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let err = get_me(
        &client,
        "headers then stall: timeout 300 ms, call_timeout 800 ms",
        Duration::from_millis(800),
    )
    .await
    .unwrap_err();

    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert_eq!(timeout.phase(), TimeoutPhase::Body);
    assert!(timeout.is_deadline(), "{err}");
    assert_eq!(timeout.received(), 0);
    // What did arrive is kept.
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.rate_limit().and_then(|r| r.remaining()), Some(42));
    assert!(
        err.to_string()
            .contains("passed while reading the body of the 200 OK answer (0 bytes received)"),
        "{err}"
    );
}

#[tokio::test]
async fn trickles_one_byte_a_second() {
    let server = serve(|mut conn: Conn| async move {
        conn.read_request().await;
        let headers = ["Content-Length: 1000".to_owned()];
        if !conn.send(head("200 OK", &headers)).await {
            return;
        }
        while conn.send_byte().await {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .await;
    // Each byte comes well within any per-read timeout; the call's deadline
    // still ends it.
    let err = fails_within(
        &server,
        "trickles 1 byte/s: call_timeout 1.5 s",
        Duration::from_millis(1500),
    )
    .await;

    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert_eq!(timeout.phase(), TimeoutPhase::Body);
    assert!(timeout.is_deadline());
    assert!(timeout.received() >= 1, "{err}");
    assert_eq!(timeout.attempts(), 1);
}

// ---------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------

/// Answers `status` with a body of `len` bytes, announced with its
/// `Content-Length` or not (then it ends when the connection closes).
async fn send_huge(mut conn: Conn, status: &'static str, len: u64, announced: bool) {
    conn.read_request().await;
    let mut headers = vec!["Content-Type: text/html".to_owned()];
    if announced {
        headers.push(format!("Content-Length: {len}"));
    }
    if conn.send(head(status, &headers)).await {
        conn.send_body(len).await;
    }
}

/// The body bytes the server managed to write, once the client had time to
/// close the connection.
async fn written_after_settling(server: &Server) -> u64 {
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.written()
}

#[tokio::test]
async fn a_huge_body_is_not_read_past_the_limit() {
    for announced in [true, false] {
        let server = serve(move |conn| send_huge(conn, "200 OK", 200 * MIB, announced)).await;
        let client = builder(&server)
            .max_body_size(MIB)
            .call_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let case = if announced {
            "200 MiB body with Content-Length, limit 1 MiB"
        } else {
            "200 MiB body without Content-Length, limit 1 MiB"
        };

        let err = get_me(&client, case, Duration::from_secs(5))
            .await
            .unwrap_err();

        let Error::BodyTooLarge(too_large) = &err else {
            panic!("{case}: expected BodyTooLarge: {err:?}")
        };
        assert_eq!(too_large.limit(), MIB);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        if announced {
            assert_eq!(too_large.content_length(), Some(200 * MIB));
            assert_eq!(too_large.received(), 0, "nothing read");
        } else {
            assert!(
                too_large.received() > MIB && too_large.received() < 2 * MIB,
                "{}",
                too_large.received()
            );
        }
        assert_eq!(server.connections(), 1, "not retried");
        // The client stopped reading: the server could write no more than the
        // limit and what the kernel's socket buffers hold.
        let written = written_after_settling(&server).await;
        assert!(
            written < 40 * MIB,
            "{case}: the server wrote {written} bytes"
        );
        println!(
            "|   server wrote {:.1} MiB of 200 MiB |",
            written as f64 / MIB as f64
        );
    }
}

#[tokio::test]
async fn a_huge_error_body_is_kept_bounded() {
    let server = serve(|conn| send_huge(conn, "500 Internal Server Error", 300 * MIB, true)).await;
    let err = fails_within(
        &server,
        "500 with a 300 MiB HTML body",
        Duration::from_secs(5),
    )
    .await;

    let Error::Api(api) = &err else {
        panic!("expected an API error: {err:?}")
    };
    assert_eq!(api.status().as_u16(), 500);
    assert!(api.is_truncated());
    assert_eq!(api.body().len() as u64, postman_client::ApiError::MAX_BODY);
    let shown = err.to_string();
    assert!(shown.chars().count() <= 1001, "{}", shown.len());
    assert!(format!("{err:?}").len() < 8 * 1024, "Debug is bounded too");
    let written = written_after_settling(&server).await;
    assert!(written < 40 * MIB, "the server wrote {written} bytes");
    println!(
        "|   server wrote {:.1} MiB of 300 MiB |",
        written as f64 / MIB as f64
    );
}

#[tokio::test]
async fn the_connection_is_cut_mid_body() {
    let server = serve(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.send(head("200 OK", &["Content-Length: 1000".to_owned()]))
            .await;
        conn.send(r#"{"user":{"#).await;
        conn.close().await;
    })
    .await;
    let client = builder(&server)
        .call_timeout(Duration::from_millis(800))
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let err = get_me(
        &client,
        "connection cut after 10 of 1000 bytes",
        Duration::from_millis(800),
    )
    .await
    .unwrap_err();

    let Error::Transport(inner) = &err else {
        panic!("expected a transport error: {err:?}")
    };
    assert!(inner.is_decode() || inner.is_body(), "{inner:?}");
    assert_eq!(server.connections(), 4, "a GET is retried");
    assert!(
        err.to_string()
            .starts_with("HTTP transport error: the response body could not be read: "),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_body_where_one_was_expected() {
    let server = serve(|mut conn: Conn| async move {
        conn.read_request().await;
        conn.send(response("200 OK", &[], "")).await;
    })
    .await;
    let client = builder(&server).build().unwrap();

    let err = get_me(
        &client,
        "200 with an empty body",
        Client::DEFAULT_CALL_TIMEOUT,
    )
    .await
    .unwrap_err();

    let Error::Decode(decode) = &err else {
        panic!("expected a decode error: {err:?}")
    };
    assert!(decode.is_empty_body());
    assert!(err.to_string().ends_with(": empty body"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------------------

/// Answers every request `200` with the user and `headers`.
async fn limited(headers: Vec<String>) -> Server {
    serve(move |mut conn: Conn| {
        let headers = headers.clone();
        async move {
            conn.read_request().await;
            conn.send(response("200 OK", &headers, &me_body().to_string()))
                .await;
        }
    })
    .await
}

#[tokio::test]
async fn absurd_rate_limit_headers_do_not_hold_the_limiter() {
    let now = epoch_seconds();
    let cases = [
        (
            "limiter: Remaining 0, Reset 10 h ahead",
            vec![
                "X-RateLimit-Remaining: 0".to_owned(),
                format!("X-RateLimit-Reset: {}", now + 36_000),
            ],
        ),
        (
            "limiter: Remaining 0, Reset 10 h ahead in epoch ms",
            vec![
                "X-RateLimit-Remaining: 0".to_owned(),
                format!("X-RateLimit-Reset: {}", (now + 36_000) * 1000),
            ],
        ),
        (
            "limiter: Remaining 0, no Reset",
            vec!["X-RateLimit-Remaining: 0".to_owned()],
        ),
        (
            "limiter: negative and non-numeric values",
            vec![
                "X-RateLimit-Limit: lots".to_owned(),
                "X-RateLimit-Remaining: -1".to_owned(),
                "X-RateLimit-Reset: soon".to_owned(),
            ],
        ),
    ];
    for (case, headers) in cases {
        let server = limited(headers).await;
        let client = builder(&server)
            .rate_limiter(true)
            .call_timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        let first = client.get_authenticated_user().send().await;
        assert!(first.is_ok(), "{case}: {first:?}");

        // The next call is held a moment at most, never for hours.
        let second = get_me(&client, case, Duration::from_secs(3)).await;

        assert!(second.is_ok(), "{case}: {second:?}");
        assert_eq!(server.connections(), 2, "{case}");
    }
}

#[tokio::test]
async fn a_believable_window_past_the_deadline_fails_at_once_saying_until_when() {
    let reset_ms = (epoch_seconds() + 60) * 1000;
    let server = limited(vec![
        "X-RateLimit-Remaining: 0".to_owned(),
        format!("X-RateLimit-Reset: {reset_ms}"),
    ])
    .await;
    let client = builder(&server)
        .rate_limiter(true)
        .call_timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    client.get_authenticated_user().send().await.unwrap();

    let err = get_me(
        &client,
        "limiter: Remaining 0, Reset 60 s ahead in epoch ms, call_timeout 800 ms",
        Duration::from_millis(800),
    )
    .await
    .unwrap_err();

    let Error::Timeout(timeout) = &err else {
        panic!("expected a timeout: {err:?}")
    };
    assert_eq!(timeout.phase(), TimeoutPhase::RateLimiter);
    assert_eq!(timeout.attempts(), 0);
    assert_eq!(
        timeout.until(),
        Some(UNIX_EPOCH + Duration::from_millis(reset_ms))
    );
    assert!(err.to_string().starts_with("not sent: "), "{err}");
    assert_eq!(server.connections(), 1, "the second call was not sent");
}

/// Answers the first request `429` with `headers`, the others `200`.
async fn limited_once(headers: Vec<String>) -> Server {
    serve(move |mut conn: Conn| {
        let headers = headers.clone();
        async move {
            conn.read_request().await;
            let answer = if conn.number == 0 {
                let body =
                    r#"{"error":{"name":"rateLimitError","message":"Rate Limit exceeded."}}"#;
                response("429 Too Many Requests", &headers, body)
            } else {
                response("200 OK", &[], &me_body().to_string())
            };
            conn.send(answer).await;
        }
    })
    .await
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // One second after the answer's `Date`, whatever the local clock says.
    let server = limited_once(vec![
        "Date: Sun, 06 Nov 1994 08:49:37 GMT".to_owned(),
        "Retry-After: Sun, 06 Nov 1994 08:49:38 GMT".to_owned(),
    ])
    .await;
    let client = builder(&server)
        .retry_policy(quick_retries())
        .call_timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let me = get_me(
        &client,
        "429, Retry-After: HTTP date 1 s after Date",
        Duration::from_secs(5),
    )
    .await;

    assert!(me.is_ok(), "{me:?}");
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_returns_the_429_at_once() {
    let cases = [
        ("429, Retry-After: 60, call_timeout 800 ms", "60", 60),
        (
            "429, Retry-After: 99999999999999999999, call_timeout 800 ms",
            "99999999999999999999",
            u64::MAX,
        ),
        (
            "429, Retry-After: HTTP date 10 h after Date, call_timeout 800 ms",
            "Sun, 06 Nov 1994 18:49:37 GMT",
            36_000,
        ),
    ];
    for (case, retry_after, seconds) in cases {
        let server = limited_once(vec![
            "Date: Sun, 06 Nov 1994 08:49:37 GMT".to_owned(),
            format!("Retry-After: {retry_after}"),
        ])
        .await;
        let client = builder(&server)
            .retry_policy(quick_retries())
            .call_timeout(Duration::from_millis(800))
            .build()
            .unwrap();

        let err = get_me(&client, case, Duration::from_millis(800))
            .await
            .unwrap_err();

        assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{case}");
        assert_eq!(
            err.rate_limit().and_then(|r| r.retry_after()),
            Some(seconds),
            "{case}"
        );
        assert_eq!(server.connections(), 1, "{case}: not retried");
    }
}

// ---------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn redirect_loops_end() {
    for mode in [AuthMode::Header, AuthMode::Query] {
        let server = serve(|mut conn: Conn| async move {
            conn.read_request().await;
            conn.send(response("302 Found", &["Location: /me".to_owned()], ""))
                .await;
        })
        .await;
        let client = builder(&server)
            .auth_mode(mode)
            .call_timeout(Duration::from_millis(800))
            .build()
            .unwrap();

        let err = timed(
            &format!("302 to itself forever ({mode:?} auth)"),
            Duration::from_millis(800),
            client.get_authenticated_user().send(),
        )
        .await
        .unwrap_err();

        match mode {
            // reqwest follows them, and stops after ten.
            AuthMode::Header => {
                let Error::Transport(inner) = &err else {
                    panic!("expected a transport error: {err:?}")
                };
                assert!(inner.is_redirect(), "{inner:?}");
                assert!(err.to_string().ends_with(": too many redirects"), "{err}");
            }
            // The client follows them itself (to put the key back into each
            // URL), and returns the last one.
            _ => assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{err}"),
        }
        assert_eq!(server.connections(), 11, "{mode:?}");
    }
}
