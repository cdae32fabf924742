//! The API client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::redirect;

use crate::error::Error;
use crate::meta;

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthMode {
    /// In a request header (the default when the API supports it).
    #[default]
    Header,
    /// As a query parameter of the URL.
    ///
    /// URLs are more exposed than headers (proxy and server access logs), so
    /// prefer [`Header`](Self::Header). The client never puts the key into the
    /// URL of an error it returns.
    Query,
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
    /// Per-request timeout (`None`: the HTTP client's own).
    pub(crate) timeout: Option<Duration>,
}

/// How the API key goes into a request.
pub(crate) enum Auth {
    /// A header; the value is marked sensitive.
    Header {
        name: HeaderName,
        value: HeaderValue,
    },
    /// A query pair.
    Query { name: &'static str, key: ApiKey },
}

impl Auth {
    fn mode(&self) -> AuthMode {
        match self {
            Self::Header { .. } => AuthMode::Header,
            Self::Query { .. } => AuthMode::Query,
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

    /// A client for the default base URL that sends `api_key`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the key is empty or cannot be sent.
    pub fn new(api_key: impl Into<ApiKey>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client for the default base URL whose API key is read from the
    /// environment variable [`Client::API_KEY_ENV`] (surrounding whitespace
    /// removed).
    ///
    /// # Errors
    ///
    /// [`Error::Config`], naming the variable, if it is missing, empty or not
    /// Unicode.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().api_key_from_env().build()
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
/// Every setting has a default; only the API key is required, given with
/// [`api_key`](Self::api_key) or read by
/// [`api_key_from_env`](Self::api_key_from_env). Settings are checked by
/// [`build`](Self::build).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    key: KeySource,
    base_url: Option<String>,
    auth_mode: Option<AuthMode>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// A builder with the defaults: the API's base URL, header authentication
    /// (when the API supports it), the crate's `User-Agent`, and no timeout
    /// other than the HTTP client's.
    pub fn new() -> Self {
        Self {
            key: KeySource::Missing,
            base_url: None,
            auth_mode: None,
            timeout: None,
            connect_timeout: None,
            user_agent: None,
            http: None,
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
    /// (`http://127.0.0.1:8080/v1`). Checked by [`build`](Self::build): it
    /// must be an `http` or `https` URL without credentials, query or fragment.
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        self.base_url = Some(base_url.as_ref().to_owned());
        self
    }

    /// Where to send the API key. Defaults to [`AuthMode::Header`] if the API
    /// accepts the key in a header, else [`AuthMode::Query`].
    pub fn auth_mode(mut self, mode: AuthMode) -> Self {
        self.auth_mode = Some(mode);
        self
    }

    /// A timeout for each whole request, from sending it to reading the last
    /// byte of the body. Also applies with [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A timeout for establishing a connection. Cannot be combined with
    /// [`http_client`](Self::http_client) (configure that client instead).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header, instead of the crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests with this HTTP client instead of one built from the
    /// builder's settings (to share a connection pool, set a proxy, …).
    ///
    /// Its own settings then apply: in particular its redirect policy, so
    /// unless it follows no redirect to another origin, the API key may be sent
    /// there. The builder's [`timeout`](Self::timeout) and
    /// [`user_agent`](Self::user_agent), when set, are applied to each request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the API key is missing, empty or cannot be sent,
    /// the base URL or `User-Agent` is invalid, the API does not accept the key
    /// the chosen way, [`connect_timeout`](Self::connect_timeout) is combined
    /// with [`http_client`](Self::http_client), or the HTTP client cannot be
    /// built.
    pub fn build(self) -> Result<Client, Error> {
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
        let mode = self.auth_mode.unwrap_or(if meta::API_KEY_HEADER.is_some() {
            AuthMode::Header
        } else {
            AuthMode::Query
        });
        let auth = auth(mode, key)?;
        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(meta::DEFAULT_BASE_URL))?;
        let user_agent = match &self.user_agent {
            Some(agent) => Some(HeaderValue::from_str(agent).map_err(|_| {
                Error::Config(
                    "the User-Agent contains characters not allowed in an HTTP header".to_owned(),
                )
            })?),
            None if self.http.is_some() => None,
            None => Some(HeaderValue::from_static(meta::USER_AGENT)),
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
                let mut builder = reqwest::Client::builder().redirect(same_origin_redirects());
                if let Some(timeout) = self.connect_timeout {
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
            }),
        })
    }
}

fn key_from_env(variable: &str) -> Result<ApiKey, Error> {
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

fn auth(mode: AuthMode, key: ApiKey) -> Result<Auth, Error> {
    match mode {
        AuthMode::Header => {
            let Some(name) = meta::API_KEY_HEADER else {
                return Err(Error::Config(
                    "this API does not accept the API key in a header; use AuthMode::Query"
                        .to_owned(),
                ));
            };
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("`{name}` is not a valid HTTP header name")))?;
            let mut value = HeaderValue::from_str(key.expose()).map_err(|_| {
                Error::Config(
                    "the API key contains characters not allowed in an HTTP header".to_owned(),
                )
            })?;
            value.set_sensitive(true);
            Ok(Auth::Header { name, value })
        }
        AuthMode::Query => match meta::API_KEY_QUERY {
            Some(name) => Ok(Auth::Query { name, key }),
            None => Err(Error::Config(
                "this API does not accept the API key as a query parameter; use AuthMode::Header"
                    .to_owned(),
            )),
        },
    }
}

/// Validates a base URL and returns it without a trailing slash.
pub(crate) fn parse_base_url(input: &str) -> Result<String, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "PMAK-0123456789abcdef-secret";

    #[test]
    fn api_key_is_redacted() {
        let key = ApiKey::from(KEY);
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(format!("{key:#?}"), "ApiKey(***)");
        assert_eq!(key.to_string(), "ApiKey(***)");
        assert_eq!(key.expose(), KEY);
        assert_eq!(ApiKey::from(KEY.to_owned()).expose(), KEY);
        assert_eq!(ApiKey::from(&KEY.to_owned()).expose(), KEY);
        assert_eq!(ApiKey::new(KEY).expose(), KEY);
    }

    #[test]
    fn client_debug_never_shows_the_key() {
        for mode in [AuthMode::Header, AuthMode::Query] {
            let client = Client::builder()
                .api_key(KEY)
                .auth_mode(mode)
                .build()
                .unwrap();
            let debug = format!("{client:?} {client:#?}");
            assert!(!debug.contains(KEY), "{debug}");
            assert!(!debug.contains("secret"), "{debug}");
            assert!(debug.contains("https://api.getpostman.com"), "{debug}");
            assert!(debug.contains(&format!("{mode:?}")), "{debug}");
            assert_eq!(client.auth_mode(), mode);
            let builder = Client::builder().api_key(KEY).auth_mode(mode);
            let debug = format!("{builder:?}");
            assert!(!debug.contains(KEY), "{debug}");
        }
    }

    #[test]
    fn defaults() {
        let client = Client::new(KEY).unwrap();
        assert_eq!(
            client.base_url(),
            meta::DEFAULT_BASE_URL.trim_end_matches('/')
        );
        assert_eq!(client.auth_mode(), AuthMode::Header);
        assert_eq!(AuthMode::default(), AuthMode::Header);
        let inner = client.inner();
        assert_eq!(inner.user_agent.as_ref().unwrap(), meta::USER_AGENT);
        assert_eq!(inner.timeout, None);
        let Auth::Header { name, value } = &inner.auth else {
            panic!("header auth expected")
        };
        assert_eq!(
            Some(name.as_str()),
            meta::API_KEY_HEADER.map(str::to_ascii_lowercase).as_deref()
        );
        assert!(value.is_sensitive());
        assert_eq!(value, KEY);
        // Cheap clones share the state.
        let clone = client.clone();
        assert!(Arc::ptr_eq(&client.inner, &clone.inner));
    }

    #[test]
    fn builder_options() {
        let client = Client::builder()
            .api_key(KEY)
            .base_url("http://127.0.0.1:1234/v1/")
            .auth_mode(AuthMode::Query)
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(1))
            .user_agent("my-app/1.0")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:1234/v1");
        let inner = client.inner();
        assert_eq!(inner.timeout, Some(Duration::from_secs(5)));
        assert_eq!(inner.user_agent.as_ref().unwrap(), "my-app/1.0");
        let Auth::Query { name, key } = &inner.auth else {
            panic!("query auth expected")
        };
        assert_eq!(Some(*name), meta::API_KEY_QUERY);
        assert_eq!(key.expose(), KEY);
    }

    #[test]
    fn own_http_client() {
        let client = Client::builder()
            .api_key(KEY)
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        assert!(
            client.inner().user_agent.is_none(),
            "keeps the client's own"
        );
        let client = Client::builder()
            .api_key(KEY)
            .http_client(reqwest::Client::new())
            .user_agent("x/1")
            .build()
            .unwrap();
        assert_eq!(client.inner().user_agent.as_ref().unwrap(), "x/1");
        let err = Client::builder()
            .api_key(KEY)
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }

    fn config_error(builder: ClientBuilder) -> String {
        match builder.build() {
            Err(Error::Config(message)) => message,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn missing_or_bad_key() {
        assert!(config_error(Client::builder()).contains(meta::API_KEY_ENV));
        assert!(config_error(Client::builder().api_key("")).contains("empty"));
        assert!(config_error(Client::builder().api_key(" \t")).contains("empty"));
        let message = config_error(Client::builder().api_key("abc\ndef"));
        assert!(!message.contains("abc"), "{message}");
        // A key that cannot be a header value is fine in the query.
        Client::builder()
            .api_key("abc\ndef")
            .auth_mode(AuthMode::Query)
            .build()
            .unwrap();
    }

    #[test]
    fn env_key() {
        // The only test that touches this (unique) variable name.
        const VAR: &str = "RUNTIME_TEST_API_KEY_7F3A";
        // SAFETY: no other test reads or writes this variable.
        unsafe { std::env::remove_var(VAR) };
        let err = key_from_env(VAR).unwrap_err();
        assert!(err.to_string().contains(VAR), "{err}");
        assert!(err.to_string().contains("not set"), "{err}");
        // SAFETY: as above.
        unsafe { std::env::set_var(VAR, "  ") };
        assert!(key_from_env(VAR).unwrap_err().to_string().contains("empty"));
        // SAFETY: as above.
        unsafe { std::env::set_var(VAR, " PMAK-1\n") };
        assert_eq!(key_from_env(VAR).unwrap().expose(), "PMAK-1");
        // SAFETY: as above.
        unsafe { std::env::remove_var(VAR) };
    }

    #[test]
    fn base_url_validation() {
        for (input, expected) in [
            ("https://api.getpostman.com", "https://api.getpostman.com"),
            ("https://api.getpostman.com/", "https://api.getpostman.com"),
            ("http://127.0.0.1:1234/v1", "http://127.0.0.1:1234/v1"),
            ("http://127.0.0.1:1234/v1//", "http://127.0.0.1:1234/v1"),
            (" http://localhost:80/ ", "http://localhost"),
            (
                "HTTPS://Example.COM:443/a%20b/",
                "https://example.com/a%20b",
            ),
        ] {
            assert_eq!(parse_base_url(input).unwrap(), expected, "{input}");
        }
        for bad in [
            "",
            "api.getpostman.com",
            "ftp://example.com",
            "file:///etc",
            "https://example.com/?a=b",
            "https://example.com/#x",
            "http://",
        ] {
            assert!(
                matches!(parse_base_url(bad), Err(Error::Config(_))),
                "{bad} should be rejected"
            );
        }
        let message = config_error(
            Client::builder()
                .api_key(KEY)
                .base_url("https://user:hunter2@example.com"),
        );
        assert!(!message.contains("hunter2"), "{message}");
        let message = config_error(
            Client::builder()
                .api_key(KEY)
                .base_url("http://user:hunter2@[::1"),
        );
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn bad_user_agent() {
        let message = config_error(Client::builder().api_key(KEY).user_agent("a\nb"));
        assert!(message.contains("User-Agent"), "{message}");
    }

    #[test]
    fn client_is_send_sync() {
        fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
        assert_traits::<Client>();
        assert_traits::<ClientBuilder>();
        assert_traits::<ApiKey>();
    }
}
