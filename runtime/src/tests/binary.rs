//! Tests of `crate::binary`.

use std::fmt;

use bytes::Bytes;

use crate::binary::{Binary, CAPTURED, Payload, capture};

#[test]
fn constructors_and_accessors() {
    let binary = Binary::new(vec![1, 2, 3])
        .with_file_name("a.bin")
        .with_content_type("application/x-thing");
    assert_eq!(binary.bytes().as_ref(), [1, 2, 3]);
    assert_eq!(binary.file_name(), Some("a.bin"));
    assert_eq!(binary.content_type(), Some("application/x-thing"));
    assert_eq!(binary.clone().into_bytes(), Bytes::from_static(&[1, 2, 3]));

    let plain = Binary::from(vec![1, 2, 3]);
    assert_eq!((plain.file_name(), plain.content_type()), (None, None));
    assert_ne!(plain, binary, "metadata is part of equality");
    assert_eq!(plain, Binary::from(Bytes::from_static(&[1, 2, 3])));
    assert_eq!(plain, Binary::from(&[1u8, 2, 3][..]));
    assert_eq!(Binary::default(), Binary::new(Vec::new()));
    assert!(Binary::default().bytes().is_empty());
}

#[test]
fn debug_shows_the_length_not_the_content() {
    let binary = Binary::from(b"top secret".to_vec()).with_file_name("s.txt");
    let debug = format!("{binary:?}");
    assert_eq!(
        debug,
        r#"Binary { len: 10, file_name: Some("s.txt"), content_type: None }"#
    );
    assert!(!format!("{binary:#?}").contains("secret"));
}

#[test]
fn serializes_as_bytes_elsewhere() {
    let binary = Binary::from(b"hi".to_vec()).with_file_name("x");
    assert_eq!(serde_json::to_string(&binary).unwrap(), "[104,105]");
    assert_eq!(
        serde_json::to_value(Some(&binary)).unwrap(),
        serde_json::json!([104, 105])
    );
}

#[test]
fn capture_recovers_the_whole_value() {
    let binary = Binary::from(b"png".to_vec())
        .with_file_name("f.png")
        .with_content_type("image/png");
    // What a serializer that recognised the marker does with its value.
    let (found, value) = capture(|| serde_json::to_value(Payload(&binary)));
    assert_eq!(found.as_ref(), Some(&binary));
    assert_eq!(value.unwrap(), serde_json::Value::Null);
    // Outside a capture the payload is plain bytes again, and nothing is
    // left behind.
    assert!(CAPTURED.with(|slot| slot.borrow().is_none()));
    assert_eq!(
        serde_json::to_value(Payload(&binary)).unwrap(),
        serde_json::json!([112, 110, 103])
    );
    let (found, ()) = capture(|| ());
    assert!(found.is_none());
}

#[test]
fn deserializes_from_strings_bytes_and_sequences() {
    let from_str: Binary = serde_json::from_str(r#""h\u00e9llo""#).unwrap();
    assert_eq!(from_str.bytes().as_ref(), "héllo".as_bytes());
    let from_seq: Binary = serde_json::from_str("[104, 105]").unwrap();
    assert_eq!(from_seq.bytes().as_ref(), b"hi");
    let from_value: Binary = serde_json::from_value(serde_json::json!("x y")).unwrap();
    assert_eq!(from_value.bytes().as_ref(), b"x y");
    let from_value: Binary = serde_json::from_value(serde_json::json!([0, 255])).unwrap();
    assert_eq!(from_value.bytes().as_ref(), [0, 255]);
    let round_trip: Binary =
        serde_json::from_str(&serde_json::to_string(&from_str).unwrap()).unwrap();
    assert_eq!(round_trip, from_str);
    assert!(serde_json::from_str::<Binary>("[256]").is_err());
    assert!(serde_json::from_str::<Binary>("{}").is_err());
    assert!(serde_json::from_str::<Binary>("12").is_err());

    #[derive(serde::Deserialize)]
    struct Upload {
        file: Option<Binary>,
    }
    let upload: Upload = serde_json::from_str(r#"{"file": "abc"}"#).unwrap();
    assert_eq!(upload.file.unwrap().bytes().as_ref(), b"abc");
    let upload: Upload = serde_json::from_str(r#"{"file": null}"#).unwrap();
    assert!(upload.file.is_none());
}

#[test]
fn binary_is_send_sync() {
    fn assert_traits<T: Send + Sync + Clone + fmt::Debug + Default + 'static>() {}
    assert_traits::<Binary>();
}
