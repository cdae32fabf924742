//! Tests of `crate::rate_limit`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::rate_limit::{MAX_WINDOW, RateLimit, Utc, Window, parse_http_date};

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
        ("retry-after", b"Wed, 21 Oct 2015 07:28"),
    ]));
    assert!(rl.is_empty(), "{rl:?}");
    for garbage in ["-5", "1.5", "soon", "", "Wed, 21 Oct 2015 25:28:00 GMT"] {
        let rl = RateLimit::from_headers(&headers(&[("retry-after", garbage.as_bytes())]));
        assert_eq!(rl.retry_after(), None, "{garbage:?}");
    }

    let rl = RateLimit::from_headers(&headers(&[
        ("x-ratelimit-limit", b""),
        ("x-ratelimit-remaining", b"+5"),
        ("x-ratelimit-reset", b"99999999999999999999999"),
        ("x-ratelimit-retryafter", b"+1"),
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

#[test]
fn reset_in_milliseconds_is_read_as_such() {
    let rl = RateLimit::from_headers(&headers(&[("x-ratelimit-reset", b"1700000000500")]));
    assert_eq!(rl.reset(), Some(1_700_000_000_500));
    assert_eq!(
        rl.reset_at(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_500))
    );
}

/// 1994-11-06T08:49:37Z, the example of RFC 9110.
const RFC_EXAMPLE: u64 = 784_111_777;

#[test]
fn http_dates_in_all_three_forms() {
    for text in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun Nov 06 08:49:37 1994",
        // Month names and surrounding space are taken leniently.
        "  Sun, 06 nov 1994 08:49:37 GMT ",
    ] {
        assert_eq!(parse_http_date(text), Some(RFC_EXAMPLE), "{text:?}");
    }
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_http_date("Tue, 29 Feb 2000 23:59:60 GMT"),
        Some(951_868_799),
        "a leap day, and a leap second as the last second"
    );
    assert_eq!(
        parse_http_date("Thursday, 01-Jan-70 00:00:01 GMT"),
        Some(1),
        "two-digit years from 70 are the 1900s"
    );
    assert_eq!(
        parse_http_date("Saturday, 01-Jan-30 00:00:00 GMT"),
        Some(1_893_456_000),
        "and before 70 the 2000s"
    );
    assert_eq!(
        parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
        Some(253_402_300_799)
    );
}

#[test]
fn malformed_http_dates_are_none() {
    for text in [
        "",
        "GMT",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08:49:37:00 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 6 Nov 19940 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 29 Feb 1900 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1969 08:49:37 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-94-1 08:49:37 GMT",
        "Sun Nov  6 08:49:37 94",
        "1, 06 Nov 1994 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT trailing",
    ] {
        assert_eq!(parse_http_date(text), None, "{text:?}");
    }
}

#[test]
fn retry_after_as_an_http_date_counts_from_the_answers_date() {
    // A `Date` in the answer: the delay is measured on the server's clock,
    // whatever the client's says.
    let rl = RateLimit::from_headers(&headers(&[
        ("Date", b"Sun, 06 Nov 1994 08:49:37 GMT"),
        ("Retry-After", b"Sun, 06 Nov 1994 08:50:07 GMT"),
    ]));
    assert_eq!(rl.retry_after(), Some(30));
    // A date already past: retry at once.
    let rl = RateLimit::from_headers(&headers(&[
        ("Date", b"Sun, 06 Nov 1994 08:49:37 GMT"),
        ("Retry-After", b"Sun, 06 Nov 1994 08:49:00 GMT"),
    ]));
    assert_eq!(rl.retry_after(), Some(0));
    // No `Date`: measured from now.
    let in_a_minute = SystemTime::now() + Duration::from_secs(60);
    let text = httpdate(in_a_minute);
    let rl = RateLimit::from_headers(&headers(&[("Retry-After", text.as_bytes())]));
    let after = rl.retry_after().unwrap();
    assert!((58..=60).contains(&after), "{after} for {text}");
    // The other names take dates too.
    let rl = RateLimit::from_headers(&headers(&[
        ("Date", b"Sun, 06 Nov 1994 08:49:37 GMT"),
        ("X-RateLimit-RetryAfter", b"Sun, 06 Nov 1994 08:49:47 GMT"),
    ]));
    assert_eq!(rl.retry_after(), Some(10));
}

#[test]
fn huge_retry_after_is_not_ignored() {
    // Too large for a u64: still a (very long) delay, not a missing one, so a
    // retry does not fall back to a short backoff.
    let rl = RateLimit::from_headers(&headers(&[("Retry-After", b"99999999999999999999999")]));
    assert_eq!(rl.retry_after(), Some(u64::MAX));
    let rl = RateLimit::from_headers(&headers(&[("Retry-After", b"31536000")]));
    assert_eq!(rl.retry_after(), Some(31_536_000));
}

/// `time` as an IMF-fixdate, built from the RFC 3339 text of [`Utc`].
fn httpdate(time: SystemTime) -> String {
    let text = Utc(time).to_string();
    let (date, clock) = text.trim_end_matches('Z').split_once('T').unwrap();
    let mut parts = date.split('-');
    let (year, month, day) = (
        parts.next().unwrap(),
        parts.next().unwrap().parse::<usize>().unwrap(),
        parts.next().unwrap(),
    );
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("Mon, {day} {} {year} {clock} GMT", months[month - 1])
}

#[test]
fn utc_is_rfc_3339() {
    let at = |seconds: u64| Utc(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)).to_string();
    assert_eq!(at(0), "1970-01-01T00:00:00Z");
    assert_eq!(at(RFC_EXAMPLE), "1994-11-06T08:49:37Z");
    assert_eq!(at(951_868_799), "2000-02-29T23:59:59Z");
    assert_eq!(at(253_402_300_799), "9999-12-31T23:59:59Z");
    // Every day of four years round-trips through the parser.
    for day in 0..(4 * 366) {
        let seconds = 1_700_000_000 + day * 86_400 + 3_661;
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
        assert_eq!(
            parse_http_date(&httpdate(time)),
            Some(seconds),
            "{}",
            at(seconds)
        );
    }
}

const T0: u64 = 1_700_000_000;

fn at(seconds: u64, millis: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis)
}

fn reset(value: &str) -> RateLimit {
    RateLimit::from_headers(&headers(&[("x-ratelimit-reset", value.as_bytes())]))
}

#[test]
fn the_window_ends_where_the_reset_says_if_believable() {
    let now = at(T0, 250);
    assert_eq!(RateLimit::default().window(now), Window::Unknown);
    // Epoch seconds: the exact moment, so answers of one window agree.
    assert_eq!(
        reset("1700000060").window(now),
        Window::EndsAt(at(T0 + 60, 0))
    );
    assert_eq!(reset("1700000000").window(now), Window::Ended);
    assert_eq!(reset("1699999000").window(now), Window::Ended);
    // Epoch milliseconds.
    assert_eq!(
        reset("1700000060000").window(now),
        Window::EndsAt(at(T0 + 60, 0))
    );
    assert_eq!(reset("1700000000100").window(now), Window::Ended);
    // Seconds from now (a value that would be 1970-2001 as an epoch).
    assert_eq!(reset("30").window(now), Window::EndsAt(at(T0 + 30, 250)));
    assert_eq!(reset("0").window(now), Window::Ended);
    // Up to an hour ahead is believed; more is not.
    let hour = MAX_WINDOW.as_secs();
    assert_eq!(
        reset(&(T0 + hour).to_string()).window(at(T0, 0)),
        Window::EndsAt(at(T0 + hour, 0))
    );
    for unbelievable in [
        (T0 + hour + 1).to_string(),
        (T0 + 36_000).to_string(),
        ((T0 + 36_000) * 1000).to_string(),
        (hour + 1).to_string(),
        u64::MAX.to_string(),
    ] {
        assert_eq!(
            reset(&unbelievable).window(at(T0, 0)),
            Window::Unknown,
            "{unbelievable}"
        );
    }
}

#[test]
fn a_skewed_clock_is_corrected_by_the_answers_date() {
    // The server's clock is ten hours ahead of the client's: its reset, a
    // minute ahead of its `Date`, ends the window a minute from now.
    let client_now = at(T0, 0);
    let server_now = "Wed, 15 Nov 2023 08:13:20 GMT";
    assert_eq!(parse_http_date(server_now), Some(T0 + 36_000));
    let rl = RateLimit::from_headers(&headers(&[
        ("date", server_now.as_bytes()),
        ("x-ratelimit-reset", (T0 + 36_060).to_string().as_bytes()),
    ]));
    assert_eq!(rl.window(client_now), Window::EndsAt(at(T0 + 60, 0)));
    // Without its `Date`, the same reset is ten hours ahead: not believed.
    assert_eq!(
        reset(&(T0 + 36_060).to_string()).window(client_now),
        Window::Unknown
    );
    // Behind by ten hours: the window has not ended.
    let rl = RateLimit::from_headers(&headers(&[
        ("date", b"Tue, 14 Nov 2023 12:13:20 GMT"),
        (
            "x-ratelimit-reset",
            (T0 - 36_000 + 5).to_string().as_bytes(),
        ),
    ]));
    assert_eq!(rl.window(client_now), Window::EndsAt(at(T0 + 5, 0)));
    // Clocks within a second or two of each other: the client's own is used.
    let rl = RateLimit::from_headers(&headers(&[
        ("date", b"Tue, 14 Nov 2023 22:13:21 GMT"),
        ("x-ratelimit-reset", (T0 + 10).to_string().as_bytes()),
    ]));
    assert_eq!(rl.window(at(T0, 400)), Window::EndsAt(at(T0 + 10, 0)));
}
