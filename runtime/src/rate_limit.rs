//! Rate-limit information read from response headers, and the HTTP dates
//! (RFC 9110) that `Retry-After` and `Date` carry.

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
const DATE: &str = "date";

/// The longest rate-limit window the client believes in: a reset further
/// ahead is taken as unknown (a server or clock gone wrong), so that one
/// answer cannot hold requests for hours.
pub(crate) const MAX_WINDOW: Duration = Duration::from_secs(3600);

/// `X-RateLimit-Reset` values from this one on are epoch milliseconds: as
/// seconds they would be past the year 5000, as milliseconds they are after
/// 1973.
pub(crate) const RESET_MILLIS_FROM: u64 = 100_000_000_000;

/// `X-RateLimit-Reset` values below this one are seconds from now (the
/// `RateLimit-Reset` of the IETF draft, and some APIs' `X-RateLimit-Reset`):
/// as epoch seconds they would be before September 2001.
pub(crate) const RESET_DELTA_BELOW: u64 = 1_000_000_000;

/// How far the server's `Date` may be from the client's clock before resets
/// are measured against the server's clock instead.
pub(crate) const CLOCK_SKEW_TOLERANCE: Duration = Duration::from_secs(2);

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
/// | [`reset`](Self::reset) | `X-RateLimit-Reset` (UTC epoch seconds, or milliseconds) |
/// | [`retry_after`](Self::retry_after) | `Retry-After` (delay in seconds or HTTP date), else `RetryAfter`, else `X-RateLimit-RetryAfter` |
///
/// It is available on every [`Response`](crate::Response), and on the errors
/// that carry a response ([`Error::rate_limit`](crate::Error::rate_limit)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RateLimit {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<u64>,
    retry_after: Option<u64>,
    /// The response's `Date` (epoch seconds): the server's clock.
    date: Option<u64>,
}

/// What an answer says about the end of the current rate-limit window, as
/// the client believes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    /// No reset, or one that cannot be believed (more than [`MAX_WINDOW`]
    /// ahead).
    Unknown,
    /// The window has ended.
    Ended,
    /// The window ends at this moment of the client's clock.
    EndsAt(SystemTime),
}

impl RateLimit {
    /// Reads the rate-limit headers from `headers`.
    ///
    /// Header names match case-insensitively. A missing header, a value that is
    /// not valid text, or one that is not a non-negative integer that fits in a
    /// `u64` (surrounding whitespace allowed) leaves that field `None`; a
    /// retry-after delay too large for a `u64` reads as `u64::MAX`, and one
    /// given as an HTTP date is the time from the response's `Date` (else from
    /// now) to that date. This never panics and never fails.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let date = text(headers, DATE).and_then(parse_http_date);
        Self {
            limit: number(headers, LIMIT),
            remaining: number(headers, REMAINING),
            reset: number(headers, RESET),
            retry_after: [RETRY_AFTER, RETRY_AFTER_BARE, RETRY_AFTER_ALT]
                .into_iter()
                .find_map(|name| delay(headers, name, date)),
            date,
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

    /// When the current window resets, as sent (`X-RateLimit-Reset`): seconds
    /// since the Unix epoch (UTC); from `100_000_000_000` on, milliseconds.
    pub fn reset(&self) -> Option<u64> {
        self.reset
    }

    /// [`reset`](Self::reset) as a [`SystemTime`] (milliseconds read as
    /// such); `None` when the header is missing or the instant cannot be
    /// represented.
    pub fn reset_at(&self) -> Option<SystemTime> {
        let reset = self.reset?;
        let since_epoch = if reset >= RESET_MILLIS_FROM {
            Duration::from_millis(reset)
        } else {
            Duration::from_secs(reset)
        };
        SystemTime::UNIX_EPOCH.checked_add(since_epoch)
    }

    /// How long to wait before retrying, in seconds, as sent with a
    /// `429 Too Many Requests` or `503` answer (`Retry-After`, else
    /// `RetryAfter`, else `X-RateLimit-RetryAfter`): the delay-seconds form
    /// as it is, the HTTP-date form as the seconds from the answer's `Date`
    /// (or from its arrival) to that date, `0` for a date past.
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

    /// When the window ends, on the client's clock at `now`.
    ///
    /// `X-RateLimit-Reset` is read as epoch seconds, as epoch milliseconds
    /// from [`RESET_MILLIS_FROM`] on, and as seconds from now below
    /// [`RESET_DELTA_BELOW`]. An epoch is measured against the server's clock
    /// (its `Date`) when that is more than [`CLOCK_SKEW_TOLERANCE`] away from
    /// `now`. An end more than [`MAX_WINDOW`] ahead is not believed.
    pub(crate) fn window(&self, now: SystemTime) -> Window {
        let Some(reset) = self.reset else {
            return Window::Unknown;
        };
        let now_ms = epoch_millis(now);
        let ahead_ms = if reset < RESET_DELTA_BELOW {
            i128::from(reset) * 1000
        } else {
            let reset_ms = if reset >= RESET_MILLIS_FROM {
                i128::from(reset)
            } else {
                i128::from(reset) * 1000
            };
            let server_now_ms = match self.date {
                Some(date) => {
                    let date_ms = i128::from(date) * 1000;
                    let tolerance = CLOCK_SKEW_TOLERANCE.as_millis() as i128;
                    if (date_ms - now_ms).abs() > tolerance {
                        date_ms
                    } else {
                        now_ms
                    }
                }
                None => now_ms,
            };
            reset_ms - server_now_ms
        };
        if ahead_ms <= 0 {
            return Window::Ended;
        }
        if ahead_ms > MAX_WINDOW.as_millis() as i128 {
            return Window::Unknown;
        }
        // An epoch on the client's own clock keeps its exact value, so that
        // answers of one window agree on its end.
        match u64::try_from(now_ms + ahead_ms) {
            Ok(end_ms) => SystemTime::UNIX_EPOCH
                .checked_add(Duration::from_millis(end_ms))
                .map_or(Window::Unknown, Window::EndsAt),
            Err(_) => Window::Unknown,
        }
    }
}

/// Milliseconds since the epoch (negative before it).
fn epoch_millis(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => since.as_millis() as i128,
        Err(before) => -(before.duration().as_millis() as i128),
    }
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    Some(headers.get(name)?.to_str().ok()?.trim())
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    let text = text(headers, name)?;
    // `u64::from_str` accepts a leading `+`; a header value should not have one.
    if text.starts_with('+') {
        return None;
    }
    text.parse().ok()
}

/// A retry-after delay in seconds: delay-seconds (too large for a `u64`:
/// `u64::MAX`), or an HTTP date, measured from `date` (the response's `Date`)
/// or else from now.
fn delay(headers: &HeaderMap, name: &str, date: Option<u64>) -> Option<u64> {
    let text = text(headers, name)?;
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(text.parse().unwrap_or(u64::MAX));
    }
    let at = parse_http_date(text)?;
    let from = date.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs())
    });
    Some(at.saturating_sub(from))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The seconds since the Unix epoch of an HTTP date (RFC 9110, 5.6.7):
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), or one of the obsolete
/// forms recipients must accept, RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`). The day name is not checked
/// against the date; a date before 1970 or otherwise invalid gives `None`.
pub(crate) fn parse_http_date(text: &str) -> Option<u64> {
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let (day, month, year, time) = match words[..] {
        // IMF-fixdate.
        [weekday, day, month, year, time, "GMT"] if is_day_name(weekday, true) => {
            (day, month, year_of(year, 4)?, time)
        }
        // RFC 850: two-digit year.
        [weekday, date, time, "GMT"] if is_day_name(weekday, true) => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            // RFC 9110: a year that looks more than 50 years ahead is in the
            // past century; with two digits, 70 and later are the 1900s.
            let year = year_of(year, 2)?;
            let year = if year >= 70 { 1900 + year } else { 2000 + year };
            (day, month, year, time)
        }
        // asctime: the day may be padded with a space instead of a zero.
        [weekday, month, day, time, year] if is_day_name(weekday, false) => {
            (day, month, year_of(year, 4)?, time)
        }
        _ => return None,
    };
    if !(1..=2).contains(&day.len()) || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let mut clock = time.split(':');
    let mut field = |max: u64| {
        let part = clock.next()?;
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u64 = part.parse().ok()?;
        (value <= max).then_some(value)
    };
    // A leap second (`:60`) counts as the last second of its minute.
    let (hour, minute, second) = (field(23)?, field(59)?, field(60)?.min(59));
    if clock.next().is_some() || year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// A three-letter day name (`Sun,` with its comma when `comma`), or a full
/// one (`Sunday,`, RFC 850).
fn is_day_name(word: &str, comma: bool) -> bool {
    let name = if comma {
        match word.strip_suffix(',') {
            Some(name) => name,
            None => return false,
        }
    } else {
        word
    };
    name.len() >= 3 && name.bytes().all(|b| b.is_ascii_alphabetic())
}

fn year_of(text: &str, digits: usize) -> Option<i64> {
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar
/// (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
