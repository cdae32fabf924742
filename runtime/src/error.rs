//! Errors returned by the client.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::meta;
use crate::rate_limit::RateLimit;

/// The most characters of a non-JSON error body that [`ApiError`]'s `Display`
/// shows.
const BODY_SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong when calling the API.
///
/// The `Display` text of each variant already contains the message of the
/// underlying `reqwest` or `serde_json` error, so [`source`](StdError::source)
/// continues the chain *below* that error rather than repeating it: printing
/// the full chain (as `anyhow`'s `{:#}` does) says everything once.
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
    /// (connection refused, TLS, timeout, redirect limit, …).
    ///
    /// The error's URL never contains the API key: in
    /// [`AuthMode::Query`](crate::AuthMode::Query) the key's query pair is
    /// removed from it.
    Transport(reqwest::Error),
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
            Self::Encode(_) | Self::Config(_) => None,
        }
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(e) => Some(e.headers()),
            Self::Decode(e) => Some(e.headers()),
            _ => None,
        }
    }

    /// The rate-limit state reported with the response, when there was one.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            Self::Api(e) => Some(e.rate_limit()),
            Self::Decode(e) => Some(e.rate_limit()),
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
        match self {
            Self::Api(e) => fmt::Display::fmt(e, f),
            Self::Decode(e) => fmt::Display::fmt(e, f),
            Self::Transport(e) => write!(f, "HTTP transport error: {e}"),
            Self::Encode(message) => write!(f, "failed to encode the request: {message}"),
            Self::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Api(e) => e.source(),
            Self::Decode(e) => e.source(),
            Self::Transport(e) => e.source(),
            Self::Encode(_) | Self::Config(_) => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Self::Api(Box::new(error))
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
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
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
            name: envelope.name,
            message: envelope.message,
            details: envelope.details,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit state reported with the response.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
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
    /// envelope, the start of the body (if any) follows the status.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        match (&self.name, &self.message) {
            (Some(name), Some(message)) => write!(f, ": {name}: {message}"),
            (Some(text), None) | (None, Some(text)) => write!(f, ": {text}"),
            (None, None) => {
                let text = self.text();
                let text = text.trim();
                if text.is_empty() {
                    return Ok(());
                }
                f.write_str(": ")?;
                let mut chars = text.chars();
                for c in chars.by_ref().take(BODY_SNIPPET_CHARS) {
                    // Keep the message on one line.
                    let c = if c.is_control() { ' ' } else { c };
                    fmt::Write::write_char(f, c)?;
                }
                if chars.next().is_some() {
                    f.write_str("…")?;
                }
                Ok(())
            }
        }
    }
}

impl StdError for ApiError {}

/// A `2xx` response whose body could not be decoded into the expected type.
///
/// Besides bodies that are not valid JSON for the type, this covers bodies that
/// are not UTF-8 where text was expected, and `2xx` statuses the operation
/// does not document; both are reported through a [`json_error`](Self::json_error)
/// made with [`serde::de::Error::custom`] (category `Data`, line and column 0)
/// whose message says what went wrong.
#[derive(Debug)]
pub struct DecodeError {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
    target: &'static str,
    error: serde_json::Error,
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
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit state reported with the response.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

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

    /// The `serde_json` error, with [line](serde_json::Error::line) and
    /// [column](serde_json::Error::column) of the failure (see [`DecodeError`]
    /// for failures that are not about JSON).
    pub fn json_error(&self) -> &serde_json::Error {
        &self.error
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to decode the {} response body as `{}`: {}",
            self.status, self.target, self.error
        )
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
    if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    fn api_error(status: u16, body: &'static [u8]) -> ApiError {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        let rate_limit = RateLimit::from_headers(&headers);
        ApiError::new(
            StatusCode::from_u16(status).unwrap(),
            headers,
            rate_limit,
            Bytes::from_static(body),
        )
    }

    #[test]
    fn postman_envelope() {
        let e = api_error(
            401,
            br#"{"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}}"#,
        );
        assert_eq!(e.name(), Some("AuthenticationError"));
        assert_eq!(
            e.message(),
            Some("Invalid API Key. Every request requires a valid API Key to be sent.")
        );
        assert_eq!(e.details(), None);
        assert_eq!(
            e.to_string(),
            "401 Unauthorized: AuthenticationError: Invalid API Key. Every request requires a valid API Key to be sent."
        );
        assert_eq!(e.rate_limit().remaining(), Some(0));
    }

    #[test]
    fn postman_envelope_with_details() {
        let e = api_error(
            400,
            br#"{"error":{"name":"malformedRequestError","message":"Found 1 errors with the supplied collection.","details":["info: required property missing"]}}"#,
        );
        assert_eq!(e.name(), Some("malformedRequestError"));
        assert_eq!(
            e.details(),
            Some(&json!(["info: required property missing"]))
        );
        let e = api_error(
            404,
            br#"{"error":{"name":"instanceNotFoundError","message":"not found","details":{"model":"collection","model_id":"1"}}}"#,
        );
        assert_eq!(e.details().unwrap()["model"], "collection");
    }

    #[test]
    fn scim_shape() {
        let e = api_error(
            404,
            br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"User not found","status":"404"}"#,
        );
        assert_eq!(e.name(), None);
        assert_eq!(e.message(), Some("User not found"));
        assert_eq!(e.to_string(), "404 Not Found: User not found");
    }

    #[test]
    fn problem_details_shape() {
        let e = api_error(
            400,
            br#"{"type":"https://api.example.com/problems/bad-request","title":"Malformed request","detail":"limit must be a number","status":400}"#,
        );
        assert_eq!(e.name(), Some("Malformed request"));
        assert_eq!(e.message(), Some("limit must be a number"));
        let e = api_error(403, br#"{"type":"forbiddenError","detail":"nope"}"#);
        assert_eq!(e.name(), Some("forbiddenError"));
    }

    #[test]
    fn other_json_shapes() {
        let e = api_error(500, br#"{"error":"something broke"}"#);
        assert_eq!((e.name(), e.message()), (None, Some("something broke")));
        let e = api_error(
            400,
            br#"{"name":"paramMissingError","message":"x is required"}"#,
        );
        assert_eq!(e.name(), Some("paramMissingError"));
        assert_eq!(e.message(), Some("x is required"));
        // Wrong types are ignored, not errors.
        let e = api_error(
            400,
            br#"{"error":{"name":5,"message":null,"details":null}}"#,
        );
        assert_eq!((e.name(), e.message(), e.details()), (None, None, None));
        let e = api_error(400, b"[1,2]");
        assert_eq!((e.name(), e.message()), (None, None));
        assert_eq!(e.to_string(), "400 Bad Request: [1,2]");
    }

    #[test]
    fn non_json_body() {
        let e = api_error(502, b"<html>\r\n<body>Bad gateway</body>\n</html>");
        assert_eq!((e.name(), e.message(), e.details()), (None, None, None));
        assert_eq!(
            e.to_string(),
            "502 Bad Gateway: <html>  <body>Bad gateway</body> </html>"
        );
        assert_eq!(e.text(), "<html>\r\n<body>Bad gateway</body>\n</html>");
        let e = api_error(500, b"\xff\xfeoops");
        assert_eq!(e.body().as_ref(), b"\xff\xfeoops");
        assert_eq!(e.text(), "\u{fffd}\u{fffd}oops");
    }

    #[test]
    fn long_body_is_truncated_in_display() {
        let body: &'static [u8] = "é".repeat(500).leak().as_bytes();
        let e = api_error(500, body);
        let shown = e.to_string();
        assert!(shown.ends_with('…'));
        assert_eq!(
            shown.chars().filter(|c| *c == 'é').count(),
            BODY_SNIPPET_CHARS
        );
    }

    #[test]
    fn empty_body() {
        let e = api_error(404, b"");
        assert_eq!((e.name(), e.message()), (None, None));
        assert_eq!(e.to_string(), "404 Not Found");
        assert_eq!(e.json::<Option<u8>>().unwrap(), None);
        let e = api_error(503, b"  \n");
        assert_eq!(e.to_string(), "503 Service Unavailable");
    }

    #[test]
    fn api_error_json_decodes_typed() {
        #[derive(serde::Deserialize)]
        struct Envelope {
            error: Inner,
        }
        #[derive(serde::Deserialize)]
        struct Inner {
            name: String,
        }
        let e = api_error(400, br#"{"error":{"name":"x","message":"y"}}"#);
        assert_eq!(e.json::<Envelope>().unwrap().error.name, "x");
    }

    fn decode_error(body: &'static [u8]) -> Error {
        let error = serde_json::from_slice::<Vec<u32>>(body).unwrap_err();
        DecodeError::new(
            StatusCode::OK,
            HeaderMap::new(),
            RateLimit::default(),
            Bytes::from_static(body),
            std::any::type_name::<Vec<u32>>(),
            error,
        )
        .into()
    }

    #[test]
    fn decode_error_keeps_everything() {
        let e = decode_error(b"[1,\n\"x\"]");
        assert_eq!(e.status(), Some(StatusCode::OK));
        assert_eq!(e.raw_body().unwrap().as_ref(), b"[1,\n\"x\"]");
        assert!(e.rate_limit().unwrap().is_empty());
        assert!(e.headers().unwrap().is_empty());
        let Error::Decode(inner) = &e else {
            panic!("not a decode error: {e:?}")
        };
        assert_eq!(inner.json_error().line(), 2);
        assert_eq!(inner.json_error().column(), 3);
        assert_eq!(inner.text(), "[1,\n\"x\"]");
        assert!(inner.target_type().contains("Vec<u32>"));
        let shown = e.to_string();
        assert!(
            shown.starts_with("failed to decode the 200 OK response body as `alloc::vec::Vec<u32>`: invalid type: string \"x\", expected u32"),
            "{shown}"
        );
        assert!(shown.ends_with("at line 2 column 3"), "{shown}");
        assert!(
            StdError::source(&e).is_none(),
            "the serde message is in Display already"
        );
    }

    #[test]
    fn error_accessors() {
        let e: Error = api_error(429, b"").into();
        assert_eq!(e.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(e.rate_limit().unwrap().remaining(), Some(0));
        assert_eq!(e.headers().unwrap().len(), 1);
        assert_eq!(e.raw_body().unwrap().len(), 0);
        assert_eq!(e.as_api().unwrap().status(), 429);
        assert!(StdError::source(&e).is_none());

        let e = Error::Config("API key is empty".into());
        assert_eq!(
            e.to_string(),
            "invalid client configuration: API key is empty"
        );
        assert_eq!(
            (e.status(), e.rate_limit(), e.raw_body(), e.headers()),
            (None, None, None, None)
        );
        assert!(e.as_api().is_none());
        let e = Error::Encode("header `X-Id`: invalid value".into());
        assert_eq!(
            e.to_string(),
            "failed to encode the request: header `X-Id`: invalid value"
        );
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_traits<T: Send + Sync + 'static + StdError>() {}
        assert_traits::<Error>();
        assert_traits::<ApiError>();
        assert_traits::<DecodeError>();
        assert!(std::mem::size_of::<Error>() <= 4 * std::mem::size_of::<usize>());
    }

    /// What the generator emits for an operation's documented errors.
    #[derive(Debug, PartialEq)]
    enum GetThingError {
        NotFound(Problem),
        ClientError(Problem),
        Unavailable,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Problem {
        detail: String,
    }

    impl ErrorBody for GetThingError {
        fn from_status(status: StatusCode, body: &[u8]) -> Option<Result<Self, serde_json::Error>> {
            match status.as_u16() {
                404 => Some(crate::request::json(body).map(Self::NotFound)),
                400..=499 => Some(crate::request::json(body).map(Self::ClientError)),
                503 => Some(Ok(Self::Unavailable)),
                _ => None,
            }
        }
    }

    #[test]
    fn typed_error_bodies_by_status() {
        let problem = |detail: &str| Problem {
            detail: detail.to_owned(),
        };
        let e = api_error(404, br#"{"detail":"no such thing"}"#);
        assert_eq!(
            e.typed::<GetThingError>().unwrap().unwrap(),
            GetThingError::NotFound(problem("no such thing"))
        );
        assert_eq!(
            e.message(),
            Some("no such thing"),
            "the envelope still works"
        );
        let e = api_error(409, br#"{"detail":"conflict"}"#);
        assert_eq!(
            e.typed::<GetThingError>().unwrap().unwrap(),
            GetThingError::ClientError(problem("conflict"))
        );
        let e = api_error(503, b"<html>down</html>");
        assert_eq!(
            e.typed::<GetThingError>().unwrap().unwrap(),
            GetThingError::Unavailable
        );
        // Undocumented status.
        assert!(api_error(500, b"{}").typed::<GetThingError>().is_none());
        // Documented, but the body does not fit.
        let err = api_error(404, b"not json")
            .typed::<GetThingError>()
            .unwrap()
            .unwrap_err();
        assert!(err.is_syntax(), "{err}");
        let err = api_error(400, b"")
            .typed::<GetThingError>()
            .unwrap()
            .unwrap_err();
        assert!(err.is_data(), "an empty body is null: {err}");
    }

    #[test]
    fn decode_failures_that_are_not_json_errors() {
        let e: Error = DecodeError::new(
            StatusCode::CREATED,
            HeaderMap::new(),
            RateLimit::default(),
            Bytes::from_static(b"{}"),
            "Thing",
            decode_failure("unexpected status 201 Created: the operation does not document it"),
        )
        .into();
        assert_eq!(
            e.to_string(),
            "failed to decode the 201 Created response body as `Thing`: \
             unexpected status 201 Created: the operation does not document it"
        );
        let Error::Decode(inner) = &e else {
            panic!("not a decode error: {e:?}")
        };
        assert!(inner.json_error().is_data());
        assert_eq!(
            (inner.json_error().line(), inner.json_error().column()),
            (0, 0)
        );
        assert_eq!(inner.body().as_ref(), b"{}");
        assert!(StdError::source(&e).is_none());
    }

    #[test]
    fn json_or_null_only_replaces_blank_bodies() {
        assert_eq!(json_or_null(b""), b"null");
        assert_eq!(json_or_null(b" \r\n\t"), b"null");
        assert_eq!(json_or_null(b"{}"), b"{}");
    }
}
