//! Cutting streamed bodies into items (`crate::stream::framing`), whatever the
//! chunks the body arrives in.

use std::collections::VecDeque;

use crate::stream::framing::{Event, Format, Frame, Framer, Oversized, Resume};

/// The frames of `body` delivered in the given chunk sizes, cycled.
fn frames(format: Format, body: &[u8], sizes: &[usize]) -> Result<Vec<Frame>, Oversized> {
    let mut framer = Framer::new(format, 64);
    let mut out = VecDeque::new();
    let mut rest = body;
    for size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at((*size).clamp(1, rest.len()));
        framer.push(chunk, &mut out)?;
        rest = tail;
    }
    framer.finish(&mut out)?;
    Ok(out.into_iter().collect())
}

/// Every way of cutting `body` into chunks of one to four bytes gives `expected`.
fn same_for_every_chunking(format: Format, body: &[u8], expected: &[Frame]) {
    for sizes in [&[1][..], &[2], &[3], &[4], &[1, 3], &[2, 1], &[usize::MAX]] {
        assert_eq!(
            frames(format, body, sizes).unwrap(),
            expected,
            "chunks of {sizes:?} of {:?}",
            String::from_utf8_lossy(body)
        );
    }
}

fn text(json: &str) -> Frame {
    Frame::Text(json.as_bytes().to_vec())
}

/// An event with its own fields, then the stream's last event ID and retry.
fn event(
    event: Option<&str>,
    data: &str,
    id: Option<&str>,
    retry: Option<u64>,
    (last_event_id, last_retry): (Option<&str>, Option<u64>),
) -> Frame {
    Frame::Event(
        Event {
            event: event.map(str::to_owned),
            data: data.to_owned(),
            id: id.map(str::to_owned),
            retry,
        },
        Resume {
            last_event_id: last_event_id.map(str::to_owned),
            retry: last_retry,
        },
    )
}

#[test]
fn json_lines_skip_blank_lines_and_keep_a_last_line_without_break() {
    same_for_every_chunking(
        Format::JsonLines,
        b"\xEF\xBB\xBF{\"a\":1}\r\n\n  \n[2]\n\"three\"",
        &[text("{\"a\":1}\r"), text("[2]"), text("\"three\"")],
    );
}

#[test]
fn json_seq_splits_on_the_record_separator() {
    same_for_every_chunking(
        Format::JsonSeq,
        b"\x1E{\"a\":1}\n\x1E\n\x1E[2]\n\x1E3",
        &[text("{\"a\":1}\n"), text("[2]\n"), text("3")],
    );
}

#[test]
fn events_follow_the_whatwg_rules() {
    let body = b"\xEF\xBB\xBF: a comment\r\n\
        event: add\r\ndata: {\"n\":1}\r\nid: 7\r\nretry: 3000\r\n\r\n\
        data\rdata:  two spaces\r\rdata:x\ndata:y\nretry: soon\nid: a\0b\n\n\
        event: ping\n\n\
        data:\n\n\
        id: 9\nretry: 10\n\n\
        data: after\n\n\
        data: unfinished";
    let resumed = (Some("7"), Some(3000));
    same_for_every_chunking(
        Format::Events,
        body,
        &[
            event(Some("add"), "{\"n\":1}", Some("7"), Some(3000), resumed),
            event(None, "\n two spaces", None, None, resumed),
            event(None, "x\ny", None, None, resumed),
            event(None, "", None, None, resumed),
            // A block without data sets the last event ID and the retry all the same.
            event(None, "after", None, None, (Some("9"), Some(10))),
        ],
    );
}

#[test]
fn an_item_past_the_limit_is_refused() {
    let long = [b'1'; 65];
    assert_eq!(frames(Format::JsonLines, &long, &[7]), Err(Oversized));
    let mut body = b"data: ".to_vec();
    body.extend_from_slice(&[b'x'; 40]);
    body.extend_from_slice(b"\ndata: ");
    body.extend_from_slice(&[b'x'; 40]);
    body.extend_from_slice(b"\n\n");
    assert_eq!(frames(Format::Events, &body, &[5]), Err(Oversized));
    // Items under the limit, many of them, are fine.
    let many = b"{\"n\":1}\n".repeat(100);
    assert_eq!(frames(Format::JsonLines, &many, &[13]).unwrap().len(), 100);
}
