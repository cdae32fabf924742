//! Tests of `crate::client`.

use std::fmt;
use std::time::Duration;

use crate::client::{
    ApiKey, Auth, AuthMode, Client, ClientBuilder, Schemes, base64, is_cookie_octet,
    is_loopback_url, is_token_byte, key_from_env, parse_base_url,
};
use crate::error::Error;
use crate::meta;

impl Schemes {
    /// Every kind of scheme, for the runtime's tests (which then pass whatever
    /// the API declares); the tests of `crate::request` use it too.
    pub(crate) const TEST: Self = Self {
        header: Some("X-Api-Key"),
        query: Some("apikey"),
        cookie: Some("sid"),
        bearer: true,
        basic: true,
    };
}

const KEY: &str = "PMAK-0123456789abcdef-secret";

/// A base URL for tests that are not about the API's own (which may be
/// missing from its description).
const BASE: &str = "https://api.example.com";

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
            .base_url(BASE)
            .build_with(&Schemes::TEST)
            .unwrap();
        let debug = format!("{client:?} {client:#?}");
        assert!(!debug.contains(KEY), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains(BASE), "{debug}");
        assert!(debug.contains(&format!("{mode:?}")), "{debug}");
        assert_eq!(client.auth_mode(), mode);
        let builder = Client::builder().api_key(KEY).auth_mode(mode);
        let debug = format!("{builder:?}");
        assert!(!debug.contains(KEY), "{debug}");
    }
}

#[test]
fn defaults() {
    match parse_base_url(meta::DEFAULT_BASE_URL, false) {
        Ok(url) => {
            let client = Client::new(KEY).unwrap();
            assert_eq!(client.base_url(), url);
            assert_eq!(url, meta::DEFAULT_BASE_URL.trim_end_matches('/'));
            assert_eq!(client.auth_mode(), Schemes::META.preferred());
        }
        // The description names no (usable) server: the caller must.
        Err(_) => assert!(matches!(
            Client::new(KEY),
            Err(Error::Config(message)) if message.contains("base URL")
        )),
    }
    assert_eq!(AuthMode::default(), AuthMode::Header);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(BASE)
        .build_with(&Schemes::TEST)
        .unwrap();
    assert_eq!(client.auth_mode(), AuthMode::Header);
    let inner = client.inner();
    assert_eq!(inner.user_agent.as_ref().unwrap(), meta::USER_AGENT);
    assert_eq!(inner.timeout, Client::DEFAULT_TIMEOUT);
    assert_eq!(inner.call_timeout, Client::DEFAULT_CALL_TIMEOUT);
    assert_eq!(inner.connect_timeout, Some(Client::DEFAULT_CONNECT_TIMEOUT));
    let Auth::Header { mode, name, value } = &inner.auth else {
        panic!("header auth expected")
    };
    assert_eq!(*mode, AuthMode::Header);
    assert_eq!(name.as_str(), "x-api-key");
    assert!(value.is_sensitive());
    assert_eq!(value, KEY);
    // Cheap clones share the state.
    let clone = client.clone();
    assert!(std::ptr::eq(client.inner(), clone.inner()));
}

#[test]
fn builder_options() {
    let client = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:1234/v1/")
        .allow_insecure_http(true)
        .auth_mode(AuthMode::Query)
        .timeout(Duration::from_secs(5))
        .call_timeout(Duration::from_secs(7))
        .connect_timeout(Duration::from_secs(1))
        .user_agent("my-app/1.0")
        .build_with(&Schemes::TEST)
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:1234/v1");
    let inner = client.inner();
    assert_eq!(inner.timeout, Duration::from_secs(5));
    assert_eq!(inner.call_timeout, Duration::from_secs(7));
    assert_eq!(inner.connect_timeout, Some(Duration::from_secs(1)));
    assert_eq!(inner.user_agent.as_ref().unwrap(), "my-app/1.0");
    let Auth::Query { name, key } = &inner.auth else {
        panic!("query auth expected")
    };
    assert_eq!(Some(*name), Schemes::TEST.query);
    assert_eq!(key.expose(), KEY);
}

#[test]
fn own_http_client() {
    let client = Client::builder()
        .api_key(KEY)
        .base_url(BASE)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    assert!(
        client.inner().user_agent.is_none(),
        "keeps the client's own"
    );
    // Its own connect timeout applies; the builder's per-attempt and per-call
    // limits still do.
    assert_eq!(client.inner().connect_timeout, None);
    assert_eq!(client.inner().call_timeout, Client::DEFAULT_CALL_TIMEOUT);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(BASE)
        .http_client(reqwest::Client::new())
        .user_agent("x/1")
        .build()
        .unwrap();
    assert_eq!(client.inner().user_agent.as_ref().unwrap(), "x/1");
    let err = Client::builder()
        .api_key(KEY)
        .base_url(BASE)
        .http_client(reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(message) if message.contains("connect_timeout")),
        "{err}"
    );
}

fn config_error(builder: ClientBuilder) -> String {
    match builder.build_with(&Schemes::TEST) {
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
        .base_url(BASE)
        .build_with(&Schemes::TEST)
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
        assert_eq!(parse_base_url(input, true).unwrap(), expected, "{input}");
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
            matches!(parse_base_url(bad, true), Err(Error::Config(_))),
            "{bad} should be rejected"
        );
    }
    // Plain http only when asked for.
    let message = config_error(
        Client::builder()
            .api_key(KEY)
            .base_url("http://127.0.0.1:1234"),
    );
    assert!(message.contains("allow_insecure_http"), "{message}");
    assert!(parse_base_url("https://127.0.0.1:1234", false).is_ok());
    Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:1234")
        .allow_insecure_http(true)
        .build_with(&Schemes::TEST)
        .unwrap();
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
fn loopback_urls() {
    for url in [
        "http://127.0.0.1:8080/v1",
        "http://127.1.2.3",
        "http://[::1]:3000/",
        "http://localhost",
        "http://LOCALHOST:1234",
        "https://127.0.0.1",
    ] {
        assert!(is_loopback_url(url), "{url} is loopback");
    }
    for url in [
        "http://128.0.0.1",
        "http://example.com",
        "http://[::2]",
        "http://localhost.example.com",
        "localhost:8080",
        "127.0.0.1",
        "http://",
        "not a url",
        "",
    ] {
        assert!(!is_loopback_url(url), "{url} is not loopback");
    }
}

#[test]
fn bad_user_agent() {
    let message = config_error(
        Client::builder()
            .api_key(KEY)
            .base_url(BASE)
            .user_agent("a\nb"),
    );
    assert!(message.contains("User-Agent"), "{message}");
}

/// An API that declares every kind of scheme.
const ALL: Schemes = Schemes::TEST;

/// An API that declares no scheme.
const NONE: Schemes = Schemes {
    header: None,
    query: None,
    cookie: None,
    bearer: false,
    basic: false,
};

fn build(schemes: &Schemes, mode: Option<AuthMode>, key: Option<&str>) -> Result<Client, Error> {
    let mut builder = Client::builder().base_url(BASE);
    if let Some(mode) = mode {
        builder = builder.auth_mode(mode);
    }
    if let Some(key) = key {
        builder = builder.api_key(key);
    }
    builder.build_with(schemes)
}

fn build_config_error(schemes: &Schemes, mode: AuthMode, key: &str) -> String {
    match build(schemes, Some(mode), Some(key)) {
        Err(Error::Config(message)) => {
            assert!(!message.contains(key), "{message}");
            message
        }
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn base64_matches_rfc_4648() {
    for (input, expected) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
    }
    // RFC 7617's example, and every output character.
    assert_eq!(
        base64(b"Aladdin:open sesame"),
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    assert_eq!(base64(&[0, 0, 0]), "AAAA");
}

#[test]
fn meta_schemes() {
    assert_eq!(Schemes::META.header, meta::API_KEY_HEADER);
    assert_eq!(Schemes::META.query, meta::API_KEY_QUERY);
    assert_eq!(Schemes::META.cookie, meta::API_KEY_COOKIE);
    assert_eq!(Schemes::META.bearer, meta::HTTP_BEARER);
    assert_eq!(Schemes::META.basic, meta::HTTP_BASIC);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(BASE)
        .build()
        .unwrap();
    assert_eq!(client.auth_mode(), Schemes::META.preferred());
}

#[test]
fn default_mode_is_the_first_available() {
    let mut schemes = ALL;
    assert_eq!(schemes.preferred(), AuthMode::Header);
    schemes.header = None;
    assert_eq!(schemes.preferred(), AuthMode::Bearer);
    schemes.bearer = false;
    assert_eq!(schemes.preferred(), AuthMode::Query);
    schemes.query = None;
    assert_eq!(schemes.preferred(), AuthMode::Cookie);
    schemes.cookie = None;
    assert_eq!(schemes.preferred(), AuthMode::Basic);
    schemes.basic = false;
    assert_eq!(schemes, NONE);
    assert_eq!(schemes.preferred(), AuthMode::None);
    let only_basic_and_query = Schemes {
        query: Some("k"),
        basic: true,
        ..NONE
    };
    assert_eq!(only_basic_and_query.preferred(), AuthMode::Query);
    // Through the builder.
    let client = build(
        &Schemes {
            bearer: true,
            ..NONE
        },
        None,
        Some(KEY),
    )
    .unwrap();
    assert_eq!(client.auth_mode(), AuthMode::Bearer);
}

#[test]
fn every_mode_sends_the_key_its_way() {
    let header_value = |client: &Client| match &client.inner().auth {
        Auth::Header { name, value, .. } => {
            assert!(value.is_sensitive());
            (name.as_str().to_owned(), value.to_str().unwrap().to_owned())
        }
        _ => panic!("header auth expected"),
    };

    let client = build(&ALL, Some(AuthMode::Header), Some(KEY)).unwrap();
    assert_eq!(
        header_value(&client),
        ("x-api-key".to_owned(), KEY.to_owned())
    );

    let client = build(&ALL, Some(AuthMode::Bearer), Some(KEY)).unwrap();
    assert_eq!(client.auth_mode(), AuthMode::Bearer);
    assert_eq!(
        header_value(&client),
        ("authorization".to_owned(), format!("Bearer {KEY}"))
    );

    let client = build(&ALL, Some(AuthMode::Basic), Some("Aladdin:open sesame")).unwrap();
    assert_eq!(client.auth_mode(), AuthMode::Basic);
    assert_eq!(
        header_value(&client),
        (
            "authorization".to_owned(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned()
        )
    );
    // A key without `:` is a user name with an empty password.
    let client = build(&ALL, Some(AuthMode::Basic), Some("sk_test_1")).unwrap();
    assert_eq!(
        header_value(&client).1,
        format!("Basic {}", base64(b"sk_test_1:"))
    );

    let client = build(&ALL, Some(AuthMode::Query), Some(KEY)).unwrap();
    let Auth::Query { name, key } = &client.inner().auth else {
        panic!("query auth expected")
    };
    assert_eq!((*name, key.expose()), ("apikey", KEY));

    let client = build(&ALL, Some(AuthMode::Cookie), Some(KEY)).unwrap();
    assert_eq!(client.auth_mode(), AuthMode::Cookie);
    let Auth::Cookie { name, key } = &client.inner().auth else {
        panic!("cookie auth expected")
    };
    assert_eq!((*name, key.expose()), ("sid", KEY));

    for mode in AuthMode::PREFERENCE.into_iter().chain([AuthMode::None]) {
        let client = build(&ALL, Some(mode), Some(KEY)).unwrap();
        assert_eq!(client.auth_mode(), mode);
        let debug = format!("{client:?} {client:#?}");
        assert!(!debug.contains(KEY) && !debug.contains("secret"), "{debug}");
        assert!(debug.contains(&format!("{mode:?}")), "{debug}");
    }
}

#[test]
fn undeclared_modes_are_config_errors() {
    let header_only = Schemes {
        header: Some("X-Api-Key"),
        ..NONE
    };
    for mode in [
        AuthMode::Bearer,
        AuthMode::Basic,
        AuthMode::Query,
        AuthMode::Cookie,
    ] {
        let message = build_config_error(&header_only, mode, KEY);
        assert!(
            message.contains(&format!("AuthMode::{mode:?}")),
            "{message}"
        );
        assert!(message.contains("AuthMode::Header"), "{message}");
    }
    let message = build_config_error(&NONE, AuthMode::Header, KEY);
    assert!(message.contains("declares no authentication"), "{message}");
    assert!(message.contains("AuthMode::None"), "{message}");
    // The mode is checked before the key: no key needed to hear about it.
    assert!(matches!(
        build(&header_only, Some(AuthMode::Bearer), None),
        Err(Error::Config(message)) if message.contains("AuthMode::Bearer")
    ));
}

#[test]
fn keys_that_cannot_be_sent_are_config_errors() {
    for mode in [AuthMode::Header, AuthMode::Bearer] {
        let message = build_config_error(&ALL, mode, "abc\ndef");
        assert!(message.contains("HTTP header"), "{message}");
    }
    for key in ["a b", "a;b", "a,b", "\"é\""] {
        let message = build_config_error(&ALL, AuthMode::Cookie, key);
        assert!(message.contains("cookie"), "{message}");
    }
    let bad_cookie = Schemes {
        cookie: Some("bad name"),
        ..NONE
    };
    let message = build_config_error(&bad_cookie, AuthMode::Cookie, KEY);
    assert!(message.contains("`bad name`"), "{message}");
    let bad_header = Schemes {
        header: Some("Bad Header"),
        ..NONE
    };
    let message = build_config_error(&bad_header, AuthMode::Header, KEY);
    assert!(message.contains("`Bad Header`"), "{message}");
    // Basic encodes anything; the key is still required and non-empty.
    build(&ALL, Some(AuthMode::Basic), Some("user:pä ss\n")).unwrap();
    assert!(matches!(
        build(&ALL, Some(AuthMode::Basic), Some(" ")),
        Err(Error::Config(message)) if message.contains("empty")
    ));
    assert!(matches!(
        build(&ALL, Some(AuthMode::Cookie), None),
        Err(Error::Config(message)) if message.contains(meta::API_KEY_ENV)
    ));
}

#[test]
fn no_scheme_means_no_key() {
    let client = build(&NONE, None, None).unwrap();
    assert_eq!(client.auth_mode(), AuthMode::None);
    assert!(matches!(client.inner().auth, Auth::None));
    // A key given anyway is not sent, and not checked.
    let client = build(&NONE, None, Some("  ")).unwrap();
    assert!(matches!(client.inner().auth, Auth::None));
    // Nor is one read from the environment.
    let client = Client::builder()
        .api_key_from_env()
        .base_url(BASE)
        .build_with(&NONE)
        .unwrap();
    assert_eq!(client.auth_mode(), AuthMode::None);
    // AuthMode::None is also available when the API declares schemes.
    let client = build(&ALL, Some(AuthMode::None), None).unwrap();
    assert!(matches!(client.inner().auth, Auth::None));
    let client = Client::builder()
        .auth_mode(AuthMode::None)
        .base_url(BASE)
        .build()
        .unwrap();
    assert_eq!(client.auth_mode(), AuthMode::None);
}

#[test]
fn token_and_cookie_octets() {
    assert!(
        b"X-Api-Key!#$%&'*+.^_`|~09"
            .iter()
            .all(|b| is_token_byte(*b))
    );
    for byte in *b" \"(),/:;<=>?@[\\]{}\x7f\x00" {
        assert!(!is_token_byte(byte), "{byte}");
    }
    assert!(
        b"abc%XYZ-09!#=/:?@[]{}~"
            .iter()
            .all(|b| is_cookie_octet(*b))
    );
    for byte in *b" \",;\\\x7f\x00\x1f\x80\xff" {
        assert!(!is_cookie_octet(byte), "{byte}");
    }
}

#[test]
fn client_is_send_sync() {
    fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
    assert_traits::<Client>();
    assert_traits::<ClientBuilder>();
    assert_traits::<ApiKey>();
}
