//! Path segments and URLs (`crate::request::url`).

use std::borrow::Cow;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Url};

use super::test_client;
use crate::client::{Auth, AuthMode};
use crate::error::Error;
use crate::request::send::ACCEPT_JSON;
use crate::request::url::{build_url, remove_query_pair};
use crate::request::{Request, encode_path};

#[test]
fn encode_path_encodes_every_byte_but_the_unreserved() {
    for byte in 0..=0x7f_u8 {
        let text = char::from(byte).to_string();
        let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
        let expected = if unreserved {
            text.clone()
        } else {
            format!("%{byte:02X}")
        };
        assert_eq!(encode_path(&text), expected, "{byte:#04x}");
    }
    assert_eq!(encode_path("\u{80}\u{7ff}"), "%C2%80%DF%BF");
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
