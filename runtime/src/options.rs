//! Settings of one call that override the client's.

use std::time::Duration;

use crate::retry::RetryPolicy;

/// Settings for one call, given to a request builder's `with_options`; what is
/// not set here comes from the [`Client`](crate::Client).
///
/// `RequestOptions::new().timeout(Duration::from_secs(120)).call_timeout(Duration::from_secs(300)).retry_non_idempotent(true)`
/// gives one slow `POST` more time and lets it be retried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[must_use]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) max_body_size: Option<u64>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) retry_non_idempotent: bool,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// A timeout for each attempt of this call, from sending the request to
    /// reading the last byte of the answer, instead of the client's
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The deadline of this call, all attempts and waits included, instead
    /// of the client's
    /// ([`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout)).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// The largest response body this call accepts, in bytes, instead of the
    /// client's
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)):
    /// for one download larger than the rest.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// The retry policy for this call instead of the client's
    /// ([`RetryPolicy::disabled`] to send it once).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Allows retrying this call even if its method is not idempotent (`POST`,
    /// `PATCH`): only right when sending it twice does no harm, because the
    /// server may have acted on an attempt that failed.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }
}
