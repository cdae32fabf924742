//! Tests of `crate::error`.

use std::error::Error as StdError;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use std::time::{Duration, SystemTime};

use crate::error::{
    ApiError, BODY_SNIPPET_CHARS, BodyTooLargeError, DecodeError, Envelope, Error, ErrorBody,
    ErrorShape, Head, TimeLimit, TimeoutError, TimeoutPhase, decode_failure, json_or_null,
};
use crate::rate_limit::RateLimit;

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
fn a_delay_asked_for_follows_the_status() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("60"));
    let e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        headers.clone(),
        RateLimit::from_headers(&headers),
        Bytes::from_static(br#"{"error":{"name":"rateLimitError","message":"Slow down."}}"#),
    );
    assert_eq!(
        e.to_string(),
        "429 Too Many Requests (retry after 60 s): rateLimitError: Slow down."
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
    assert!(
        shown.ends_with("at line 2 column 3; near `\"x\"]`"),
        "{shown}"
    );
    assert_eq!(inner.excerpt().as_deref(), Some("\"x\"]"));
    assert_eq!(inner.path(), None);
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

/// Postman's layouts, as its description states them in `x-error-envelope`.
const POSTMAN_SHAPES: &[ErrorShape] = &[
    ErrorShape {
        name: &["/error/name"],
        message: &["/error/message"],
        details: &["/error/details"],
    },
    ErrorShape {
        name: &[],
        message: &["/error"],
        details: &[],
    },
    ErrorShape {
        name: &["/title", "/type"],
        message: &["/detail"],
        details: &[],
    },
];

#[test]
fn envelope_layouts_are_tried_in_order() {
    let parse = |body: &str| Envelope::parse_with(body.as_bytes(), POSTMAN_SHAPES);
    let e = parse(
        r#"{"error":{"name":"instanceNotFoundError","message":"gone","details":{"id":"1"}}}"#,
    );
    assert_eq!(e.name.as_deref(), Some("instanceNotFoundError"));
    assert_eq!(e.message.as_deref(), Some("gone"));
    assert_eq!(e.details, Some(json!({"id": "1"})));
    // The second layout only when the first finds nothing.
    assert_eq!(
        parse(r#"{"error":"broken"}"#).message.as_deref(),
        Some("broken")
    );
    // SCIM: no title, no type, a `detail`.
    let scim = parse(
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"User not found","status":"404"}"#,
    );
    assert_eq!(
        (scim.name, scim.message.as_deref()),
        (None, Some("User not found"))
    );
    // A layout the API does not declare is not read.
    assert_eq!(parse(r#"{"message":"Not Found"}"#), Envelope::default());
    // Null details are no details; non-string names are not names.
    let e = parse(r#"{"error":{"name":7,"message":"m","details":null}}"#);
    assert_eq!(
        (e.name, e.message.as_deref(), e.details),
        (None, Some("m"), None)
    );
    assert_eq!(parse("not json"), Envelope::default());
    assert_eq!(
        Envelope::parse_with(b"{\"error\":\"x\"}", &[]),
        Envelope::default()
    );
}

/// Without `x-error-envelope` the generator writes common layouts into `meta`
/// (the stand-in here has the same): bodies of well-known APIs read sensibly.
#[test]
fn default_layouts_read_common_error_bodies() {
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        // Stripe, OpenAI: an `error` object with a `type`.
        (
            r#"{"error":{"type":"invalid_request_error","message":"No such customer"}}"#,
            Some("invalid_request_error"),
            Some("No such customer"),
        ),
        // GitHub: a top-level `message`.
        (
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com"}"#,
            None,
            Some("Not Found"),
        ),
        // RFC 9457 problem details.
        (
            r#"{"type":"https://example.com/probs/out-of-credit","title":"Out of credit","detail":"Balance is 30"}"#,
            Some("Out of credit"),
            Some("Balance is 30"),
        ),
        // An OAuth-style bare `error` string.
        (r#"{"error":"invalid_token"}"#, None, Some("invalid_token")),
    ];
    for (body, name, message) in cases {
        let e = Envelope::parse(body.as_bytes());
        assert_eq!(
            (e.name.as_deref(), e.message.as_deref()),
            (*name, *message),
            "{body}"
        );
    }
}

fn head(status: u16) -> Head {
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("3"));
    Head {
        status: StatusCode::from_u16(status).unwrap(),
        rate_limit: RateLimit::from_headers(&headers),
        headers,
    }
}

#[test]
fn timeouts_say_which_limit_passed_while_doing_what() {
    let cases = [
        (
            TimeoutError::new(
                TimeLimit::Connect,
                Duration::from_secs(10),
                TimeoutPhase::Connect,
                4,
            ),
            "timed out after 10 s while connecting (after 4 attempts)",
        ),
        (
            TimeoutError::new(
                TimeLimit::Attempt,
                Duration::from_millis(250),
                TimeoutPhase::Answer,
                1,
            ),
            "timed out after 250 ms while waiting for the answer (after 1 attempt)",
        ),
        (
            TimeoutError::new(
                TimeLimit::Call,
                Duration::from_millis(1500),
                TimeoutPhase::Body,
                2,
            )
            .with_response(head(200), 1234),
            "the call's deadline of 1.5 s passed while reading the body of the 200 OK answer \
             (1234 bytes received) (after 2 attempts)",
        ),
        (
            TimeoutError::new(
                TimeLimit::Call,
                Duration::from_secs(120),
                TimeoutPhase::RateLimiter,
                0,
            )
            .with_until(
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_600),
                Duration::from_secs(600),
            ),
            "not sent: the client-side rate limiter holds requests for another 600 s \
             (until 2023-11-14T22:23:20Z), past the call's deadline of 120 s (after 0 attempts)",
        ),
        (
            TimeoutError::new(
                TimeLimit::TotalWait,
                Duration::from_secs(65),
                TimeoutPhase::RateLimiter,
                1,
            ),
            "the retry policy's limit on waiting of 65 s passed while waiting for the \
             client-side rate limiter (after 1 attempt)",
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(error.to_string(), expected);
        let error = Error::from(error);
        assert_eq!(error.to_string(), expected);
        assert!(matches!(&error, Error::Timeout(_)));
    }
    let body = TimeoutError::new(
        TimeLimit::Attempt,
        Duration::from_secs(1),
        TimeoutPhase::Body,
        1,
    )
    .with_response(head(206), 7);
    assert!(!body.is_deadline());
    assert_eq!(body.received(), 7);
    let error = Error::from(body);
    assert_eq!(error.status(), Some(StatusCode::PARTIAL_CONTENT));
    assert_eq!(error.rate_limit().and_then(RateLimit::remaining), Some(3));
    assert!(error.headers().is_some());
    assert!(error.raw_body().is_none());
    assert!(StdError::source(&error).is_none());
}

#[test]
fn body_too_large_says_the_limit() {
    let error = BodyTooLargeError::new(head(200), 64, Some(300), 0, false);
    assert_eq!(
        error.to_string(),
        "the body of the 200 OK answer is larger than 64 bytes, the most the client accepts \
         (Content-Length: 300)"
    );
    let error = Error::from(BodyTooLargeError::new(head(200), 64, None, 100, false));
    assert_eq!(
        error.to_string(),
        "the body of the 200 OK answer is larger than 64 bytes, the most the client accepts \
         (stopped after 100 bytes)"
    );
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert_eq!(error.rate_limit().and_then(RateLimit::remaining), Some(3));
}

/// Characters of `text`, without the closing `…`.
fn chars(text: &str) -> usize {
    text.trim_end_matches('…').chars().count()
}

#[test]
fn display_is_one_bounded_line_whatever_the_server_sent() {
    // A huge message in the envelope.
    let message = "m\n".repeat(30_000);
    let body = json!({"error": {"name": "serverError", "message": message}}).to_string();
    let e = api_error(500, body.leak().as_bytes());
    for shown in [e.to_string(), Error::from(e.clone()).to_string()] {
        assert!(shown.ends_with('…'), "{}", &shown[..80]);
        assert_eq!(chars(&shown), 1000);
        assert!(!shown.contains('\n'));
    }
    // A huge body that is not JSON.
    let body: &'static [u8] = "<html>".repeat(100_000).leak().as_bytes();
    let shown = api_error(502, body).to_string();
    assert_eq!(
        chars(&shown),
        "502 Bad Gateway: ".len() + BODY_SNIPPET_CHARS,
        "{shown}"
    );
    // serde_json quotes a string of the body that has the wrong type.
    let body = format!("[\"{}\"]", "z".repeat(1_000_000)).leak().as_bytes();
    let e = decode_error(body);
    let shown = e.to_string();
    assert_eq!(chars(&shown), 1000);
    // Debug shows the start of big bodies and their length.
    let debug = format!("{e:?}");
    assert!(debug.len() < 4000, "{}", debug.len());
    assert!(debug.contains("(1000004 bytes)"), "{}", &debug[..200]);
    let debug = format!("{:?}", api_error(502, body));
    assert!(debug.len() < 4000, "{}", debug.len());
    // Messages of the client's own are bounded too.
    let shown = Error::Config("c".repeat(5000)).to_string();
    assert_eq!(chars(&shown), 1000);
}

#[test]
fn an_empty_body_where_a_value_was_expected() {
    let e = DecodeError::new(
        StatusCode::OK,
        HeaderMap::new(),
        RateLimit::default(),
        Bytes::new(),
        "Me",
        crate::error::or_empty_body(serde_json::from_slice::<u32>(b"null"), b"").unwrap_err(),
    );
    assert!(e.is_empty_body());
    assert_eq!(
        e.to_string(),
        "failed to decode the 200 OK response body as `Me`: empty body"
    );
    // Other failures keep serde's message.
    let failed = serde_json::from_slice::<u32>(b"true").unwrap_err();
    let kept = crate::error::or_empty_body::<u32>(Err(failed), b"true").unwrap_err();
    assert!(kept.to_string().contains("invalid type: boolean"), "{kept}");
}

/// A decode failure names where in the body it happened, and what was there.
#[test]
fn decode_errors_name_the_path_and_show_the_place() {
    use crate::Me;
    let body: &'static [u8] = br#"{"id": 7, "name": {"first": "Ann"}, "more": [1, 2]}"#;
    let (error, path) = crate::request::json_at::<Me>(body).unwrap_err();
    assert_eq!(path, "name");
    let e = DecodeError::new(
        StatusCode::OK,
        HeaderMap::new(),
        RateLimit::default(),
        Bytes::from_static(body),
        "Me",
        error,
    )
    .at(Some(path));
    assert_eq!(e.path(), Some("name"));
    let shown = e.to_string();
    assert!(
        shown.starts_with(
            "failed to decode the 200 OK response body as `Me` at `name`: invalid type: map"
        ),
        "{shown}"
    );
    assert!(shown.contains("near `{\"id\": 7, \"name\": {"), "{shown}");
    // Nested in lists, and at the top.
    let (_, path) = crate::request::json_at::<Vec<Me>>(br#"[{"id": 1}, {"id": "2"}]"#).unwrap_err();
    assert_eq!(path, "[1].id");
    let (_, path) = crate::request::json_at::<Me>(b"[]").unwrap_err();
    assert_eq!(path, ".");
    assert!(crate::request::json_at::<Me>(br#"{"id": 1}"#).is_ok());
}
