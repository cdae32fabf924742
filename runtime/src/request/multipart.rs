//! `multipart/form-data` request bodies.
//!
//! The body is built whole in memory, so the request can be cloned and sent
//! again by a retry or a redirect.

use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde::Serialize;

use super::node::{Node, body_fields};
use crate::error::Error;

/// The `Content-Type` (with the boundary) and the bytes of `body` as a
/// `multipart/form-data` body; `body` must serialize as an object (see
/// [`Request::multipart`](super::Request::multipart) for how fields are
/// written).
pub(crate) fn encode<T: Serialize + ?Sized>(body: &T) -> Result<(HeaderValue, Bytes), Error> {
    let mut parts = Vec::new();
    for (name, value) in body_fields(body, "multipart/form-data")? {
        match value {
            Node::Seq(items) => {
                for item in items {
                    push_part(&mut parts, &name, item)?;
                }
            }
            other => push_part(&mut parts, &name, other)?,
        }
    }
    let (boundary, bytes) = encode_parts(&parts, new_boundary);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let content_type = HeaderValue::try_from(content_type)
        .map_err(|_| Error::Encode("invalid multipart boundary".to_owned()))?;
    Ok((content_type, Bytes::from(bytes)))
}

/// One part of a `multipart/form-data` body: its header lines (each ending
/// in CRLF) and its content.
#[derive(Debug)]
pub(crate) struct Part {
    pub(crate) head: String,
    pub(crate) content: Bytes,
}

/// Appends the part for field `name` holding `node` (nothing for `null`).
fn push_part(parts: &mut Vec<Part>, name: &str, node: Node) -> Result<(), Error> {
    let disposition = format!(
        "Content-Disposition: form-data; name=\"{}\"",
        quote_disposition(name)
    );
    let (head, content) = match node {
        Node::Null => return Ok(()),
        Node::Str(text) | Node::Raw(text) => (format!("{disposition}\r\n"), Bytes::from(text)),
        Node::Binary(binary) => {
            let file_name = binary.file_name().unwrap_or(name);
            let content_type = binary.content_type().unwrap_or("application/octet-stream");
            if HeaderValue::from_str(content_type).is_err() {
                return Err(Error::Encode(format!(
                    "request body: field `{name}`: the content type `{}` is not a valid header value",
                    content_type.escape_debug()
                )));
            }
            let head = format!(
                "{disposition}; filename=\"{}\"\r\nContent-Type: {content_type}\r\n",
                quote_disposition(file_name)
            );
            (head, binary.into_bytes())
        }
        compound => (
            format!("{disposition}\r\nContent-Type: application/json\r\n"),
            Bytes::from(compound.to_json()),
        ),
    };
    parts.push(Part { head, content });
    Ok(())
}

/// A name or file name for a quoted `Content-Disposition` parameter, escaped
/// as browsers do: `"` as `%22`, CR as `%0D`, LF as `%0A` (and nothing else:
/// non-ASCII names stay UTF-8).
fn quote_disposition(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\r', '\n']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('"', "%22")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// The boundary and the bytes of a `multipart/form-data` body; takes
/// boundaries from `next_boundary` until one occurs in no part.
pub(crate) fn encode_parts(
    parts: &[Part],
    mut next_boundary: impl FnMut() -> String,
) -> (String, Vec<u8>) {
    let boundary = loop {
        let candidate = next_boundary();
        let needle = candidate.as_bytes();
        let clash = parts
            .iter()
            .any(|part| contains(part.head.as_bytes(), needle) || contains(&part.content, needle));
        if !clash {
            break candidate;
        }
    };
    let size: usize = parts
        .iter()
        .map(|part| part.head.len() + part.content.len() + boundary.len() + 8)
        .sum();
    let mut out = Vec::with_capacity(size + boundary.len() + 6);
    for part in parts {
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(part.head.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    (boundary, out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// A fresh multipart boundary: a process-wide counter mixed with randomly
/// keyed hashes (at most 64 characters, all valid in a boundary).
pub(crate) fn new_boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = RandomState::new();
    let mut first = state.build_hasher();
    first.write_u64(count);
    let first = first.finish();
    let mut second = state.build_hasher();
    second.write_u64(first);
    second.write_u64(!count);
    format!(
        "----FormBoundary{first:016x}{:016x}{count:x}",
        second.finish()
    )
}
