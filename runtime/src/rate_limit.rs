//! Rate-limit information read from response headers, and the dates of
//! error messages.

use std::fmt;
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

/// The date of a day counted from 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A moment as UTC date and time, `2025-06-01T14:03:27Z` (RFC 3339), for
/// error messages.
pub(crate) struct Utc(pub(crate) SystemTime);

impl fmt::Display for Utc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self
            .0
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let of_day = seconds.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        )
    }
}
