//! Tests of `crate::limiter`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};
use tokio::time::Instant;

use crate::limiter::{Held, Limiter, State, UNKNOWN_WINDOW, Wait};
use crate::rate_limit::RateLimit;

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
    assert!(matches!(state.try_start(now), Err(Wait::Until(end)) if end == now + UNKNOWN_WINDOW));
    assert!(state.try_start(now + UNKNOWN_WINDOW).is_ok());
}

#[test]
fn resets_hours_ahead_hold_an_exhausted_window_only_briefly() {
    let hours_ahead = [T0 + 36_000, (T0 + 36_000) * 1000];
    for reset in hours_ahead {
        let mut state = State::default();
        let now = at(T0, 0);
        let probe = state.try_start(now).unwrap();
        state.finish(probe, Some(&limits(0, Some(reset))), now);
        assert_eq!(state.left, Some(0), "{reset}");
        // As if no reset had been sent: held for a moment, then one probe.
        assert_eq!(state.window_end, Some(now + UNKNOWN_WINDOW), "{reset}");
        assert!(
            matches!(state.try_start(now), Err(Wait::Until(end)) if end == now + UNKNOWN_WINDOW)
        );
        assert!(state.try_start(now + UNKNOWN_WINDOW).is_ok());
    }
    // A reset in milliseconds within the hour is believed.
    let mut state = State::default();
    let now = at(T0, 0);
    let probe = state.try_start(now).unwrap();
    state.finish(probe, Some(&limits(0, Some((T0 + 30) * 1000))), now);
    assert_eq!(state.window_end, Some(at(T0 + 30, 0)));
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

/// A moment to give up at, `millis` from now.
fn in_millis(millis: u64) -> Instant {
    Instant::now() + Duration::from_millis(millis)
}

#[tokio::test]
async fn waiting_tasks_wake_on_answers_and_window_ends() {
    let limiter = std::sync::Arc::new(Limiter::default());
    let probe = limiter.acquire(in_millis(10_000)).await.unwrap();
    let waiter = {
        let limiter = limiter.clone();
        tokio::spawn(async move {
            let _permit = limiter.acquire(in_millis(10_000)).await.unwrap();
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
    drop(limiter.acquire(in_millis(10_000)).await);
    assert_eq!(limiter.lock().in_flight, 0);
}

#[tokio::test]
async fn waiting_for_an_answer_gives_up_at_the_moment_given() {
    let limiter = Limiter::default();
    let _probe = limiter.acquire(in_millis(10_000)).await.unwrap();
    // The probe is never answered: the next request waits until it gives up.
    let held = limiter.acquire(in_millis(50)).await.err();
    assert_eq!(held, Some(Held::TimedOut));
}

#[tokio::test]
async fn a_window_ending_after_the_moment_given_is_not_waited_for() {
    let limiter = Limiter::default();
    let probe = limiter.acquire(in_millis(10_000)).await.unwrap();
    let now = SystemTime::now();
    let reset = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 60;
    probe.answered(&limits(0, Some(reset)));
    let started = Instant::now();
    let Err(Held::Until(until, wait)) = limiter.acquire(in_millis(500)).await else {
        panic!("expected the limiter to refuse at once");
    };
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "nothing waited"
    );
    assert_eq!(
        until,
        SystemTime::UNIX_EPOCH + Duration::from_secs(reset),
        "says until when"
    );
    assert!(
        wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    assert_eq!(limiter.lock().left, Some(0));
    assert_eq!(limiter.lock().in_flight, 0);
}
