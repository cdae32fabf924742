//! Load test: 32 concurrent tasks × 20 requests against a loopback server that
//! serves `LOAD_LIMIT` (default 100) requests per one-second window and answers
//! the rest `429` with Postman's rate-limit headers.
//!
//! `cargo bench -p tests --bench load` prints, for retries alone and for retries
//! with the client-side limiter: requests lost, `429`s that reached the caller,
//! `429`s the server sent, and the total time against the physical minimum (the
//! windows the requests need, starting on a window boundary).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use postman_client::Client;
use tests::window::{WindowLimit, me_body};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

const TASKS: usize = 32;
const REQUESTS_PER_TASK: usize = 20;

struct Outcome {
    lost: usize,
    rate_limited: usize,
    server_429s: u64,
    seconds: f64,
    per_window: Vec<u64>,
}

async fn run(limit: u64, limiter: bool) -> Outcome {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let window = WindowLimit::new(limit, me_body());
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(window.clone())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("PMAK-load")
        .base_url(server.uri())
        .allow_insecure_http(true)
        .rate_limiter(limiter)
        .build()
        .expect("a client");
    // Start on a window boundary, so that the minimum is a whole number of windows.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    tokio::time::sleep(Duration::from_secs(1) - Duration::from_nanos(now.subsec_nanos().into()))
        .await;
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let (mut lost, mut rate_limited) = (0, 0);
                for _ in 0..REQUESTS_PER_TASK {
                    if let Err(error) = client.get_authenticated_user().send().await {
                        lost += 1;
                        if error.status().is_some_and(|s| s.as_u16() == 429) {
                            rate_limited += 1;
                        }
                    }
                }
                (lost, rate_limited)
            })
        })
        .collect();
    let (mut lost, mut rate_limited) = (0, 0);
    for task in tasks {
        let (l, r) = task.await.expect("the task ran");
        lost += l;
        rate_limited += r;
    }
    Outcome {
        lost,
        rate_limited,
        server_429s: window.counts().rejected,
        seconds: start.elapsed().as_secs_f64(),
        per_window: window.served_per_window(),
    }
}

fn main() {
    let limit: u64 = std::env::var("LOAD_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let total = (TASKS * REQUESTS_PER_TASK) as u64;
    // Every window but the last is used in full; the last is entered, not waited out.
    let minimum = (total.div_ceil(limit) - 1) as f64;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    println!(
        "{TASKS} tasks x {REQUESTS_PER_TASK} requests = {total}, server limit {limit} per 1 s window, minimum {minimum:.1} s"
    );
    println!(
        "| client | lost | 429 to caller | 429 from server | time s | time / minimum | served per window |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (name, limiter) in [("retries", false), ("retries + limiter", true)] {
        let outcome = runtime.block_on(run(limit, limiter));
        println!(
            "| {name} | {} | {} | {} | {:.2} | {:.3} | {:?} |",
            outcome.lost,
            outcome.rate_limited,
            outcome.server_429s,
            outcome.seconds,
            outcome.seconds / minimum,
            outcome.per_window,
        );
    }
}
