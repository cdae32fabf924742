//! The URL of a call: path segments, the base URL, query pairs and the
//! query-mode API key.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Url;

use crate::client::Auth;
use crate::error::Error;

/// What [`encode_path`] encodes: every byte but the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter so it stays one path segment: every byte
/// of its UTF-8 form except the RFC 3986 unreserved characters (`A-Z a-z 0-9 -
/// . _ ~`) becomes `%XX`, so `a/b c` becomes `a%2Fb%20c`. Borrows when nothing
/// needs encoding.
///
/// A parameter that is exactly `.` or `..` cannot be sent as a segment (URL
/// parsers resolve it, encoded or not); [`Client::execute`](crate::Client::execute)
/// rejects such a path with [`Error::Encode`].
pub(crate) fn encode_path(segment: &str) -> Cow<'_, str> {
    utf8_percent_encode(segment, PATH_SEGMENT).into()
}

/// `base` (no trailing slash) + `path` + query pairs (form-encoded) + the API
/// key pair in query mode.
pub(crate) fn build_url(
    base: &str,
    path: &str,
    query: &[(Cow<'static, str>, String)],
    auth: &Auth,
) -> Result<Url, Error> {
    if path.split('/').any(is_dot_segment) {
        // The URL parser would resolve it and send the call to another endpoint.
        return Err(Error::Encode(
            "the request path has a `.` or `..` segment (from a path parameter), \
             which would change the endpoint"
                .to_owned(),
        ));
    }
    let mut text = String::with_capacity(base.len() + path.len() + 1);
    text.push_str(base);
    if !path.starts_with('/') {
        text.push('/');
    }
    text.push_str(path);
    let mut url =
        Url::parse(&text).map_err(|e| Error::Encode(format!("invalid request URL: {e}")))?;
    let key = match auth {
        Auth::Query { name, key } => Some((*name, key.expose())),
        _ => None,
    };
    if !query.is_empty() || key.is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
        if let Some((name, key)) = key {
            pairs.append_pair(name, key);
        }
    }
    Ok(url)
}

/// `.` or `..`, also percent-encoded (the URL parser treats `%2e` as `.`).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | "%2e" | ".." | ".%2e" | "%2e." | "%2e%2e"
    )
}

/// Removes every `name=...` pair from the query of `url`.
pub(crate) fn remove_query_pair(url: &mut Url, name: &str) {
    if !url.query_pairs().any(|(key, _)| key == name) {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}
