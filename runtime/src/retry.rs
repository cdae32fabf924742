//! Trying failed calls again: which failures, how often and how long to wait.
//!
//! [`RetryPolicy`] is the user's knob; [`Retries`] applies it to the attempts
//! of one call and decides, after each failure, whether and when to go again.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

use crate::error::Envelope;
use crate::meta;
use crate::rate_limit::{RateLimit, Window};

/// When and how often a failed call is sent again.
///
/// Set for all calls with
/// [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy), or for
/// one with [`RequestOptions::retry_policy`](crate::RequestOptions::retry_policy).
///
/// What is retried:
///
/// * `429 Too Many Requests`: after the delay the server asks for
///   (`Retry-After`, `RetryAfter` or `X-RateLimit-RetryAfter`, in seconds or
///   as an HTTP date), else once the window resets (`X-RateLimit-Reset`;
///   a reset more than an hour ahead is not believed), else after a
///   backoff. A `429` saying that a plan or monthly *usage* limit is
///   used up is not retried: waiting a minute would not help.
/// * `502`, `503` and `504`: after an exponential backoff with jitter (or the
///   server's `Retry-After`, when it sends one).
/// * A connection that could not be made (refused, or not made within the
///   connect timeout): after a backoff, for every method, since nothing
///   reached the server. Other transport failures (an attempt that timed out,
///   a connection dropped mid-answer) are retried like the statuses above.
///
/// Only idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`,
/// `TRACE` and `QUERY`) are retried after the server may have acted on the
/// request; `POST`, `PATCH` and other methods (`COPY`, `LINK`, … whose
/// effects the client cannot know) only when the call opts in with
/// [`RequestOptions::retry_non_idempotent`](crate::RequestOptions::retry_non_idempotent).
///
/// A retry never starts when its wait would take the total waiting time of
/// the call past [`max_total_wait`](Self::max_total_wait) (waits for the
/// client-side rate limiter count too), or the call past its deadline
/// ([`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout)): the
/// call then returns the last failure at once. Each retry is logged with `tracing` (at
/// `INFO`, target `<crate>::retry`) with the method, the path without the
/// query, the retry's number (1 for the first), the wait and the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) max_total_wait: Duration,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) jitter: bool,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, at most 65 seconds of waiting in all (one Postman
    /// rate-limit window and a margin), backoff from 250 ms doubling up to
    /// 8 s, with jitter.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(65),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`Default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries: every call is sent once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a call is sent at most, the first time included
    /// (`1` turns retries off; `0` is taken as `1`).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest a call waits between its attempts, all waits added up.
    #[must_use]
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The backoff before the first retry, doubled for each further one up to
    /// `max`.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Whether backoffs are randomised (to between half and all of their
    /// value), so that clients failing together do not retry together.
    /// On by default.
    #[must_use]
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The most attempts per call, the first included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The most waiting per call, all retries together.
    pub fn total_wait(&self) -> Duration {
        self.max_total_wait
    }

    /// Whether the policy retries at all.
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// The backoff before retry number `retry` (0 for the first), before
    /// jitter.
    pub(crate) fn backoff_for(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Why a call is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// `429 Too Many Requests`.
    RateLimited,
    /// `502`, `503` or `504`.
    Unavailable(StatusCode),
    /// The connection could not be made.
    Connect,
    /// Another transport failure (dropped connection).
    Transport,
    /// The attempt ran out of time.
    TimedOut,
}

impl Reason {
    pub(crate) fn describe(self) -> String {
        match self {
            Self::RateLimited => "429 Too Many Requests".to_owned(),
            Self::Unavailable(status) => status.to_string(),
            Self::Connect => "connection failed".to_owned(),
            Self::Transport => "transport error".to_owned(),
            Self::TimedOut => "timed out".to_owned(),
        }
    }
}

/// A failed attempt, as [`Retries::next`] sees it.
pub(crate) enum Failure<'a> {
    Status {
        status: StatusCode,
        rate_limit: &'a RateLimit,
        body: &'a [u8],
    },
    Transport(&'a reqwest::Error),
    /// No connection within the connect timeout: nothing reached the server.
    ConnectTimeout,
    /// The attempt's timeout passed; the server may have acted on it.
    TimedOut,
}

/// The retry state of one call.
pub(crate) struct Retries<'a> {
    policy: &'a RetryPolicy,
    /// Whether a request the server may have acted on can be sent again.
    repeatable: bool,
    /// Attempts made so far.
    attempts: u32,
    waited: Duration,
}

impl<'a> Retries<'a> {
    pub(crate) fn new(policy: &'a RetryPolicy, method: &Method, opted_in: bool) -> Self {
        Self {
            policy,
            repeatable: opted_in || is_idempotent(method),
            attempts: 1,
            waited: Duration::ZERO,
        }
    }

    /// Whether another attempt could follow the current one at all (the
    /// request is only kept for a retry when it could).
    pub(crate) fn may_retry(&self) -> bool {
        self.attempts < self.policy.max_attempts
    }

    /// Attempts made so far, the current one included.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How much longer the call may wait, of the policy's
    /// [`max_total_wait`](RetryPolicy::max_total_wait).
    pub(crate) fn wait_left(&self) -> Duration {
        self.policy.max_total_wait.saturating_sub(self.waited)
    }

    /// Counts `wait` (for the rate limiter) against the total wait.
    pub(crate) fn waited(&mut self, wait: Duration) {
        self.waited = self.waited.saturating_add(wait);
    }

    /// The policy's [`max_total_wait`](RetryPolicy::max_total_wait).
    pub(crate) fn max_total_wait(&self) -> Duration {
        self.policy.max_total_wait
    }

    /// After `failure`: how long to wait before the next attempt, and why;
    /// `None` to give up and return the failure.
    pub(crate) fn next(&mut self, failure: &Failure<'_>) -> Option<(Duration, Reason)> {
        if !self.may_retry() {
            return None;
        }
        let backoff = self.jittered(self.policy.backoff_for(self.attempts - 1));
        let (wait, reason) = match *failure {
            Failure::Status {
                status: StatusCode::TOO_MANY_REQUESTS,
                rate_limit,
                body,
            } => {
                if !self.repeatable || is_usage_exhausted(body) {
                    return None;
                }
                let wait = rate_limit_wait(rate_limit, SystemTime::now()).unwrap_or(backoff);
                (wait, Reason::RateLimited)
            }
            Failure::Status {
                status:
                    status @ (StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT),
                rate_limit,
                ..
            } => {
                if !self.repeatable {
                    return None;
                }
                let asked = rate_limit.retry_after().map(Duration::from_secs);
                (asked.unwrap_or(backoff), Reason::Unavailable(status))
            }
            Failure::Status { .. } => return None,
            Failure::ConnectTimeout => (backoff, Reason::Connect),
            Failure::TimedOut => {
                if !self.repeatable {
                    return None;
                }
                (backoff, Reason::TimedOut)
            }
            Failure::Transport(error) if error.is_connect() => (backoff, Reason::Connect),
            Failure::Transport(error) => {
                // A body that could not be read comes back from reqwest as a
                // body or decode error (ours are read as bytes, never decoded
                // by reqwest).
                let retryable = error.is_timeout()
                    || error.is_request()
                    || error.is_body()
                    || error.is_decode();
                if !self.repeatable || !retryable {
                    return None;
                }
                (backoff, Reason::Transport)
            }
        };
        let waited = self.waited.checked_add(wait)?;
        if waited > self.policy.max_total_wait {
            return None;
        }
        self.waited = waited;
        self.attempts += 1;
        Some((wait, reason))
    }

    fn jittered(&self, backoff: Duration) -> Duration {
        if self.policy.jitter {
            backoff.mul_f64(0.5 + 0.5 * random_fraction())
        } else {
            backoff
        }
    }
}

/// Methods whose repetition has the effect of a single call (RFC 9110, 9.2.2),
/// and `QUERY`, which is safe and idempotent by definition (the IETF draft
/// "The HTTP QUERY Method"). Any other method may not be.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    ) || method.as_str() == "QUERY"
}

/// How long a `429` asks to wait: the retry-after delay, else until the window
/// resets (`None` when neither is known, or the reset is not in the future or
/// not believable, see [`RateLimit::window`]).
pub(crate) fn rate_limit_wait(rate_limit: &RateLimit, now: SystemTime) -> Option<Duration> {
    if let Some(seconds) = rate_limit.retry_after() {
        return Some(Duration::from_secs(seconds));
    }
    match rate_limit.window(now) {
        Window::EndsAt(end) => end.duration_since(now).ok().filter(|wait| !wait.is_zero()),
        Window::Ended | Window::Unknown => None,
    }
}

/// Whether a `429` body says a usage quota (a plan or monthly limit) is used
/// up, rather than the rate limit: such a limit does not reset within any
/// sensible wait. The API's description lists the words that say so
/// ([`meta::QUOTA_WORDS`]); without them every `429` is a rate limit.
pub(crate) fn is_usage_exhausted(body: &[u8]) -> bool {
    mentions_any(body, meta::QUOTA_WORDS)
}

/// Whether the error name or message of `body` contains one of `words`
/// (lower case), ignoring case.
pub(crate) fn mentions_any(body: &[u8], words: &[&str]) -> bool {
    if words.is_empty() {
        return false;
    }
    let envelope = Envelope::parse(body);
    let text = [envelope.name, envelope.message]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    words.iter().any(|word| text.contains(word))
}

/// A number in `[0, 1)`, different on each call (not for cryptography).
fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    // The top 53 bits, as many as an f64 holds exactly.
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
