//! Tests of `crate::rate_limit`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::rate_limit::RateLimit;

fn headers(pairs: &[(&str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(value).unwrap(),
        );
    }
    map
}

#[test]
fn parses_valid_headers_case_insensitively() {
    let rl = RateLimit::from_headers(&headers(&[
        ("X-RateLimit-Limit", b"300"),
        ("x-ratelimit-remaining", b" 299 "),
        ("X-RATELIMIT-RESET", b"1700000000"),
    ]));
    assert_eq!(rl.limit(), Some(300));
    assert_eq!(rl.remaining(), Some(299));
    assert_eq!(rl.reset(), Some(1_700_000_000));
    assert_eq!(rl.retry_after(), None);
    assert_eq!(
        rl.reset_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
    );
    assert!(!rl.is_empty());
}

#[test]
fn missing_headers_are_none() {
    let rl = RateLimit::from_headers(&HeaderMap::new());
    assert_eq!(rl, RateLimit::default());
    assert!(rl.is_empty());
    assert_eq!(rl.reset_at(), None);
}

#[test]
fn garbage_values_are_none() {
    let rl = RateLimit::from_headers(&headers(&[
        ("x-ratelimit-limit", b"-1"),
        ("x-ratelimit-remaining", b"12abc"),
        ("x-ratelimit-reset", b"\xff\xfe"),
        ("retry-after", b"Wed, 21 Oct 2015 07:28:00 GMT"),
    ]));
    assert!(rl.is_empty(), "{rl:?}");

    let rl = RateLimit::from_headers(&headers(&[
        ("x-ratelimit-limit", b""),
        ("x-ratelimit-remaining", b"+5"),
        ("x-ratelimit-reset", b"99999999999999999999999"),
        ("x-ratelimit-retryafter", b"1.5"),
    ]));
    assert!(rl.is_empty(), "{rl:?}");
}

#[test]
fn huge_reset_does_not_panic() {
    let rl = RateLimit::from_headers(&headers(&[(
        "x-ratelimit-reset",
        u64::MAX.to_string().as_bytes(),
    )]));
    assert_eq!(rl.reset(), Some(u64::MAX));
    // May or may not be representable depending on the platform; must not panic.
    let _ = rl.reset_at();
}

#[test]
fn retry_after_prefers_standard_header() {
    let rl = RateLimit::from_headers(&headers(&[
        ("Retry-After", b"7"),
        ("X-RateLimit-RetryAfter", b"9"),
    ]));
    assert_eq!(rl.retry_after(), Some(7));
    let rl = RateLimit::from_headers(&headers(&[("X-RateLimit-RetryAfter", b"9")]));
    assert_eq!(rl.retry_after(), Some(9));
    assert!(!rl.is_empty());
}

#[test]
fn first_value_wins_when_repeated() {
    let rl = RateLimit::from_headers(&headers(&[
        ("x-ratelimit-remaining", b"5"),
        ("x-ratelimit-remaining", b"6"),
    ]));
    assert_eq!(rl.remaining(), Some(5));
}
