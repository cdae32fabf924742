//! The client-side rate limiter, shared by all clones of a `Client`.
//!
//! The server says, with every answer, how many requests are left in the
//! current window (`X-RateLimit-Remaining`) and when the window ends
//! (`X-RateLimit-Reset`). The limiter hands out that many permits and holds
//! further requests until the window ends, so that many concurrent tasks stay
//! under the limit instead of collecting `429`s. While it knows nothing (before
//! the first answer, or once a window has ended) it lets one request through
//! at a time to learn the new state.

use std::future::Future;
use std::pin::pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::Notify;

use crate::rate_limit::RateLimit;

/// How long to hold requests after an answer that says nothing is left but
/// not when the window ends.
const UNKNOWN_WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// Requests that may still start in the current window; `None` when
    /// unknown.
    left: Option<u64>,
    /// When the current window ends.
    window_end: Option<SystemTime>,
    /// Requests started and not yet answered.
    in_flight: u64,
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
enum Wait {
    /// Another request's answer.
    Answer,
    /// The end of the window (or another answer, whichever comes first).
    Until(SystemTime),
}

impl Limiter {
    /// Waits until the request may start. The permit must be given back with
    /// [`Permit::answered`]; dropping it (a failed or cancelled request) also
    /// gives it back, without news about the limit.
    pub(crate) async fn acquire(&self) -> Permit<'_> {
        loop {
            // Registered before the state is read, so that an answer arriving
            // in between still wakes this task.
            let mut notified = pin!(self.changed.notified());
            notified.as_mut().enable();
            let wait = {
                let mut state = self.lock();
                match state.try_start(SystemTime::now()) {
                    Ok(seq) => {
                        return Permit { limiter: self, seq };
                    }
                    Err(wait) => wait,
                }
            };
            match wait {
                Wait::Answer => notified.await,
                Wait::Until(end) => {
                    let delay = end
                        .duration_since(SystemTime::now())
                        .unwrap_or(Duration::ZERO);
                    first_of(notified, tokio::time::sleep(delay)).await;
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
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
    fn try_start(&mut self, now: SystemTime) -> Result<u64, Wait> {
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
    fn finish(&mut self, seq: u64, rate_limit: Option<&RateLimit>, now: SystemTime) {
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
        let end = match rate_limit.and_then(RateLimit::reset_at) {
            Some(end) if end > now => Some(end),
            // The answer of a window that has ended tells nothing about this one.
            Some(_) => return,
            // No reset: hold an exhausted window briefly.
            None if left == 0 => Some(now + UNKNOWN_WINDOW),
            None => None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    const T0: u64 = 1_700_000_000;

    fn at(seconds: u64, millis: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds) + Duration::from_millis(millis)
    }

    fn limits(remaining: u64, reset: Option<u64>) -> RateLimit {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        if let Some(reset) = reset {
            headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
        }
        RateLimit::from_headers(&headers)
    }

    #[test]
    fn unknown_state_lets_one_request_probe() {
        let mut state = State::default();
        let now = at(T0, 0);
        let probe = state.try_start(now).unwrap();
        assert!(matches!(state.try_start(now), Err(Wait::Answer)));
        state.finish(probe, Some(&limits(3, Some(T0 + 1))), now);
        assert_eq!(state.left, Some(3));
        let started: Vec<u64> = (0..3).map(|_| state.try_start(now).unwrap()).collect();
        assert_eq!(started, [1, 2, 3]);
        assert!(matches!(state.try_start(now), Err(Wait::Until(end)) if end == at(T0 + 1, 0)));
        for seq in started {
            state.finish(seq, None, now);
        }
        // The window ends: one probe again.
        let later = at(T0 + 1, 0);
        assert!(state.try_start(later).is_ok());
        assert!(matches!(state.try_start(later), Err(Wait::Answer)));
    }

    #[test]
    fn requests_started_later_are_counted_against_the_remaining() {
        let mut state = State::default();
        let now = at(T0, 0);
        let probe = state.try_start(now).unwrap();
        state.finish(probe, Some(&limits(10, Some(T0 + 1))), now);
        let seqs: Vec<u64> = (0..4).map(|_| state.try_start(now).unwrap()).collect();
        assert_eq!(state.left, Some(6));
        // The first of the four says 9 are left: the three started after it
        // are still to be counted, so 6, as the client thought.
        state.finish(seqs[0], Some(&limits(9, Some(T0 + 1))), now);
        assert_eq!(state.left, Some(6));
        // Another client using the same key took 3 more: the next answer says so.
        state.finish(seqs[1], Some(&limits(5, Some(T0 + 1))), now);
        assert_eq!(state.left, Some(3));
        // A late answer of an older request does not change it.
        state.finish(seqs[0] - 1, Some(&limits(9, Some(T0 + 1))), now);
        assert_eq!(state.left, Some(3));
        // A newer one sets it: 4 left after it, none started since.
        state.finish(seqs[3], Some(&limits(4, Some(T0 + 1))), now);
        assert_eq!(state.left, Some(4));
        // Nor does one from a window that has ended.
        state.finish(seqs[2], Some(&limits(0, Some(T0))), now);
        assert_eq!(state.left, Some(4));
        assert_eq!(state.window_end, Some(at(T0 + 1, 0)));
        assert_eq!(state.in_flight, 0);
    }

    #[test]
    fn an_out_of_order_answer_cannot_exceed_the_limit() {
        let mut state = State::default();
        let now = at(T0, 0);
        let with_limit = |remaining: u64| {
            let mut headers = HeaderMap::new();
            headers.insert("x-ratelimit-limit", HeaderValue::from(10));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
            headers.insert("x-ratelimit-reset", HeaderValue::from(T0 + 1));
            RateLimit::from_headers(&headers)
        };
        let probe = state.try_start(now).unwrap();
        state.finish(probe, Some(&with_limit(9)), now);
        let seqs: Vec<u64> = (0..4).map(|_| state.try_start(now).unwrap()).collect();
        // The newest request was handled before the three others, so its
        // answer counts only the probe and itself: 8 left, none started since.
        state.finish(seqs[3], Some(&with_limit(8)), now);
        // But 5 of the 10 were started in this window.
        assert_eq!(state.left, Some(5));
    }

    #[test]
    fn exhausted_without_reset_holds_briefly() {
        let mut state = State::default();
        let now = at(T0, 0);
        let seq = state.try_start(now).unwrap();
        state.finish(seq, Some(&limits(0, None)), now);
        assert!(
            matches!(state.try_start(now), Err(Wait::Until(end)) if end == now + UNKNOWN_WINDOW)
        );
        assert!(state.try_start(now + UNKNOWN_WINDOW).is_ok());
    }

    #[test]
    fn answers_without_headers_only_free_the_slot() {
        let mut state = State::default();
        let now = at(T0, 0);
        let seq = state.try_start(now).unwrap();
        state.finish(seq, None, now);
        assert_eq!((state.left, state.in_flight), (None, 0));
        let seq = state.try_start(now).unwrap();
        state.finish(seq, Some(&RateLimit::default()), now);
        assert_eq!((state.left, state.in_flight), (None, 0));
    }

    #[tokio::test]
    async fn waiting_tasks_wake_on_answers_and_window_ends() {
        let limiter = std::sync::Arc::new(Limiter::default());
        let probe = limiter.acquire().await;
        let waiter = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                let _permit = limiter.acquire().await;
            })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "held while the probe is out");
        let reset = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 2;
        probe.answered(&limits(1, Some(reset)));
        waiter.await.unwrap();
        // Dropped permits give their slot back too.
        drop(limiter.acquire().await);
        assert_eq!(limiter.lock().in_flight, 0);
    }
}
