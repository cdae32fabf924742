//! The client-side rate limiter, shared by all clones of a `Client`.
//!
//! The server says, with every answer, how many requests are left in the
//! current window (`X-RateLimit-Remaining`) and when the window ends
//! (`X-RateLimit-Reset`). The limiter hands out that many permits and holds
//! further requests until the window ends, so that many concurrent tasks stay
//! under the limit instead of collecting `429`s. While it knows nothing (before
//! the first answer, or once a window has ended) it lets one request through
//! at a time to learn the new state.
//!
//! It never holds a request for long on one answer's word: a reset more than
//! [`MAX_WINDOW`](crate::rate_limit::MAX_WINDOW) ahead (a reset in the wrong
//! unit, a clock far off) is taken as unknown, and a call gives up waiting at
//! its deadline, or at once when the window ends after it (see
//! [`Limiter::acquire`]).

use std::future::Future;
use std::pin::pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::rate_limit::{RateLimit, Window};

/// How long to hold requests after an answer that says nothing is left but
/// not when the window ends.
pub(crate) const UNKNOWN_WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    /// Requests that may still start in the current window; `None` when
    /// unknown.
    pub(crate) left: Option<u64>,
    /// When the current window ends.
    pub(crate) window_end: Option<SystemTime>,
    /// Requests started and not yet answered.
    pub(crate) in_flight: u64,
    /// Requests started so far, in all windows: the sequence number of the
    /// next one.
    started: u64,
    /// The newest request (by sequence number) whose answer set `left`.
    newest: Option<u64>,
    /// The first request started in the current window (the probe).
    window_first: Option<u64>,
}

/// What a request waiting for a permit waits for.
#[derive(Debug)]
pub(crate) enum Wait {
    /// Another request's answer.
    Answer,
    /// The end of the window (or another answer, whichever comes first).
    Until(SystemTime),
}

/// Why [`Limiter::acquire`] gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// Requests are held until this moment, this long from now: past the
    /// moment to give up, so nothing was waited for.
    Until(SystemTime, Duration),
    /// The moment to give up came while waiting (for another request's
    /// answer, or the end of a window).
    TimedOut,
}

impl Limiter {
    /// Waits until the request may start, or gives up at `give_up` (at once,
    /// when the window ends after it). The permit must be given back with
    /// [`Permit::answered`]; dropping it (a failed or cancelled request) also
    /// gives it back, without news about the limit.
    pub(crate) async fn acquire(&self, give_up: Instant) -> Result<Permit<'_>, Held> {
        loop {
            // Registered before the state is read, so that an answer arriving
            // in between still wakes this task.
            let mut notified = pin!(self.changed.notified());
            notified.as_mut().enable();
            let wait = {
                let mut state = self.lock();
                match state.try_start(SystemTime::now()) {
                    Ok(seq) => {
                        return Ok(Permit { limiter: self, seq });
                    }
                    Err(wait) => wait,
                }
            };
            match wait {
                Wait::Answer => {
                    if tokio::time::timeout_at(give_up, notified).await.is_err() {
                        return Err(Held::TimedOut);
                    }
                }
                Wait::Until(end) => {
                    let delay = end
                        .duration_since(SystemTime::now())
                        .unwrap_or(Duration::ZERO);
                    match Instant::now().checked_add(delay) {
                        Some(wake) if wake <= give_up => {
                            first_of(notified, tokio::time::sleep_until(wake)).await;
                        }
                        _ => return Err(Held::Until(end, delay)),
                    }
                }
            }
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn finish(&self, seq: u64, rate_limit: Option<&RateLimit>) {
        self.lock().finish(seq, rate_limit, SystemTime::now());
        self.changed.notify_waiters();
    }
}

impl State {
    /// Starts a request if the limit allows, returning its sequence number.
    pub(crate) fn try_start(&mut self, now: SystemTime) -> Result<u64, Wait> {
        if self.window_end.is_some_and(|end| now >= end) {
            // A new window: what is left in it is unknown until an answer.
            self.left = None;
            self.window_end = None;
            self.newest = None;
            self.window_first = None;
        }
        match self.left {
            None if self.in_flight == 0 => {
                self.window_first.get_or_insert(self.started);
            }
            None => return Err(Wait::Answer),
            Some(0) => {
                return Err(match self.window_end {
                    Some(end) => Wait::Until(end),
                    None => Wait::Answer,
                });
            }
            Some(left) => self.left = Some(left - 1),
        }
        self.in_flight += 1;
        self.started += 1;
        Ok(self.started - 1)
    }

    /// Request `seq` was answered, with `rate_limit` when it came with one.
    pub(crate) fn finish(&mut self, seq: u64, rate_limit: Option<&RateLimit>, now: SystemTime) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let Some(remaining) = rate_limit.and_then(RateLimit::remaining) else {
            return;
        };
        // The server counted this request, and those it handled before it;
        // the requests started after this one most likely came later. (When
        // the server handles concurrent requests out of order this is off by
        // a few either way; the newest answer corrects it.)
        let started_since = self.started.saturating_sub(seq + 1);
        let mut left = remaining.saturating_sub(started_since);
        // Nor can more be left than the limit minus what this client started
        // in the window (which caps the error of an out-of-order answer).
        if let (Some(limit), Some(first)) =
            (rate_limit.and_then(RateLimit::limit), self.window_first)
        {
            left = left.min(limit.saturating_sub(self.started - first));
        }
        let window = rate_limit.map_or(Window::Unknown, |limit| limit.window(now));
        let end = match window {
            Window::EndsAt(end) => Some(end),
            // The answer of a window that has ended tells nothing about this one.
            Window::Ended => return,
            // No reset, or one not to be believed (hours ahead, a clock far
            // off): hold an exhausted window briefly, then probe again.
            Window::Unknown if left == 0 => Some(now + UNKNOWN_WINDOW),
            Window::Unknown => None,
        };
        let same_window = end.is_none() || end == self.window_end;
        if same_window {
            // Answers arrive out of order: only a newer request's answer
            // knows more.
            if self.newest.is_some_and(|newest| newest > seq) {
                return;
            }
        } else if let (Some(end), Some(known)) = (end, self.window_end) {
            if known > end {
                // An answer from an earlier window.
                return;
            }
        }
        self.left = Some(left);
        self.newest = Some(seq);
        if end.is_some() {
            self.window_end = end;
        }
    }
}

/// The right of one request to start; see [`Limiter::acquire`].
pub(crate) struct Permit<'a> {
    limiter: &'a Limiter,
    seq: u64,
}

impl Permit<'_> {
    /// Gives the permit back with the limit the answer reported.
    pub(crate) fn answered(self, rate_limit: &RateLimit) {
        let (limiter, seq) = (self.limiter, self.seq);
        std::mem::forget(self);
        limiter.finish(seq, Some(rate_limit));
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limiter.finish(self.seq, None);
    }
}

/// Completes when either future does.
async fn first_of(a: impl Future<Output = ()>, b: impl Future<Output = ()>) {
    let mut a = pin!(a);
    let mut b = pin!(b);
    std::future::poll_fn(|cx| {
        if a.as_mut().poll(cx).is_ready() || b.as_mut().poll(cx).is_ready() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
}
