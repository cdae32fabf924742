//! The errors of a call that ran into one of the client's limits: a time
//! limit ([`TimeoutError`]) or the size of a response body
//! ([`BodyTooLargeError`]).

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::rate_limit::{RateLimit, Utc};

/// What a call was doing when a time limit passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Making the connection (DNS, TCP, TLS).
    Connect,
    /// Waiting for the status and headers of the answer (sending the
    /// request included, and connecting when the attempt's timeout is
    /// shorter than the connect timeout).
    Answer,
    /// Reading the body of the answer.
    Body,
    /// Waiting for the client-side rate limiter to let the request go.
    RateLimiter,
}

impl TimeoutPhase {
    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "connecting",
            Self::Answer => "waiting for the answer",
            Self::Body => "reading the body",
            Self::RateLimiter => "waiting for the client-side rate limiter",
        }
    }
}

/// Which time limit passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeLimit {
    /// The connect timeout
    /// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)).
    Connect,
    /// The timeout of one attempt
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout),
    /// [`RequestOptions::timeout`](crate::RequestOptions::timeout)); the
    /// attempt may have been retried before the call gave up.
    Attempt,
    /// The deadline of the whole call, all attempts and waits included
    /// ([`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout),
    /// [`RequestOptions::call_timeout`](crate::RequestOptions::call_timeout)).
    Call,
    /// The most a call may wait, for retries and the rate limiter together
    /// ([`RetryPolicy::max_total_wait`](crate::RetryPolicy::max_total_wait)).
    TotalWait,
}

/// A call that ran out of time: which limit passed, while doing what, after
/// how many attempts, and the status and headers of the answer when they had
/// arrived (a body that stalled).
///
/// When the client-side rate limiter holds requests until a moment past the
/// call's deadline (or past its retry policy's
/// [`max_total_wait`](crate::RetryPolicy::max_total_wait)), the call does not
/// wait for nothing: it ends at once with this error, in phase
/// [`TimeoutPhase::RateLimiter`], and [`until`](Self::until) says when
/// requests go again.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    limit: TimeLimit,
    after: Duration,
    phase: TimeoutPhase,
    attempts: u32,
    response: Option<Head>,
    received: u64,
    until: Option<(SystemTime, Duration)>,
}

/// The status line and headers of an answer whose body did not follow.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) rate_limit: RateLimit,
}

impl TimeoutError {
    pub(crate) fn new(
        limit: TimeLimit,
        after: Duration,
        phase: TimeoutPhase,
        attempts: u32,
    ) -> Self {
        Self {
            limit,
            after,
            phase,
            attempts,
            response: None,
            received: 0,
            until: None,
        }
    }

    /// The answer whose body was being read, and how much of it had come.
    pub(crate) fn with_response(mut self, head: Head, received: u64) -> Self {
        self.response = Some(head);
        self.received = received;
        self
    }

    /// The rate limiter holds requests until `until`, `wait` from now.
    pub(crate) fn with_until(mut self, until: SystemTime, wait: Duration) -> Self {
        self.until = Some((until, wait));
        self
    }

    /// Which limit passed.
    pub fn limit(&self) -> TimeLimit {
        self.limit
    }

    /// The length of that limit.
    pub fn after(&self) -> Duration {
        self.after
    }

    /// What the call was doing.
    pub fn phase(&self) -> TimeoutPhase {
        self.phase
    }

    /// The attempts made, the one that ran out of time included (`0` when
    /// nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the call's deadline passed, rather than the timeout of one
    /// attempt.
    pub fn is_deadline(&self) -> bool {
        self.limit == TimeLimit::Call
    }

    /// The status of the answer, when its headers had arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.response.as_ref().map(|head| head.status)
    }

    /// The headers of the answer, when they had arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response.as_ref().map(|head| &head.headers)
    }

    /// The rate-limit state reported with the answer, when it had arrived.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.response.as_ref().map(|head| &head.rate_limit)
    }

    /// The bytes of the body received before the time ran out.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// In phase [`TimeoutPhase::RateLimiter`], when the call ended at once:
    /// until when the client-side rate limiter holds requests.
    pub fn until(&self) -> Option<SystemTime> {
        self.until.map(|(until, _)| until)
    }
}

impl fmt::Display for TimeoutError {
    /// `timed out after 30 s while waiting for the answer (after 4 attempts)`,
    /// `the call's deadline of 120 s passed while reading the body of the 200
    /// OK answer (1024 bytes received) (after 1 attempt)`, or for the rate
    /// limiter `not sent: the client-side rate limiter holds requests for
    /// another 600 s (until 2025-06-01T14:03:27Z), past the call's deadline of
    /// 120 s (after 0 attempts)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = Seconds(self.after);
        let limit = match self.limit {
            TimeLimit::Call => "the call's deadline",
            TimeLimit::TotalWait => "the retry policy's limit on waiting",
            TimeLimit::Connect | TimeLimit::Attempt => "",
        };
        match (self.limit, self.until) {
            (_, Some((until, wait))) => write!(
                f,
                "not sent: the client-side rate limiter holds requests for another {} \
                 (until {}), past {limit} of {after}",
                Seconds(wait),
                Utc(until)
            )?,
            (TimeLimit::Connect | TimeLimit::Attempt, None) => {
                write!(f, "timed out after {after} while {}", self.phase.describe())?;
            }
            (_, None) => write!(
                f,
                "{limit} of {after} passed while {}",
                self.phase.describe()
            )?,
        }
        if let (TimeoutPhase::Body, Some(head)) = (self.phase, &self.response) {
            write!(
                f,
                " of the {} answer ({} bytes received)",
                head.status, self.received
            )?;
        }
        let plural = if self.attempts == 1 { "" } else { "s" };
        write!(f, " (after {} attempt{plural})", self.attempts)
    }
}

impl StdError for TimeoutError {}

/// A response body larger than the client accepts
/// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size),
/// [`RequestOptions::max_body_size`](crate::RequestOptions::max_body_size)).
///
/// The client stops reading at the limit (or before reading, when
/// `Content-Length` already says the body is larger), so the body is not
/// kept; the status and headers are.
#[derive(Debug, Clone)]
pub struct BodyTooLargeError {
    head: Head,
    limit: u64,
    content_length: Option<u64>,
    received: u64,
    /// The limit was passed by one item of a streamed body.
    item: bool,
}

impl BodyTooLargeError {
    /// `item`: the limit was passed by one item of a streamed body.
    pub(crate) fn new(
        head: Head,
        limit: u64,
        content_length: Option<u64>,
        received: u64,
        item: bool,
    ) -> Self {
        Self {
            head,
            limit,
            content_length,
            received,
            item,
        }
    }

    /// Whether the limit was passed by one item of a streamed body
    /// (an `ItemStream`, in crates whose API streams), whose other items may have been
    /// taken, rather than by a whole body.
    pub fn is_item(&self) -> bool {
        self.item
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The rate-limit state reported with the response.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.head.rate_limit
    }

    /// The most bytes the client accepts in a body.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The size the response announced (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The bytes read before the client stopped (`0` when `Content-Length`
    /// was already too large).
    pub fn received(&self) -> u64 {
        self.received
    }
}

impl fmt::Display for BodyTooLargeError {
    /// `the body of the 200 OK answer is larger than 67108864 bytes, the
    /// most the client accepts (Content-Length: 209715200)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.item {
            "an item of the streamed body"
        } else {
            "the body"
        };
        write!(
            f,
            "{what} of the {} answer is larger than {} bytes, the most the client accepts",
            self.head.status, self.limit
        )?;
        match self.content_length {
            Some(length) if length > self.limit => write!(f, " (Content-Length: {length})"),
            _ => write!(f, " (stopped after {} bytes)", self.received),
        }
    }
}

impl StdError for BodyTooLargeError {}

/// A duration as people read it: `250 ms`, `2 s`, `1.5 s`.
pub(crate) struct Seconds(pub(crate) Duration);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            write!(f, "{} ms", d.as_millis())
        } else if d.subsec_millis() == 0 {
            write!(f, "{} s", d.as_secs())
        } else {
            write!(f, "{:.1} s", d.as_secs_f64())
        }
    }
}

/// The most characters the `Display` of an error writes; longer texts end
/// with `…`.
pub(crate) const DISPLAY_CHARS: usize = 1000;

/// The most bytes of a body that `Debug` output shows.
pub(crate) const DEBUG_BODY_BYTES: usize = 1024;

/// Lets `write` write to `f` at most `limit` characters, with control
/// characters as spaces (so that a message stays on one line), and ends with
/// `…` when something was left out. What is left out is never built up in
/// memory.
pub(crate) fn write_bounded(
    f: &mut fmt::Formatter<'_>,
    limit: usize,
    write: impl FnOnce(&mut dyn fmt::Write) -> fmt::Result,
) -> fmt::Result {
    let mut writer = Bounded {
        f,
        left: limit,
        cut: false,
    };
    write(&mut writer)?;
    if writer.cut {
        writer.f.write_str("…")?;
    }
    Ok(())
}

struct Bounded<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
}

impl fmt::Write for Bounded<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        for c in text.chars() {
            if self.left == 0 {
                self.cut = true;
                // The rest is dropped, not an error: formatting goes on quietly.
                return Ok(());
            }
            self.left -= 1;
            self.f.write_char(if c.is_control() { ' ' } else { c })?;
        }
        Ok(())
    }
}

/// A body in `Debug` output: its first [`DEBUG_BODY_BYTES`] as text, and its
/// length when it is longer.
pub(crate) struct BodyPreview<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.0[..self.0.len().min(DEBUG_BODY_BYTES)];
        fmt::Debug::fmt(&String::from_utf8_lossy(shown), f)?;
        if shown.len() < self.0.len() {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

/// A `Display` value in `Debug` output, at most [`DISPLAY_CHARS`] of it.
pub(crate) struct DebugBounded<'a, T: fmt::Display>(pub(crate) &'a T);

impl<T: fmt::Display> fmt::Debug for DebugBounded<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        write_bounded(f, DISPLAY_CHARS, |w| write!(w, "{}", self.0))?;
        f.write_str("\"")
    }
}
