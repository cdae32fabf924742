//! A successful, decoded response.

use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::rate_limit::RateLimit;

/// A successful (`2xx`) response whose JSON body was decoded into `T`.
///
/// It dereferences to the body, so fields of `T` can be read directly
/// (`response.collection`); [`into_body`](Self::into_body) takes the body out,
/// and [`status`](Self::status), [`headers`](Self::headers) and
/// [`rate_limit`](Self::rate_limit) give the rest of the response.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        rate_limit: RateLimit,
        body: T,
    ) -> Self {
        Self {
            status,
            headers,
            rate_limit,
            body,
        }
    }

    crate::error::answer_parts!();

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Splits the response into status, headers, rate limit and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, RateLimit, T) {
        (self.status, self.headers, self.rate_limit, self.body)
    }

    /// Transforms the body, keeping status, headers and rate limit.
    pub fn map<U, F>(self, f: F) -> Response<U>
    where
        F: FnOnce(T) -> U,
    {
        Response {
            status: self.status,
            headers: self.headers,
            rate_limit: self.rate_limit,
            body: f(self.body),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> AsRef<T> for Response<T> {
    fn as_ref(&self) -> &T {
        &self.body
    }
}
