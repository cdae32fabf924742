//! Tests of `crate::error`.

use std::error::Error as StdError;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::json;

use crate::error::{
    ApiError, BODY_SNIPPET_CHARS, DecodeError, Envelope, Error, ErrorBody, ErrorShape,
    decode_failure, json_or_null,
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
