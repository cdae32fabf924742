//! Our event stream parser against `eventsource-parser` (npm), a widely used
//! implementation of the WHATWG rules: `sse_oracle.json` holds event streams cut into
//! chunks at arbitrary bytes (inside characters and line breaks too) and the events that
//! parser dispatched for them. It is written by `tests/sse/oracle.mjs`; `cargo xtask
//! sse-oracle` runs that script again and fails if the file is not what it writes.

use std::collections::VecDeque;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::stream::framing::{Format, Frame, Framer};

#[derive(Deserialize)]
struct Oracle {
    parser: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    chunks: Vec<String>,
    events: Vec<Expected>,
    /// The last `retry:` (a JSON number that may be past `u64`).
    retry: Option<f64>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Expected {
    event: Option<String>,
    data: String,
    id: Option<String>,
}

#[test]
fn events_match_eventsource_parser() {
    let oracle: Oracle = serde_json::from_str(include_str!("sse_oracle.json")).unwrap();
    assert!(oracle.parser.starts_with("eventsource-parser@"));
    assert!(oracle.cases.len() > 400, "{} cases", oracle.cases.len());
    let mut events = 0;
    for (i, case) in oracle.cases.iter().enumerate() {
        let chunks: Vec<Vec<u8>> = case
            .chunks
            .iter()
            .map(|c| STANDARD.decode(c).unwrap())
            .collect();
        let mut framer = Framer::new(Format::Events, 1 << 20);
        let mut out = VecDeque::new();
        for chunk in &chunks {
            framer.push(chunk, &mut out).unwrap();
        }
        framer.finish(&mut out).unwrap();
        let ours: Vec<Expected> = out
            .into_iter()
            .map(|frame| match frame {
                Frame::Event(event, _) => Expected {
                    event: event.event,
                    data: event.data,
                    id: event.id,
                },
                Frame::Text(_) => panic!("a text frame from an event stream"),
            })
            .collect();
        let stream = String::from_utf8_lossy(&chunks.concat()).into_owned();
        assert_eq!(ours, case.events, "case {i}: {stream:?}");
        // JavaScript reads an endless run of digits as a float; we stop at u64::MAX.
        let retry = framer.resume().retry.map(|ms| ms as f64);
        let expected = case.retry.map(|ms| ms.min(u64::MAX as f64));
        assert_eq!(retry, expected, "case {i}: {stream:?}");
        events += case.events.len();
    }
    assert!(events > 200, "{events} events");
}
