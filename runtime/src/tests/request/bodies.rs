//! JSON, form, multipart, bytes and text bodies, and the `Node` they are
//! built from (`crate::request::{node, form, multipart}`).

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde::{Serialize, ser};
use serde_json::Value;

use super::{Id, Kind};
use crate::binary::Binary;
use crate::error::Error;
use crate::request::Request;
use crate::request::multipart::{Part, encode_parts, new_boundary};
use crate::request::node::{Node, to_node};

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
fn form_body_encodes_as_the_url_standard_says() {
    // Alphanumerics and `*-._` as they are, space as `+`, anything else as `%XX`.
    for byte in 0..=0x7f_u8 {
        let text = char::from(byte).to_string();
        let expected = match byte {
            b' ' => "+".to_owned(),
            b'*' | b'-' | b'.' | b'_' => text.clone(),
            _ if byte.is_ascii_alphanumeric() => text.clone(),
            _ => format!("%{byte:02X}"),
        };
        let mut request = Request::new(Method::POST, "/x".to_owned());
        request
            .form(&BTreeMap::from([(text.as_str(), text.as_str())]))
            .unwrap();
        let body = std::str::from_utf8(request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, format!("{expected}={expected}"), "{byte:#04x}");
    }
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
    let (boundary, body) = encode_parts(&parts, || candidates.pop().unwrap().to_owned());
    assert_eq!(boundary, "BBBB");
    assert!(candidates.is_empty(), "both clashing candidates were tried");
    assert_eq!(
        body,
        b"--BBBB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxx--AAAA--yy\r\n--BBBB--\r\n"
    );
    let (boundary, body) = encode_parts(&[], || "z".to_owned());
    assert_eq!(
        (boundary.as_str(), body.as_slice()),
        ("z", &b"--z--\r\n"[..])
    );
}

#[test]
fn boundaries_are_unique_and_valid() {
    let boundaries: std::collections::HashSet<String> = (0..500).map(|_| new_boundary()).collect();
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

    let node = |value: &dyn Fn() -> Result<Node, String>| value().unwrap();
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

    let message = |result: Result<Node, String>| result.unwrap_err().to_string();
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
