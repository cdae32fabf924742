//! Tests of `crate::response`.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::rate_limit::RateLimit;
use crate::response::Response;

fn sample() -> Response<Vec<u32>> {
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("7"));
    let rate_limit = RateLimit::from_headers(&headers);
    Response::new(StatusCode::OK, headers, rate_limit, vec![1, 2, 3])
}

#[test]
fn accessors_and_deref() {
    let response = sample();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-ratelimit-remaining"], "7");
    assert_eq!(response.rate_limit().remaining(), Some(7));
    assert_eq!(response.body(), &[1, 2, 3]);
    assert_eq!(response.len(), 3, "Deref to the body");
    assert_eq!(response.as_ref().first(), Some(&1));
    assert_eq!(response.clone().into_body(), vec![1, 2, 3]);
}

#[test]
fn map_and_into_parts_keep_metadata() {
    let mapped = sample().map(|body| body.len());
    assert_eq!(*mapped, 3);
    let (status, headers, rate_limit, body) = mapped.into_parts();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.len(), 1);
    assert_eq!(rate_limit.remaining(), Some(7));
    assert_eq!(body, 3);
}
