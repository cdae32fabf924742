//! Streamed responses (`crate::stream`) end to end against raw HTTP servers on
//! 127.0.0.1 that write their bodies piece by piece, with pauses: items are
//! decoded as they arrive, a bad item does not end the stream, and the idle
//! time, the call's deadline and the item size limit end it with their errors.

mod framing;
mod oracle;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::pin::Pin;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;

use super::request::KEY;
use crate::client::{AuthMode, Client, Schemes};
use crate::error::{Error, TimeLimit, TimeoutPhase};
use crate::options::RequestOptions;
use crate::request::Request;
use crate::stream::{ItemStream, Items};

/// One step of a server's answer: bytes to write, or a pause.
enum Step {
    Write(&'static [u8]),
    Owned(Vec<u8>),
    Pause(u64),
    /// Keeps the connection open, silent, for this many milliseconds.
    Stall(u64),
}

/// Serves one connection: reads the request head, then writes `head` and the
/// steps, then closes. Returns the base URL and the handle that yields the
/// request head.
fn serve(head: &'static str, steps: Vec<Step>) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut request = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            request.push_str(&line);
        }
        let mut stream = reader.into_inner();
        // The client may hang up first (a test that stops reading early).
        let _ = stream.write_all(head.as_bytes());
        for step in steps {
            let written = match step {
                Step::Write(bytes) => stream.write_all(bytes),
                Step::Owned(bytes) => stream.write_all(&bytes),
                Step::Pause(ms) | Step::Stall(ms) => {
                    std::thread::sleep(Duration::from_millis(ms));
                    Ok(())
                }
            };
            if written.and_then(|()| stream.flush()).is_err() {
                break;
            }
        }
        request
    });
    (base, handle)
}

const SSE: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
const JSONL: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/jsonl\r\nConnection: close\r\n\r\n";

fn client(base: &str, mode: AuthMode) -> Client {
    Client::builder()
        .api_key(KEY)
        .auth_mode(mode)
        .base_url(base)
        .allow_insecure_http(true)
        .timeout(Duration::from_secs(10))
        .build_with(&Schemes::TEST)
        .unwrap()
}

async fn open<T: serde::de::DeserializeOwned>(
    client: &Client,
    items: Items,
    accept: &'static str,
    options: RequestOptions,
) -> Result<crate::Response<ItemStream<T>>, Error> {
    let request = Request::new(Method::GET, "/events".to_owned()).with_options(options);
    client.execute_stream::<T>(request, items, accept).await
}

/// The stream of a server that answers `head` then `steps` (a client in header mode).
async fn stream_from<T: serde::de::DeserializeOwned>(
    head: &'static str,
    steps: Vec<Step>,
    items: Items,
    accept: &'static str,
    options: RequestOptions,
) -> ItemStream<T> {
    let (base, _server) = serve(head, steps);
    let client = client(&base, AuthMode::Header);
    open::<T>(&client, items, accept, options)
        .await
        .unwrap()
        .into_body()
}

#[derive(Debug, Deserialize, PartialEq)]
struct Event {
    #[serde(default)]
    event: Option<String>,
    data: Tick,
    #[serde(default)]
    id: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Tick {
    n: u32,
}

fn tick(event: Option<&str>, n: u32, id: Option<&str>) -> Event {
    Event {
        event: event.map(str::to_owned),
        data: Tick { n },
        id: id.map(str::to_owned),
    }
}

#[tokio::test]
async fn events_decode_as_they_arrive_and_a_bad_one_does_not_end_the_stream() {
    let (base, server) = serve(
        SSE,
        vec![
            Step::Write(b": hello\n\nevent: tick\ndata: {\"n\""),
            Step::Pause(50),
            Step::Write(b":1}\nid: 1\n\n"),
            Step::Pause(50),
            Step::Write(b"data: {\"n\":2}\r\nretry: 1500\r\n\r\ndata: [DONE]\n\n"),
            Step::Write(b"data: {\"n\":3}\nid: 3\n\ndata: {\"n\": 4"),
        ],
    );
    let client = client(&base, AuthMode::Header);
    let json_data = Items::Events { json_data: true };
    let response = open::<Event>(
        &client,
        json_data,
        "text/event-stream",
        RequestOptions::new(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut stream = response.into_body();
    assert_eq!(
        stream.next().await.unwrap().unwrap(),
        tick(Some("tick"), 1, Some("1"))
    );
    assert_eq!(stream.last_event_id(), Some("1"));
    assert_eq!(stream.next().await.unwrap().unwrap(), tick(None, 2, None));
    assert_eq!(stream.retry(), Some(Duration::from_millis(1500)));
    // `[DONE]` is not JSON: an error that keeps the raw data, and the stream goes on.
    let Some(Err(Error::Decode(done))) = stream.next().await else {
        panic!("a decode error for [DONE]");
    };
    assert_eq!(done.text(), "[DONE]");
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(
        stream.next().await.unwrap().unwrap(),
        tick(None, 3, Some("3"))
    );
    // The body ends in the middle of an event, which is dropped.
    assert!(stream.next().await.is_none());
    assert!(stream.next().await.is_none());
    let request = server.join().unwrap().to_ascii_lowercase();
    assert!(
        request.contains("accept: text/event-stream\r\n"),
        "{request}"
    );
}

#[tokio::test]
async fn event_objects_with_string_data_and_data_alone() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Raw {
        data: String,
        retry: Option<u64>,
    }
    let body = b"data: line one\ndata: line two\nretry: 10\n\n";
    let items = Items::Events { json_data: false };
    let options = RequestOptions::new();
    let stream = stream_from::<Raw>(
        SSE,
        vec![Step::Write(body)],
        items,
        "text/event-stream",
        options,
    );
    let all = stream.await.try_collect().await.unwrap();
    assert_eq!(
        all,
        [Raw {
            data: "line one\nline two".to_owned(),
            retry: Some(10)
        }]
    );

    let steps = vec![Step::Write(b"data: {\"n\":5}\n\n")];
    let items = Items::EventData { json: true };
    let options = RequestOptions::new();
    let stream = stream_from::<Tick>(SSE, steps, items, "text/event-stream", options);
    let all = stream.await.try_collect().await.unwrap();
    assert_eq!(all, [Tick { n: 5 }]);
}

#[tokio::test]
async fn json_lines_report_the_line_and_path_of_a_bad_item() {
    let steps = vec![
        Step::Write(b"{\"n\":1}\n{\"n\":\"two\"}\n\n"),
        Step::Pause(30),
        Step::Write(b"{\"n\":3}"),
    ];
    let options = RequestOptions::new();
    let mut stream =
        stream_from::<Tick>(JSONL, steps, Items::JsonLines, "application/jsonl", options).await;
    assert_eq!(stream.next().await.unwrap().unwrap(), Tick { n: 1 });
    let Some(Err(Error::Decode(bad))) = stream.next().await else {
        panic!("a decode error for the second line");
    };
    assert_eq!(bad.text(), "{\"n\":\"two\"}");
    assert_eq!(bad.path(), Some("n"));
    assert_eq!(stream.next().await.unwrap().unwrap(), Tick { n: 3 });
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_silent_server_ends_the_stream_after_the_attempt_timeout() {
    let steps = vec![Step::Write(b"{\"n\":1}\n"), Step::Stall(5_000)];
    let options = RequestOptions::new().timeout(Duration::from_millis(300));
    let mut stream =
        stream_from::<Tick>(JSONL, steps, Items::JsonLines, "application/jsonl", options).await;
    assert_eq!(stream.next().await.unwrap().unwrap(), Tick { n: 1 });
    let Some(Err(Error::Timeout(timeout))) = stream.next().await else {
        panic!("a timeout");
    };
    assert_eq!(timeout.limit(), TimeLimit::Attempt);
    assert_eq!(timeout.phase(), TimeoutPhase::Body);
    assert_eq!(timeout.status(), Some(StatusCode::OK));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn the_call_deadline_ends_a_stream_that_keeps_talking() {
    let mut steps = Vec::new();
    for _ in 0..100 {
        steps.push(Step::Write(b": keep-alive\n\n"));
        steps.push(Step::Pause(50));
    }
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(400))
        .call_timeout(Duration::from_millis(600));
    let items = Items::Events { json_data: false };
    let mut stream = stream_from::<Value>(SSE, steps, items, "text/event-stream", options).await;
    let Some(Err(Error::Timeout(timeout))) = stream.next().await else {
        panic!("a timeout");
    };
    assert_eq!(timeout.limit(), TimeLimit::Call);
    assert!(stream.received() > 0);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn an_item_past_the_size_limit_ends_the_stream() {
    let mut long = b"{\"n\":".to_vec();
    long.extend(std::iter::repeat_n(b'1', 200));
    long.extend_from_slice(b"}\n");
    let steps = vec![Step::Write(b"{\"n\":1}\n"), Step::Owned(long)];
    let options = RequestOptions::new().max_body_size(64);
    let mut stream =
        stream_from::<Value>(JSONL, steps, Items::JsonLines, "application/jsonl", options).await;
    assert_eq!(
        stream.next().await.unwrap().unwrap(),
        serde_json::json!({"n": 1})
    );
    let Some(Err(Error::BodyTooLarge(large))) = stream.next().await else {
        panic!("an item too large");
    };
    assert!(large.is_item());
    assert!(
        large
            .to_string()
            .starts_with("an item of the streamed body"),
        "{large}"
    );
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn an_error_status_is_an_api_error_before_any_item() {
    let head = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 21\r\nConnection: close\r\n\r\n";
    let (base, _server) = serve(head, vec![Step::Write(b"{\"error\":\"no stream\"}")]);
    let client = client(&base, AuthMode::Header);
    let response = open::<Value>(
        &client,
        Items::JsonLines,
        "application/jsonl",
        RequestOptions::new(),
    );
    let Err(Error::Api(api)) = response.await else {
        panic!("an API error");
    };
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.text(), "{\"error\":\"no stream\"}");
}

#[tokio::test]
async fn a_cut_connection_is_a_transport_error_without_the_key() {
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/jsonl\r\nTransfer-Encoding: chunked\r\n\r\n";
    let (base, _server) = serve(head, vec![Step::Write(b"8\r\n{\"n\":1}\n\r\n40\r\n{\"n\"")]);
    let client = client(&base, AuthMode::Query);
    let response = open::<Tick>(
        &client,
        Items::JsonLines,
        "application/jsonl",
        RequestOptions::new(),
    );
    let mut stream = response.await.unwrap().into_body();
    assert_eq!(stream.next().await.unwrap().unwrap(), Tick { n: 1 });
    let Some(Err(error @ Error::Transport(_))) = stream.next().await else {
        panic!("a transport error");
    };
    assert!(!format!("{error} {error:?}").contains(KEY), "{error:?}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn the_stream_is_a_futures_stream_and_can_be_sent_across_threads() {
    fn assert_send<T: Send>(_: &T) {}
    let (base, _server) = serve(JSONL, vec![Step::Write(b"1\n2\n")]);
    let client = client(&base, AuthMode::Header);
    let response = open::<u8>(
        &client,
        Items::JsonLines,
        "application/jsonl",
        RequestOptions::new(),
    );
    assert_send(&response);
    let mut stream = response.await.unwrap().into_body();
    assert_send(&stream);
    let mut taken = Vec::new();
    while let Some(item) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut stream), cx)).await
    {
        taken.push(item.unwrap());
    }
    assert_eq!(taken, [1, 2]);
    assert!(format!("{stream:?}").starts_with("ItemStream {"));
}
