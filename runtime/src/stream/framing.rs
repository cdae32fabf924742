//! Cutting a streamed body into its items as the chunks arrive: JSON Lines (one
//! JSON text per line), JSON text sequences (RFC 7464: each text after a record
//! separator, `0x1E`) and server-sent events (the WHATWG `text/event-stream`
//! format). Nothing here reads the network or decodes JSON; each item is kept
//! only while it is incomplete, and never past the size limit.

use std::collections::VecDeque;

/// The record separator of JSON text sequences.
const RS: u8 = 0x1E;
/// The UTF-8 byte order mark, which each format may start with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a body is cut into items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `application/jsonl`, `application/x-ndjson`: a JSON text per line;
    /// blank lines are skipped (a `\r` before the `\n` is JSON whitespace).
    JsonLines,
    /// `application/json-seq` (RFC 7464).
    JsonSeq,
    /// `text/event-stream`.
    Events,
}

/// One item cut out of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Frame {
    /// The bytes of one JSON text (JSON Lines, JSON text sequences).
    Text(Vec<u8>),
    /// One server-sent event, and the stream's resume state when it was dispatched.
    Event(Event, Resume),
}

/// A server-sent event as the WHATWG parsing rules build it; the fields a
/// block of lines did not set are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Event {
    /// `event:`, the event type.
    pub(crate) event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub(crate) data: String,
    /// `id:` (a value with a NUL is ignored, as browsers ignore it).
    pub(crate) id: Option<String>,
    /// `retry:`, when all digits.
    pub(crate) retry: Option<u64>,
}

/// What an event stream says about resuming it, as of one event: the last event
/// ID (which, unlike an event's own `id`, carries over from event to event, and
/// is set by blocks without data too) and the reconnection time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Resume {
    pub(crate) last_event_id: Option<String>,
    /// The last `retry:` of the stream, in milliseconds.
    pub(crate) retry: Option<u64>,
}

/// An item in progress grew past the size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Oversized;

/// The state of cutting one body.
#[derive(Debug)]
pub(crate) struct Framer {
    format: Format,
    max_item: usize,
    /// The start of the body, until it is known whether it opens with a BOM.
    start: Option<Vec<u8>>,
    /// The item (or, for events, the line) read so far.
    pending: Vec<u8>,
    /// Events: the last byte was a `\r`, so a `\n` right after it ends nothing.
    after_cr: bool,
    /// Events: the event being built.
    event: Event,
    /// Events: whether a `data:` line was seen (`data:` with no value counts).
    has_data: bool,
    /// Events: the last event ID buffer, which outlives events.
    id_buffer: Option<String>,
    /// Events: what the last dispatch (blank line) left.
    resume: Resume,
}

impl Framer {
    /// A framer for one body; an item of more than `max_item` bytes is an
    /// error.
    pub(crate) fn new(format: Format, max_item: u64) -> Self {
        Self {
            format,
            max_item: usize::try_from(max_item).unwrap_or(usize::MAX),
            start: Some(Vec::new()),
            pending: Vec::new(),
            after_cr: false,
            event: Event::default(),
            has_data: false,
            id_buffer: None,
            resume: Resume::default(),
        }
    }

    /// Takes the next chunk of the body, adding the items it completes to
    /// `out`.
    pub(crate) fn push(
        &mut self,
        chunk: &[u8],
        out: &mut VecDeque<Frame>,
    ) -> Result<(), Oversized> {
        let Some(mut start) = self.start.take() else {
            return self.feed(chunk, out);
        };
        start.extend_from_slice(chunk);
        if start.len() < BOM.len() && BOM.starts_with(&start) {
            // Too short to tell yet.
            self.start = Some(start);
            return Ok(());
        }
        let body = start.strip_prefix(BOM).unwrap_or(&start);
        self.feed(body, out)
    }

    /// The end of the body: adds the item it completes, if any. A JSON text
    /// without its final line break still counts; an event without the blank
    /// line that ends it does not (the WHATWG rules drop it).
    pub(crate) fn finish(&mut self, out: &mut VecDeque<Frame>) -> Result<(), Oversized> {
        if let Some(start) = self.start.take() {
            self.feed(&start, out)?;
        }
        match self.format {
            Format::JsonLines | Format::JsonSeq => self.emit_text(out),
            Format::Events => {}
        }
        Ok(())
    }

    fn feed(&mut self, chunk: &[u8], out: &mut VecDeque<Frame>) -> Result<(), Oversized> {
        match self.format {
            Format::JsonLines => self.split_texts(chunk, b'\n', out),
            Format::JsonSeq => self.split_texts(chunk, RS, out),
            Format::Events => self.split_lines(chunk, out),
        }
    }

    /// JSON texts separated by `separator`.
    fn split_texts(
        &mut self,
        mut chunk: &[u8],
        separator: u8,
        out: &mut VecDeque<Frame>,
    ) -> Result<(), Oversized> {
        while let Some(end) = chunk.iter().position(|&b| b == separator) {
            self.take(&chunk[..end])?;
            self.emit_text(out);
            chunk = &chunk[end + 1..];
        }
        self.take(chunk)
    }

    /// The pending text as an item, unless it is blank.
    fn emit_text(&mut self, out: &mut VecDeque<Frame>) {
        let text = std::mem::take(&mut self.pending);
        if !text.iter().all(u8::is_ascii_whitespace) {
            out.push_back(Frame::Text(text));
        }
    }

    /// Appends to the pending item, within the limit.
    fn take(&mut self, bytes: &[u8]) -> Result<(), Oversized> {
        let held = self.pending.len() + self.event.data.len();
        if held.saturating_add(bytes.len()) > self.max_item {
            return Err(Oversized);
        }
        self.pending.extend_from_slice(bytes);
        Ok(())
    }

    /// Event stream lines, which end at `\r\n`, `\n` or `\r`.
    fn split_lines(
        &mut self,
        mut chunk: &[u8],
        out: &mut VecDeque<Frame>,
    ) -> Result<(), Oversized> {
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.after_cr = false;
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.take(&chunk[..end])?;
            let line = std::mem::take(&mut self.pending);
            self.line(&line, out);
            let cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.take(chunk)
    }

    /// One line of an event stream.
    fn line(&mut self, line: &[u8], out: &mut VecDeque<Frame>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return, // a comment
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            // An empty type is no type (browsers call it `message`).
            b"event" => self.event.event = (!value.is_empty()).then(|| value.into_owned()),
            b"data" => {
                if self.has_data {
                    self.event.data.push('\n');
                }
                self.event.data.push_str(&value);
                self.has_data = true;
            }
            b"id" if !value.contains('\0') => {
                self.event.id = Some(value.to_string());
                self.id_buffer = Some(value.into_owned());
            }
            b"retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits past `u64` are as good as forever.
                let retry = value.parse().unwrap_or(u64::MAX);
                self.event.retry = Some(retry);
                self.resume.retry = Some(retry);
            }
            _ => {}
        }
    }

    /// A blank line: the event built so far is complete, if it has data; the
    /// last event ID is set either way.
    fn dispatch(&mut self, out: &mut VecDeque<Frame>) {
        let event = std::mem::take(&mut self.event);
        self.resume.last_event_id.clone_from(&self.id_buffer);
        if std::mem::take(&mut self.has_data) {
            out.push_back(Frame::Event(event, self.resume.clone()));
        }
    }

    /// The resume state after the last dispatch.
    pub(crate) fn resume(&self) -> &Resume {
        &self.resume
    }
}
