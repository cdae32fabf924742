//! Query, header and cookie parameters (`crate::request::params`).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::{Id, Kind, client_with};
use crate::binary::Binary;
use crate::client::{AuthMode, is_cookie_octet};
use crate::request::Request;
use crate::request::params::encode_cookie_value;
use crate::request::send::ACCEPT_JSON;

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
struct Filter {
    name: &'static str,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
enum Shape {
    Circle(f64),
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
fn cookie_values_encode_every_byte_but_the_cookie_octets() {
    for byte in 0..=0x7f_u8 {
        let text = char::from(byte).to_string();
        let expected = if is_cookie_octet(byte) {
            text.clone()
        } else {
            format!("%{byte:02X}")
        };
        assert_eq!(encode_cookie_value(&text), expected, "{byte:#04x}");
    }
    assert_eq!(encode_cookie_value("\u{80}é"), "%C2%80%C3%A9");
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

#[test]
fn query_string_spreads_an_object_into_the_query() {
    #[derive(Serialize)]
    struct Range {
        min: u8,
    }
    #[derive(Serialize)]
    struct Filter {
        q: &'static str,
        tags: [&'static str; 2],
        range: Range,
        gone: Option<u8>,
    }
    let mut request = Request::new(Method::GET, "/x".to_owned());
    request.query_string(&Some(Filter {
        q: "a b",
        tags: ["x", "y"],
        range: Range { min: 1 },
        gone: None,
    }));
    request.query_string(&None::<Value>);
    assert_eq!(request.error, None);
    assert_eq!(
        pairs(&request),
        [
            ("q", "a b"),
            ("tags", "x"),
            ("tags", "y"),
            ("range[min]", "1")
        ]
    );
    // Not an object: kept as the request's encoding error.
    let mut request = Request::new(Method::GET, "/x".to_owned());
    request.query_string(&"text");
    assert!(
        request
            .error
            .as_deref()
            .is_some_and(|e| e.contains("query string must be an object")),
        "{:?}",
        request.error
    );
}
