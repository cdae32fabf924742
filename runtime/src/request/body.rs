//! Reading a response body within a size limit, chunk by chunk, so that an
//! endless or huge body costs at most the limit in memory.

use bytes::Bytes;

/// What to do with a body larger than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// Fail: the body of a success, which the caller needs whole.
    Fail,
    /// Keep the start and stop reading: the body of an error, kept for its
    /// message.
    Truncate,
}

/// The body is larger than the limit (and [`Overflow::Fail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge {
    /// The bytes received before the reader stopped.
    pub(crate) received: u64,
}

/// Collects the chunks of one body, up to `limit` bytes.
#[derive(Debug)]
pub(crate) struct BodyReader {
    limit: u64,
    overflow: Overflow,
    /// The announced length (`Content-Length`), to size the buffer.
    expected: Option<u64>,
    /// The body while it is one chunk, kept without copying.
    first: Option<Bytes>,
    /// The body once it is more than one chunk.
    pub(crate) joined: Vec<u8>,
    received: u64,
    truncated: bool,
}

impl BodyReader {
    /// A reader for a body announced as `content_length` bytes, if it was;
    /// fails at once when that is more than the limit and `overflow` is
    /// [`Overflow::Fail`].
    pub(crate) fn new(
        limit: u64,
        overflow: Overflow,
        content_length: Option<u64>,
    ) -> Result<Self, TooLarge> {
        if overflow == Overflow::Fail && content_length.is_some_and(|length| length > limit) {
            return Err(TooLarge { received: 0 });
        }
        Ok(Self {
            limit,
            overflow,
            expected: content_length,
            first: None,
            joined: Vec::new(),
            received: 0,
            truncated: false,
        })
    }

    /// Takes the next chunk: `Ok(true)` to go on reading, `Ok(false)` when
    /// the body was cut at the limit ([`Overflow::Truncate`]), `Err` when it
    /// went past it ([`Overflow::Fail`]).
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<bool, TooLarge> {
        self.received = self.received.saturating_add(chunk.len() as u64);
        let room = self.limit.saturating_sub(self.len());
        if chunk.len() as u64 <= room {
            self.append(chunk);
            return Ok(true);
        }
        match self.overflow {
            Overflow::Fail => Err(TooLarge {
                received: self.received,
            }),
            Overflow::Truncate => {
                // `room` is less than the chunk's length, so it fits a usize.
                self.append(chunk.slice(..room as usize));
                self.truncated = true;
                Ok(false)
            }
        }
    }

    /// The bytes received so far (those past a truncation included).
    pub(crate) fn received(&self) -> u64 {
        self.received
    }

    /// The body kept, and whether it was cut at the limit.
    pub(crate) fn finish(self) -> (Bytes, bool) {
        let body = match self.first {
            Some(first) => first,
            None => Bytes::from(self.joined),
        };
        (body, self.truncated)
    }

    fn len(&self) -> u64 {
        match &self.first {
            Some(first) => first.len() as u64,
            None => self.joined.len() as u64,
        }
    }

    fn append(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        if self.joined.is_empty() {
            let Some(first) = self.first.take() else {
                self.first = Some(chunk);
                return;
            };
            self.grow(first.len() + chunk.len());
            self.joined.extend_from_slice(&first);
        } else {
            self.grow(self.joined.len() + chunk.len());
        }
        self.joined.extend_from_slice(&chunk);
    }

    /// Makes room for `needed` bytes: the announced length at once, else
    /// doubling, never past the limit (so a body just under the limit does
    /// not cost twice the limit).
    fn grow(&mut self, needed: usize) {
        if needed <= self.joined.capacity() {
            return;
        }
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let expected = self
            .expected
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0);
        let target = needed
            .max(expected)
            .max(self.joined.capacity().saturating_mul(2))
            .min(limit)
            .max(needed);
        self.joined.reserve_exact(target - self.joined.len());
    }
}
