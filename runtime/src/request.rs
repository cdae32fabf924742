//! The description of one HTTP call, built by generated code, and the
//! `Client::execute*` methods, which send it.
//!
//! Generated operations only call what the `const _` block below names (it
//! pins those signatures): [`Request::new`], [`Request::with_options`], the
//! parameter methods
//! ([`Request::query`], [`Request::query_delimited`],
//! [`Request::query_deep_object`], [`Request::header`], [`Request::cookie`]),
//! the body methods ([`Request::json`], [`Request::form`],
//! [`Request::multipart`], [`Request::bytes`], [`Request::text`]),
//! [`encode_path`], [`json`], and [`Client::execute`],
//! [`Client::execute_text`], [`Client::execute_bytes`] and
//! [`Client::execute_with`].

use std::borrow::Cow;
use std::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName,
    HeaderValue, LOCATION, TRANSFER_ENCODING, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::ser::{self, Impossible};
use serde_json::Value;

use crate::binary::{self, Binary};
use crate::client::{Auth, Client, Inner, MAX_REDIRECTS, is_cookie_octet, is_token_byte};
use crate::error::{ApiError, DecodeError, Error, decode_failure, json_or_null};
use crate::options::RequestOptions;
use crate::rate_limit::RateLimit;
use crate::response::Response;
use crate::retry::{Failure, Retries};

// The interface generated code relies on. Referencing the items here also keeps
// them "used" when an API happens not to need one of them (say, no header
// parameter anywhere), so the crate stays free of dead-code warnings.
const _: () = {
    type Decode = fn(StatusCode, &[u8]) -> Option<Result<Value, serde_json::Error>>;
    let _: fn(Method, String) -> Request = Request::new;
    let _: fn(Request, RequestOptions) -> Request = Request::with_options;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::query::<Option<String>>;
    let _: fn(&mut Request, &'static str, &Option<Vec<String>>, &'static str) =
        Request::query_delimited::<Option<Vec<String>>>;
    let _: fn(&mut Request, &'static str, &Value) = Request::query_deep_object::<Value>;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::header::<Option<String>>;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::cookie::<Option<String>>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::json::<Value>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::form::<Value>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::multipart::<Value>;
    let _: fn(&mut Request, Bytes, &'static str) = Request::bytes;
    let _: fn(&mut Request, String, &'static str) = Request::text;
    let _: fn(&str) -> Cow<'_, str> = encode_path;
    let _: fn(&[u8]) -> Result<Value, serde_json::Error> = json::<Value>;
    let _ = Client::execute::<Value>;
    let _ = Client::execute_text;
    let _ = Client::execute_bytes;
    let _ = Client::execute_with::<Value, Decode>;
};

/// `Accept` of JSON operations.
const ACCEPT_JSON: &str = "application/json";
/// `Accept` of operations whose success body is text.
const ACCEPT_TEXT: &str = "text/*, */*;q=0.8";
/// `Accept` of operations whose success body is any other media type.
const ACCEPT_ANY: &str = "*/*";

/// One HTTP call: method, path relative to the base URL, parameters and body.
///
/// Parameter values are serialized with serde as they are added:
///
/// * `None` / `null` / `()` add nothing;
/// * strings are used as they are, numbers in their usual decimal form, booleans
///   as `true` / `false`, unit enum variants by their serde name (so
///   `#[serde(rename = "...")]` is honoured), bytes (such as a [`Binary`]) as
///   their UTF-8 text;
/// * a sequence gives one value per element: repeated `name=value` pairs in the
///   query (`form` style, `explode=true`) and cookies, one pair with the values
///   joined by a delimiter with [`query_delimited`](Self::query_delimited), and
///   the values joined with `,` in a header (`simple` style); `null` elements
///   are skipped;
/// * anything else (a map, a struct, a non-unit enum variant, an element that
///   is itself compound) falls back to its compact JSON text, except with
///   [`query_deep_object`](Self::query_deep_object) and
///   [`query_delimited`](Self::query_delimited), which spread objects out.
///
/// A value that cannot be serialized, or a header that is not valid HTTP, does
/// not fail here: the first such problem is kept and returned by
/// [`Client::execute`] (and the other `execute_*`) as [`Error::Encode`], so
/// generated code stays linear.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    path: String,
    query: Vec<(Cow<'static, str>, String)>,
    headers: HeaderMap,
    /// Cookie parameters, values already encoded for the `Cookie` header.
    cookies: Vec<(&'static str, String)>,
    body: Option<Bytes>,
    error: Option<String>,
    options: RequestOptions,
}

impl Request {
    /// A request for `path`, which is relative to the client's base URL, starts
    /// with `/` and has its parameters already encoded with [`encode_path`].
    pub(crate) fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
            options: RequestOptions::new(),
        }
    }

    /// Applies the caller's settings for this call.
    pub(crate) fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Adds query parameter `name` (see [`Request`] for how values are
    /// written).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let mut values = Vec::new();
        match write_param(name, value, &mut values) {
            Ok(()) => self.query.extend(
                values
                    .into_iter()
                    .map(|(name, text)| (Cow::Borrowed(name), text)),
            ),
            Err(message) => self.fail(format!("query parameter `{name}`: {message}")),
        }
    }

    /// Adds query parameter `name` in a non-exploded style (OpenAPI
    /// `explode: false`): the elements of a sequence go into one pair, joined
    /// by `delimiter` (`,` for `form`, `" "` for `spaceDelimited`, `|` for
    /// `pipeDelimited`), as do the keys and values of an object
    /// (`name=k1,v1,k2,v2`). An empty sequence adds nothing; anything else is
    /// written as by [`query`](Self::query).
    pub(crate) fn query_delimited<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        delimiter: &'static str,
    ) {
        let items = match to_node(value) {
            Ok(Node::Seq(items)) => items,
            Ok(Node::Map(entries)) => entries
                .into_iter()
                .filter(|(_, value)| *value != Node::Null)
                .flat_map(|(key, value)| [Node::Str(key), value])
                .collect(),
            Ok(_) => {
                self.query(name, value);
                return;
            }
            Err(error) => {
                self.fail(format!("query parameter `{name}`: {error}"));
                return;
            }
        };
        let mut texts = Vec::with_capacity(items.len());
        for item in items {
            match item.into_text() {
                Ok(text) => texts.extend(text),
                Err(message) => {
                    self.fail(format!("query parameter `{name}`: {message}"));
                    return;
                }
            }
        }
        if !texts.is_empty() {
            self.query
                .push((Cow::Borrowed(name), texts.join(delimiter)));
        }
    }

    /// Adds query parameter `name` in OpenAPI's `deepObject` style: one pair
    /// per entry of an object, `name[key]=value`; nested objects and arrays
    /// continue the brackets (`name[a][b]=v`, `name[list][0]=v`), `null`s are
    /// left out. A value that is not an object is written as by
    /// [`query`](Self::query).
    pub(crate) fn query_deep_object<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) {
        let entries = match to_node(value) {
            Ok(Node::Map(entries)) => entries,
            Ok(_) => {
                self.query(name, value);
                return;
            }
            Err(error) => {
                self.fail(format!("query parameter `{name}`: {error}"));
                return;
            }
        };
        let mut pairs = Vec::new();
        for (key, value) in entries {
            if let Err(message) = flatten(format!("{name}[{key}]"), value, false, &mut pairs) {
                self.fail(format!("query parameter `{name}`: {message}"));
                return;
            }
        }
        self.query
            .extend(pairs.into_iter().map(|(key, text)| (Cow::Owned(key), text)));
    }

    /// Sets header `name`, replacing an earlier value (see [`Request`] for how
    /// values are written).
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let mut values = Vec::new();
        if let Err(message) = write_param(name, value, &mut values) {
            self.fail(format!("header `{name}`: {message}"));
            return;
        }
        if values.is_empty() {
            return;
        }
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid HTTP header name"));
            return;
        };
        let text = if values.len() == 1 {
            values.swap_remove(0).1
        } else {
            let texts: Vec<String> = values.into_iter().map(|(_, text)| text).collect();
            texts.join(",")
        };
        match HeaderValue::try_from(text) {
            Ok(value) => {
                self.headers.insert(header_name, value);
            }
            // The value itself stays out of the message: it may be a secret.
            Err(_) => self.fail(format!(
                "header `{name}`: the value contains characters not allowed in an HTTP header"
            )),
        }
    }

    /// Adds cookie parameter `name` (see [`Request`] for how values are
    /// written; a sequence gives one cookie per element). All cookies of a
    /// request go into one `Cookie` header, `a=1; b=2`; in values, the bytes
    /// RFC 6265 does not allow there (control characters, space, `"`, `,`,
    /// `;`, `\` and non-ASCII) are percent-encoded.
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let mut values = Vec::new();
        if let Err(message) = write_param(name, value, &mut values) {
            self.fail(format!("cookie `{name}`: {message}"));
            return;
        }
        if values.is_empty() {
            return;
        }
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            self.fail(format!("`{name}` is not a valid cookie name"));
            return;
        }
        self.cookies.extend(
            values
                .into_iter()
                .map(|(name, text)| (name, encode_cookie_value(&text))),
        );
    }

    /// Serializes `body` as the JSON request body now, and sets
    /// `Content-Type: application/json`.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` cannot be serialized to JSON.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::Encode(format!("request body: {e}")))?;
        self.set_body(Bytes::from(bytes), "application/json");
        Ok(())
    }

    /// Serializes `body`, which must serialize as an object (a struct or a
    /// map), as an `application/x-www-form-urlencoded` request body now, and
    /// sets that `Content-Type`.
    ///
    /// Each field gives `key=value` pairs: scalars as in [`Request`], arrays of
    /// scalars repeat the key (`k=v1&k=v2`), objects nest with brackets
    /// (`k[sub]=v`, recursively), and arrays with compound elements are
    /// indexed (`k[0][sub]=v`); `null`s are left out.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` is not an object or cannot be serialized.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let mut pairs = Vec::new();
        for (key, value) in body_fields(body, "application/x-www-form-urlencoded")? {
            flatten(key, value, true, &mut pairs)
                .map_err(|message| Error::Encode(format!("request body: {message}")))?;
        }
        let mut text = String::new();
        for (key, value) in &pairs {
            if !text.is_empty() {
                text.push('&');
            }
            form_urlencode(key.as_bytes(), &mut text);
            text.push('=');
            form_urlencode(value.as_bytes(), &mut text);
        }
        self.set_body(Bytes::from(text), "application/x-www-form-urlencoded");
        Ok(())
    }

    /// Serializes `body`, which must serialize as an object (a struct or a
    /// map), as a `multipart/form-data` request body now, and sets that
    /// `Content-Type` with the boundary.
    ///
    /// Each field gives one part named after it: a [`Binary`] a file part
    /// (`filename` its file name, else the field name; `Content-Type` its media
    /// type, else `application/octet-stream`), a string, number or boolean a
    /// text part, an object a part with `Content-Type: application/json`
    /// holding its compact JSON; an array gives one such part per element,
    /// all with the field's name; `null`s are left out.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` is not an object or cannot be serialized,
    /// or a media type of a [`Binary`] is not a valid header value.
    pub(crate) fn multipart<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let mut parts = Vec::new();
        for (name, value) in body_fields(body, "multipart/form-data")? {
            match value {
                Node::Seq(items) => {
                    for item in items {
                        push_part(&mut parts, &name, item)?;
                    }
                }
                other => push_part(&mut parts, &name, other)?,
            }
        }
        let (boundary, bytes) = encode_multipart(&parts, new_boundary);
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let content_type = HeaderValue::try_from(content_type)
            .map_err(|_| Error::Encode("invalid multipart boundary".to_owned()))?;
        self.body = Some(Bytes::from(bytes));
        self.headers.insert(CONTENT_TYPE, content_type);
        Ok(())
    }

    /// Uses `body` as the request body, with `Content-Type: content_type`
    /// (binary bodies: `application/octet-stream`, `image/png`, …).
    pub(crate) fn bytes(&mut self, body: Bytes, content_type: &'static str) {
        self.set_body(body, content_type);
    }

    /// Uses `body` as the request body, with `Content-Type: content_type`
    /// (text bodies: `text/plain`, `text/csv`, …).
    pub(crate) fn text(&mut self, body: String, content_type: &'static str) {
        self.set_body(Bytes::from(body), content_type);
    }

    fn set_body(&mut self, body: Bytes, content_type: &str) {
        self.body = Some(body);
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.fail(format!(
                "the content type `{}` is not a valid header value",
                content_type.escape_debug()
            )),
        }
    }

    /// Keeps the first encoding problem, for [`Client::execute`] to report.
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// The `reqwest` request for this call, with `Accept` (unless a parameter
    /// set one), `User-Agent`, cookies, authentication and timeout.
    fn into_http(self, inner: &Inner, accept: &'static str) -> Result<reqwest::Request, Error> {
        if let Some(message) = self.error {
            return Err(Error::Encode(message));
        }
        let url = build_url(&inner.base_url, &self.path, &self.query, &inner.auth)?;
        let mut request = reqwest::Request::new(self.method, url);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        if let Some(agent) = &inner.user_agent {
            headers.insert(USER_AGENT, agent.clone());
        }
        // Parameters may replace the defaults above, but not the cookies and
        // credentials below.
        headers.extend(self.headers);
        let mut cookies: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if let Auth::Cookie { name, key } = &inner.auth {
            cookies.push(format!("{name}={}", key.expose()));
        }
        if !cookies.is_empty() {
            // Cookie names and values were checked or encoded when added.
            let mut value = HeaderValue::try_from(cookies.join("; "))
                .map_err(|_| Error::Encode("invalid Cookie header".to_owned()))?;
            // Cookies often carry sessions or, here, the API key.
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        if let Auth::Header { name, value, .. } = &inner.auth {
            headers.insert(name.clone(), value.clone());
        }
        *request.body_mut() = self.body.map(reqwest::Body::from);
        *request.timeout_mut() = self.options.timeout.or(inner.timeout);
        Ok(request)
    }
}

/// Decodes a JSON body into `T`; an empty (or blank) body decodes as `null`,
/// so `()` and `Option<_>` accept `204 No Content`. Generated decoders of
/// [`Client::execute_with`] and [`ErrorBody`](crate::ErrorBody) call this.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(json_or_null(body))
}

impl Client {
    /// Sends `request` and decodes a `2xx` JSON body into `T` (an empty body
    /// decodes as `null`, so `()` and `Option<_>` accept `204 No Content`).
    ///
    /// # Errors
    ///
    /// * [`Error::Encode`] if a parameter or the path could not be encoded;
    /// * [`Error::Transport`] if the request could not be sent or the body not
    ///   read (the error's URL never holds the API key);
    /// * [`Error::Api`] for any status other than `2xx`;
    /// * [`Error::Decode`] if a `2xx` body is not valid JSON for `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error> {
        let raw = fetch(self.inner(), request, ACCEPT_JSON).await?;
        let decoded = json(&raw.body);
        raw.finish(decoded, std::any::type_name::<T>())
    }

    /// Sends `request` and returns a `2xx` body as text.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute); [`Error::Decode`] if the body is not
    /// UTF-8.
    pub(crate) async fn execute_text(&self, request: Request) -> Result<Response<String>, Error> {
        let raw = fetch(self.inner(), request, ACCEPT_TEXT).await?;
        let decoded = std::str::from_utf8(&raw.body)
            .map(str::to_owned)
            .map_err(|e| decode_failure(format_args!("the body is not UTF-8 text: {e}")));
        raw.finish(decoded, std::any::type_name::<String>())
    }

    /// Sends `request` and returns a `2xx` body as it is.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute), except that there is no decoding.
    pub(crate) async fn execute_bytes(&self, request: Request) -> Result<Response<Bytes>, Error> {
        let raw = fetch(self.inner(), request, ACCEPT_ANY).await?;
        Ok(Response::new(
            raw.status,
            raw.headers,
            raw.rate_limit,
            raw.body,
        ))
    }

    /// Sends `request` and decodes a `2xx` body with `decode`, which gets the
    /// status and the body: `Some` with the decoded value or the error for a
    /// status the operation documents, `None` for another.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute); [`Error::Decode`] if `decode` fails or
    /// returns `None` (an undocumented `2xx` status; the raw body is kept).
    pub(crate) async fn execute_with<T, F>(
        &self,
        request: Request,
        decode: F,
    ) -> Result<Response<T>, Error>
    where
        F: FnOnce(StatusCode, &[u8]) -> Option<Result<T, serde_json::Error>>,
    {
        let raw = fetch(self.inner(), request, ACCEPT_JSON).await?;
        let decoded = decode(raw.status, &raw.body).unwrap_or_else(|| {
            Err(decode_failure(format_args!(
                "unexpected status {}: the operation does not document it",
                raw.status
            )))
        });
        raw.finish(decoded, std::any::type_name::<T>())
    }
}

/// A `2xx` response, its body read but not decoded.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
}

impl RawResponse {
    /// The response with the decoded body, or the [`DecodeError`].
    fn finish<T>(
        self,
        decoded: Result<T, serde_json::Error>,
        target: &'static str,
    ) -> Result<Response<T>, Error> {
        match decoded {
            Ok(value) => Ok(Response::new(
                self.status,
                self.headers,
                self.rate_limit,
                value,
            )),
            Err(error) => Err(DecodeError::new(
                self.status,
                self.headers,
                self.rate_limit,
                self.body,
                target,
                error,
            )
            .into()),
        }
    }
}

/// Sends `request` and reads the whole response, retrying as the call's
/// [`RetryPolicy`](crate::RetryPolicy) says and waiting for the client's rate limiter, if any; any
/// final status other than `2xx` becomes [`Error::Api`].
async fn fetch(
    inner: &Inner,
    request: Request,
    accept: &'static str,
) -> Result<RawResponse, Error> {
    let options = request.options;
    let mut http = request.into_http(inner, accept)?;
    let policy = options.retry.as_ref().unwrap_or(&inner.retry);
    let mut retries = Retries::new(policy, http.method(), options.retry_non_idempotent);
    loop {
        // Kept for another attempt: a request whose body is in memory (all of
        // ours) clones cheaply, sharing the body.
        let next = if retries.may_retry() {
            http.try_clone()
        } else {
            None
        };
        let outcome = send_once(inner, http).await;
        let failure = match &outcome {
            Ok(raw) if raw.status.is_success() => None,
            Ok(raw) => Some(Failure::Status {
                status: raw.status,
                rate_limit: &raw.rate_limit,
                body: &raw.body,
            }),
            Err(error) => Some(Failure::Transport(error)),
        };
        let Some(failure) = failure else {
            return outcome.map_err(|e| transport_error(inner, e));
        };
        match (next, retries.next(&failure)) {
            (Some(next), Some((wait, reason))) => {
                tracing::info!(
                    target: concat!(env!("CARGO_CRATE_NAME"), "::retry"),
                    method = %next.method(),
                    path = %next.url().path(),
                    retry = retries.attempts() - 1,
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    reason = %reason.describe(),
                    "retrying the request",
                );
                tokio::time::sleep(wait).await;
                http = next;
            }
            _ => {
                return match outcome {
                    Ok(raw) => {
                        Err(ApiError::new(raw.status, raw.headers, raw.rate_limit, raw.body).into())
                    }
                    Err(error) => Err(transport_error(inner, error)),
                };
            }
        }
    }
}

/// One attempt: sends `request` (after the rate limiter lets it) and reads
/// the whole answer, whatever its status, following same-origin redirects
/// itself when the client does so by hand.
async fn send_once(
    inner: &Inner,
    mut request: reqwest::Request,
) -> Result<RawResponse, reqwest::Error> {
    let mut hops = 0;
    loop {
        let follow_up = if inner.redirects_by_hand && hops < MAX_REDIRECTS {
            request.try_clone()
        } else {
            None
        };
        let permit = match &inner.limiter {
            Some(limiter) => Some(limiter.acquire().await),
            None => None,
        };
        let mut response = inner.http.execute(request).await?;
        let status = response.status();
        let mut headers = std::mem::take(response.headers_mut());
        let rate_limit = RateLimit::from_headers(&headers);
        if let Some(permit) = permit {
            // The limit is known as soon as the headers are; the body may take long.
            permit.answered(&rate_limit);
        }
        if let Some(next) =
            follow_up.and_then(|sent| same_origin_hop(inner, sent, status, &headers))
        {
            hops += 1;
            request = next;
            continue;
        }
        if let Auth::Query { name, .. } = &inner.auth {
            // A redirect not followed is returned with its headers: a server that
            // echoes the query must not put the key into the error.
            remove_key_from_location(&mut headers, name);
        }
        let body = response.bytes().await?;
        return Ok(RawResponse {
            status,
            headers,
            rate_limit,
            body,
        });
    }
}

/// The request that follows a redirect of `sent` (a copy of the request just
/// sent) to the same origin, with the query-mode API key put back into the new
/// URL; `None` for any other answer, which is then returned as it is. Methods
/// and bodies change as reqwest changes them: `301`, `302` and `303` continue
/// with a `GET` (a `HEAD` stays one) without body, `307` and `308` repeat the
/// request.
fn same_origin_hop(
    inner: &Inner,
    mut sent: reqwest::Request,
    status: StatusCode,
    headers: &HeaderMap,
) -> Option<reqwest::Request> {
    let Auth::Query { name, key } = &inner.auth else {
        return None;
    };
    let rewrite = match status {
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER => true,
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => false,
        _ => return None,
    };
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let mut url = sent.url().join(location).ok()?;
    if url.origin() != sent.url().origin() {
        return None;
    }
    remove_query_pair(&mut url, name);
    url.query_pairs_mut().append_pair(name, key.expose());
    url.set_fragment(None);
    *sent.url_mut() = url;
    if rewrite {
        *sent.body_mut() = None;
        for header in [
            TRANSFER_ENCODING,
            CONTENT_ENCODING,
            CONTENT_TYPE,
            CONTENT_LENGTH,
        ] {
            sent.headers_mut().remove(header);
        }
        if !matches!(*sent.method(), Method::GET | Method::HEAD) {
            *sent.method_mut() = Method::GET;
        }
    }
    Some(sent)
}

/// Removes the `name=...` pairs from the query of a `Location` header.
fn remove_key_from_location(headers: &mut HeaderMap, name: &str) {
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let Some((target, rest)) = location.split_once('?') else {
        return;
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (rest, None),
    };
    let is_key = |pair: &&str| pair.split('=').next().is_some_and(|key| key == name);
    if !query.split('&').any(|pair| is_key(&pair)) {
        return;
    }
    let kept: Vec<&str> = query.split('&').filter(|pair| !is_key(pair)).collect();
    let mut cleaned = target.to_owned();
    if !kept.is_empty() {
        cleaned.push('?');
        cleaned.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        cleaned.push('#');
        cleaned.push_str(fragment);
    }
    match HeaderValue::try_from(cleaned) {
        Ok(value) => {
            headers.insert(LOCATION, value);
        }
        Err(_) => {
            headers.remove(LOCATION);
        }
    }
}

/// Removes the API key from the URL of a `reqwest` error.
fn transport_error(inner: &Inner, mut error: reqwest::Error) -> Error {
    if let (Auth::Query { name, .. }, Some(url)) = (&inner.auth, error.url_mut()) {
        remove_query_pair(url, name);
    }
    Error::Transport(error)
}

/// Removes every `name=...` pair from the query of `url`.
fn remove_query_pair(url: &mut Url, name: &str) {
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

/// `base` (no trailing slash) + `path` + query pairs + the API key pair in
/// query mode.
fn build_url(
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

/// Percent-encodes a path parameter so it stays one path segment: every byte
/// of its UTF-8 form except the RFC 3986 unreserved characters (`A-Z a-z 0-9 -
/// . _ ~`) becomes `%XX`, so `a/b c` becomes `a%2Fb%20c`. Borrows when nothing
/// needs encoding.
///
/// A parameter that is exactly `.` or `..` cannot be sent as a segment (URL
/// parsers resolve it, encoded or not); [`Client::execute`] rejects such a path
/// with [`Error::Encode`].
pub(crate) fn encode_path(segment: &str) -> Cow<'_, str> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = segment.as_bytes();
    let Some(first) = bytes.iter().position(|b| !is_unreserved(*b)) else {
        return Cow::Borrowed(segment);
    };
    let mut out = String::with_capacity(segment.len() + 2 * (segment.len() - first));
    out.push_str(&segment[..first]);
    for &byte in &bytes[first..] {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    Cow::Owned(out)
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Appends the text values of parameter `name` to `out` (see [`Request`]).
fn write_param<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    let start = out.len();
    let result = value.serialize(ParamSerializer {
        name,
        out: &mut *out,
    });
    match result {
        Ok(()) => Ok(()),
        Err(ParamError::NotScalar) => {
            out.truncate(start);
            let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
            let values = match json {
                Value::Array(items) => items,
                other => vec![other],
            };
            out.extend(
                values
                    .into_iter()
                    .filter_map(json_text)
                    .map(|text| (name, text)),
            );
            Ok(())
        }
        Err(ParamError::Message(message)) => {
            out.truncate(start);
            Err(message)
        }
    }
}

/// The text of a JSON value as a parameter: `None` for `null`, strings
/// unquoted, anything else as compact JSON.
fn json_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

/// Why the fast scalar path of [`write_param`] gave up.
#[derive(Debug)]
enum ParamError {
    /// A compound value: take the JSON fallback.
    NotScalar,
    /// The value cannot be written at all.
    Message(String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotScalar => f.write_str("not a scalar value"),
            Self::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ParamError {}

impl ser::Error for ParamError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self::Message(message.to_string())
    }
}

/// Serializes one scalar to its text, without going through
/// [`serde_json::Value`]; `None` for null-like values.
struct ScalarSerializer;

macro_rules! display_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Self::Ok, Self::Error> {
                Ok(Some(value.to_string()))
            }
        )*
    };
}

macro_rules! float_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Self::Ok, Self::Error> {
                if value.is_finite() {
                    Ok(Some(value.to_string()))
                } else {
                    Err(ParamError::Message(format!("{value} is not a finite number")))
                }
            }
        )*
    };
}

impl ser::Serializer for ScalarSerializer {
    type Ok = Option<String>;
    type Error = ParamError;
    type SerializeSeq = Impossible<Self::Ok, Self::Error>;
    type SerializeTuple = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Self::Error>;
    type SerializeMap = Impossible<Self::Ok, Self::Error>;
    type SerializeStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeStructVariant = Impossible<Self::Ok, Self::Error>;

    display_scalars!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_char: char,
    );

    float_scalars!(serialize_f32: f32, serialize_f64: f64);

    fn serialize_bool(self, value: bool) -> Result<Self::Ok, Self::Error> {
        Ok(Some(if value { "true" } else { "false" }.to_owned()))
    }

    fn serialize_str(self, value: &str) -> Result<Self::Ok, Self::Error> {
        Ok(Some(value.to_owned()))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<Self::Ok, Self::Error> {
        bytes_text(value).map(Some).map_err(ParamError::Message)
    }

    fn serialize_none(self) -> Result<Self::Ok, Self::Error> {
        Ok(None)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Self::Ok, Self::Error> {
        Ok(None)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok, Self::Error> {
        Ok(None)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Self::Error> {
        Ok(Some(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(ParamError::NotScalar)
    }
}

/// Serializes a whole parameter value: a scalar, or a sequence of scalars,
/// into `(name, text)` pairs.
struct ParamSerializer<'a> {
    name: &'static str,
    out: &'a mut Vec<(&'static str, String)>,
}

impl ParamSerializer<'_> {
    fn push(self, text: Option<String>) -> Result<(), ParamError> {
        if let Some(text) = text {
            self.out.push((self.name, text));
        }
        Ok(())
    }
}

macro_rules! forward_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<(), ParamError> {
                let text = ser::Serializer::$method(ScalarSerializer, value)?;
                self.push(text)
            }
        )*
    };
}

impl<'a> ser::Serializer for ParamSerializer<'a> {
    type Ok = ();
    type Error = ParamError;
    type SerializeSeq = SeqSerializer<'a>;
    type SerializeTuple = SeqSerializer<'a>;
    type SerializeTupleStruct = Impossible<(), ParamError>;
    type SerializeTupleVariant = Impossible<(), ParamError>;
    type SerializeMap = Impossible<(), ParamError>;
    type SerializeStruct = Impossible<(), ParamError>;
    type SerializeStructVariant = Impossible<(), ParamError>;

    forward_scalars!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_char: char,
        serialize_str: &str,
    );

    fn serialize_bytes(self, value: &[u8]) -> Result<(), ParamError> {
        let text = ser::Serializer::serialize_bytes(ScalarSerializer, value)?;
        self.push(text)
    }

    fn serialize_none(self) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ParamError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), ParamError> {
        self.push(Some(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ParamError> {
        Ok(SeqSerializer {
            name: self.name,
            out: self.out,
        })
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ParamError> {
        Ok(SeqSerializer {
            name: self.name,
            out: self.out,
        })
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ParamError> {
        Err(ParamError::NotScalar)
    }
}

/// The elements of a sequence parameter, one text value each.
struct SeqSerializer<'a> {
    name: &'static str,
    out: &'a mut Vec<(&'static str, String)>,
}

impl SeqSerializer<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        if let Some(text) = value.serialize(ScalarSerializer)? {
            self.out.push((self.name, text));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for SeqSerializer<'_> {
    type Ok = ();
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.element(value)
    }

    fn end(self) -> Result<(), ParamError> {
        Ok(())
    }
}

impl ser::SerializeTuple for SeqSerializer<'_> {
    type Ok = ();
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.element(value)
    }

    fn end(self) -> Result<(), ParamError> {
        Ok(())
    }
}

/// Bytes (such as a [`Binary`]) as parameter text.
fn bytes_text(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Err("binary value that is not UTF-8 text".to_owned()),
    }
}

/// A serialized value as the request encoders see it: like a JSON value, with
/// scalars already in their parameter text, and [`Binary`] kept whole.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// `None`, `()`, `null`.
    Null,
    /// A string, a char or a unit enum variant.
    Str(String),
    /// A number or a boolean: its text is also its JSON.
    Raw(String),
    Seq(Vec<Node>),
    /// An object, its entries in serialization order.
    Map(Vec<(String, Node)>),
    Binary(Binary),
}

impl Node {
    fn is_scalar(&self) -> bool {
        !matches!(self, Self::Seq(_) | Self::Map(_))
    }

    /// The text of the value as one parameter: `None` for `null`, compound
    /// values as compact JSON.
    fn into_text(self) -> Result<Option<String>, String> {
        Ok(match self {
            Self::Null => None,
            Self::Str(text) | Self::Raw(text) => Some(text),
            Self::Binary(binary) => Some(bytes_text(binary.bytes())?),
            compound => Some(compound.to_json()),
        })
    }

    /// Compact JSON, as `serde_json` writes it (bytes as arrays of numbers),
    /// except that numbers keep their parameter text (`1` for `1.0`).
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Str(text) => write_json_string(text, out),
            Self::Raw(text) => out.push_str(text),
            Self::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Self::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
            Self::Binary(binary) => {
                let numbers: Vec<String> = binary.bytes().iter().map(u8::to_string).collect();
                out.push('[');
                out.push_str(&numbers.join(","));
                out.push(']');
            }
        }
    }
}

fn write_json_string(text: &str, out: &mut String) {
    // Serializing a string to JSON cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// Serializes `value` into a [`Node`].
fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, ParamError> {
    value.serialize(NodeSerializer)
}

/// The fields of a request body that must be an object.
fn body_fields<T: Serialize + ?Sized>(
    body: &T,
    media_type: &str,
) -> Result<Vec<(String, Node)>, Error> {
    match to_node(body) {
        Ok(Node::Map(fields)) => Ok(fields),
        Ok(_) => Err(Error::Encode(format!(
            "request body: a {media_type} body must be an object"
        ))),
        Err(error) => Err(Error::Encode(format!("request body: {error}"))),
    }
}

/// Appends the `(key, text)` pairs of `node` under `key`: objects nest as
/// `key[sub]`, arrays are indexed as `key[0]`, except arrays of scalars when
/// `repeat_scalar_arrays` (then each element is a `key` pair); `null`s are
/// left out.
fn flatten(
    key: String,
    node: Node,
    repeat_scalar_arrays: bool,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    match node {
        Node::Map(entries) => {
            for (sub, value) in entries {
                flatten(format!("{key}[{sub}]"), value, repeat_scalar_arrays, out)?;
            }
        }
        Node::Seq(items) if repeat_scalar_arrays && items.iter().all(Node::is_scalar) => {
            for item in items {
                if let Some(text) = item.into_text()? {
                    out.push((key.clone(), text));
                }
            }
        }
        Node::Seq(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(format!("{key}[{i}]"), item, repeat_scalar_arrays, out)?;
            }
        }
        scalar => {
            if let Some(text) = scalar.into_text()? {
                out.push((key, text));
            }
        }
    }
    Ok(())
}

/// Appends `bytes` to `out` encoded as in `application/x-www-form-urlencoded`:
/// alphanumerics and `*-._` as they are, space as `+`, anything else as `%XX`.
fn form_urlencode(bytes: &[u8], out: &mut String) {
    for &byte in bytes {
        match byte {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => push_percent(byte, out),
        }
    }
}

/// `text` with the bytes not allowed in a cookie value percent-encoded.
fn encode_cookie_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_cookie_octet(byte) {
            out.push(char::from(byte));
        } else {
            push_percent(byte, &mut out);
        }
    }
    out
}

fn push_percent(byte: u8, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

/// One part of a `multipart/form-data` body: its header lines (each ending
/// in CRLF) and its content.
#[derive(Debug)]
struct Part {
    head: String,
    content: Bytes,
}

/// Appends the part for field `name` holding `node` (nothing for `null`).
fn push_part(parts: &mut Vec<Part>, name: &str, node: Node) -> Result<(), Error> {
    let disposition = format!(
        "Content-Disposition: form-data; name=\"{}\"",
        quote_disposition(name)
    );
    let (head, content) = match node {
        Node::Null => return Ok(()),
        Node::Str(text) | Node::Raw(text) => (format!("{disposition}\r\n"), Bytes::from(text)),
        Node::Binary(binary) => {
            let file_name = binary.file_name().unwrap_or(name);
            let content_type = binary.content_type().unwrap_or("application/octet-stream");
            if HeaderValue::from_str(content_type).is_err() {
                return Err(Error::Encode(format!(
                    "request body: field `{name}`: the content type `{}` is not a valid header value",
                    content_type.escape_debug()
                )));
            }
            let head = format!(
                "{disposition}; filename=\"{}\"\r\nContent-Type: {content_type}\r\n",
                quote_disposition(file_name)
            );
            (head, binary.into_bytes())
        }
        compound => (
            format!("{disposition}\r\nContent-Type: application/json\r\n"),
            Bytes::from(compound.to_json()),
        ),
    };
    parts.push(Part { head, content });
    Ok(())
}

/// A name or file name for a quoted `Content-Disposition` parameter, escaped
/// as browsers do: `"` as `%22`, CR as `%0D`, LF as `%0A`.
fn quote_disposition(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\r', '\n']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('"', "%22")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// The boundary and the bytes of a `multipart/form-data` body; takes
/// boundaries from `next_boundary` until one occurs in no part.
fn encode_multipart(
    parts: &[Part],
    mut next_boundary: impl FnMut() -> String,
) -> (String, Vec<u8>) {
    let boundary = loop {
        let candidate = next_boundary();
        let needle = candidate.as_bytes();
        let clash = parts
            .iter()
            .any(|part| contains(part.head.as_bytes(), needle) || contains(&part.content, needle));
        if !clash {
            break candidate;
        }
    };
    let size: usize = parts
        .iter()
        .map(|part| part.head.len() + part.content.len() + boundary.len() + 8)
        .sum();
    let mut out = Vec::with_capacity(size + boundary.len() + 6);
    for part in parts {
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(part.head.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    (boundary, out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// A fresh multipart boundary: a process-wide counter mixed with randomly
/// keyed hashes (at most 64 characters, all valid in a boundary).
fn new_boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = RandomState::new();
    let mut first = state.build_hasher();
    first.write_u64(count);
    let first = first.finish();
    let mut second = state.build_hasher();
    second.write_u64(first);
    second.write_u64(!count);
    format!(
        "----FormBoundary{first:016x}{:016x}{count:x}",
        second.finish()
    )
}

/// Serializes any value into a [`Node`]; recognises [`Binary`] by its marker.
struct NodeSerializer;

macro_rules! raw_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Node, ParamError> {
                Ok(Node::Raw(value.to_string()))
            }
        )*
    };
}

macro_rules! raw_floats {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Node, ParamError> {
                match ser::Serializer::$method(ScalarSerializer, value)? {
                    Some(text) => Ok(Node::Raw(text)),
                    None => Ok(Node::Null),
                }
            }
        )*
    };
}

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = ParamError;
    type SerializeSeq = NodeSeq;
    type SerializeTuple = NodeSeq;
    type SerializeTupleStruct = NodeSeq;
    type SerializeTupleVariant = NodeSeq;
    type SerializeMap = NodeMap;
    type SerializeStruct = NodeMap;
    type SerializeStructVariant = NodeMap;

    raw_scalars!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
    );

    raw_floats!(serialize_f32: f32, serialize_f64: f64);

    fn serialize_char(self, value: char) -> Result<Node, ParamError> {
        Ok(Node::Str(value.to_string()))
    }

    fn serialize_str(self, value: &str) -> Result<Node, ParamError> {
        Ok(Node::Str(value.to_owned()))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<Node, ParamError> {
        Ok(Node::Binary(Binary::new(value.to_vec())))
    }

    fn serialize_none(self) -> Result<Node, ParamError> {
        Ok(Node::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, ParamError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Node, ParamError> {
        Ok(Node::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, ParamError> {
        Ok(Node::Null)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, ParamError> {
        Ok(Node::Str(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Node, ParamError> {
        if name == binary::MARKER {
            let (found, node) = binary::capture(|| value.serialize(NodeSerializer));
            if let Some(binary) = found {
                return Ok(Node::Binary(binary));
            }
            return node;
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, ParamError> {
        Ok(Node::Map(vec![(
            variant.to_owned(),
            value.serialize(self)?,
        )]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<NodeSeq, ParamError> {
        Ok(NodeSeq::new(len.unwrap_or(0), None))
    }

    fn serialize_tuple(self, len: usize) -> Result<NodeSeq, ParamError> {
        Ok(NodeSeq::new(len, None))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<NodeSeq, ParamError> {
        Ok(NodeSeq::new(len, None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<NodeSeq, ParamError> {
        Ok(NodeSeq::new(len, Some(variant)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<NodeMap, ParamError> {
        Ok(NodeMap::new(len.unwrap_or(0), None))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<NodeMap, ParamError> {
        Ok(NodeMap::new(len, None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<NodeMap, ParamError> {
        Ok(NodeMap::new(len, Some(variant)))
    }
}

/// Wraps the content of an enum variant as `{variant: content}`, as JSON does.
fn in_variant(variant: Option<&'static str>, node: Node) -> Node {
    match variant {
        Some(variant) => Node::Map(vec![(variant.to_owned(), node)]),
        None => node,
    }
}

/// The elements of a sequence, tuple or tuple variant.
struct NodeSeq {
    items: Vec<Node>,
    variant: Option<&'static str>,
}

impl NodeSeq {
    fn new(len: usize, variant: Option<&'static str>) -> Self {
        Self {
            items: Vec::with_capacity(len.min(1024)),
            variant,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.items.push(value.serialize(NodeSerializer)?);
        Ok(())
    }

    fn finish(self) -> Node {
        in_variant(self.variant, Node::Seq(self.items))
    }
}

impl ser::SerializeSeq for NodeSeq {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.push(value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for NodeSeq {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.push(value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for NodeSeq {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.push(value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for NodeSeq {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.push(value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

/// The entries of a map, struct or struct variant.
struct NodeMap {
    entries: Vec<(String, Node)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl NodeMap {
    fn new(len: usize, variant: Option<&'static str>) -> Self {
        Self {
            entries: Vec::with_capacity(len.min(1024)),
            key: None,
            variant,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), ParamError> {
        self.entries.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }

    fn finish(self) -> Node {
        in_variant(self.variant, Node::Map(self.entries))
    }
}

impl ser::SerializeMap for NodeMap {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ParamError> {
        let text = match key.serialize(ScalarSerializer) {
            Ok(Some(text)) => text,
            Ok(None) => return Err(ParamError::Message("a map key is null".to_owned())),
            Err(ParamError::NotScalar) => {
                return Err(ParamError::Message(
                    "map keys must be strings, numbers or booleans".to_owned(),
                ));
            }
            Err(error) => return Err(error),
        };
        self.key = Some(text);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ParamError::Message("a map value without a key".to_owned()))?;
        self.push(key, value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for NodeMap {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        self.push(key.to_owned(), value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for NodeMap {
    type Ok = Node;
    type Error = ParamError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        self.push(key.to_owned(), value)
    }

    fn end(self) -> Result<Node, ParamError> {
        Ok(self.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use reqwest::StatusCode;
    use serde::Deserialize;

    use crate::client::{ApiKey, AuthMode, Schemes};

    const KEY: &str = "PMAK-0123456789abcdef-secret";

    fn query_of<T: Serialize + ?Sized>(value: &T) -> Vec<(&'static str, String)> {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query("p", value);
        assert_eq!(request.error, None);
        request
            .query
            .into_iter()
            .map(|(name, text)| match name {
                Cow::Borrowed(name) => (name, text),
                Cow::Owned(name) => panic!("`query` names are static: {name}"),
            })
            .collect()
    }

    /// The query pairs of `request`, borrowed.
    fn pairs(request: &Request) -> Vec<(&str, &str)> {
        request
            .query
            .iter()
            .map(|(name, text)| (name.as_ref(), text.as_str()))
            .collect()
    }

    fn texts<T: Serialize + ?Sized>(value: &T) -> Vec<String> {
        query_of(value).into_iter().map(|(_, text)| text).collect()
    }

    fn query_error<T: Serialize + ?Sized>(value: &T) -> String {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query("p", value);
        assert!(request.query.is_empty(), "nothing kept on error");
        request.error.expect("an encoding error")
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        PublicApi,
        #[serde(rename = "private-api")]
        Private,
    }

    #[derive(Serialize)]
    struct Id(u32);

    #[derive(Serialize)]
    struct Filter {
        name: &'static str,
        tags: Vec<&'static str>,
    }

    #[derive(Serialize)]
    enum Shape {
        Circle(f64),
    }

    #[test]
    fn encode_path_keeps_unreserved_and_encodes_the_rest() {
        assert!(matches!(
            encode_path("abc-XYZ_0.9~"),
            Cow::Borrowed("abc-XYZ_0.9~")
        ));
        assert!(matches!(encode_path(""), Cow::Borrowed("")));
        assert_eq!(encode_path("a/b c"), "a%2Fb%20c");
        assert_eq!(
            encode_path("12345-abc?x=1&y#z%"),
            "12345-abc%3Fx%3D1%26y%23z%25"
        );
        assert_eq!(encode_path("é/€"), "%C3%A9%2F%E2%82%AC");
        assert_eq!(
            encode_path("+:@!$'()*,;="),
            "%2B%3A%40%21%24%27%28%29%2A%2C%3B%3D"
        );
        assert_eq!(encode_path("\0\x7f"), "%00%7F");
    }

    #[test]
    fn query_scalars() {
        assert_eq!(query_of("a b&c=d"), [("p", "a b&c=d".to_owned())]);
        assert_eq!(texts(&String::from("s")), ["s"]);
        assert_eq!(texts(&42u32), ["42"]);
        assert_eq!(texts(&-7i64), ["-7"]);
        assert_eq!(texts(&u128::MAX), [u128::MAX.to_string()]);
        assert_eq!(texts(&1.5f64), ["1.5"]);
        assert_eq!(texts(&0.1f32), ["0.1"]);
        assert_eq!(texts(&true), ["true"]);
        assert_eq!(texts(&false), ["false"]);
        assert_eq!(texts(&'x'), ["x"]);
        assert_eq!(texts(&Id(7)), ["7"]);
        assert_eq!(texts(&Some(3u8)), ["3"]);
    }

    #[test]
    fn query_enums_use_serde_names() {
        assert_eq!(texts(&Kind::PublicApi), ["publicApi"]);
        assert_eq!(texts(&Some(Kind::Private)), ["private-api"]);
    }

    #[test]
    fn query_nothing_for_none_and_unit() {
        assert!(texts(&None::<String>).is_empty());
        assert!(texts(&()).is_empty());
        assert!(texts(&Value::Null).is_empty());
        assert!(texts(&Some(None::<u8>)).is_empty());
    }

    #[test]
    fn query_arrays_repeat_the_pair() {
        assert_eq!(
            query_of(&["a", "b c"]),
            [("p", "a".to_owned()), ("p", "b c".to_owned())]
        );
        assert_eq!(
            texts(&vec![Kind::PublicApi, Kind::Private]),
            ["publicApi", "private-api"]
        );
        assert_eq!(texts(&Some(vec![1, 2, 3])), ["1", "2", "3"]);
        assert_eq!(texts(&vec![Some(1), None, Some(3)]), ["1", "3"]);
        assert_eq!(texts(&(1, "two")), ["1", "two"]);
        assert!(texts(&Vec::<u8>::new()).is_empty());
    }

    #[test]
    fn query_compound_values_fall_back_to_json() {
        let filter = Filter {
            name: "n",
            tags: vec!["a", "b"],
        };
        assert_eq!(texts(&filter), [r#"{"name":"n","tags":["a","b"]}"#]);
        let map: BTreeMap<&str, u8> = [("b", 2), ("a", 1)].into();
        assert_eq!(texts(&map), [r#"{"a":1,"b":2}"#]);
        assert_eq!(texts(&Shape::Circle(1.5)), [r#"{"Circle":1.5}"#]);
        // Arrays with compound elements: one JSON text per compound element,
        // and no half-written pairs from the fast path.
        assert_eq!(
            texts(&serde_json::json!([1, {"a": [true]}, null, "s", [2]])),
            ["1", r#"{"a":[true]}"#, "s", "[2]"]
        );
        assert_eq!(texts(&vec![vec![1, 2], vec![3]]), ["[1,2]", "[3]"]);
        assert_eq!(texts(&serde_json::json!({"k": "v"})), [r#"{"k":"v"}"#]);
        assert_eq!(texts(&serde_json::json!("s")), ["s"]);
        assert_eq!(texts(&serde_json::json!(1.25)), ["1.25"]);
    }

    #[test]
    fn query_errors_are_recorded_not_raised() {
        let bad: HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let message = query_error(&bad);
        assert!(message.starts_with("query parameter `p`: "), "{message}");
        assert!(query_error(&f64::NAN).contains("not a finite number"));
        assert!(query_error(&vec![1.0, f64::INFINITY]).contains("not a finite number"));

        // Only the first problem is kept, later parameters still work.
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query("a", &f64::NAN);
        request.query("b", &bad);
        request.query("c", &1);
        assert!(request.error.as_deref().unwrap().contains("`a`"));
        assert_eq!(pairs(&request), [("c", "1")]);
    }

    #[test]
    fn headers_follow_the_same_rules() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("X-Request-Id", &Some("abc"));
        request.header("X-Count", &3);
        request.header("X-Flag", &true);
        request.header("X-Kind", &Kind::PublicApi);
        request.header("X-List", &["a", "b", "c"]);
        request.header("X-None", &None::<String>);
        request.header("X-Empty", &Vec::<String>::new());
        request.header("X-Object", &serde_json::json!({"a": 1}));
        assert_eq!(request.error, None);
        let h = &request.headers;
        assert_eq!(h["x-request-id"], "abc");
        assert_eq!(h["x-count"], "3");
        assert_eq!(h["x-flag"], "true");
        assert_eq!(h["x-kind"], "publicApi");
        assert_eq!(h["x-list"], "a,b,c");
        assert_eq!(h["x-object"], r#"{"a":1}"#);
        assert!(!h.contains_key("x-none") && !h.contains_key("x-empty"));
        // Setting a header again replaces it.
        request.header("X-Count", &4);
        assert_eq!(request.headers.get_all("x-count").iter().count(), 1);
        assert_eq!(request.headers["x-count"], "4");
    }

    #[test]
    fn invalid_headers_are_encode_errors() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("X-Id", "line\nbreak-secret");
        let message = request.error.clone().unwrap();
        assert!(message.contains("`X-Id`"), "{message}");
        assert!(!message.contains("secret"), "{message}");
        assert!(request.headers.is_empty());

        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("Bad Name", "v");
        assert!(request.error.unwrap().contains("`Bad Name`"));

        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("X-Bad", &f32::NAN);
        assert!(request.error.unwrap().contains("`X-Bad`"));
    }

    #[test]
    fn json_body() {
        let mut request = Request::new(Method::POST, "/x".to_owned());
        request
            .json(&serde_json::json!({"collection": {"info": {"name": "n"}}}))
            .unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some(&br#"{"collection":{"info":{"name":"n"}}}"#[..])
        );
        assert_eq!(request.headers[CONTENT_TYPE], "application/json");

        let bad: HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let err = request.json(&bad).unwrap_err();
        assert!(
            matches!(&err, Error::Encode(m) if m.starts_with("request body: ")),
            "{err:?}"
        );
    }

    fn test_client(mode: AuthMode, base_url: &str) -> Client {
        Client::builder()
            .api_key(KEY)
            .auth_mode(mode)
            .base_url(base_url)
            .allow_insecure_http(true)
            .timeout(Duration::from_secs(10))
            .build_with(&Schemes::TEST)
            .unwrap()
    }

    fn header_auth() -> Auth {
        Auth::Header {
            mode: AuthMode::Header,
            name: HeaderName::from_static("x-api-key"),
            value: HeaderValue::from_static("k"),
        }
    }

    #[test]
    fn url_joining() {
        let auth = header_auth();
        let url = |base: &str, path: &str| build_url(base, path, &[], &auth).unwrap().to_string();
        assert_eq!(
            url("https://api.example.com", "/me"),
            "https://api.example.com/me"
        );
        assert_eq!(
            url("https://api.example.com", "me"),
            "https://api.example.com/me"
        );
        assert_eq!(
            url("http://127.0.0.1:1234/v1", "/collections/a%2Fb"),
            "http://127.0.0.1:1234/v1/collections/a%2Fb"
        );
        assert_eq!(
            url("http://127.0.0.1:1234/v1", "/"),
            "http://127.0.0.1:1234/v1/"
        );
        assert_eq!(
            url("http://127.0.0.1:1234/v1", ""),
            "http://127.0.0.1:1234/v1/"
        );
        // The base URL as the client stores it.
        let client = test_client(AuthMode::Header, "http://127.0.0.1:1234/v1/");
        let request = Request::new(Method::GET, "/workspaces".to_owned())
            .into_http(client.inner(), ACCEPT_JSON)
            .unwrap();
        assert_eq!(
            request.url().as_str(),
            "http://127.0.0.1:1234/v1/workspaces"
        );
    }

    #[test]
    fn query_pairs_are_form_encoded() {
        let query = [
            (Cow::Borrowed("q"), "a b&c=d/é".to_owned()),
            (Cow::Borrowed("tag"), "x".to_owned()),
            (Cow::Owned("f[a]".to_owned()), "y".to_owned()),
        ];
        let url = build_url("http://h", "/s", &query, &header_auth()).unwrap();
        assert_eq!(
            url.as_str(),
            "http://h/s?q=a+b%26c%3Dd%2F%C3%A9&tag=x&f%5Ba%5D=y"
        );
        let pairs: Vec<_> = url.query_pairs().collect();
        assert_eq!(pairs[0].1, "a b&c=d/é");
    }

    #[test]
    fn dot_segments_are_rejected() {
        for id in [".", "..", "%2e", "%2E%2e", ".%2E", "%2e."] {
            let path = format!("/collections/{id}/forks");
            let err = build_url("http://h/v1", &path, &[], &header_auth()).unwrap_err();
            assert!(matches!(err, Error::Encode(_)), "{id}: {err:?}");
        }
        // What it prevents: the URL parser resolving the segment.
        assert_eq!(
            Url::parse("http://h/v1/a/%2e%2E/b").unwrap().as_str(),
            "http://h/v1/b"
        );
        // Dots inside a segment are fine.
        for id in ["a.b", "...", ".x", "x.."] {
            let path = format!("/collections/{}", encode_path(id));
            let url = build_url("http://h", &path, &[], &header_auth()).unwrap();
            assert_eq!(url.path(), format!("/collections/{id}"));
        }
    }

    #[test]
    fn http_request_in_header_mode() {
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::POST, "/collections".to_owned());
        request.query("workspace", &Some("w 1"));
        request.header("X-Request-Id", "r-1");
        request.json(&serde_json::json!({"a": 1})).unwrap();
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        assert_eq!(http.method(), Method::POST);
        assert_eq!(
            http.url().as_str(),
            "https://api.example.com/collections?workspace=w+1"
        );
        assert!(!http.url().as_str().contains(KEY));
        let headers = http.headers();
        assert_eq!(headers[ACCEPT], "application/json");
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        assert_eq!(headers[USER_AGENT], crate::meta::USER_AGENT);
        assert_eq!(headers["x-request-id"], "r-1");
        let auth = &headers[Schemes::TEST.header.unwrap()];
        assert_eq!(auth, KEY);
        assert!(auth.is_sensitive());
        assert!(!format!("{headers:?}").contains(KEY));
        assert_eq!(http.timeout(), Some(&Duration::from_secs(10)));
        assert_eq!(
            http.body().and_then(reqwest::Body::as_bytes),
            Some(&br#"{"a":1}"#[..])
        );
    }

    #[test]
    fn parameters_cannot_replace_the_key() {
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.header(Schemes::TEST.header.unwrap(), "other");
        request.header("Accept", "application/vnd.x+json");
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        assert_eq!(http.headers()[Schemes::TEST.header.unwrap()], KEY);
        assert_eq!(http.headers()[ACCEPT], "application/vnd.x+json");
    }

    #[test]
    fn http_request_in_query_mode() {
        let client = test_client(AuthMode::Query, "https://api.example.com/v1");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.query("tag", &["a", "b"]);
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        let name = Schemes::TEST.query.unwrap();
        assert_eq!(
            http.url().as_str(),
            format!("https://api.example.com/v1/me?tag=a&tag=b&{name}={KEY}")
        );
        assert!(!http.headers().contains_key(Schemes::TEST.header.unwrap()));
        let http = Request::new(Method::GET, "/me".to_owned())
            .into_http(client.inner(), ACCEPT_JSON)
            .unwrap();
        assert_eq!(http.url().query(), Some(format!("{name}={KEY}").as_str()));
    }

    #[test]
    fn recorded_errors_surface_as_encode_errors() {
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.header("X-Id", "a\rb");
        let err = request.into_http(client.inner(), ACCEPT_JSON).unwrap_err();
        assert!(matches!(err, Error::Encode(_)), "{err:?}");
    }

    #[test]
    fn remove_query_pair_strips_only_the_key() {
        let mut url = Url::parse("http://h/p?a=1&apikey=SECRET&b=x+y&apikey=2").unwrap();
        remove_query_pair(&mut url, "apikey");
        assert_eq!(url.as_str(), "http://h/p?a=1&b=x+y");
        let mut url = Url::parse("http://h/p?apikey=SECRET").unwrap();
        remove_query_pair(&mut url, "apikey");
        assert_eq!(url.as_str(), "http://h/p");
        let mut url = Url::parse("http://h/p?a=%2F").unwrap();
        remove_query_pair(&mut url, "apikey");
        assert_eq!(
            url.as_str(),
            "http://h/p?a=%2F",
            "untouched without the key"
        );
    }

    #[test]
    fn execute_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let future = client.execute::<Value>(Request::new(Method::GET, "/me".to_owned()));
        assert_send(&future);
    }

    // ---- End to end against a one-shot HTTP server on 127.0.0.1 ----

    /// A listener on a free port of 127.0.0.1, and its `http://` origin.
    fn listen() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        (listener, origin)
    }

    /// Answers one connection with `response`; returns the raw request.
    fn answer(listener: &TcpListener, response: &[u8]) -> String {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let content_length = line
                .split_once(':')
                .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"));
            if let Some((_, value)) = content_length {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        reader.get_mut().write_all(response).unwrap();
        head + &String::from_utf8_lossy(&body)
    }

    /// Answers connections with `responses`, in order, on a background thread.
    fn serve(
        listener: TcpListener,
        responses: Vec<String>,
    ) -> std::thread::JoinHandle<Vec<String>> {
        std::thread::spawn(move || {
            responses
                .iter()
                .map(|response| answer(&listener, response.as_bytes()))
                .collect()
        })
    }

    /// Serves one response; returns the base URL (with a `/v1` prefix) and the
    /// handle that yields the raw request.
    fn serve_once(response: impl Into<Vec<u8>>) -> (String, std::thread::JoinHandle<String>) {
        let response = response.into();
        let (listener, origin) = listen();
        let handle = std::thread::spawn(move || answer(&listener, &response));
        (format!("{origin}/v1"), handle)
    }

    fn http_response(status: &str, extra_headers: &str, body: &str) -> String {
        format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n{body}",
            body.len()
        )
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Me {
        user: User,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct User {
        id: u64,
    }

    #[tokio::test]
    async fn execute_decodes_a_success() {
        let (base, server) = serve_once(http_response(
            "200 OK",
            "Content-Type: application/json\r\nX-RateLimit-Remaining: 299\r\n",
            r#"{"user":{"id":12}}"#,
        ));
        let client = test_client(AuthMode::Header, &base);
        let mut request = Request::new(Method::POST, format!("/users/{}", encode_path("a b")));
        request.query("tag", &["x", "y"]);
        request.json(&serde_json::json!({"k": true})).unwrap();
        let response = client.execute::<Me>(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.user.id, 12);
        assert_eq!(response.rate_limit().remaining(), Some(299));
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");

        let raw = server.join().unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(
            raw.starts_with("POST /v1/users/a%20b?tag=x&tag=y HTTP/1.1\r\n"),
            "{raw}"
        );
        assert!(
            lower.contains(&format!("x-api-key: {}\r\n", KEY.to_ascii_lowercase())),
            "{raw}"
        );
        assert!(lower.contains("accept: application/json\r\n"), "{raw}");
        assert!(
            lower.contains("content-type: application/json\r\n"),
            "{raw}"
        );
        assert!(
            lower.contains(&format!("user-agent: {}\r\n", crate::meta::USER_AGENT)),
            "{raw}"
        );
        assert!(raw.ends_with(r#"{"k":true}"#), "{raw}");
    }

    #[tokio::test]
    async fn execute_treats_an_empty_body_as_null() {
        let (base, server) = serve_once(http_response("204 No Content", "", ""));
        let client = test_client(AuthMode::Query, &base);
        let response = client
            .execute::<()>(Request::new(Method::DELETE, "/things/1".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let raw = server.join().unwrap();
        let name = Schemes::TEST.query.unwrap();
        assert!(
            raw.starts_with(&format!("DELETE /v1/things/1?{name}={KEY} HTTP/1.1")),
            "{raw}"
        );

        let (base, server) = serve_once(http_response("200 OK", "", ""));
        let client = test_client(AuthMode::Header, &base);
        let response = client
            .execute::<Option<Me>>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.into_body(), None);
        server.join().unwrap();
    }

    #[tokio::test]
    async fn execute_reports_api_errors() {
        let (base, server) = serve_once(http_response(
            "401 Unauthorized",
            "X-RateLimit-Limit: 300\r\nX-RateLimit-Reset: 1700000000\r\n",
            r#"{"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}}"#,
        ));
        let client = test_client(AuthMode::Query, &base);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(err.rate_limit().unwrap().limit(), Some(300));
        assert_eq!(err.rate_limit().unwrap().reset(), Some(1_700_000_000));
        let Error::Api(api) = &err else {
            panic!("expected an API error: {err:?}")
        };
        assert_eq!(api.name(), Some("AuthenticationError"));
        assert_eq!(
            err.to_string(),
            "401 Unauthorized: AuthenticationError: Invalid API Key. Every request requires a valid API Key to be sent."
        );
        assert!(!format!("{err} {err:?}").contains(KEY));
    }

    #[tokio::test]
    async fn execute_reports_decode_errors() {
        let body = r#"{"user":{"id":"not a number"}}"#;
        let (base, server) = serve_once(http_response(
            "200 OK",
            "X-RateLimit-Remaining: 1\r\n",
            body,
        ));
        let client = test_client(AuthMode::Header, &base);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error: {err:?}")
        };
        assert_eq!(decode.status(), StatusCode::OK);
        assert_eq!(decode.text(), body);
        assert_eq!(decode.body().as_ref(), body.as_bytes());
        assert_eq!(decode.rate_limit().remaining(), Some(1));
        assert_eq!(decode.json_error().line(), 1);
        assert!(
            decode.target_type().ends_with("Me"),
            "{}",
            decode.target_type()
        );
        assert!(err.to_string().contains("invalid type: string"), "{err}");
    }

    #[tokio::test]
    async fn execute_surfaces_encode_errors_before_sending() {
        let client = test_client(AuthMode::Header, "http://127.0.0.1:9");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.query("p", &f64::NAN);
        let err = client.execute::<Value>(request).await.unwrap_err();
        assert!(matches!(err, Error::Encode(_)), "{err:?}");
    }

    #[tokio::test]
    async fn transport_errors_never_contain_the_key() {
        // Accepts connections (the kernel backlog does) but never answers, so
        // the request times out with its URL in the error.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let client = Client::builder()
            .api_key(ApiKey::from(KEY))
            .auth_mode(AuthMode::Query)
            .base_url(&base)
            .allow_insecure_http(true)
            .timeout(Duration::from_millis(200))
            .retry_policy(crate::RetryPolicy::disabled())
            .build_with(&Schemes::TEST)
            .unwrap();
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.query("a", "1");
        let err = client.execute::<Value>(request).await.unwrap_err();
        let Error::Transport(inner) = &err else {
            panic!("expected a transport error: {err:?}")
        };
        assert!(inner.is_timeout(), "{err:?}");
        assert_eq!(
            inner.url().map(Url::as_str),
            Some(format!("{base}/me?a=1").as_str())
        );
        let mut shown = format!("{err} | {err:?} | {inner}");
        let mut source = std::error::Error::source(&err);
        while let Some(e) = source {
            shown += &format!(" | {e} | {e:?}");
            source = e.source();
        }
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
        drop(listener);
    }

    #[tokio::test]
    async fn follows_same_origin_redirects() {
        let (listener, origin) = listen();
        let server = serve(
            listener,
            vec![
                http_response("302 Found", "Location: /v1/other\r\n", ""),
                http_response("200 OK", "", r#"{"user":{"id":1}}"#),
            ],
        );
        let client = test_client(AuthMode::Header, &format!("{origin}/v1"));
        let response = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.user.id, 1);
        let requests = server.join().unwrap();
        assert!(
            requests[1].starts_with("GET /v1/other HTTP/1.1"),
            "{requests:?}"
        );
        assert!(
            requests[1].to_ascii_lowercase().contains("x-api-key: "),
            "{requests:?}"
        );
    }

    #[tokio::test]
    async fn stops_at_redirects_to_another_origin() {
        let (elsewhere, elsewhere_origin) = listen();
        elsewhere.set_nonblocking(true).unwrap();
        for mode in [AuthMode::Header, AuthMode::Query] {
            let (listener, origin) = listen();
            let location = format!("Location: {elsewhere_origin}/steal\r\n");
            let server = serve(
                listener,
                vec![http_response("301 Moved Permanently", &location, "")],
            );
            let client = test_client(mode, &origin);
            let err = client
                .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
                .await
                .unwrap_err();
            server.join().unwrap();
            assert_eq!(err.status(), Some(StatusCode::MOVED_PERMANENTLY), "{err:?}");
            assert!(matches!(err, Error::Api(_)), "{err:?}");
        }
        let never = elsewhere.accept().map(|_| ()).unwrap_err();
        assert_eq!(
            never.kind(),
            std::io::ErrorKind::WouldBlock,
            "the key went elsewhere"
        );
    }

    #[tokio::test]
    async fn redirect_loops_end_without_leaking_the_key() {
        let (listener, origin) = listen();
        let name = Schemes::TEST.query.unwrap();
        let location = format!("Location: /loop?{name}={KEY}&n=1\r\n");
        let server = serve(
            listener,
            vec![http_response("302 Found", &location, ""); crate::client::MAX_REDIRECTS + 1],
        );
        let client = test_client(AuthMode::Query, &origin);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        // Query mode follows redirects itself (to put the key back into each
        // URL) and, after the last hop allowed, returns the redirect as it is,
        // without the key its `Location` echoed.
        let Error::Api(api) = &err else {
            panic!("expected the redirect as an API error: {err:?}")
        };
        assert_eq!(api.status(), StatusCode::FOUND);
        assert_eq!(api.headers()[LOCATION], "/loop?n=1");
        assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
    }

    #[test]
    fn location_loses_only_the_key() {
        let mut headers = HeaderMap::new();
        for (location, expected) in [
            ("/a?apikey=k&n=1#f", "/a?n=1#f"),
            ("/a?apikey=k", "/a"),
            ("/a?n=1&apikey=k&apikey=j", "/a?n=1"),
            ("/a?apikeys=k", "/a?apikeys=k"),
            ("https://h/a?x=apikey", "https://h/a?x=apikey"),
            ("/plain", "/plain"),
        ] {
            headers.insert(LOCATION, HeaderValue::from_static(location));
            remove_key_from_location(&mut headers, "apikey");
            assert_eq!(headers[LOCATION], expected, "{location}");
        }
    }

    // ---- Cookies, delimited and deep-object parameters ----

    fn client_with(mode: AuthMode, base_url: &str) -> Client {
        Client::builder()
            .api_key(KEY)
            .auth_mode(mode)
            .base_url(base_url)
            .allow_insecure_http(true)
            .build_with(&Schemes::TEST)
            .unwrap()
    }

    #[test]
    fn cookies_are_encoded_and_collected() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.cookie("session", &Some("a b;c,d\"e\\f%g=h\u{1}\u{7f}"));
        request.cookie("n", &3);
        request.cookie("none", &None::<String>);
        request.cookie("list", &["x", "é"]);
        request.cookie("kind", &Kind::PublicApi);
        // Nothing to send: the name is not even looked at.
        request.cookie("not a name", &None::<u8>);
        assert_eq!(request.error, None);
        let cookies: Vec<(&str, &str)> = request
            .cookies
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        assert_eq!(
            cookies,
            [
                ("session", "a%20b%3Bc%2Cd%22e%5Cf%g=h%01%7F"),
                ("n", "3"),
                ("list", "x"),
                ("list", "%C3%A9"),
                ("kind", "publicApi"),
            ]
        );

        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.cookie("bad name", "v");
        assert!(request.error.unwrap().contains("`bad name`"));
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.cookie("c", &f64::NAN);
        let message = request.error.unwrap();
        assert!(message.starts_with("cookie `c`: "), "{message}");
        assert!(request.cookies.is_empty());
    }

    #[test]
    fn cookie_header_joins_parameters_and_the_key() {
        let client = client_with(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.cookie("a", "1");
        request.cookie("b", "x y");
        request.header("Cookie", "replaced=1");
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        assert_eq!(http.headers().get_all(COOKIE).iter().count(), 1);
        assert_eq!(http.headers()[COOKIE], "a=1; b=x%20y");
        assert!(http.headers()[COOKIE].is_sensitive());

        let client = client_with(AuthMode::Cookie, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.cookie("a", "1");
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        assert_eq!(http.headers()[COOKIE], format!("a=1; sid={KEY}").as_str());
        assert!(http.headers()[COOKIE].is_sensitive());
        assert!(!format!("{:?}", http.headers()).contains(KEY));
        assert_eq!(http.url().query(), None);
        assert!(!http.headers().contains_key("x-api-key"));
        let http = Request::new(Method::GET, "/me".to_owned())
            .into_http(client.inner(), ACCEPT_JSON)
            .unwrap();
        assert_eq!(http.headers()[COOKIE], format!("sid={KEY}").as_str());

        // No cookies at all: no header.
        let client = client_with(AuthMode::Query, "https://api.example.com");
        let http = Request::new(Method::GET, "/me".to_owned())
            .into_http(client.inner(), ACCEPT_JSON)
            .unwrap();
        assert!(!http.headers().contains_key(COOKIE));
    }

    #[test]
    fn bearer_basic_and_no_credentials() {
        let client = client_with(AuthMode::Bearer, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.header("Authorization", "Bearer other");
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        let authorization = &http.headers()[reqwest::header::AUTHORIZATION];
        assert_eq!(authorization, format!("Bearer {KEY}").as_str());
        assert!(authorization.is_sensitive());
        assert_eq!(http.url().query(), None);

        let client = Client::builder()
            .api_key("user:pass")
            .auth_mode(AuthMode::Basic)
            .base_url("https://api.example.com")
            .build_with(&Schemes::TEST)
            .unwrap();
        let http = Request::new(Method::GET, "/me".to_owned())
            .into_http(client.inner(), ACCEPT_JSON)
            .unwrap();
        let authorization = &http.headers()[reqwest::header::AUTHORIZATION];
        assert_eq!(authorization, "Basic dXNlcjpwYXNz");
        assert!(authorization.is_sensitive());

        let client = Client::builder()
            .auth_mode(AuthMode::None)
            .base_url("https://api.example.com")
            .build_with(&Schemes::TEST)
            .unwrap();
        let http = Request::new(Method::GET, "/me".to_owned())
            .into_http(client.inner(), ACCEPT_JSON)
            .unwrap();
        assert_eq!(http.url().as_str(), format!("{}/me", client.base_url()));
        let names: Vec<&str> = http.headers().keys().map(|name| name.as_str()).collect();
        assert_eq!(names, ["accept", "user-agent"]);
    }

    fn delimited<T: Serialize + ?Sized>(value: &T, delimiter: &'static str) -> Vec<String> {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query_delimited("p", value, delimiter);
        assert_eq!(request.error, None);
        pairs(&request)
            .into_iter()
            .map(|(name, text)| {
                assert_eq!(name, "p");
                text.to_owned()
            })
            .collect()
    }

    #[test]
    fn delimited_query_joins_into_one_pair() {
        assert_eq!(delimited(&vec![1, 2, 3], ","), ["1,2,3"]);
        assert_eq!(delimited(&["a b", "c"], " "), ["a b c"]);
        assert_eq!(delimited(&["a", "b"], "|"), ["a|b"]);
        assert_eq!(delimited(&Some(vec!["x"]), ","), ["x"]);
        assert_eq!(delimited(&vec![Some(1), None, Some(3)], ","), ["1,3"]);
        assert_eq!(
            delimited(&vec![Kind::PublicApi, Kind::Private], ","),
            ["publicApi,private-api"]
        );
        assert!(delimited(&None::<Vec<String>>, ",").is_empty());
        assert!(delimited(&Vec::<String>::new(), ",").is_empty());
        assert!(delimited(&vec![None::<u8>], ",").is_empty());
        // Scalars as plain `query`.
        assert_eq!(delimited("s,t", ","), ["s,t"]);
        assert_eq!(delimited(&5, "|"), ["5"]);
        // Objects: keys and values (nulls left out); compound elements as JSON.
        #[derive(Serialize)]
        struct Person {
            role: &'static str,
            #[serde(rename = "firstName")]
            first_name: &'static str,
            age: Option<u8>,
        }
        let person = Person {
            role: "admin",
            first_name: "Alex",
            age: None,
        };
        assert_eq!(delimited(&person, ","), ["role,admin,firstName,Alex"]);
        assert_eq!(
            delimited(&serde_json::json!([1, {"a": true}, [2]]), ","),
            [r#"1,{"a":true},[2]"#]
        );

        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query_delimited("p", &vec![1.0, f64::NAN], ",");
        request.query_delimited("q", &vec![1], ",");
        assert!(
            request
                .error
                .as_ref()
                .unwrap()
                .contains("query parameter `p`")
        );
        assert_eq!(pairs(&request), [("q", "1")]);
    }

    #[test]
    fn delimited_query_in_the_url() {
        let client = client_with(AuthMode::Header, "http://h");
        let mut request = Request::new(Method::GET, "/s".to_owned());
        request.query_delimited("ids", &[1, 2], ",");
        request.query_delimited("words", &["a", "b"], " ");
        request.query_delimited("codes", &["x", "y"], "|");
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        assert_eq!(
            http.url().as_str(),
            "http://h/s?ids=1%2C2&words=a+b&codes=x%7Cy"
        );
    }

    #[derive(Serialize)]
    struct Range {
        min: u8,
        max: Option<u8>,
    }

    #[derive(Serialize)]
    struct Item {
        id: u8,
    }

    #[derive(Serialize)]
    struct DeepFilter {
        name: &'static str,
        range: Range,
        tags: Vec<&'static str>,
        kind: Kind,
        missing: Option<u8>,
        items: Vec<Item>,
    }

    fn deep_filter() -> DeepFilter {
        DeepFilter {
            name: "n m",
            range: Range { min: 1, max: None },
            tags: vec!["a", "b"],
            kind: Kind::PublicApi,
            missing: None,
            items: vec![Item { id: 7 }],
        }
    }

    #[test]
    fn deep_object_query() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query_deep_object("filter", &deep_filter());
        request.query_deep_object("none", &None::<DeepFilter>);
        request.query_deep_object("scalar", &5);
        request.query_deep_object("list", &["x", "y"]);
        let map: BTreeMap<u16, &str> = [(1, "one")].into();
        request.query_deep_object("map", &map);
        request.query_deep_object("empty", &serde_json::json!({}));
        assert_eq!(request.error, None);
        assert_eq!(
            pairs(&request),
            [
                ("filter[name]", "n m"),
                ("filter[range][min]", "1"),
                ("filter[tags][0]", "a"),
                ("filter[tags][1]", "b"),
                ("filter[kind]", "publicApi"),
                ("filter[items][0][id]", "7"),
                ("scalar", "5"),
                ("list", "x"),
                ("list", "y"),
                ("map[1]", "one"),
            ]
        );
        let client = client_with(AuthMode::Header, "http://h");
        let http = request.into_http(client.inner(), ACCEPT_JSON).unwrap();
        assert!(
            http.url()
                .as_str()
                .starts_with("http://h/x?filter%5Bname%5D=n+m&filter%5Brange%5D%5Bmin%5D=1&"),
            "{}",
            http.url()
        );

        let mut request = Request::new(Method::GET, "/x".to_owned());
        let bad: HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        request.query_deep_object("bad", &bad);
        let message = request.error.unwrap();
        assert!(message.starts_with("query parameter `bad`: "), "{message}");
        assert!(message.contains("map keys must be"), "{message}");
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query_deep_object("f", &serde_json::json!({"a": {"b": [1]}}));
        request.query_deep_object("nan", &BTreeMap::from([("x", f64::NAN)]));
        assert!(
            request
                .error
                .as_ref()
                .unwrap()
                .contains("not a finite number")
        );
        assert_eq!(pairs(&request), [("f[a][b][0]", "1")]);
    }

    // ---- Bodies ----

    #[derive(Serialize)]
    struct Line {
        price: &'static str,
        qty: u8,
    }

    #[derive(Serialize)]
    struct Address {
        city: &'static str,
        zip: Option<u32>,
    }

    #[derive(Serialize)]
    struct Checkout {
        user: &'static str,
        password: &'static str,
        remember: bool,
        scopes: Vec<&'static str>,
        address: Address,
        lines: Vec<Line>,
        note: Option<&'static str>,
        kind: Kind,
        matrix: Vec<Vec<u8>>,
        ratio: f32,
    }

    #[test]
    fn form_body() {
        let mut request = Request::new(Method::POST, "/x".to_owned());
        request
            .form(&Checkout {
                user: "a b&c",
                password: "p=é",
                remember: true,
                scopes: vec!["read", "write"],
                address: Address {
                    city: "Paris",
                    zip: None,
                },
                lines: vec![Line {
                    price: "p_1",
                    qty: 2,
                }],
                note: None,
                kind: Kind::PublicApi,
                matrix: vec![vec![1, 2]],
                ratio: 0.5,
            })
            .unwrap();
        assert_eq!(request.error, None);
        assert_eq!(
            request.headers[CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        let body = std::str::from_utf8(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            "user=a+b%26c&password=p%3D%C3%A9&remember=true&scopes=read&scopes=write\
             &address%5Bcity%5D=Paris&lines%5B0%5D%5Bprice%5D=p_1&lines%5B0%5D%5Bqty%5D=2\
             &kind=publicApi&matrix%5B0%5D=1&matrix%5B0%5D=2&ratio=0.5"
        );

        let mut request = Request::new(Method::POST, "/x".to_owned());
        let map: BTreeMap<&str, Value> = [
            ("b", serde_json::json!([])),
            ("a", serde_json::json!("~*'()!")),
        ]
        .into();
        request.form(&map).unwrap();
        assert_eq!(request.body.as_deref(), Some(&b"a=%7E*%27%28%29%21"[..]));
        request.form(&serde_json::json!({})).unwrap();
        assert_eq!(request.body.as_deref(), Some(&b""[..]));
    }

    #[test]
    fn form_body_errors() {
        let mut request = Request::new(Method::POST, "/x".to_owned());
        for err in [
            request.form(&5).unwrap_err(),
            request.form(&vec![("a", 1)]).unwrap_err(),
            request.form(&None::<Checkout>).unwrap_err(),
        ] {
            assert!(
                matches!(&err, Error::Encode(m) if m.contains("must be an object")),
                "{err:?}"
            );
        }
        let err = request
            .form(&BTreeMap::from([("x", f64::INFINITY)]))
            .unwrap_err();
        assert!(
            matches!(&err, Error::Encode(m) if m.starts_with("request body: ")),
            "{err:?}"
        );
        let bad: HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert!(matches!(request.form(&bad), Err(Error::Encode(_))));
        assert_eq!(request.body, None);
        assert!(!request.headers.contains_key(CONTENT_TYPE));
    }

    #[derive(Serialize)]
    struct Meta {
        a: u8,
        b: &'static str,
    }

    #[derive(Serialize)]
    struct Upload {
        file: Binary,
        raw: Binary,
        description: Option<&'static str>,
        missing: Option<&'static str>,
        count: u32,
        flag: bool,
        tags: Vec<&'static str>,
        attachments: Vec<Binary>,
        maybe: Option<Binary>,
        meta: Meta,
        kind: Kind,
    }

    /// The boundary of a multipart request, from its `Content-Type`.
    fn boundary_of(request: &Request) -> String {
        let content_type = request.headers[CONTENT_TYPE].to_str().unwrap();
        content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap()
            .to_owned()
    }

    #[test]
    fn multipart_body() {
        let upload = Upload {
            file: Binary::from(b"\x89PNG\r\n".to_vec())
                .with_file_name("photo.png")
                .with_content_type("image/png"),
            raw: Binary::from(vec![0, 1]),
            description: Some("a \"quoted\"\r\ntext"),
            missing: None,
            count: 3,
            flag: true,
            tags: vec!["a", "b"],
            attachments: vec![
                Binary::from(b"one".to_vec())
                    .with_file_name("1.txt")
                    .with_content_type("text/plain"),
                Binary::from(b"two".to_vec()),
            ],
            maybe: Some(Binary::from(b"m".to_vec()).with_file_name("m\"\n.bin")),
            meta: Meta { a: 1, b: "x\"y" },
            kind: Kind::Private,
        };
        let mut request = Request::new(Method::POST, "/files".to_owned());
        request.multipart(&upload).unwrap();
        assert_eq!(request.error, None);
        let b = boundary_of(&request);
        assert!(b.len() <= 70, "{b}");
        let text_part = |name: &str, value: &str| {
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
        };
        let file_part = |name: &str, file: &str, content_type: &str, value: &str| {
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n{value}\r\n"
            )
        };
        let expected = [
            file_part("file", "photo.png", "image/png", "\u{89}PNG\r\n"),
            file_part("raw", "raw", "application/octet-stream", "\0\u{1}"),
            text_part("description", "a \"quoted\"\r\ntext"),
            text_part("count", "3"),
            text_part("flag", "true"),
            text_part("tags", "a"),
            text_part("tags", "b"),
            file_part("attachments", "1.txt", "text/plain", "one"),
            file_part(
                "attachments",
                "attachments",
                "application/octet-stream",
                "two",
            ),
            file_part("maybe", "m%22%0A.bin", "application/octet-stream", "m"),
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\
                 Content-Type: application/json\r\n\r\n{{\"a\":1,\"b\":\"x\\\"y\"}}\r\n"
            ),
            text_part("kind", "private-api"),
            format!("--{b}--\r\n"),
        ]
        .concat();
        // `\u{89}` above stands for the byte 0x89.
        let expected = expected.replace('\u{89}', "\u{fffd}");
        let body = request.body.as_deref().unwrap();
        assert_eq!(String::from_utf8_lossy(body), expected);
        assert_eq!(&body[..2], b"--");
        assert!(body.windows(4).any(|w| w == b"\x89PNG"));
    }

    #[test]
    fn multipart_names_and_errors() {
        let mut request = Request::new(Method::POST, "/files".to_owned());
        let fields: BTreeMap<&str, Value> = [
            ("we\"ird\r\nname", serde_json::json!("v")),
            ("list", serde_json::json!([{"a": 1}, [2], null, 3])),
            ("none", Value::Null),
        ]
        .into();
        request.multipart(&fields).unwrap();
        let b = boundary_of(&request);
        assert_eq!(
            String::from_utf8_lossy(request.body.as_deref().unwrap()),
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"list\"\r\n\
                 Content-Type: application/json\r\n\r\n{{\"a\":1}}\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"list\"\r\n\
                 Content-Type: application/json\r\n\r\n[2]\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"list\"\r\n\r\n3\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"we%22ird%0D%0Aname\"\r\n\r\nv\r\n\
                 --{b}--\r\n"
            )
        );

        let evil = BTreeMap::from([(
            "f",
            Binary::from(b"x".to_vec()).with_content_type("text/plain\r\nX-Evil: 1"),
        )]);
        let err = request.multipart(&evil).unwrap_err();
        assert!(
            matches!(&err, Error::Encode(m) if m.contains("field `f`") && m.contains("content type")),
            "{err:?}"
        );
        let err = request.multipart(&"text").unwrap_err();
        assert!(
            matches!(&err, Error::Encode(m) if m.contains("must be an object")),
            "{err:?}"
        );
        let err = request
            .multipart(&BTreeMap::from([("n", f32::NAN)]))
            .unwrap_err();
        assert!(matches!(&err, Error::Encode(_)), "{err:?}");

        // Two requests never share a boundary.
        let mut other = Request::new(Method::POST, "/files".to_owned());
        other.multipart(&fields).unwrap();
        assert_ne!(boundary_of(&other), b);
    }

    #[test]
    fn multipart_boundary_never_occurs_in_the_content() {
        let parts = [Part {
            head: "Content-Disposition: form-data; name=\"a\"\r\n".to_owned(),
            content: Bytes::from_static(b"xx--AAAA--yy"),
        }];
        let mut candidates = vec!["BBBB", "AAAA", "form-data"];
        let (boundary, body) = encode_multipart(&parts, || candidates.pop().unwrap().to_owned());
        assert_eq!(boundary, "BBBB");
        assert!(candidates.is_empty(), "both clashing candidates were tried");
        assert_eq!(
            body,
            b"--BBBB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxx--AAAA--yy\r\n--BBBB--\r\n"
        );
        let (boundary, body) = encode_multipart(&[], || "z".to_owned());
        assert_eq!(
            (boundary.as_str(), body.as_slice()),
            ("z", &b"--z--\r\n"[..])
        );
    }

    #[test]
    fn boundaries_are_unique_and_valid() {
        let boundaries: std::collections::HashSet<String> =
            (0..500).map(|_| new_boundary()).collect();
        assert_eq!(boundaries.len(), 500);
        for boundary in &boundaries {
            assert!((1..=70).contains(&boundary.len()), "{boundary}");
            assert!(
                boundary
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                "{boundary}"
            );
        }
    }

    #[test]
    fn bytes_and_text_bodies() {
        let mut request = Request::new(Method::PUT, "/x".to_owned());
        request.bytes(Bytes::from_static(b"\x00\xff"), "application/octet-stream");
        assert_eq!(request.body.as_deref(), Some(&b"\x00\xff"[..]));
        assert_eq!(request.headers[CONTENT_TYPE], "application/octet-stream");
        request.text("héllo".to_owned(), "text/markdown");
        assert_eq!(request.body.as_deref(), Some("héllo".as_bytes()));
        assert_eq!(request.headers[CONTENT_TYPE], "text/markdown");
        assert_eq!(request.headers.get_all(CONTENT_TYPE).iter().count(), 1);
        assert_eq!(request.error, None);
        request.text(String::new(), "text/plain\n");
        assert!(request.error.unwrap().contains("content type"));
    }

    #[test]
    fn binary_parameters_are_text() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query(
            "q",
            &Binary::from(b"abc".to_vec()).with_file_name("ignored"),
        );
        request.header("X-Data", &Binary::from(b"h".to_vec()));
        request.query_deep_object("d", &BTreeMap::from([("k", Binary::from(b"v".to_vec()))]));
        assert_eq!(request.error, None);
        assert_eq!(pairs(&request), [("q", "abc"), ("d[k]", "v")]);
        assert_eq!(request.headers["x-data"], "h");
        request.query("bad", &Binary::from(vec![0xff]));
        assert!(request.error.unwrap().contains("not UTF-8"));
    }

    /// Serializes as bytes, like `serde_bytes`.
    struct RawBytes(&'static [u8]);

    impl Serialize for RawBytes {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    #[test]
    fn node_serializer_shapes() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(u8),
            Tup(u8, &'static str),
            Struct { a: bool },
        }
        #[derive(Serialize)]
        struct Pair(u8, u8);
        #[derive(Serialize)]
        struct Nothing;

        let node = |value: &dyn Fn() -> Result<Node, ParamError>| value().unwrap();
        let raw = |text: &str| Node::Raw(text.to_owned());
        let string = |text: &str| Node::Str(text.to_owned());
        assert_eq!(node(&|| to_node(&E::Unit)), string("Unit"));
        assert_eq!(
            node(&|| to_node(&E::New(1))),
            Node::Map(vec![("New".to_owned(), raw("1"))])
        );
        assert_eq!(
            node(&|| to_node(&E::Tup(1, "x"))),
            Node::Map(vec![(
                "Tup".to_owned(),
                Node::Seq(vec![raw("1"), string("x")])
            )])
        );
        assert_eq!(
            node(&|| to_node(&E::Struct { a: true })),
            Node::Map(vec![(
                "Struct".to_owned(),
                Node::Map(vec![("a".to_owned(), raw("true"))])
            )])
        );
        assert_eq!(
            node(&|| to_node(&Pair(1, 2))),
            Node::Seq(vec![raw("1"), raw("2")])
        );
        assert_eq!(node(&|| to_node(&Nothing)), Node::Null);
        assert_eq!(node(&|| to_node(&())), Node::Null);
        assert_eq!(node(&|| to_node(&Id(7))), raw("7"));
        assert_eq!(node(&|| to_node(&'c')), string("c"));
        assert_eq!(node(&|| to_node(&-1.5f64)), raw("-1.5"));
        assert_eq!(node(&|| to_node(&u128::MAX)), raw(&u128::MAX.to_string()));
        assert_eq!(
            node(&|| to_node(&BTreeMap::from([(true, 1), (false, 0)]))),
            Node::Map(vec![
                ("false".to_owned(), raw("0")),
                ("true".to_owned(), raw("1"))
            ])
        );
        assert_eq!(
            node(&|| to_node(&RawBytes(b"\xff"))),
            Node::Binary(Binary::from(vec![0xff]))
        );
        let file = Binary::from(b"f".to_vec())
            .with_file_name("f.txt")
            .with_content_type("text/plain");
        assert_eq!(
            node(&|| to_node(&Some(vec![file.clone()]))),
            Node::Seq(vec![Node::Binary(file)])
        );

        let message = |result: Result<Node, ParamError>| result.unwrap_err().to_string();
        assert!(message(to_node(&f64::NAN)).contains("not a finite number"));
        assert!(message(to_node(&HashMap::from([(None::<u8>, 1)]))).contains("null"));
        assert!(message(to_node(&HashMap::from([((1, 2), 1)]))).contains("map keys must be"));
    }

    #[test]
    fn node_json_matches_serde_json() {
        let value = serde_json::json!({
            "a": [1, "x\"y\n\u{e9}\u{1}", null, true, {"b": [], "c": {}}],
            "d": -2.5,
            "e": "",
        });
        assert_eq!(to_node(&value).unwrap().to_json(), value.to_string());
        assert_eq!(
            Node::Binary(Binary::from(vec![1, 2])).to_json(),
            serde_json::to_string(&Binary::from(vec![1, 2])).unwrap()
        );
        assert_eq!(Node::Null.into_text().unwrap(), None);
        assert_eq!(
            Node::Seq(vec![Node::Null]).into_text().unwrap().as_deref(),
            Some("[null]")
        );
    }

    #[test]
    fn json_treats_blank_bodies_as_null() {
        assert_eq!(json::<Option<u8>>(b"").unwrap(), None);
        assert_eq!(json::<()>(b" \n").unwrap(), ());
        assert_eq!(json::<u8>(b" 5 ").unwrap(), 5);
        assert!(json::<u8>(b"x").unwrap_err().is_syntax());
        assert!(json::<u8>(b"").unwrap_err().is_data());
    }

    // ---- Text, bytes and by-status responses, end to end ----

    #[tokio::test]
    async fn execute_text_decodes_utf8() {
        let (base, server) = serve_once(http_response(
            "200 OK",
            "Content-Type: text/plain\r\nX-RateLimit-Remaining: 5\r\n",
            "héllo\nwörld",
        ));
        let client = test_client(AuthMode::Header, &base);
        let response = client
            .execute_text(Request::new(Method::GET, "/readme".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.body(), "héllo\nwörld");
        assert_eq!(response.rate_limit().remaining(), Some(5));
        let raw = server.join().unwrap().to_ascii_lowercase();
        assert!(raw.contains("\r\naccept: text/*, */*;q=0.8\r\n"), "{raw}");

        let mut response =
            b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\n".to_vec();
        response.extend_from_slice(b"a\xffb\xfe");
        let (base, server) = serve_once(response);
        let client = test_client(AuthMode::Header, &base);
        let err = client
            .execute_text(Request::new(Method::GET, "/readme".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error: {err:?}")
        };
        assert_eq!(decode.body().as_ref(), b"a\xffb\xfe");
        assert!(decode.target_type().ends_with("String"));
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[tokio::test]
    async fn execute_bytes_keeps_the_body() {
        let mut response =
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"
                .to_vec();
        response.extend_from_slice(b"\x00\xff\x10");
        let (base, server) = serve_once(response);
        let client = test_client(AuthMode::Query, &base);
        let mut request = Request::new(Method::POST, "/thumbs".to_owned());
        request.bytes(Bytes::from_static(b"img"), "image/png");
        let response = client.execute_bytes(request).await.unwrap();
        assert_eq!(response.body().as_ref(), b"\x00\xff\x10");
        assert_eq!(response.headers()[CONTENT_TYPE], "image/png");
        let raw = server.join().unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(lower.contains("\r\naccept: */*\r\n"), "{raw}");
        assert!(lower.contains("\r\ncontent-type: image/png\r\n"), "{raw}");
        assert!(raw.ends_with("\r\n\r\nimg"), "{raw}");
    }

    #[derive(Debug, PartialEq)]
    enum JobOk {
        Done(Me),
        Accepted(User),
        NoContent,
    }

    fn job_ok(status: StatusCode, body: &[u8]) -> Option<Result<JobOk, serde_json::Error>> {
        match status.as_u16() {
            200 => Some(json(body).map(JobOk::Done)),
            202 => Some(json(body).map(JobOk::Accepted)),
            204 => Some(Ok(JobOk::NoContent)),
            _ => None,
        }
    }

    async fn run_job(response: String) -> (Result<Response<JobOk>, Error>, String) {
        let (base, server) = serve_once(response);
        let client = test_client(AuthMode::Header, &base);
        let result = client
            .execute_with(Request::new(Method::POST, "/jobs".to_owned()), job_ok)
            .await;
        (result, server.join().unwrap())
    }

    #[tokio::test]
    async fn execute_with_decodes_by_status() {
        let (result, raw) = run_job(http_response("202 Accepted", "", r#"{"id":4}"#)).await;
        let response = result.unwrap();
        assert_eq!(response.status(), StatusCode::ACCEPTED);
        assert_eq!(*response, JobOk::Accepted(User { id: 4 }));
        assert!(
            raw.to_ascii_lowercase()
                .contains("\r\naccept: application/json\r\n")
        );

        let (result, _) = run_job(http_response("204 No Content", "", "")).await;
        assert_eq!(result.unwrap().into_body(), JobOk::NoContent);

        let (result, _) = run_job(http_response("200 OK", "", r#"{"user":{"id":"x"}}"#)).await;
        let err = result.unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error: {err:?}")
        };
        assert!(decode.json_error().is_data());
        assert!(
            decode.target_type().ends_with("JobOk"),
            "{}",
            decode.target_type()
        );

        let (result, _) = run_job(http_response(
            "201 Created",
            "X-RateLimit-Limit: 9\r\n",
            r#"{"id":4}"#,
        ))
        .await;
        let err = result.unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error: {err:?}")
        };
        assert_eq!(decode.status(), StatusCode::CREATED);
        assert_eq!(decode.text(), r#"{"id":4}"#);
        assert_eq!(decode.rate_limit().limit(), Some(9));
        assert!(
            err.to_string().contains("unexpected status 201 Created"),
            "{err}"
        );

        // Errors never reach the decoder.
        let (base, server) = serve_once(http_response("404 Not Found", "", r#"{"id":4}"#));
        let client = test_client(AuthMode::Header, &base);
        let err = client
            .execute_with(
                Request::new(Method::POST, "/jobs".to_owned()),
                |_, _| -> Option<Result<(), serde_json::Error>> { panic!("decoded an error") },
            )
            .await
            .unwrap_err();
        server.join().unwrap();
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert!(matches!(err, Error::Api(_)), "{err:?}");
    }

    #[tokio::test]
    async fn sends_multipart_form_and_cookies() {
        let (base, server) = serve_once(http_response("204 No Content", "", ""));
        let client = client_with(AuthMode::Cookie, &base);
        let mut request = Request::new(Method::POST, "/files".to_owned());
        request.cookie("lang", "en");
        request
            .multipart(&BTreeMap::from([(
                "file",
                Binary::from(b"a,b\n".to_vec())
                    .with_file_name("t.csv")
                    .with_content_type("text/csv"),
            )]))
            .unwrap();
        client
            .execute_with(request, |_, _| Some(Ok(())))
            .await
            .unwrap();
        let raw = server.join().unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(
            lower.contains("\r\ncontent-type: multipart/form-data; boundary=----formboundary"),
            "{raw}"
        );
        assert!(
            lower.contains(&format!(
                "\r\ncookie: lang=en; sid={}\r\n",
                KEY.to_ascii_lowercase()
            )),
            "{raw}"
        );
        assert!(
            raw.contains(
                "Content-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\n\
                 Content-Type: text/csv\r\n\r\na,b\n\r\n--"
            ),
            "{raw}"
        );

        let (base, server) = serve_once(http_response("200 OK", "", "ok"));
        let client = client_with(AuthMode::Bearer, &base);
        let mut request = Request::new(Method::POST, "/login".to_owned());
        request
            .form(&BTreeMap::from([("user", "me"), ("scope", "a b")]))
            .unwrap();
        let response = client.execute_text(request).await.unwrap();
        assert_eq!(response.into_body(), "ok");
        let raw = server.join().unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(
            lower.contains("\r\ncontent-type: application/x-www-form-urlencoded\r\n"),
            "{raw}"
        );
        assert!(
            lower.contains(&format!(
                "\r\nauthorization: bearer {}\r\n",
                KEY.to_ascii_lowercase()
            )),
            "{raw}"
        );
        assert!(raw.ends_with("\r\n\r\nscope=a+b&user=me"), "{raw}");
    }

    #[test]
    fn all_execute_futures_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let request = || Request::new(Method::GET, "/me".to_owned());
        assert_send(&client.execute_text(request()));
        assert_send(&client.execute_bytes(request()));
        assert_send(&client.execute_with(request(), |_, _| Some(Ok(()))));
    }
}
