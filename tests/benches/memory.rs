//! Peak memory while receiving a large body, under and over the client's
//! body limit, from a raw server on 127.0.0.1 (`tests::raw`).
//!
//! `cargo bench -p tests --bench memory` prints, for each case, the outcome,
//! the peak of heap memory above what was in use before the call (counted
//! by a global allocator), the process's peak resident memory (`VmHWM` of
//! `/proc/self/status`, reset before each case through
//! `/proc/self/clear_refs` where the kernel allows), the body bytes the server
//! managed to write before the client stopped reading, and the time taken.
//! `MEMORY_BODY_MIB` sets the size of the bodies past the limit (default
//! 200).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use postman_client::{Client, Error};
use tests::raw::{Conn, Server, head, serve};
use tests::window::me_body;

const MIB: u64 = 1024 * 1024;

// ---- Counting allocator ----

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    CURRENT.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only
// sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// ---- Resident memory ----

/// `VmHWM` (peak resident set) in bytes.
fn vm_hwm() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Resets `VmHWM` to the current resident set; `false` where not allowed.
fn reset_vm_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

// ---- Servers ----

/// A `200` whose JSON body decodes as the user and carries `padding` bytes
/// in a field the client ignores, with a `Content-Length` or not.
async fn json_body(padding: u64, announced: bool) -> Server {
    serve(move |mut conn: Conn| async move {
        conn.read_request().await;
        let mut user = me_body().to_string();
        user.pop(); // the closing brace
        let prefix = format!("{user},\"padding\":\"");
        let suffix = "\"}";
        let mut headers = vec!["Content-Type: application/json".to_owned()];
        if announced {
            let length = prefix.len() as u64 + padding + suffix.len() as u64;
            headers.push(format!("Content-Length: {length}"));
        }
        if conn.send(head("200 OK", &headers)).await && conn.send(&prefix).await {
            conn.send_body(padding).await;
            conn.send(suffix).await;
        }
    })
    .await
}

/// `status` with an HTML body of `len` bytes, announced.
async fn html_body(status: &'static str, len: u64) -> Server {
    serve(move |mut conn: Conn| async move {
        conn.read_request().await;
        let headers = [
            "Content-Type: text/html".to_owned(),
            format!("Content-Length: {len}"),
        ];
        if conn.send(head(status, &headers)).await {
            conn.send_body(len).await;
        }
    })
    .await
}

// ---- Cases ----

struct Measured {
    outcome: String,
    peak_heap: u64,
    vm_hwm: Option<u64>,
    written: u64,
    seconds: f64,
}

async fn measure<F, Fut>(server: &Server, call: F) -> Measured
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = String>,
{
    let hwm_reset = reset_vm_hwm();
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let outcome = call(server.base.clone()).await;
    let seconds = start.elapsed().as_secs_f64();
    let peak_heap = PEAK.load(Ordering::Relaxed).saturating_sub(before) as u64;
    // Let the server notice that the client went away.
    tokio::time::sleep(Duration::from_millis(200)).await;
    Measured {
        outcome,
        peak_heap,
        vm_hwm: if hwm_reset { vm_hwm() } else { None },
        written: server.written(),
        seconds,
    }
}

fn client(base: &str, max_body_size: u64) -> Client {
    Client::builder()
        .api_key("PMAK-memory")
        .base_url(base)
        .allow_insecure_http(true)
        .max_body_size(max_body_size)
        .build()
        .expect("a client")
}

fn describe<T>(result: Result<T, Error>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(Error::Api(api)) => format!(
            "Api {} ({} bytes kept, truncated: {})",
            api.status().as_u16(),
            api.body().len(),
            api.is_truncated()
        ),
        Err(Error::BodyTooLarge(e)) => format!("BodyTooLarge (read {} bytes)", e.received()),
        Err(Error::Decode(e)) => format!("Decode ({} bytes kept)", e.body().len()),
        Err(other) => other.to_string(),
    }
}

enum Case {
    /// The user's JSON with `len` bytes of padding, announced or not, read by
    /// a client accepting `max` bytes.
    Json { len: u64, announced: bool, max: u64 },
    /// A `500` with `len` bytes of HTML, read by the client or by plain
    /// `reqwest` (`.bytes()`, no limit).
    Html { len: u64, plain_reqwest: bool },
}

async fn run(case: Case) -> Measured {
    match case {
        Case::Json {
            len,
            announced,
            max,
        } => {
            let server = json_body(len, announced).await;
            measure(&server, |base| async move {
                describe(client(&base, max).get_authenticated_user().send().await)
            })
            .await
        }
        Case::Html {
            len,
            plain_reqwest: false,
        } => {
            let server = html_body("500 Internal Server Error", len).await;
            measure(&server, |base| async move {
                let limit = Client::DEFAULT_MAX_BODY_SIZE;
                describe(client(&base, limit).get_authenticated_user().send().await)
            })
            .await
        }
        Case::Html {
            len,
            plain_reqwest: true,
        } => {
            let server = html_body("500 Internal Server Error", len).await;
            measure(&server, |base| async move {
                let response = reqwest::Client::new()
                    .get(format!("{base}/me"))
                    .send()
                    .await;
                match response {
                    Ok(response) => match response.bytes().await {
                        Ok(body) => format!("{} bytes kept", body.len()),
                        Err(error) => error.to_string(),
                    },
                    Err(error) => error.to_string(),
                }
            })
            .await
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MIB as f64)
}

fn main() {
    let big: u64 = std::env::var("MEMORY_BODY_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let limit = Client::DEFAULT_MAX_BODY_SIZE;
    let under = limit * 3 / 4;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    println!(
        "body limit {} MiB (the default); peak heap above the baseline; VmHWM of the process",
        mib(limit)
    );
    println!("| case | outcome | peak heap MiB | VmHWM MiB | server wrote MiB | time s |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let cases = [
        (
            format!(
                "200, {} MiB JSON, Content-Length (under the limit)",
                mib(under)
            ),
            Case::Json {
                len: under,
                announced: true,
                max: limit,
            },
        ),
        (
            format!(
                "200, {} MiB JSON, no Content-Length (under the limit)",
                mib(under)
            ),
            Case::Json {
                len: under,
                announced: false,
                max: limit,
            },
        ),
        (
            format!("200, {big} MiB, Content-Length (over the limit)"),
            Case::Json {
                len: big * MIB,
                announced: true,
                max: limit,
            },
        ),
        (
            format!("200, {big} MiB, no Content-Length (over the limit)"),
            Case::Json {
                len: big * MIB,
                announced: false,
                max: limit,
            },
        ),
        (
            format!("500, {big} MiB HTML error page"),
            Case::Html {
                len: big * MIB,
                plain_reqwest: false,
            },
        ),
        (
            format!("200, {big} MiB JSON, no limit (as before: max_body_size(u64::MAX))"),
            Case::Json {
                len: big * MIB,
                announced: true,
                max: u64::MAX,
            },
        ),
        (
            format!("500, {big} MiB HTML, plain reqwest `.bytes()` (as before)"),
            Case::Html {
                len: big * MIB,
                plain_reqwest: true,
            },
        ),
    ];
    for (name, case) in cases {
        let measured = runtime.block_on(run(case));
        println!(
            "| {name} | {} | {} | {} | {} | {:.2} |",
            measured.outcome,
            mib(measured.peak_heap),
            measured.vm_hwm.map_or("n/a".to_owned(), mib),
            mib(measured.written),
            measured.seconds,
        );
    }
}
