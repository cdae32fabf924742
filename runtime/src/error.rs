//! Errors returned by the client.

mod limits;

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub(crate) use self::limits::Head;
use self::limits::{BodyPreview, DISPLAY_CHARS, DebugBounded, write_bounded};
pub use self::limits::{BodyTooLargeError, TimeLimit, TimeoutError, TimeoutPhase};
use crate::meta;
use crate::rate_limit::RateLimit;

/// The accessors of what a response carried besides its body (`status`, `headers`,
/// `rate_limit`), for the types that keep a response: [`ApiError`], [`DecodeError`] and
/// `Response`.
macro_rules! answer_parts {
    () => {
        /// The HTTP status code.
        pub fn status(&self) -> reqwest::StatusCode {
            self.status
        }

        /// The response headers.
        pub fn headers(&self) -> &reqwest::header::HeaderMap {
            &self.headers
        }

        /// The rate-limit state the server reported with the response.
        pub fn rate_limit(&self) -> &crate::RateLimit {
            &self.rate_limit
        }
    };
}
pub(crate) use answer_parts;

/// The most characters of a non-JSON error body that [`ApiError`]'s `Display`
/// shows.
pub(crate) const BODY_SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong when calling the API.
///
/// The `Display` text of each variant already contains the message of the
/// underlying `reqwest` or `serde_json` error, so [`source`](StdError::source)
/// continues the chain *below* that error rather than repeating it: printing
/// the full chain (as `anyhow`'s `{:#}` does) says everything once. (For
/// [`Error::Transport`] the text has the whole chain, down to the cause such
/// as `Connection refused`, and there is no source; the `reqwest` error in the
/// variant has it.)
///
/// `Display` is one line of at most a thousand characters, whatever the
/// server sent; bodies in `Debug` output are cut at a kilobyte.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status other than `2xx`.
    Api(Box<ApiError>),
    /// The server answered `2xx` but the body could not be decoded: not the
    /// expected JSON, not UTF-8 text where text was expected, or a `2xx` status
    /// the operation does not document.
    Decode(Box<DecodeError>),
    /// The request could not be sent or the response could not be read
    /// (connection refused, TLS, connection closed, redirect limit, …).
    ///
    /// The error's URL never contains the API key: in
    /// [`AuthMode::Query`](crate::AuthMode::Query) the key's query pair is
    /// removed from it.
    Transport(reqwest::Error),
    /// A time limit passed: the connect timeout, the timeout of an attempt,
    /// the call's deadline, or the retry policy's limit on waiting (see
    /// [`TimeoutError`]). Every call ends by its deadline.
    Timeout(Box<TimeoutError>),
    /// A `2xx` response body was larger than the client accepts (see
    /// [`BodyTooLargeError`]); the client stopped reading it. (The bodies of
    /// other statuses are cut instead, see [`ApiError::is_truncated`].)
    BodyTooLarge(Box<BodyTooLargeError>),
    /// A parameter or the request body could not be encoded (for example a
    /// header value with a line break, or a map with non-string keys).
    Encode(String),
    /// The client is misconfigured (missing API key, invalid base URL, …).
    Config(String),
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status()),
            Self::Decode(e) => Some(e.status()),
            Self::Transport(e) => e.status(),
            Self::Timeout(e) => e.status(),
            Self::BodyTooLarge(e) => Some(e.status()),
            Self::Encode(_) | Self::Config(_) => None,
        }
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(e) => Some(e.headers()),
            Self::Decode(e) => Some(e.headers()),
            Self::Timeout(e) => e.headers(),
            Self::BodyTooLarge(e) => Some(e.headers()),
            _ => None,
        }
    }

    /// The rate-limit state reported with the response, when there was one.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            Self::Api(e) => Some(e.rate_limit()),
            Self::Decode(e) => Some(e.rate_limit()),
            Self::Timeout(e) => e.rate_limit(),
            Self::BodyTooLarge(e) => Some(e.rate_limit()),
            _ => None,
        }
    }

    /// The raw response body, when there was a response.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Self::Api(e) => Some(e.body()),
            Self::Decode(e) => Some(e.body()),
            _ => None,
        }
    }

    /// The [`ApiError`] if this is [`Error::Api`].
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_bounded(f, DISPLAY_CHARS, |w| match self {
            Self::Api(e) => write!(w, "{e}"),
            Self::Decode(e) => write!(w, "{e}"),
            Self::Transport(e) => write_transport(w, e),
            Self::Timeout(e) => write!(w, "{e}"),
            Self::BodyTooLarge(e) => write!(w, "{e}"),
            Self::Encode(message) => write!(w, "failed to encode the request: {message}"),
            Self::Config(message) => write!(w, "invalid client configuration: {message}"),
        })
    }
}

/// `HTTP transport error: ` and what `reqwest` says, followed by the chain
/// of its causes, which say what happened (`Connection refused`, `too many
/// redirects`, a connection closed mid-body).
fn write_transport(w: &mut dyn fmt::Write, error: &reqwest::Error) -> fmt::Result {
    if error.is_decode() {
        // Bodies are read as bytes and never decoded by reqwest: its decode
        // errors are bodies that could not be read.
        w.write_str("HTTP transport error: the response body could not be read")?;
    } else {
        write!(w, "HTTP transport error: {error}")?;
    }
    let mut last = String::new();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Wrappers often repeat their inner error's message.
        if !text.is_empty() && text != last {
            write!(w, ": {text}")?;
        }
        last = text;
        source = cause.source();
    }
    Ok(())
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Api(e) => e.source(),
            Self::Decode(e) => e.source(),
            // The causes are part of the message already.
            Self::Transport(_) => None,
            Self::Timeout(_) | Self::BodyTooLarge(_) | Self::Encode(_) | Self::Config(_) => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Self::Api(Box::new(error))
    }
}

impl From<TimeoutError> for Error {
    fn from(error: TimeoutError) -> Self {
        Self::Timeout(Box::new(error))
    }
}

impl From<BodyTooLargeError> for Error {
    fn from(error: BodyTooLargeError) -> Self {
        Self::BodyTooLarge(Box::new(error))
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Self::Decode(Box::new(error))
    }
}

/// A response with a status other than `2xx`.
///
/// Besides the status, headers and raw body, the error envelope of the body is
/// parsed when it is JSON of one of these shapes (anything else, including a
/// body that is not JSON at all, simply has no [`name`](Self::name) or
/// [`message`](Self::message)):
///
/// | shape | `name` | `message` | `details` |
/// | --- | --- | --- | --- |
/// | `{"error": {"name", "message", "details"}}` | `error.name` | `error.message` | `error.details` |
/// | `{"error": "text"}` | — | `error` | — |
/// | `{"type", "title", "detail"}` (RFC 9457 problem details) | `title`, else `type` | `detail` | — |
/// | `{"schemas": [...], "detail", "status"}` (SCIM) | — | `detail` | — |
/// | `{"name", "message", "details"}` | `name` | `message` | `details` |
///
/// The body is kept up to [`ApiError::MAX_BODY`] bytes: the client stops
/// reading a longer one there ([`is_truncated`](Self::is_truncated)).
#[derive(Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
    truncated: bool,
    name: Option<String>,
    message: Option<String>,
    details: Option<Value>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        rate_limit: RateLimit,
        body: Bytes,
    ) -> Self {
        let envelope = Envelope::parse(&body);
        Self {
            status,
            headers,
            rate_limit,
            body,
            truncated: false,
            name: envelope.name,
            message: envelope.message,
            details: envelope.details,
        }
    }

    /// The most bytes of an error body the client reads and keeps (64 KiB:
    /// error messages are short; a longer body is an HTML page of a proxy or
    /// worse); less when the client's
    /// [`max_body_size`](crate::ClientBuilder::max_body_size) is less.
    pub const MAX_BODY: u64 = 64 * 1024;

    /// Marks the body as cut at the limit.
    pub(crate) fn truncated(mut self, truncated: bool) -> Self {
        self.truncated = truncated;
        self
    }

    answer_parts!();

    /// The raw response body (its start only, when
    /// [`is_truncated`](Self::is_truncated)).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Whether the body was longer than the client keeps
    /// ([`ApiError::MAX_BODY`]), so that [`body`](Self::body) is only its
    /// start.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// The response body as text (invalid UTF-8 is replaced by `U+FFFD`).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The error name from the envelope, such as `AuthenticationError`.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The human-readable error message from the envelope.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `details` of the envelope, as arbitrary JSON.
    pub fn details(&self) -> Option<&Value> {
        self.details.as_ref()
    }

    /// Decodes the body as JSON into `T`, for example an error schema of the
    /// API; an empty body decodes as `null`.
    ///
    /// # Errors
    ///
    /// The `serde_json` error if the body is not valid JSON for `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(json_or_null(&self.body))
    }

    /// Decodes the body into `E`, the error type of an operation, by status:
    /// `None` when the operation does not document this status, else the
    /// decoded body or the `serde_json` error.
    ///
    /// Generated operations that document error responses come with such a
    /// type (named after the operation, ending in `Error`).
    pub fn typed<E: ErrorBody>(&self) -> Option<Result<E, serde_json::Error>> {
        E::from_status(self.status, &self.body)
    }
}

/// The documented error responses of an operation, one variant per status:
/// implemented by the generated per-operation error enums and decoded with
/// [`ApiError::typed`].
pub trait ErrorBody: Sized {
    /// Decodes `body`, received with `status`; `None` when the status is not
    /// documented for the operation.
    fn from_status(status: StatusCode, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

impl fmt::Display for ApiError {
    /// `401 Unauthorized: AuthenticationError: Invalid API Key.`; without an
    /// envelope, the start of the body (if any) follows the status; a delay
    /// the server asked for follows the status too (`429 Too Many Requests
    /// (retry after 60 s): …`). One line, at most a thousand characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_bounded(f, DISPLAY_CHARS, |w| {
            write!(w, "{}", self.status)?;
            if let Some(seconds) = self.rate_limit.retry_after() {
                write!(w, " (retry after {seconds} s)")?;
            }
            match (&self.name, &self.message) {
                (Some(name), Some(message)) => write!(w, ": {name}: {message}"),
                (Some(text), None) | (None, Some(text)) => write!(w, ": {text}"),
                (None, None) => {
                    let start = &self.body[..self.body.len().min(4 * BODY_SNIPPET_CHARS)];
                    let text = String::from_utf8_lossy(start);
                    let text = text.trim();
                    if text.is_empty() {
                        return Ok(());
                    }
                    w.write_str(": ")?;
                    let mut chars = text.chars();
                    for c in chars.by_ref().take(BODY_SNIPPET_CHARS) {
                        w.write_char(c)?;
                    }
                    if chars.next().is_some() || start.len() < self.body.len() {
                        w.write_str("…")?;
                    }
                    Ok(())
                }
            }
        })
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("rate_limit", &self.rate_limit)
            .field("body", &BodyPreview(&self.body))
            .field("truncated", &self.truncated)
            .field("name", &self.name.as_ref().map(DebugBounded))
            .field("message", &self.message.as_ref().map(DebugBounded))
            .field("details", &self.details.as_ref().map(DebugBounded))
            .finish()
    }
}

impl StdError for ApiError {}

/// A `2xx` response whose body could not be decoded into the expected type.
///
/// Besides bodies that are not valid JSON for the type, this covers bodies that
/// are not UTF-8 where text was expected, and `2xx` statuses the operation
/// does not document; both are reported through a [`json_error`](Self::json_error)
/// made with [`serde::de::Error::custom`] (category `Data`, line and column 0)
/// whose message says what went wrong (`empty body` for a body that is empty
/// where a value was expected, see [`is_empty_body`](Self::is_empty_body)).
pub struct DecodeError {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
    target: &'static str,
    error: serde_json::Error,
    path: Option<String>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        rate_limit: RateLimit,
        body: Bytes,
        target: &'static str,
        error: serde_json::Error,
    ) -> Self {
        Self {
            status,
            headers,
            rate_limit,
            body,
            target,
            error,
            path: None,
        }
    }

    /// The same error, at `path` of the body (see [`path`](Self::path)).
    pub(crate) fn at(mut self, path: Option<String>) -> Self {
        self.path = path.filter(|p| p != ".");
        self
    }

    /// Where in the body decoding failed, as a path of member names and indexes
    /// (`collection.item[3].request.url`), when the failure is inside it.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Up to 80 characters of the body leading up to where decoding failed
    /// (serde_json's position is just after the offending token), on one line,
    /// when the JSON error has a position.
    pub fn excerpt(&self) -> Option<String> {
        let (line, column) = (self.error.line(), self.error.column());
        if line == 0 || is_blank(&self.body) {
            return None;
        }
        let text = String::from_utf8_lossy(&self.body);
        let row = text.lines().nth(line - 1)?;
        // serde_json counts columns in bytes; stay on character boundaries.
        let mut at = column.saturating_sub(1).min(row.len());
        while !row.is_char_boundary(at) {
            at -= 1;
        }
        let before: String = row[..at]
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = row[at..].chars().take(40).collect();
        let clean = |s: String| {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        };
        Some(format!("{}{}", clean(before), clean(after)))
    }

    answer_parts!();

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The response body as text (invalid UTF-8 is replaced by `U+FFFD`).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The Rust type the body should have decoded into.
    pub fn target_type(&self) -> &'static str {
        self.target
    }

    /// Whether the body was empty (or blank) where a value was expected.
    pub fn is_empty_body(&self) -> bool {
        is_blank(&self.body)
    }

    /// The `serde_json` error, with [line](serde_json::Error::line) and
    /// [column](serde_json::Error::column) of the failure (see [`DecodeError`]
    /// for failures that are not about JSON).
    pub fn json_error(&self) -> &serde_json::Error {
        &self.error
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // serde_json's message may quote a whole string of the body.
        write_bounded(f, DISPLAY_CHARS, |w| {
            write!(
                w,
                "failed to decode the {} response body as `{}`",
                self.status, self.target
            )?;
            if let Some(path) = &self.path {
                write!(w, " at `{path}`")?;
            }
            write!(w, ": {}", self.error)?;
            if let Some(excerpt) = self.excerpt() {
                write!(w, "; near `{excerpt}`")?;
            }
            Ok(())
        })
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("rate_limit", &self.rate_limit)
            .field("body", &BodyPreview(&self.body))
            .field("target", &self.target)
            .field("error", &DebugBounded(&self.error))
            .field("path", &self.path)
            .finish()
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        // The serde_json message is already part of `Display`.
        self.error.source()
    }
}

/// A decoding failure that is not a JSON syntax or type error (a body that is
/// not UTF-8, an undocumented status), as a `serde_json` error.
pub(crate) fn decode_failure(message: impl fmt::Display) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

/// The body to hand to `serde_json`: an empty (or blank) body reads as `null`.
pub(crate) fn json_or_null(body: &[u8]) -> &[u8] {
    if is_blank(body) { b"null" } else { body }
}

/// Whether `body` is empty or only whitespace.
pub(crate) fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// `decoded`, or for a blank body that did not decode (as `null`) the
/// failure `empty body`, which says more than serde's `invalid type: null`.
pub(crate) fn or_empty_body<T>(
    decoded: Result<T, serde_json::Error>,
    body: &[u8],
) -> Result<T, serde_json::Error> {
    decoded.map_err(|error| {
        if is_blank(body) {
            decode_failure("empty body")
        } else {
            error
        }
    })
}

/// One layout of an API's error bodies: JSON pointers to the error's name,
/// message and details, each list tried in order. The generator writes the
/// API's layouts into `meta::ERROR_SHAPES`.
#[derive(Debug)]
pub(crate) struct ErrorShape {
    pub(crate) name: &'static [&'static str],
    pub(crate) message: &'static [&'static str],
    pub(crate) details: &'static [&'static str],
}

/// The fields of a JSON error envelope (see [`ApiError`]).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Envelope {
    pub(crate) name: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) details: Option<Value>,
}

impl Envelope {
    /// The envelope of `body` by the API's layouts ([`meta::ERROR_SHAPES`]).
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self::parse_with(body, meta::ERROR_SHAPES)
    }

    /// The envelope of `body` by the first of `shapes` whose name or message
    /// is in it (as a string); empty when none is, or the body is not JSON.
    pub(crate) fn parse_with(body: &[u8], shapes: &[ErrorShape]) -> Self {
        let Ok(root) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let string = |pointers: &[&str]| {
            pointers
                .iter()
                .find_map(|p| root.pointer(p).and_then(Value::as_str).map(str::to_owned))
        };
        for shape in shapes {
            let (name, message) = (string(shape.name), string(shape.message));
            if name.is_some() || message.is_some() {
                let details = shape
                    .details
                    .iter()
                    .find_map(|p| root.pointer(p).filter(|v| !v.is_null()).cloned());
                return Self {
                    name,
                    message,
                    details,
                };
            }
        }
        Self::default()
    }
}
