//! Decoding a collection of about 5 MB: time and peak memory of the generated
//! `Collection` type against `serde_json::Value` (which loses nothing, so it is the
//! floor a lossless type is measured against).
//!
//! `cargo bench -p tests --bench decode`. It prints, per target, the median and the
//! fastest of 30 decodes, and the peak of live heap bytes during one decode (from a
//! counting allocator), then divan's tables. Run it at two revisions to compare types.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use divan::{Bencher, black_box};
use postman_client::types::Collection;
use serde_json::{Value, json};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let body = body();
    eprintln!("collection body: {:.2} MB", body.len() as f64 / 1e6);
    println!("| target | median ms | fastest ms | peak heap MB |");
    println!("| --- | ---: | ---: | ---: |");
    report("Collection (generated)", &body, |b| {
        drop(black_box(
            serde_json::from_slice::<Collection>(b).expect("decodes"),
        ));
    });
    report("serde_json::Value", &body, |b| {
        drop(black_box(
            serde_json::from_slice::<Value>(b).expect("decodes"),
        ));
    });
    divan::main();
}

fn report(name: &str, body: &[u8], decode: impl Fn(&[u8])) {
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let started = Instant::now();
            decode(body);
            started.elapsed()
        })
        .collect();
    times.sort();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    decode(body);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    println!(
        "| {name} | {:.2} | {:.2} | {:.1} |",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        peak as f64 / 1e6
    );
}

/// A collection of about 5 MB shaped like real ones: folders of requests with url
/// objects, query parameters, headers, auth, scripts, bodies and saved responses.
fn body() -> Vec<u8> {
    let request = |i: usize| {
        json!({
            "method": "POST",
            "header": [
                {"key": "Content-Type", "value": "application/json"},
                {"key": "Accept", "value": "application/json", "description": "What we read."},
                {"key": "X-Request-Id", "value": format!("{{{{requestId{i}}}}}"), "disabled": true}
            ],
            "body": {
                "mode": "raw",
                "raw": format!("{{\"customer\": {i}, \"items\": [1, 2, 3]}}"),
                "options": {"raw": {"language": "json"}}
            },
            "url": {
                "raw": format!("{{{{baseUrl}}}}/v1/customers/{i}/orders?page=1&limit=50&sort=desc"),
                "host": ["{{baseUrl}}"],
                "path": ["v1", "customers", format!("{i}"), "orders"],
                "query": [
                    {"key": "page", "value": "1"},
                    {"key": "limit", "value": "50", "description": "At most 100."},
                    {"key": "sort", "value": "desc", "disabled": true}
                ]
            },
            "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
            "description": "Creates an order for the customer and returns it."
        })
    };
    let item = |i: usize| {
        json!({
            "id": format!("0d1c1f0e-0000-4000-8000-{i:012}"),
            "name": format!("Create order {i}"),
            "event": [{
                "listen": "test",
                "script": {
                    "type": "text/javascript",
                    "exec": [
                        "pm.test(\"status is 201\", function () {",
                        "    pm.response.to.have.status(201);",
                        "});"
                    ]
                }
            }],
            "request": request(i),
            "response": [{
                "name": "Created",
                "originalRequest": request(i),
                "status": "Created",
                "code": 201,
                "_postman_previewlanguage": "json",
                "header": [{"key": "Content-Type", "value": "application/json"}],
                "cookie": [],
                "body": format!("{{\"id\": {i}, \"status\": \"open\"}}")
            }]
        })
    };
    let folders: Vec<Value> = (0..64)
        .map(|f| {
            json!({
                "name": format!("Folder {f}"),
                "description": {"content": "Orders of one region.", "type": "text/markdown"},
                "item": (0..38).map(|i| item(f * 100 + i)).collect::<Vec<_>>()
            })
        })
        .collect();
    serde_json::to_vec(&json!({
        "info": {
            "_postman_id": "12ece9e1-2abf-4edc-8e34-de66e74114d2",
            "name": "Orders",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
        },
        "item": folders,
        "variable": [{"key": "baseUrl", "value": "https://api.example.com"}]
    }))
    .expect("serializable")
}

#[divan::bench]
fn generated_collection(bencher: Bencher) {
    let body = body();
    bencher.bench_local(|| serde_json::from_slice::<Collection>(&body).expect("decodes"));
}

#[divan::bench]
fn json_value(bencher: Bencher) {
    let body = body();
    bencher.bench_local(|| serde_json::from_slice::<Value>(&body).expect("decodes"));
}
