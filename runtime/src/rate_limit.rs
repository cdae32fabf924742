//! Rate-limit information read from response headers.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

// Lower-case, as `HeaderMap` stores names; lookups are case-insensitive.
const LIMIT: &str = "x-ratelimit-limit";
const REMAINING: &str = "x-ratelimit-remaining";
const RESET: &str = "x-ratelimit-reset";
const RETRY_AFTER: &str = "retry-after";
const RETRY_AFTER_BARE: &str = "retryafter";
const RETRY_AFTER_ALT: &str = "x-ratelimit-retryafter";

/// The rate-limit state reported by the server with a response.
///
/// Every field is optional: a server may send none, some or all of the
/// headers, and a value that is not a plain non-negative integer is ignored
/// rather than treated as an error.
///
/// | accessor | header |
/// | --- | --- |
/// | [`limit`](Self::limit) | `X-RateLimit-Limit` |
/// | [`remaining`](Self::remaining) | `X-RateLimit-Remaining` |
/// | [`reset`](Self::reset) | `X-RateLimit-Reset` (UTC epoch seconds) |
/// | [`retry_after`](Self::retry_after) | `Retry-After` (delay in seconds), else `RetryAfter`, else `X-RateLimit-RetryAfter` |
///
/// It is available on every [`Response`](crate::Response), and on the errors
/// that carry a response ([`Error::rate_limit`](crate::Error::rate_limit)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RateLimit {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<u64>,
    retry_after: Option<u64>,
}

impl RateLimit {
    /// Reads the rate-limit headers from `headers`.
    ///
    /// Header names match case-insensitively. A missing header, a value that is
    /// not valid text, or one that is not a non-negative integer that fits in a
    /// `u64` (surrounding whitespace allowed) leaves that field `None`. This
    /// never panics and never fails.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self {
            limit: number(headers, LIMIT),
            remaining: number(headers, REMAINING),
            reset: number(headers, RESET),
            retry_after: number(headers, RETRY_AFTER)
                .or_else(|| number(headers, RETRY_AFTER_BARE))
                .or_else(|| number(headers, RETRY_AFTER_ALT)),
        }
    }

    /// The maximum number of requests allowed in the current window
    /// (`X-RateLimit-Limit`).
    pub fn limit(&self) -> Option<u64> {
        self.limit
    }

    /// The number of requests left in the current window
    /// (`X-RateLimit-Remaining`).
    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    /// When the current window resets, in seconds since the Unix epoch (UTC)
    /// (`X-RateLimit-Reset`).
    pub fn reset(&self) -> Option<u64> {
        self.reset
    }

    /// [`reset`](Self::reset) as a [`SystemTime`]; `None` when the header is
    /// missing or the instant cannot be represented.
    pub fn reset_at(&self) -> Option<SystemTime> {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(self.reset?))
    }

    /// How long to wait before retrying, in seconds, as sent with a
    /// `429 Too Many Requests` answer (`Retry-After` in its delay-seconds form,
    /// else `RetryAfter`, else `X-RateLimit-RetryAfter`).
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }

    /// `true` when the response carried none of the rate-limit headers (or
    /// none with a usable value).
    pub fn is_empty(&self) -> bool {
        self.limit.is_none()
            && self.remaining.is_none()
            && self.reset.is_none()
            && self.retry_after.is_none()
    }
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    // `u64::from_str` accepts a leading `+`; a header value should not have one.
    if text.starts_with('+') {
        return None;
    }
    text.parse().ok()
}
