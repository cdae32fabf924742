//! Stand-in for the `meta` module the generator writes for each API (see
//! `generator/src/emit/crate_root.rs`), so that the runtime compiles and is tested alone.
//! The values are those of an API with every kind of credential.

/// The first server URL of the description.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.example.com";
/// The environment variable `Client::from_env` reads the API key from.
pub(crate) const API_KEY_ENV: &str = "EXAMPLE_API_KEY";
/// The environment variable `Client::from_env` reads a base URL from, if set.
pub(crate) const BASE_URL_ENV: &str = "EXAMPLE_API_BASE_URL";
/// The header that carries the API key, when the API accepts one.
pub(crate) const API_KEY_HEADER: Option<&str> = Some("X-Api-Key");
/// The query parameter that carries the API key, when the API accepts one.
pub(crate) const API_KEY_QUERY: Option<&str> = Some("apikey");
/// The cookie that carries the API key, when the API accepts one.
pub(crate) const API_KEY_COOKIE: Option<&str> = None;
/// Whether the API accepts `Authorization: Bearer <token>`.
pub(crate) const HTTP_BEARER: bool = false;
/// Whether the API accepts `Authorization: Basic <user:password>`.
pub(crate) const HTTP_BASIC: bool = false;
/// Sent as `User-Agent` unless the caller sets another.
pub(crate) const USER_AGENT: &str = concat!("client-runtime/", env!("CARGO_PKG_VERSION"));
/// Where the API's error bodies keep their name, message and details (JSON
/// pointers), tried in order: here the generator's defaults.
pub(crate) const ERROR_SHAPES: &[crate::error::ErrorShape] = &[
    crate::error::ErrorShape {
        name: &["/error/name", "/error/type", "/error/code"],
        message: &["/error/message"],
        details: &["/error/details"],
    },
    crate::error::ErrorShape {
        name: &[],
        message: &["/error"],
        details: &[],
    },
    crate::error::ErrorShape {
        name: &["/title", "/type"],
        message: &["/detail"],
        details: &[],
    },
    crate::error::ErrorShape {
        name: &["/name", "/code"],
        message: &["/message"],
        details: &["/details", "/errors"],
    },
];
/// Words that, in a `429`'s error name or message, mean a used-up quota rather
/// than a rate limit: such a call is not retried.
pub(crate) const QUOTA_WORDS: &[&str] = &["usage", "monthly", "quota", "plan limit"];
