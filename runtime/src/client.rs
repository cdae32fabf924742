//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use reqwest::redirect;

use crate::error::Error;
use crate::limiter::Limiter;
use crate::meta;
use crate::retry::RetryPolicy;

/// How many same-origin redirects a client built by [`ClientBuilder`] follows.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// An API key.
///
/// Its [`Debug`](fmt::Debug) and [`Display`](fmt::Display) output is
/// `ApiKey(***)`, so the key does not end up in logs by accident; read it with
/// [`expose`](Self::expose).
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self(key.to_owned())
    }
}

impl From<&String> for ApiKey {
    fn from(key: &String) -> Self {
        Self(key.clone())
    }
}

/// Where the API key is sent.
///
/// Which modes are available depends on the security schemes the API
/// declares; [`ClientBuilder::build`] rejects the others. Unless told
/// otherwise, the builder picks the first available of `Header`, `Bearer`,
/// `Query`, `Cookie` and `Basic`, or `None` when the API declares no scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthMode {
    /// In the API's own request header (an `apiKey` scheme `in: header`).
    #[default]
    Header,
    /// As a query parameter of the URL (an `apiKey` scheme `in: query`).
    ///
    /// URLs are more exposed than headers (proxy and server access logs), so
    /// prefer another mode when the API offers one. The client never puts the
    /// key into the URL of an error it returns. It follows same-origin
    /// redirects itself, putting the key back into each new URL (a `Location`
    /// brings its own query).
    Query,
    /// As a cookie (an `apiKey` scheme `in: cookie`), added to the `Cookie`
    /// header.
    Cookie,
    /// As `Authorization: Bearer <key>` (an `http` scheme `bearer`).
    Bearer,
    /// As `Authorization: Basic <base64 of the key>` (an `http` scheme
    /// `basic`): the key is `user:password`; a key without `:` is taken as the
    /// user name with an empty password.
    Basic,
    /// No credentials at all. Always available; the builder's default only
    /// when the API declares no security scheme. No API key is needed, and
    /// one given is not sent.
    None,
}

impl AuthMode {
    /// The modes that send a key, in the order the builder's default prefers.
    pub(crate) const PREFERENCE: [Self; 5] = [
        Self::Header,
        Self::Bearer,
        Self::Query,
        Self::Cookie,
        Self::Basic,
    ];

    /// How the key is sent in this mode, for error messages.
    fn describe(self) -> &'static str {
        match self {
            Self::Header => "in a header (AuthMode::Header)",
            Self::Query => "as a query parameter (AuthMode::Query)",
            Self::Cookie => "as a cookie (AuthMode::Cookie)",
            Self::Bearer => "as a bearer token (AuthMode::Bearer)",
            Self::Basic => "with HTTP basic authentication (AuthMode::Basic)",
            Self::None => "nowhere (AuthMode::None)",
        }
    }
}

/// A client of the API.
///
/// Cloning is cheap: clones share the configuration and the connection pool.
/// Build one with [`Client::new`], [`Client::from_env`] or [`Client::builder`].
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The shared state of a [`Client`], read by `Client::execute`.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Validated `http`/`https` URL without a trailing slash.
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    /// `User-Agent` to set on each request (`None`: the HTTP client's own).
    pub(crate) user_agent: Option<HeaderValue>,
    /// The timeout of each attempt, unless a call says otherwise.
    pub(crate) timeout: Duration,
    /// The deadline of each call, all attempts and waits included, unless a
    /// call says otherwise.
    pub(crate) call_timeout: Duration,
    /// The connect timeout of the HTTP client, when this crate built it
    /// (`None`: a caller-supplied client, whose own applies).
    pub(crate) connect_timeout: Option<Duration>,
    /// The largest `2xx` body accepted, unless a call says otherwise.
    pub(crate) max_body_size: u64,
    /// How failed calls are retried, unless a call says otherwise.
    pub(crate) retry: RetryPolicy,
    /// The client-side rate limiter, when turned on.
    pub(crate) limiter: Option<Limiter>,
    /// Whether `Client::execute` follows same-origin redirects itself rather
    /// than the HTTP client: in [`AuthMode::Query`], where the key must be put
    /// back into the URL of each hop (a `Location` brings its own query).
    pub(crate) redirects_by_hand: bool,
}

/// How the API key goes into a request.
pub(crate) enum Auth {
    /// No credentials.
    None,
    /// A header ([`AuthMode::Header`], [`AuthMode::Bearer`] or
    /// [`AuthMode::Basic`]); the value is marked sensitive.
    Header {
        mode: AuthMode,
        name: HeaderName,
        value: HeaderValue,
    },
    /// A query pair.
    Query { name: &'static str, key: ApiKey },
    /// A `name=key` pair appended to the `Cookie` header, which is then
    /// marked sensitive; both are checked to be valid in a cookie.
    Cookie { name: &'static str, key: ApiKey },
}

impl Auth {
    fn mode(&self) -> AuthMode {
        match self {
            Self::None => AuthMode::None,
            Self::Header { mode, .. } => *mode,
            Self::Query { .. } => AuthMode::Query,
            Self::Cookie { .. } => AuthMode::Cookie,
        }
    }
}

impl Client {
    /// The base URL requests go to unless
    /// [`ClientBuilder::base_url`] says otherwise.
    pub const DEFAULT_BASE_URL: &'static str = meta::DEFAULT_BASE_URL;

    /// The environment variable [`Client::from_env`] and
    /// [`ClientBuilder::api_key_from_env`] read the API key from.
    pub const API_KEY_ENV: &'static str = meta::API_KEY_ENV;

    /// The environment variable [`Client::from_env`] and
    /// [`ClientBuilder::base_url_from_env`] read a base URL from, when it is set.
    pub const BASE_URL_ENV: &'static str = meta::BASE_URL_ENV;

    /// How long making a connection may take unless
    /// [`ClientBuilder::connect_timeout`] says otherwise: 10 s, time for a
    /// slow DNS answer and three lost TCP handshake packets (retransmitted
    /// after 1, 3 and 7 s), where a healthy server takes well under a second.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// How long one attempt may take, from sending the request to the last
    /// byte of the answer, unless [`ClientBuilder::timeout`] says otherwise:
    /// 30 s, many times what API calls take, and as long as the gateways in
    /// front of most APIs keep a request open.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// How long a whole call may take, every attempt, retry wait and rate
    /// limiter wait included, unless [`ClientBuilder::call_timeout`] says
    /// otherwise: 120 s, the default retry policy's 65 s of waiting (a
    /// one-minute rate-limit window) and time for the attempts around it.
    pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(120);

    /// The largest response body a client accepts unless
    /// [`ClientBuilder::max_body_size`] says otherwise: 64 MiB, several times
    /// the largest bodies real APIs send in one answer (a big exported
    /// collection or specification is a few MiB to tens of MiB), small enough
    /// that a runaway or hostile body cannot exhaust memory. Decoding a body
    /// into typed values takes a few times its size on top.
    pub const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;

    /// A client for the default base URL that sends `api_key`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the key is empty or cannot be sent.
    pub fn new(api_key: impl Into<ApiKey>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client whose API key is read from the environment variable
    /// [`Client::API_KEY_ENV`] (surrounding whitespace removed), and whose base
    /// URL is read from [`Client::BASE_URL_ENV`] when that is set and not empty
    /// (to point a program at a mock server without changing its code), else
    /// [`Client::DEFAULT_BASE_URL`].
    ///
    /// A base URL from the environment must be `https`, or plain `http` on a
    /// loopback address (`127.0.0.1`, `[::1]`, `localhost`), where the key
    /// does not leave the machine.
    ///
    /// # Errors
    ///
    /// [`Error::Config`], naming the variable, if the key is missing, empty or
    /// not Unicode, or if the base URL is not Unicode or not acceptable.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder()
            .api_key_from_env()
            .base_url_from_env()
            .build()
    }

    /// A builder to configure the client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Where the API key is sent.
    pub fn auth_mode(&self) -> AuthMode {
        self.inner.auth.mode()
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth_mode", &self.inner.auth.mode())
            .field("timeout", &self.inner.timeout)
            .field("call_timeout", &self.inner.call_timeout)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("max_body_size", &self.inner.max_body_size)
            .field("retry", &self.inner.retry)
            .field("rate_limiter", &self.inner.limiter.is_some())
            .finish_non_exhaustive()
    }
}

/// Where the builder gets the API key from.
#[derive(Debug, Clone)]
enum KeySource {
    Missing,
    Given(ApiKey),
    Env,
}

/// Configures and builds a [`Client`].
///
/// Every setting has a default; only the API key is required (unless the API
/// declares no security scheme, or [`AuthMode::None`] is chosen), given with
/// [`api_key`](Self::api_key) or read by
/// [`api_key_from_env`](Self::api_key_from_env). Settings are checked by
/// [`build`](Self::build).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    key: KeySource,
    base_url: BaseUrlSource,
    auth_mode: Option<AuthMode>,
    timeout: Duration,
    call_timeout: Duration,
    connect_timeout: Option<Duration>,
    max_body_size: u64,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    rate_limiter: bool,
    allow_insecure_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// A builder with the defaults: the API's base URL, the first
    /// authentication mode the API supports (see [`AuthMode`]), the crate's
    /// `User-Agent`, and the time limits [`Client::DEFAULT_CONNECT_TIMEOUT`],
    /// [`Client::DEFAULT_TIMEOUT`] (each attempt) and
    /// [`Client::DEFAULT_CALL_TIMEOUT`] (each call), so that no call waits
    /// forever, and bodies up to [`Client::DEFAULT_MAX_BODY_SIZE`].
    pub fn new() -> Self {
        Self {
            key: KeySource::Missing,
            base_url: BaseUrlSource::Default,
            auth_mode: None,
            timeout: Client::DEFAULT_TIMEOUT,
            call_timeout: Client::DEFAULT_CALL_TIMEOUT,
            connect_timeout: None,
            max_body_size: Client::DEFAULT_MAX_BODY_SIZE,
            user_agent: None,
            http: None,
            retry: RetryPolicy::default(),
            rate_limiter: false,
            allow_insecure_http: false,
        }
    }

    /// The API key to send.
    pub fn api_key(mut self, api_key: impl Into<ApiKey>) -> Self {
        self.key = KeySource::Given(api_key.into());
        self
    }

    /// Reads the API key, when [`build`](Self::build) is called, from the
    /// environment variable [`Client::API_KEY_ENV`]; surrounding whitespace is
    /// removed.
    pub fn api_key_from_env(mut self) -> Self {
        self.key = KeySource::Env;
        self
    }

    /// The base URL to send requests to instead of
    /// [`Client::DEFAULT_BASE_URL`]; it may have a path prefix
    /// (`https://127.0.0.1:8080/v1`). Checked by [`build`](Self::build): it
    /// must be an `https` URL (or `http` with
    /// [`allow_insecure_http`](Self::allow_insecure_http)) without
    /// credentials, query or fragment.
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        self.base_url = BaseUrlSource::Given(base_url.as_ref().to_owned());
        self
    }

    /// Reads the base URL, when [`build`](Self::build) is called, from the
    /// environment variable [`Client::BASE_URL_ENV`] if it is set and not
    /// empty; otherwise the client uses [`Client::DEFAULT_BASE_URL`]. Such a
    /// URL may be plain `http` only on a loopback address (or with
    /// [`allow_insecure_http`](Self::allow_insecure_http)).
    pub fn base_url_from_env(mut self) -> Self {
        self.base_url = BaseUrlSource::Env;
        self
    }

    /// Where to send the API key. Defaults to the first mode the API accepts
    /// of [`Header`](AuthMode::Header), [`Bearer`](AuthMode::Bearer),
    /// [`Query`](AuthMode::Query), [`Cookie`](AuthMode::Cookie) and
    /// [`Basic`](AuthMode::Basic); [`AuthMode::None`] when it declares no
    /// security scheme.
    pub fn auth_mode(mut self, mode: AuthMode) -> Self {
        self.auth_mode = Some(mode);
        self
    }

    /// The timeout of each attempt of a call, from sending the request to
    /// reading the last byte of the answer (redirects followed included);
    /// [`Client::DEFAULT_TIMEOUT`] unless set. An attempt that runs out of
    /// time is retried as the retry policy says, within the call's
    /// [`call_timeout`](Self::call_timeout). Also applies with
    /// [`http_client`](Self::http_client). `Duration::MAX` turns it off.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The deadline of each call: the longest it may take in all, every
    /// attempt, every wait between attempts and every wait for the rate
    /// limiter included; [`Client::DEFAULT_CALL_TIMEOUT`] unless set. When it
    /// passes, the call ends with [`Error::Timeout`]; a retry whose wait would
    /// take it past the deadline is not made (the call returns the last
    /// failure at once). Also applies with [`http_client`](Self::http_client).
    /// `Duration::MAX` turns it off.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// A timeout for establishing a connection;
    /// [`Client::DEFAULT_CONNECT_TIMEOUT`] unless set. Cannot be combined
    /// with [`http_client`](Self::http_client) (configure that client
    /// instead; the default is not applied to it).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest response body accepted, in bytes;
    /// [`Client::DEFAULT_MAX_BODY_SIZE`] unless set. The client reads bodies
    /// in chunks and stops at the limit: a `2xx` body larger than it (or whose
    /// `Content-Length` says so, before anything is read) fails with
    /// [`Error::BodyTooLarge`]; the body of another status is cut at
    /// [`ApiError::MAX_BODY`](crate::ApiError::MAX_BODY) bytes, or this limit
    /// if it is smaller. A call can override it with
    /// [`RequestOptions::max_body_size`](crate::RequestOptions::max_body_size).
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The `User-Agent` header, instead of the crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Allows a base URL with `http:`, which sends the API key and all data
    /// unencrypted: for a test server on the loopback interface, never for
    /// the real API. Off by default, when such a URL is refused.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// How failed calls are retried (see [`RetryPolicy`]); by default
    /// [`RetryPolicy::default`]. [`RetryPolicy::disabled`] turns retries off.
    /// A call can override it with
    /// [`RequestOptions::retry_policy`](crate::RequestOptions::retry_policy).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns on the client-side rate limiter (off by default): all clones of
    /// the client then share what the server reports (`X-RateLimit-Remaining`
    /// and `X-RateLimit-Reset`) and hold requests that would go past the limit
    /// until the window resets, so that many concurrent tasks do not run into
    /// `429 Too Many Requests`. While the state is unknown (before the first
    /// answer, and after a window ends) one request at a time goes out to
    /// learn it.
    pub fn rate_limiter(mut self, on: bool) -> Self {
        self.rate_limiter = on;
        self
    }

    /// Sends requests with this HTTP client instead of one built from the
    /// builder's settings (to share a connection pool, set a proxy, …).
    ///
    /// Its own settings then apply: in particular its redirect policy, so
    /// unless it follows no redirect to another origin, the API key may be sent
    /// there. The builder's [`timeout`](Self::timeout) and
    /// [`call_timeout`](Self::call_timeout) apply to each call, and its
    /// [`user_agent`](Self::user_agent), when set, to each request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the API key is missing (and needed), empty or
    /// cannot be sent, the base URL or `User-Agent` is invalid, the API does
    /// not accept the key the chosen way,
    /// [`connect_timeout`](Self::connect_timeout) is combined with
    /// [`http_client`](Self::http_client), or the HTTP client cannot be built.
    /// The messages never contain the key.
    pub fn build(self) -> Result<Client, Error> {
        self.build_with(&Schemes::META)
    }

    /// [`build`](Self::build) for an API that declares `schemes`.
    pub(crate) fn build_with(self, schemes: &Schemes) -> Result<Client, Error> {
        let mode = self.auth_mode.unwrap_or_else(|| schemes.preferred());
        let auth = if mode == AuthMode::None {
            // No key is needed, nor read from the environment.
            Auth::None
        } else {
            if !schemes.is_available(mode) {
                return Err(Error::Config(schemes.unavailable(mode)));
            }
            let key = match self.key {
                KeySource::Missing => {
                    return Err(Error::Config(format!(
                        "no API key: pass one to the client or set the {} environment variable",
                        meta::API_KEY_ENV
                    )));
                }
                KeySource::Given(key) => key,
                KeySource::Env => key_from_env(meta::API_KEY_ENV)?,
            };
            if key.expose().trim().is_empty() {
                return Err(Error::Config("the API key is empty".to_owned()));
            }
            schemes.auth(mode, key)?
        };
        let base_url = match self.base_url {
            BaseUrlSource::Default => {
                parse_base_url(meta::DEFAULT_BASE_URL, self.allow_insecure_http)?
            }
            BaseUrlSource::Given(url) => parse_base_url(&url, self.allow_insecure_http)?,
            BaseUrlSource::Env => match base_url_from_env(meta::BASE_URL_ENV)? {
                Some(url) => {
                    let allow_http = self.allow_insecure_http || is_loopback_url(&url);
                    parse_base_url(&url, allow_http).map_err(|e| match e {
                        Error::Config(message) => Error::Config(format!(
                            "{message} (read from the {} environment variable)",
                            meta::BASE_URL_ENV
                        )),
                        other => other,
                    })?
                }
                None => parse_base_url(meta::DEFAULT_BASE_URL, self.allow_insecure_http)?,
            },
        };
        let user_agent = match &self.user_agent {
            Some(agent) => Some(HeaderValue::from_str(agent).map_err(|_| {
                Error::Config(
                    "the User-Agent contains characters not allowed in an HTTP header".to_owned(),
                )
            })?),
            None if self.http.is_some() => None,
            None => Some(HeaderValue::from_static(meta::USER_AGENT)),
        };
        let redirects_by_hand = matches!(auth, Auth::Query { .. }) && self.http.is_none();
        let connect_timeout = match &self.http {
            Some(_) => None,
            None => Some(
                self.connect_timeout
                    .unwrap_or(Client::DEFAULT_CONNECT_TIMEOUT),
            ),
        };
        let http = match self.http {
            Some(http) => {
                if self.connect_timeout.is_some() {
                    return Err(Error::Config(
                        "connect_timeout cannot be applied to a caller-supplied http_client; \
                         configure that client instead"
                            .to_owned(),
                    ));
                }
                http
            }
            None => {
                let policy = if redirects_by_hand {
                    redirect::Policy::none()
                } else {
                    same_origin_redirects()
                };
                let mut builder = reqwest::Client::builder().redirect(policy);
                if let Some(timeout) = connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                user_agent,
                timeout: self.timeout,
                call_timeout: self.call_timeout,
                connect_timeout,
                max_body_size: self.max_body_size,
                retry: self.retry,
                limiter: self.rate_limiter.then(Limiter::default),
                redirects_by_hand,
            }),
        })
    }
}

/// Where [`ClientBuilder::build`] takes the base URL from.
#[derive(Debug, Clone)]
enum BaseUrlSource {
    Default,
    Given(String),
    Env,
}

/// The base URL in `variable`, if it is set and not blank.
fn base_url_from_env(variable: &str) -> Result<Option<String>, Error> {
    match std::env::var(variable) {
        Ok(value) if !value.trim().is_empty() => Ok(Some(value.trim().to_owned())),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!(
            "the {variable} environment variable is not valid Unicode"
        ))),
    }
}

/// Whether `url` names a loopback host, where plain `http` does not expose the key.
pub(crate) fn is_loopback_url(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return false;
    };
    let host = url.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub(crate) fn key_from_env(variable: &str) -> Result<ApiKey, Error> {
    match std::env::var(variable) {
        Ok(value) if !value.trim().is_empty() => Ok(ApiKey(value.trim().to_owned())),
        Ok(_) => Err(Error::Config(format!(
            "the {variable} environment variable is empty"
        ))),
        Err(std::env::VarError::NotPresent) => Err(Error::Config(format!(
            "the {variable} environment variable is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!(
            "the {variable} environment variable is not valid Unicode"
        ))),
    }
}

/// The security schemes of the API: where it accepts the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Schemes {
    /// The header of an `apiKey` scheme `in: header`.
    pub(crate) header: Option<&'static str>,
    /// The parameter of an `apiKey` scheme `in: query`.
    pub(crate) query: Option<&'static str>,
    /// The cookie of an `apiKey` scheme `in: cookie`.
    pub(crate) cookie: Option<&'static str>,
    /// An `http` scheme `bearer`.
    pub(crate) bearer: bool,
    /// An `http` scheme `basic`.
    pub(crate) basic: bool,
}

impl Schemes {
    /// The schemes of this crate's API.
    pub(crate) const META: Self = Self {
        header: meta::API_KEY_HEADER,
        query: meta::API_KEY_QUERY,
        cookie: meta::API_KEY_COOKIE,
        bearer: meta::HTTP_BEARER,
        basic: meta::HTTP_BASIC,
    };

    /// Whether the API declares a way to send the key in `mode`.
    fn is_available(&self, mode: AuthMode) -> bool {
        match mode {
            AuthMode::Header => self.header.is_some(),
            AuthMode::Query => self.query.is_some(),
            AuthMode::Cookie => self.cookie.is_some(),
            AuthMode::Bearer => self.bearer,
            AuthMode::Basic => self.basic,
            AuthMode::None => true,
        }
    }

    /// The first available mode of [`AuthMode::PREFERENCE`], else
    /// [`AuthMode::None`].
    pub(crate) fn preferred(&self) -> AuthMode {
        AuthMode::PREFERENCE
            .into_iter()
            .find(|mode| self.is_available(*mode))
            .unwrap_or(AuthMode::None)
    }

    /// The message for a mode the API does not declare.
    fn unavailable(&self, mode: AuthMode) -> String {
        let available: Vec<&str> = AuthMode::PREFERENCE
            .into_iter()
            .filter(|mode| self.is_available(*mode))
            .map(AuthMode::describe)
            .collect();
        if available.is_empty() {
            format!(
                "this API does not accept the API key {}: it declares no authentication \
                 (use AuthMode::None)",
                mode.describe()
            )
        } else {
            format!(
                "this API does not accept the API key {}; it accepts it {}",
                mode.describe(),
                available.join(", or ")
            )
        }
    }

    /// How to send `key` in `mode`.
    fn auth(&self, mode: AuthMode, key: ApiKey) -> Result<Auth, Error> {
        let header = |name: HeaderName, value: String| {
            let mut value = HeaderValue::try_from(value).map_err(|_| {
                Error::Config(
                    "the API key contains characters not allowed in an HTTP header".to_owned(),
                )
            })?;
            value.set_sensitive(true);
            Ok(Auth::Header { mode, name, value })
        };
        match (mode, self.header, self.query, self.cookie) {
            (AuthMode::Header, Some(name), _, _) => {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::Config(format!("`{name}` is not a valid HTTP header name"))
                })?;
                header(name, key.expose().to_owned())
            }
            (AuthMode::Bearer, ..) if self.bearer => {
                header(AUTHORIZATION, format!("Bearer {}", key.expose()))
            }
            (AuthMode::Basic, ..) if self.basic => {
                let credentials = key.expose();
                let encoded = if credentials.contains(':') {
                    base64(credentials.as_bytes())
                } else {
                    base64(format!("{credentials}:").as_bytes())
                };
                header(AUTHORIZATION, format!("Basic {encoded}"))
            }
            (AuthMode::Query, _, Some(name), _) => Ok(Auth::Query { name, key }),
            (AuthMode::Cookie, _, _, Some(name)) => {
                if name.is_empty() || !name.bytes().all(is_token_byte) {
                    return Err(Error::Config(format!(
                        "`{name}` is not a valid cookie name"
                    )));
                }
                if !key.expose().bytes().all(is_cookie_octet) {
                    return Err(Error::Config(
                        "the API key contains characters not allowed in a cookie".to_owned(),
                    ));
                }
                Ok(Auth::Cookie { name, key })
            }
            (AuthMode::None, ..) => Ok(Auth::None),
            _ => Err(Error::Config(self.unavailable(mode))),
        }
    }
}

/// A `tchar` of RFC 9110: allowed in a header or cookie name.
pub(crate) fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// A `cookie-octet` of RFC 6265: allowed unencoded in a cookie value.
pub(crate) fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// Standard base64 with padding (RFC 4648, section 4), as HTTP basic
/// authentication sends the credentials (RFC 7617).
pub(crate) fn base64(input: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(input)
}

/// Validates a base URL and returns it without a trailing slash; `http` only
/// when `allow_http`.
pub(crate) fn parse_base_url(input: &str, allow_http: bool) -> Result<String, Error> {
    let url = Url::parse(input.trim())
        .map_err(|e| Error::Config(format!("the base URL `{}` is invalid: {e}", redact(input))))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "the base URL `{url}` must use http or https"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "the base URL must not contain credentials".to_owned(),
        ));
    }
    if url.scheme() == "http" && !allow_http {
        return Err(Error::Config(format!(
            "the base URL `{url}` uses plain http, which would send the API key unencrypted; \
             use https, or allow_insecure_http(true) for a local test server"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "the base URL `{url}` must not have a query or fragment"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The input of an unparsable URL, or a placeholder if it might hold
/// credentials.
fn redact(input: &str) -> &str {
    if input.contains('@') {
        "<redacted>"
    } else {
        input
    }
}

/// Follows up to [`MAX_REDIRECTS`] redirects that stay on the origin (scheme,
/// host and port) of the request, and stops at any other, which then comes
/// back as an [`ApiError`](crate::ApiError) with its `3xx` status: the API key
/// (in a header or the URL) is never sent to another origin, nor downgraded
/// from `https` to `http`.
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}
