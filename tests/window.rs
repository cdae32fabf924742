//! A rate-limited server for the resilience tests and the load benchmark: a
//! `wiremock` responder that lets `limit` requests through per window of one
//! second (aligned to epoch seconds, like a server whose `X-RateLimit-Reset`
//! is in whole seconds) and answers the rest `429` with Postman's headers and
//! error envelope.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use wiremock::{Request, Respond, ResponseTemplate};

/// What the server has seen.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WindowCounts {
    /// Requests answered `200`.
    pub served: u64,
    /// Requests answered `429`.
    pub rejected: u64,
}

/// The responder; clones share the window and the counts.
#[derive(Debug, Clone)]
pub struct WindowLimit {
    state: Arc<State>,
}

#[derive(Debug)]
struct State {
    limit: u64,
    body: serde_json::Value,
    /// (window start in epoch seconds, requests served in it).
    window: Mutex<(u64, u64)>,
    served: AtomicU64,
    rejected: AtomicU64,
    /// Requests served in each window that served any, oldest first.
    history: Mutex<Vec<u64>>,
}

impl WindowLimit {
    /// `limit` requests per second; successes answer `body`.
    pub fn new(limit: u64, body: serde_json::Value) -> Self {
        Self {
            state: Arc::new(State {
                limit,
                body,
                window: Mutex::new((0, 0)),
                served: AtomicU64::new(0),
                rejected: AtomicU64::new(0),
                history: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Requests served per window, oldest first (the current one included).
    pub fn served_per_window(&self) -> Vec<u64> {
        let mut history = self
            .state
            .history
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let current = self
            .state
            .window
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1;
        if current > 0 {
            history.push(current);
        }
        history
    }

    pub fn counts(&self) -> WindowCounts {
        WindowCounts {
            served: self.state.served.load(Ordering::SeqCst),
            rejected: self.state.rejected.load(Ordering::SeqCst),
        }
    }
}

impl Respond for WindowLimit {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        self.state.respond()
    }
}

impl State {
    fn respond(&self) -> ResponseTemplate {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if window.0 != now {
            if window.1 > 0 {
                self.history
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(window.1);
            }
            *window = (now, 0);
        }
        let reset = (now + 1).to_string();
        let limit = self.limit.to_string();
        if window.1 < self.limit {
            window.1 += 1;
            let remaining = (self.limit - window.1).to_string();
            self.served.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200)
                .insert_header("X-RateLimit-Limit", limit.as_str())
                .insert_header("X-RateLimit-Remaining", remaining.as_str())
                .insert_header("X-RateLimit-Reset", reset.as_str())
                .set_body_json(&self.body)
        } else {
            self.rejected.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", limit.as_str())
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", reset.as_str())
                .set_body_json(serde_json::json!({
                    "error": {
                        "name": "rateLimitError",
                        "message": format!("Rate Limit exceeded. Please retry at {}", (now + 1) * 1000),
                    }
                }))
        }
    }
}

/// A `GET /me` answer body.
pub fn me_body() -> serde_json::Value {
    serde_json::json!({
        "user": {
            "id": 12345678,
            "username": "jane-doe",
            "email": "jane.doe@example.com",
            "fullName": "Jane Doe",
            "avatar": "https://avatars.example.com/u/12345678.png",
            "isPublic": false
        },
        "operations": [
            {"name": "api_usage", "limit": 1000, "usage": 87, "overage": 0}
        ]
    })
}
