//! Tests of `crate::nullable`.

use serde::{Deserialize, Serialize};

use crate::Nullable;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    note: Nullable<String>,
}

#[test]
fn absent_null_and_value_round_trip() {
    for (json, note) in [
        ("{}", Nullable::Absent),
        (r#"{"note":null}"#, Nullable::Null),
        (r#"{"note":"x"}"#, Nullable::Value("x".to_owned())),
    ] {
        let patch: Patch = serde_json::from_str(json).unwrap();
        assert_eq!(patch.note, note, "{json}");
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
    }
}

#[test]
fn conversions_and_accessors() {
    let mut set: Nullable<u8> = 3.into();
    assert_eq!(set.as_ref(), Some(&3));
    *set.as_mut().unwrap() = 4;
    assert_eq!(set.into_option(), Some(4));
    assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
    assert_eq!(Nullable::from(Some(1u8)), Nullable::Value(1));
    assert!(Nullable::<u8>::default().is_absent());
    assert!(Nullable::<u8>::Null.is_null());
    assert_eq!(Nullable::<u8>::Null.as_ref(), None);
}
