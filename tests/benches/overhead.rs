//! What a generated call costs over a hand-written `reqwest` call doing the same
//! work (same request, same header, same typed decode) against the same loopback
//! server: a small `GET /me` and a `GET /collections/{id}` of about 5 MB.
//!
//! `cargo bench -p tests --bench overhead`; the ratio is generated / hand-written
//! of the medians.

use divan::Bencher;
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
    divan::main();
}

/// A collection of about 5 MB: 2,500 requests with headers, a raw body and a
/// description each.
fn large_collection() -> Value {
    let items: Vec<Value> = (0..2_500)
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
        eprintln!("large collection body: {:.1} MB", large.len() as f64 / 1e6);
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

#[divan::bench(sample_count = 200, sample_size = 10)]
fn small_generated(bencher: Bencher) {
    let s = setup();
    bencher.bench_local(|| {
        s.runtime.block_on(async {
            s.generated
                .get_authenticated_user()
                .send()
                .await
                .expect("ok")
                .into_body()
        })
    });
}

#[divan::bench(sample_count = 200, sample_size = 10)]
fn small_hand_written(bencher: Bencher) {
    let s = setup();
    let url = format!("{}/me", s.base);
    bencher.bench_local(|| s.runtime.block_on(plain_get::<MeResponse>(&s.plain, &url)));
}

#[divan::bench(sample_count = 30)]
fn large_generated(bencher: Bencher) {
    let s = setup();
    bencher.bench_local(|| {
        s.runtime.block_on(async {
            s.generated
                .get_collection(COLLECTION_ID)
                .send()
                .await
                .expect("ok")
                .into_body()
        })
    });
}

#[divan::bench(sample_count = 30)]
fn large_hand_written(bencher: Bencher) {
    let s = setup();
    let url = format!("{}/collections/{COLLECTION_ID}", s.base);
    bencher.bench_local(|| {
        s.runtime
            .block_on(plain_get::<CollectionResponse>(&s.plain, &url))
    });
}
