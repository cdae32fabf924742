//! Sending a [`Request`]: the `Client::execute*` methods, retries, redirects
//! followed by hand, the time limits of attempts and calls, and the API key
//! kept out of errors.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue,
    LOCATION, TRANSFER_ENCODING, USER_AGENT,
};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio::time::{Instant, timeout_at};

use super::body::{BodyReader, Overflow, TooLarge};
use super::url::{build_url, remove_query_pair};
use super::{Request, json_at};
use crate::client::{Auth, Client, Inner, MAX_REDIRECTS};
use crate::error::{
    ApiError, BodyTooLargeError, DecodeError, Error, Head, TimeLimit, TimeoutError, TimeoutPhase,
    decode_failure, or_empty_body,
};
use crate::limiter::{Held, Limiter, Permit};
use crate::options::RequestOptions;
use crate::rate_limit::RateLimit;
use crate::response::Response;
use crate::retry::{Failure, Retries};

/// `Accept` of JSON operations.
pub(crate) const ACCEPT_JSON: &str = "application/json";
/// `Accept` of operations whose success body is text.
const ACCEPT_TEXT: &str = "text/*, */*;q=0.8";
/// `Accept` of operations whose success body is any other media type.
const ACCEPT_ANY: &str = "*/*";

impl Request {
    /// The `reqwest` request for this call, with `Accept` (unless a parameter
    /// set one), `User-Agent`, cookies and authentication. (Its time limits
    /// are kept by [`fetch`], not by `reqwest`.)
    pub(crate) fn into_http(
        self,
        inner: &Inner,
        accept: &'static str,
    ) -> Result<reqwest::Request, Error> {
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
        Ok(request)
    }
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
    /// * [`Error::Timeout`] if a time limit passed (see [`TimeoutError`]);
    /// * [`Error::Api`] for any status other than `2xx`;
    /// * [`Error::BodyTooLarge`] if a `2xx` body is larger than the limit;
    /// * [`Error::Decode`] if a `2xx` body is not valid JSON for `T` (or empty
    ///   where `T` needs a value).
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error> {
        let raw = fetch(self.inner(), request, ACCEPT_JSON).await?;
        let (decoded, path) = match json_at(&raw.body) {
            Ok(value) => (Ok(value), None),
            Err((error, path)) => (or_empty_body(Err(error), &raw.body), Some(path)),
        };
        raw.finish(decoded, std::any::type_name::<T>())
            .map_err(|e| match e {
                Error::Decode(decode) => Error::Decode(Box::new(decode.at(path))),
                other => other,
            })
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
        let decoded = match decode(raw.status, &raw.body) {
            Some(decoded) => or_empty_body(decoded, &raw.body),
            None => Err(decode_failure(format_args!(
                "unexpected status {}: the operation does not document it",
                raw.status
            ))),
        };
        raw.finish(decoded, std::any::type_name::<T>())
    }
}

/// A response, its body read but not decoded.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
    /// Whether the body was cut at the limit (only that of an error).
    truncated: bool,
    /// The body of a `2xx`, unread ([`Read::Headers`]); `body` is then empty.
    unread: Option<reqwest::Response>,
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

/// How much of a successful answer [`fetch`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The whole body, within the size limit.
    Whole,
    /// Nothing: the body of a `2xx` is left to the caller, a stream of items
    /// (the bodies of other statuses are still read, for their errors).
    Headers,
}

/// The time limits of one call.
pub(crate) struct Clock {
    /// When the call's deadline passes.
    pub(crate) deadline: Instant,
    pub(crate) call_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    /// The connect timeout of the client's HTTP client, when known.
    connect_timeout: Option<Duration>,
    /// The largest `2xx` body accepted.
    pub(crate) max_body_size: u64,
}

/// A moment far enough away to stand for "never" (as tokio's timers do).
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// `length` after `start`, or a moment decades away when that cannot be
/// represented (`Duration::MAX`).
fn later(start: Instant, length: Duration) -> Instant {
    start
        .checked_add(length)
        .or_else(|| start.checked_add(FAR_FUTURE))
        .unwrap_or(start)
}

impl Clock {
    fn start(inner: &Inner, options: &RequestOptions) -> Self {
        let call_timeout = options.call_timeout.unwrap_or(inner.call_timeout);
        Self {
            deadline: later(Instant::now(), call_timeout),
            call_timeout,
            attempt_timeout: options.timeout.unwrap_or(inner.timeout),
            connect_timeout: inner.connect_timeout,
            max_body_size: options.max_body_size.unwrap_or(inner.max_body_size),
        }
    }

    /// When an attempt starting now must end, and which limit that is.
    fn attempt_end(&self) -> (Instant, TimeLimit) {
        let end = later(Instant::now(), self.attempt_timeout);
        if end < self.deadline {
            (end, TimeLimit::Attempt)
        } else {
            (self.deadline, TimeLimit::Call)
        }
    }

    /// The length of the attempt's or the call's limit.
    fn length(&self, limit: TimeLimit) -> Duration {
        match limit {
            TimeLimit::Attempt => self.attempt_timeout,
            _ => self.call_timeout,
        }
    }

    /// Whether a wait of `wait` from now ends before the deadline.
    fn fits(&self, wait: Duration) -> bool {
        Instant::now()
            .checked_add(wait)
            .is_some_and(|end| end < self.deadline)
    }
}

/// How one attempt failed, when it got no answer to return.
enum Failed {
    Transport(reqwest::Error),
    Timeout(Box<TimeoutError>),
    /// A `2xx` body larger than the limit: not retried.
    TooLarge(Box<BodyTooLargeError>),
}

/// Sends `request` and reads the whole response, retrying as the call's
/// [`RetryPolicy`](crate::RetryPolicy) says and waiting for the client's rate
/// limiter, if any, all within the call's deadline; any final status other
/// than `2xx` becomes [`Error::Api`].
async fn fetch(
    inner: &Inner,
    request: Request,
    accept: &'static str,
) -> Result<RawResponse, Error> {
    let (raw, _, _) = fetch_as(inner, request, accept, Read::Whole).await?;
    Ok(raw)
}

/// Sends `request` as [`fetch`] does, but returns a `2xx` answer as soon as
/// its status and headers are in, its body unread, with the call's clock and
/// the number of attempts made: the reader of the body keeps what is left of
/// the deadline, takes the attempt timeout as the longest wait for each next
/// chunk and the body size limit as the largest item. Any other final status
/// is [`Error::Api`], as ever.
pub(crate) async fn fetch_open(
    inner: &Inner,
    request: Request,
    accept: &'static str,
) -> Result<(Head, reqwest::Response, Clock, u32), Error> {
    let (raw, clock, attempts) = fetch_as(inner, request, accept, Read::Headers).await?;
    let response = raw.unread.ok_or_else(|| {
        Error::Encode("internal: a streamed answer came back without its body".to_owned())
    })?;
    let head = Head {
        status: raw.status,
        headers: raw.headers,
        rate_limit: raw.rate_limit,
    };
    Ok((head, response, clock, attempts))
}

/// [`fetch`] and [`fetch_open`]: the answer (a `2xx` body unread when `read`
/// is [`Read::Headers`]), the call's clock and the number of attempts made.
async fn fetch_as(
    inner: &Inner,
    request: Request,
    accept: &'static str,
    read: Read,
) -> Result<(RawResponse, Clock, u32), Error> {
    let options = request.options;
    let clock = Clock::start(inner, &options);
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
        let outcome = send_once(inner, http, &clock, &mut retries, read).await;
        let failure = match &outcome {
            Ok(raw) if raw.status.is_success() => None,
            Ok(raw) => Some(Failure::Status {
                status: raw.status,
                rate_limit: &raw.rate_limit,
                body: &raw.body,
            }),
            Err(Failed::Transport(error)) => Some(Failure::Transport(error)),
            Err(Failed::Timeout(timeout)) => match timeout.limit() {
                TimeLimit::Connect => Some(Failure::ConnectTimeout),
                TimeLimit::Attempt => Some(Failure::TimedOut),
                // The call's own limits: there is no time for more.
                _ => None,
            },
            Err(Failed::TooLarge(_)) => None,
        };
        let retry = failure.and_then(|failure| retries.next(&failure));
        match (next, retry) {
            (Some(next), Some((wait, reason))) if clock.fits(wait) => {
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
                    Ok(raw) if raw.status.is_success() => Ok((raw, clock, retries.attempts())),
                    Ok(raw) => {
                        Err(
                            ApiError::new(raw.status, raw.headers, raw.rate_limit, raw.body)
                                .truncated(raw.truncated)
                                .into(),
                        )
                    }
                    Err(Failed::Transport(error)) => Err(transport_error(inner, error)),
                    Err(Failed::Timeout(timeout)) => Err(Error::Timeout(timeout)),
                    Err(Failed::TooLarge(error)) => Err(Error::BodyTooLarge(error)),
                };
            }
        }
    }
}

/// Waits for the rate limiter to let a request go, within the call's
/// deadline and what is left of its retry policy's total wait (which the
/// time waited counts against); gives up at once when the limiter holds
/// requests past both.
async fn wait_for_limiter<'l>(
    limiter: &'l Limiter,
    clock: &Clock,
    retries: &mut Retries<'_>,
) -> Result<Permit<'l>, Failed> {
    let started = Instant::now();
    let by_wait = later(started, retries.wait_left());
    let (give_up, limit, after) = if by_wait < clock.deadline {
        (by_wait, TimeLimit::TotalWait, retries.max_total_wait())
    } else {
        (clock.deadline, TimeLimit::Call, clock.call_timeout)
    };
    let acquired = limiter.acquire(give_up).await;
    retries.waited(started.elapsed());
    acquired.map_err(|held| {
        // The attempt that would have started is not counted.
        let made = retries.attempts() - 1;
        let error = TimeoutError::new(limit, after, TimeoutPhase::RateLimiter, made);
        Failed::Timeout(Box::new(match held {
            Held::Until(until, wait) => error.with_until(until, wait),
            Held::TimedOut => error,
        }))
    })
}

/// One attempt: sends `request` (after the rate limiter lets it) and reads
/// the whole answer, whatever its status (a `2xx` only up to its headers
/// with [`Read::Headers`]), following same-origin redirects itself when the
/// client does so by hand; all by the end of the attempt's timeout or the
/// call's deadline, whichever comes first.
async fn send_once(
    inner: &Inner,
    mut request: reqwest::Request,
    clock: &Clock,
    retries: &mut Retries<'_>,
    read: Read,
) -> Result<RawResponse, Failed> {
    let mut hops = 0;
    let mut attempt_end = None;
    loop {
        let follow_up = if inner.redirects_by_hand && hops < MAX_REDIRECTS {
            request.try_clone()
        } else {
            None
        };
        let permit = match &inner.limiter {
            Some(limiter) => Some(wait_for_limiter(limiter, clock, retries).await?),
            None => None,
        };
        let attempt = retries.attempts();
        let (end, limit) = *attempt_end.get_or_insert_with(|| clock.attempt_end());
        let timed_out = |phase| TimeoutError::new(limit, clock.length(limit), phase, attempt);
        let mut response = match timeout_at(end, inner.http.execute(request)).await {
            Err(_) => return Err(Failed::Timeout(Box::new(timed_out(TimeoutPhase::Answer)))),
            Ok(Err(error)) => {
                return Err(match clock.connect_timeout {
                    Some(after) if error.is_connect() && error.is_timeout() => {
                        Failed::Timeout(Box::new(TimeoutError::new(
                            TimeLimit::Connect,
                            after,
                            TimeoutPhase::Connect,
                            attempt,
                        )))
                    }
                    _ => Failed::Transport(error),
                });
            }
            Ok(Ok(response)) => response,
        };
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
        if read == Read::Headers && status.is_success() {
            return Ok(RawResponse {
                status,
                headers,
                rate_limit,
                body: Bytes::new(),
                truncated: false,
                unread: Some(response),
            });
        }
        let head = Head {
            status,
            headers,
            rate_limit,
        };
        return match read_body(response, head, end, clock.max_body_size).await {
            Ok((head, body, truncated)) => Ok(RawResponse {
                status: head.status,
                headers: head.headers,
                rate_limit: head.rate_limit,
                body,
                truncated,
                unread: None,
            }),
            Err(ReadFailure::TimedOut { head, received }) => {
                let error = timed_out(TimeoutPhase::Body).with_response(head, received);
                Err(Failed::Timeout(Box::new(error)))
            }
            Err(ReadFailure::Transport(error)) => Err(Failed::Transport(error)),
            Err(ReadFailure::TooLarge(error)) => Err(Failed::TooLarge(Box::new(error))),
        };
    }
}

/// Why [`read_body`] read no whole body.
enum ReadFailure {
    TimedOut { head: Head, received: u64 },
    Transport(reqwest::Error),
    TooLarge(BodyTooLargeError),
}

/// Reads the body of `response` (whose status and headers are `head`) in
/// chunks by `end`: a `2xx` body up to `limit` bytes (more is an error), the
/// body of another status up to [`ApiError::MAX_BODY`] (more is cut off).
/// Reading stops at the limit, so a huge body costs no more memory than that;
/// a `Content-Length` past the limit fails before anything is read.
async fn read_body(
    mut response: reqwest::Response,
    head: Head,
    end: Instant,
    limit: u64,
) -> Result<(Head, Bytes, bool), ReadFailure> {
    let (limit, overflow) = if head.status.is_success() {
        (limit, Overflow::Fail)
    } else {
        (limit.min(ApiError::MAX_BODY), Overflow::Truncate)
    };
    let content_length = response.content_length();
    let too_large = |head, TooLarge { received }| {
        ReadFailure::TooLarge(BodyTooLargeError::new(
            head,
            limit,
            content_length,
            received,
            false,
        ))
    };
    let mut reader = match BodyReader::new(limit, overflow, content_length) {
        Ok(reader) => reader,
        Err(error) => return Err(too_large(head, error)),
    };
    let read = async {
        while let Some(chunk) = response.chunk().await.map_err(Some)? {
            if !reader.push(chunk).map_err(|_| None)? {
                break;
            }
        }
        Ok::<(), Option<reqwest::Error>>(())
    };
    match timeout_at(end, read).await {
        Ok(Ok(())) => {
            let (body, truncated) = reader.finish();
            Ok((head, body, truncated))
        }
        Ok(Err(Some(error))) => Err(ReadFailure::Transport(error)),
        Ok(Err(None)) => Err(too_large(
            head,
            TooLarge {
                received: reader.received(),
            },
        )),
        Err(_) => Err(ReadFailure::TimedOut {
            head,
            received: reader.received(),
        }),
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
pub(crate) fn remove_key_from_location(headers: &mut HeaderMap, name: &str) {
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
