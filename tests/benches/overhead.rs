//! What a generated call costs over a hand-written `reqwest` call doing the same
//! work (same request, same header, same typed decode) against the same loopback
//! server: a small `GET /me` and a `GET /collections/{id}` of about 5 MB.
//!
//! `cargo bench -p tests --bench overhead`. Before divan's tables it prints the
//! ratio generated / hand-written, from calls made in alternating pairs (so
//! that noise on a busy machine hits both sides alike): the ratio of the
//! medians and of the fastest calls.

use std::time::{Duration, Instant};

use divan::{Bencher, black_box};
use postman_client::types::{CollectionResponse, MeResponse};
use postman_client::{Client, RetryPolicy};
use serde_json::{Value, json};
use tests::window::me_body;
use tokio::runtime::Runtime;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "PMAK-bench";
const COLLECTION_ID: &str = "12345678-12ece9e1-2abf-4edc-8e34-de66e74114d2";

fn main() {
    ratios();
    divan::main();
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times `generated` and `hand_written` in alternating pairs and prints the
/// ratios.
fn compare<A, B>(name: &str, pairs: usize, mut generated: A, mut hand_written: B)
where
    A: FnMut(),
    B: FnMut(),
{
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let (mut a, mut b) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
    for i in 0..pairs {
        if i % 2 == 0 {
            a.push(time(&mut generated));
            b.push(time(&mut hand_written));
        } else {
            b.push(time(&mut hand_written));
            a.push(time(&mut generated));
        }
    }
    let fastest = |v: &[Duration]| v.iter().copied().min().unwrap_or_default();
    let (fa, fb) = (fastest(&a), fastest(&b));
    let (ma, mb) = (median(&mut a), median(&mut b));
    println!(
        "| {name} | {pairs} | {ma:.1?} | {mb:.1?} | {:.3} | {:.3} |",
        ma.as_secs_f64() / mb.as_secs_f64(),
        fa.as_secs_f64() / fb.as_secs_f64()
    );
}

fn ratios() {
    let s = setup();
    println!(
        "| call | pairs | generated median | hand-written median | ratio of medians | ratio of fastest |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    compare(
        "GET /me (small JSON)",
        4_000,
        || drop(black_box(s.small_generated())),
        || drop(black_box(s.small_hand_written())),
    );
    compare(
        "GET /collections/{id} (5 MB)",
        120,
        || drop(black_box(s.large_generated())),
        || drop(black_box(s.large_hand_written())),
    );
}

/// A collection of about 5 MB: 2,800 requests with headers, a raw body and a
/// description each.
fn large_collection() -> Value {
    let items: Vec<Value> = (0..2_800)
        .map(|i| {
            json!({
                "id": format!("item-{i}"),
                "name": format!("Request {i}"),
                "description": "Fetches one page of the orders of a customer. ".repeat(12),
                "request": {
                    "method": "POST",
                    "url": format!("https://api.example.com/v1/customers/{i}/orders?page=1&limit=50"),
                    "header": [
                        {"key": "Content-Type", "value": "application/json"},
                        {"key": "Accept", "value": "application/json"}
                    ],
                    "body": {
                        "mode": "raw",
                        "raw": format!("{{\"customer\": {i}, \"note\": \"{}\"}}", "x".repeat(900))
                    }
                }
            })
        })
        .collect();
    json!({
        "collection": {
            "info": {
                "_postman_id": "12ece9e1-2abf-4edc-8e34-de66e74114d2",
                "name": "Large",
                "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
            },
            "item": items
        }
    })
}

struct Setup {
    runtime: Runtime,
    _server: MockServer,
    base: String,
    generated: Client,
    plain: reqwest::Client,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let server = runtime.block_on(async {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        Mock::given(method("GET"))
            .and(path("/me"))
            .respond_with(ResponseTemplate::new(200).set_body_json(me_body()))
            .mount(&server)
            .await;
        let large = serde_json::to_vec(&large_collection()).expect("serializable");
        static SHOWN: std::sync::Once = std::sync::Once::new();
        SHOWN.call_once(|| eprintln!("large collection body: {:.1} MB", large.len() as f64 / 1e6));
        Mock::given(method("GET"))
            .and(path(format!("/collections/{COLLECTION_ID}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(large, "application/json"))
            .mount(&server)
            .await;
        server
    });
    let base = server.uri();
    let generated = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a client");
    Setup {
        runtime,
        _server: server,
        base,
        generated,
        plain: reqwest::Client::new(),
    }
}

/// The hand-written call: what a careful user would write with reqwest alone.
async fn plain_get<T: serde::de::DeserializeOwned>(client: &reqwest::Client, url: &str) -> T {
    let response = client
        .get(url)
        .header("X-Api-Key", KEY)
        .header("Accept", "application/json")
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success());
    let body = response.bytes().await.expect("read");
    serde_json::from_slice(&body).expect("decoded")
}

impl Setup {
    fn small_generated(&self) -> MeResponse {
        self.runtime.block_on(async {
            let call = self.generated.get_authenticated_user().send();
            call.await.expect("ok").into_body()
        })
    }

    fn small_hand_written(&self) -> MeResponse {
        let url = format!("{}/me", self.base);
        self.runtime.block_on(plain_get(&self.plain, &url))
    }

    fn large_generated(&self) -> CollectionResponse {
        self.runtime.block_on(async {
            let call = self.generated.get_collection(COLLECTION_ID).send();
            call.await.expect("ok").into_body()
        })
    }

    fn large_hand_written(&self) -> CollectionResponse {
        let url = format!("{}/collections/{COLLECTION_ID}", self.base);
        self.runtime.block_on(plain_get(&self.plain, &url))
    }
}

#[divan::bench(sample_count = 500, sample_size = 10)]
fn small_generated(bencher: Bencher) {
    let s = setup();
    bencher.bench_local(|| s.small_generated());
}

#[divan::bench(sample_count = 500, sample_size = 10)]
fn small_hand_written(bencher: Bencher) {
    let s = setup();
    bencher.bench_local(|| s.small_hand_written());
}

#[divan::bench(sample_count = 60)]
fn large_generated(bencher: Bencher) {
    let s = setup();
    bencher.bench_local(|| s.large_generated());
}

#[divan::bench(sample_count = 60)]
fn large_hand_written(bencher: Bencher) {
    let s = setup();
    bencher.bench_local(|| s.large_hand_written());
}
