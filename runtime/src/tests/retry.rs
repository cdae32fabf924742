//! Tests of `crate::retry`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::rate_limit::RateLimit;
use crate::retry::{
    Failure, Reason, Retries, RetryPolicy, is_usage_exhausted, mentions_any, rate_limit_wait,
};

fn limits(pairs: &[(&str, &str)]) -> RateLimit {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    RateLimit::from_headers(&headers)
}

fn status<'a>(status: u16, rate_limit: &'a RateLimit, body: &'a str) -> Failure<'a> {
    Failure::Status {
        status: StatusCode::from_u16(status).unwrap(),
        rate_limit,
        body: body.as_bytes(),
    }
}

const NO_JITTER: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    max_total_wait: Duration::from_secs(65),
    initial_backoff: Duration::from_millis(100),
    max_backoff: Duration::from_millis(350),
    jitter: false,
};

#[test]
fn backoff_doubles_up_to_the_cap() {
    let empty = RateLimit::default();
    let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
    let waits: Vec<Duration> =
        std::iter::from_fn(|| retries.next(&status(503, &empty, "")).map(|(wait, _)| wait))
            .collect();
    assert_eq!(
        waits,
        [100, 200, 350].map(Duration::from_millis),
        "three retries after the first attempt"
    );
    assert_eq!(retries.attempts(), 4);
    assert_eq!(NO_JITTER.backoff_for(40), Duration::from_millis(350));
}

#[test]
fn jitter_stays_between_half_and_all() {
    let policy = NO_JITTER
        .jitter(true)
        .backoff(Duration::from_millis(1000), Duration::from_millis(1000));
    for _ in 0..200 {
        let mut retries = Retries::new(&policy, &Method::GET, false);
        let (wait, _) = retries
            .next(&status(502, &RateLimit::default(), ""))
            .unwrap();
        assert!(
            wait >= Duration::from_millis(500) && wait <= Duration::from_millis(1000),
            "{wait:?}"
        );
    }
}

#[test]
fn rate_limited_waits_for_retry_after_or_the_reset() {
    let asked = limits(&[("Retry-After", "7")]);
    let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
    assert_eq!(
        retries.next(&status(429, &asked, "")),
        Some((Duration::from_secs(7), Reason::RateLimited))
    );
    for name in ["RetryAfter", "X-RateLimit-RetryAfter"] {
        let asked = limits(&[(name, "3")]);
        let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
        assert_eq!(
            retries.next(&status(429, &asked, "")).unwrap().0,
            Duration::from_secs(3),
            "{name}"
        );
    }
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(
        rate_limit_wait(&limits(&[("X-RateLimit-Reset", "1700000012")]), now),
        Some(Duration::from_secs(12))
    );
    // A reset in the past or now falls back to the backoff.
    assert_eq!(
        rate_limit_wait(&limits(&[("X-RateLimit-Reset", "1700000000")]), now),
        None
    );
    // So does one not to be believed: ten hours ahead, in seconds or in
    // milliseconds.
    for reset in ["1700036000", "1700036000000"] {
        assert_eq!(
            rate_limit_wait(&limits(&[("X-RateLimit-Reset", reset)]), now),
            None,
            "{reset}"
        );
    }
    // Milliseconds, and seconds from now, within the hour are believed.
    assert_eq!(
        rate_limit_wait(&limits(&[("X-RateLimit-Reset", "1700000012500")]), now),
        Some(Duration::from_millis(12_500))
    );
    assert_eq!(
        rate_limit_wait(&limits(&[("X-RateLimit-Reset", "30")]), now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(rate_limit_wait(&RateLimit::default(), now), None);
    let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
    assert_eq!(
        retries.next(&status(429, &RateLimit::default(), "")),
        Some((Duration::from_millis(100), Reason::RateLimited))
    );
}

#[test]
fn a_wait_past_the_budget_gives_up() {
    let policy = NO_JITTER.max_total_wait(Duration::from_secs(10));
    let mut retries = Retries::new(&policy, &Method::GET, false);
    assert_eq!(
        retries.next(&status(429, &limits(&[("Retry-After", "11")]), "")),
        None
    );
    let mut retries = Retries::new(&policy, &Method::GET, false);
    assert!(
        retries
            .next(&status(429, &limits(&[("Retry-After", "6")]), ""))
            .is_some()
    );
    assert!(
        retries
            .next(&status(429, &limits(&[("Retry-After", "5")]), ""))
            .is_none(),
        "6 + 5 seconds is past the 10 s budget"
    );
}

#[test]
fn retry_after_as_a_date_or_a_huge_number() {
    let dated = limits(&[
        ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ("Retry-After", "Sun, 06 Nov 1994 08:49:39 GMT"),
    ]);
    let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
    assert_eq!(
        retries.next(&status(503, &dated, "")),
        Some((
            Duration::from_secs(2),
            Reason::Unavailable(StatusCode::SERVICE_UNAVAILABLE)
        ))
    );
    // A delay too large for any budget gives up at once, rather than falling
    // back to a short backoff.
    for huge in ["99999999999999999999", "18446744073709551615", "86400"] {
        let asked = limits(&[("Retry-After", huge)]);
        for code in [429, 503] {
            let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
            assert_eq!(
                retries.next(&status(code, &asked, "")),
                None,
                "{code} {huge}"
            );
        }
    }
}

#[test]
fn usage_limits_are_not_retried() {
    let body = r#"{"error":{"name":"usageLimitExceeded","message":"You have used up your monthly API usage."}}"#;
    let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
    assert_eq!(
        retries.next(&status(429, &RateLimit::default(), body)),
        None
    );
    let body = r#"{"error":{"name":"rateLimitError","message":"Rate Limit exceeded. Please retry at 1465452702843"}}"#;
    assert!(is_usage_exhausted(b"{\"error\":\"Quota exceeded\"}"));
    assert!(!is_usage_exhausted(body.as_bytes()));
    assert!(!is_usage_exhausted(b"not json"));
    // An API that names no quota words: every 429 is a rate limit.
    assert!(!mentions_any(br#"{"error":"Quota exceeded"}"#, &[]));
    assert!(mentions_any(
        br#"{"message":"Daily quota used"}"#,
        &["daily quota"]
    ));
}

#[test]
fn non_idempotent_methods_need_an_opt_in() {
    let empty = RateLimit::default();
    let copy = Method::from_bytes(b"COPY").unwrap();
    for method in [Method::POST, Method::PATCH, copy] {
        let mut retries = Retries::new(&NO_JITTER, &method, false);
        assert_eq!(retries.next(&status(503, &empty, "")), None, "{method}");
        assert_eq!(retries.next(&status(429, &empty, "")), None, "{method}");
        let mut retries = Retries::new(&NO_JITTER, &method, true);
        assert!(retries.next(&status(503, &empty, "")).is_some(), "{method}");
    }
    for method in [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::from_bytes(b"QUERY").unwrap(),
    ] {
        let mut retries = Retries::new(&NO_JITTER, &method, false);
        assert!(retries.next(&status(504, &empty, "")).is_some(), "{method}");
    }
}

#[test]
fn other_statuses_and_disabled_policies_are_final() {
    let empty = RateLimit::default();
    for code in [400, 401, 403, 404, 409, 500, 501] {
        let mut retries = Retries::new(&NO_JITTER, &Method::GET, false);
        assert_eq!(retries.next(&status(code, &empty, "")), None, "{code}");
    }
    let disabled = RetryPolicy::disabled();
    assert!(!disabled.is_enabled());
    let mut retries = Retries::new(&disabled, &Method::GET, false);
    assert!(!retries.may_retry());
    assert_eq!(retries.next(&status(503, &empty, "")), None);
    assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
}
