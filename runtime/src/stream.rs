//! Streamed responses: a body that is a sequence of items (OpenAPI 3.2's
//! `itemSchema`), each decoded as it arrives. [`ItemStream`] is what the
//! `send()` of such an operation returns inside its [`Response`].
//!
//! [`framing`] cuts the body into items; this module reads the body, keeps the
//! time and size limits, and decodes each item.

pub(crate) mod framing;

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::time::{Instant, timeout_at};

pub(crate) use self::framing::Format;
use self::framing::{Event, Frame, Framer, Resume};
use crate::client::{Auth, Client};
use crate::error::{BodyTooLargeError, DecodeError, Error, Head, TimeLimit, TimeoutError};
use crate::error::{TimeoutPhase, decode_failure};
use crate::request::Request;
use crate::request::send::fetch_open;
use crate::request::url::remove_query_pair;
use crate::response::Response;

// The interface generated code relies on (see `request.rs`).
const _: () = {
    let _ = Client::execute_stream::<Value>;
    let _: [Items; 4] = [
        Items::JsonLines,
        Items::JsonSeq,
        Items::Events { json_data: false },
        Items::EventData { json: false },
    ];
};

/// What each item of a streamed body is, decided by the generator from the
/// media type and the item schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Items {
    /// A line of JSON Lines.
    JsonLines,
    /// A JSON text of a JSON text sequence.
    JsonSeq,
    /// A server-sent event as an object of its fields, `event`, `data`, `id`
    /// and `retry` (each only when the event set it), as OpenAPI models events;
    /// with `json_data`, `data` is parsed as JSON first (the item schema's
    /// `data` is not a string).
    Events { json_data: bool },
    /// The `data` of each server-sent event alone: the item schema does not
    /// describe an event object. With `json`, the data is parsed as JSON.
    EventData { json: bool },
}

impl Items {
    fn format(self) -> Format {
        match self {
            Self::JsonLines => Format::JsonLines,
            Self::JsonSeq => Format::JsonSeq,
            Self::Events { .. } | Self::EventData { .. } => Format::Events,
        }
    }
}

impl Client {
    /// Sends `request` (with `Accept: accept`) and returns, once a `2xx`
    /// answer's headers are in, the stream of its body's items.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute), up to the headers of the answer; what
    /// goes wrong after them comes out of the stream.
    pub(crate) async fn execute_stream<T: DeserializeOwned>(
        &self,
        request: Request,
        items: Items,
        accept: &'static str,
    ) -> Result<Response<ItemStream<T>>, Error> {
        let (head, response, clock, attempts) = fetch_open(self.inner(), request, accept).await?;
        let query_key = match &self.inner().auth {
            Auth::Query { name, .. } => Some(*name),
            _ => None,
        };
        let limits = Limits {
            deadline: clock.deadline,
            call_timeout: clock.call_timeout,
            idle: clock.attempt_timeout,
            max_item: clock.max_body_size,
            attempts,
        };
        let stream = ItemStream {
            items,
            framer: Framer::new(items.format(), limits.max_item),
            ready: VecDeque::new(),
            failure: None,
            body: Body::Idle(response),
            head: head.clone(),
            limits,
            query_key,
            received: 0,
            resume: Resume::default(),
            item: PhantomData,
        };
        Ok(Response::new(
            head.status,
            head.headers,
            head.rate_limit,
            stream,
        ))
    }
}

/// The items of a streamed response body (`text/event-stream`,
/// `application/jsonl`, `application/json-seq`), each decoded into `T` as it
/// arrives.
///
/// Take them with `stream.next().await` until it returns `None`; the type is
/// also a [`futures_core::Stream`], for the combinators of `futures` or
/// `tokio-stream`.
///
/// * An item that does not decode is an [`Error::Decode`] holding the item's
///   raw text; the stream goes on after it, so a sentinel such as `[DONE]`
///   can be skipped.
/// * The stream ends after an error it cannot read past: the connection
///   failed ([`Error::Transport`]), the server sent nothing for the attempt
///   timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout),
///   which here is the longest wait for the next part of the body) or the
///   call's deadline passed ([`Error::Timeout`]; the deadline counts for the
///   whole stream, so give a long-lived stream a long
///   [`RequestOptions::call_timeout`](crate::RequestOptions::call_timeout)), or
///   one item was larger than the body size limit ([`Error::BodyTooLarge`]).
/// * Server-sent events follow the WHATWG rules: comments and events without
///   `data` are skipped, and an event the body ends in the middle of is
///   dropped. The stream does not reconnect; [`last_event_id`](Self::last_event_id)
///   and [`retry`](Self::retry) say where and when to resume.
#[must_use = "a stream does nothing unless its items are taken"]
pub struct ItemStream<T> {
    items: Items,
    framer: Framer,
    /// Items cut out of the body and not yet taken.
    ready: VecDeque<Frame>,
    /// The error that ended the stream, given out after the items before it.
    failure: Option<Error>,
    body: Body,
    head: Head,
    limits: Limits,
    /// The query parameter that carries the API key, to keep it out of errors.
    query_key: Option<&'static str>,
    received: u64,
    /// As of the last event taken, or of the end of the body.
    resume: Resume,
    item: PhantomData<fn() -> T>,
}

/// The limits the reading of a streamed body keeps.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// When the call's deadline passes: the last byte must come before.
    deadline: Instant,
    /// The call's timeout, which set the deadline.
    call_timeout: Duration,
    /// The longest wait for the next chunk of the body (the attempt timeout).
    idle: Duration,
    /// The largest item accepted (the largest body of other calls).
    max_item: u64,
    /// The attempts the call made.
    attempts: u32,
}

/// The next chunk of the body, or why there is none.
type Chunk = Result<Result<Option<Bytes>, reqwest::Error>, tokio::time::error::Elapsed>;

/// Where reading the body is.
enum Body {
    /// Between chunks.
    Idle(reqwest::Response),
    /// Waiting for the next chunk, by the end of the idle time or the deadline.
    Reading(Pin<Box<dyn Future<Output = (reqwest::Response, Chunk)> + Send>>),
    /// The body ended, or an error ended the stream.
    Done,
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("items", &self.items)
            .field("status", &self.head.status)
            .field("received", &self.received)
            .field("ended", &matches!(self.body, Body::Done))
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> ItemStream<T> {
    /// The next item, or `None` when the body has ended (or after an error
    /// that ends the stream).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Takes every item, stopping at the first error.
    ///
    /// # Errors
    ///
    /// The first item's error, or the error that ended the stream.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// [`next`](Self::next) for programs without an async runtime (feature
    /// `blocking`): the stream must come from a `send_blocking()`.
    #[cfg(feature = "blocking")]
    pub fn next_blocking(&mut self) -> Option<Result<T, Error>> {
        crate::blocking::block_on(async { Ok(self.next().await) }).unwrap_or_else(|e| Some(Err(e)))
    }
}

impl<T> ItemStream<T> {
    /// The last event ID of the server-sent events taken so far (the last
    /// `id:` the server sent before them, which carries over from event to
    /// event), to resume from with a `Last-Event-ID` header, if the API
    /// supports it.
    pub fn last_event_id(&self) -> Option<&str> {
        self.resume.last_event_id.as_deref()
    }

    /// The reconnection time the server last asked for with `retry:`, as of
    /// the events taken so far.
    pub fn retry(&self) -> Option<Duration> {
        self.resume.retry.map(Duration::from_millis)
    }

    /// The bytes of the body received so far.
    pub fn received(&self) -> u64 {
        self.received
    }
}

impl<T: DeserializeOwned> ItemStream<T> {
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        loop {
            if let Some(frame) = self.ready.pop_front() {
                return Poll::Ready(Some(self.decode(frame)));
            }
            if let Some(error) = self.failure.take() {
                return Poll::Ready(Some(Err(error)));
            }
            match std::mem::replace(&mut self.body, Body::Done) {
                Body::Done => {
                    // Every event is taken: what blocks without data said counts too.
                    self.resume.clone_from(self.framer.resume());
                    return Poll::Ready(None);
                }
                Body::Idle(response) => self.body = Body::Reading(self.read_chunk(response)),
                Body::Reading(mut reading) => {
                    let Poll::Ready((response, chunk)) = reading.as_mut().poll(cx) else {
                        self.body = Body::Reading(reading);
                        return Poll::Pending;
                    };
                    match self.take_chunk(chunk) {
                        Ok(true) => self.body = Body::Idle(response),
                        // The body ended: what the framer completed is still to take.
                        Ok(false) => {}
                        // After the items before it.
                        Err(error) => self.failure = Some(error),
                    }
                }
            }
        }
    }

    /// Waits for the next chunk of `response`, by the end of the idle time or
    /// the call's deadline, whichever comes first.
    fn read_chunk(
        &self,
        mut response: reqwest::Response,
    ) -> Pin<Box<dyn Future<Output = (reqwest::Response, Chunk)> + Send>> {
        let (end, _) = self.next_end();
        Box::pin(async move {
            let chunk = timeout_at(end, response.chunk()).await;
            (response, chunk)
        })
    }

    /// When the next chunk must have come, and which limit that is.
    fn next_end(&self) -> (Instant, TimeLimit) {
        match Instant::now().checked_add(self.limits.idle) {
            Some(end) if end < self.limits.deadline => (end, TimeLimit::Attempt),
            _ => (self.limits.deadline, TimeLimit::Call),
        }
    }

    /// Cuts a chunk into items: `Ok(true)` to read on, `Ok(false)` at the end
    /// of the body, `Err` for an error that ends the stream.
    fn take_chunk(&mut self, chunk: Chunk) -> Result<bool, Error> {
        let oversized = |this: &Self| {
            Error::BodyTooLarge(Box::new(BodyTooLargeError::new(
                this.head.clone(),
                this.limits.max_item,
                None,
                this.received,
                true,
            )))
        };
        match chunk {
            Ok(Ok(Some(bytes))) => {
                self.received = self.received.saturating_add(bytes.len() as u64);
                match self.framer.push(&bytes, &mut self.ready) {
                    Ok(()) => Ok(true),
                    Err(_) => Err(oversized(self)),
                }
            }
            Ok(Ok(None)) => match self.framer.finish(&mut self.ready) {
                Ok(()) => Ok(false),
                Err(_) => Err(oversized(self)),
            },
            Ok(Err(mut error)) => {
                if let (Some(name), Some(url)) = (self.query_key, error.url_mut()) {
                    remove_query_pair(url, name);
                }
                Err(Error::Transport(error))
            }
            Err(_) => {
                // The limit that passed is the one `read_chunk` waited for,
                // unless the deadline came first meanwhile.
                let limit = if Instant::now() >= self.limits.deadline {
                    TimeLimit::Call
                } else {
                    TimeLimit::Attempt
                };
                let after = match limit {
                    TimeLimit::Call => self.limits.call_timeout,
                    _ => self.limits.idle,
                };
                let error =
                    TimeoutError::new(limit, after, TimeoutPhase::Body, self.limits.attempts)
                        .with_response(self.head.clone(), self.received);
                Err(Error::Timeout(Box::new(error)))
            }
        }
    }

    /// Decodes one item into `T`.
    fn decode(&mut self, frame: Frame) -> Result<T, Error> {
        let (raw, decoded) = match frame {
            Frame::Text(text) => {
                let decoded = crate::request::json_at::<T>(&text);
                (Bytes::from(text), decoded)
            }
            Frame::Event(event, resume) => {
                self.resume = resume;
                let decoded = self.decode_event(&event);
                (Bytes::from(event.data), decoded)
            }
        };
        decoded.map_err(|(error, path)| {
            let error = DecodeError::new(
                self.head.status,
                self.head.headers.clone(),
                self.head.rate_limit,
                raw,
                std::any::type_name::<T>(),
                error,
            );
            Error::Decode(Box::new(error.at(Some(path))))
        })
    }

    /// An event as `T`: the object of its fields, or its data alone.
    fn decode_event(&self, event: &Event) -> Result<T, (serde_json::Error, String)> {
        let data = |json: bool| -> Result<Value, (serde_json::Error, String)> {
            if json {
                serde_json::from_str(&event.data).map_err(|e| (e, ".".to_owned()))
            } else {
                Ok(Value::String(event.data.clone()))
            }
        };
        let value = match self.items {
            Items::EventData { json } => data(json)?,
            Items::Events { json_data } => {
                let mut object = Map::new();
                if let Some(name) = &event.event {
                    object.insert("event".to_owned(), Value::String(name.clone()));
                }
                object.insert("data".to_owned(), data(json_data)?);
                if let Some(id) = &event.id {
                    object.insert("id".to_owned(), Value::String(id.clone()));
                }
                if let Some(retry) = event.retry {
                    object.insert("retry".to_owned(), Value::from(retry));
                }
                Value::Object(object)
            }
            Items::JsonLines | Items::JsonSeq => {
                return Err((decode_failure("not an event stream"), ".".to_owned()));
            }
        };
        serde_path_to_error::deserialize(value).map_err(|error| {
            let path = error.path().to_string();
            (error.into_inner(), path)
        })
    }
}

impl<T: DeserializeOwned> futures_core::Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

// Nothing in an `ItemStream` is pinned in place: the reading future is boxed.
impl<T> Unpin for ItemStream<T> {}
