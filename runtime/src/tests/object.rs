//! Tests of `crate::object`.

use std::borrow::Cow;

use crate::object::MemberName;

#[test]
fn member_names_are_borrowed_unless_escaped() {
    let mut names = Vec::new();
    let json = r#"{"plain": 1, "esc\u0061ped": 2}"#;
    let mut de = serde_json::Deserializer::from_str(json);
    serde::Deserializer::deserialize_map(&mut de, Collect(&mut names)).unwrap();
    assert!(matches!(names[0], (Cow::Borrowed("plain"), true)));
    assert_eq!(names[1].0, "escaped");
    assert!(!names[1].1);

    struct Collect<'a, 'de>(&'a mut Vec<(Cow<'de, str>, bool)>);
    impl<'de> serde::de::Visitor<'de> for Collect<'_, 'de> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(name) = map.next_key::<MemberName<'de>>()? {
                let borrowed = matches!(name.0, Cow::Borrowed(_));
                assert_eq!(name.as_str(), &*name.0);
                let _: serde::de::IgnoredAny = map.next_value()?;
                self.0.push((name.0, borrowed));
            }
            Ok(())
        }
    }
}

/// The stand-in response type decodes the way generated ones do: unknown members
/// are kept, `null` and absent stay apart, and encoding gives back the input.
#[test]
fn generated_style_objects_round_trip() {
    use crate::{Me, Nullable};
    for json in [
        r#"{"id":1}"#,
        r#"{"id":1,"name":null}"#,
        r#"{"id":1,"name":"Ann","x-trace":{"a":[1,null,"b"]},"zeta":false}"#,
    ] {
        let me: Me = serde_json::from_str(json).unwrap();
        let back = serde_json::to_value(&me).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
    }
    let me: Me = serde_json::from_str(r#"{"name":null,"id":2,"id":3}"#).unwrap();
    assert_eq!((me.id, me.name), (3, Nullable::Null));
    let missing = serde_json::from_str::<Me>(r#"{"name":"x"}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `id`"),
        "{missing}"
    );
    let wrong = serde_json::from_str::<Me>(r#"[1]"#).unwrap_err();
    assert!(wrong.to_string().contains("a Me object"), "{wrong}");
}

/// Generated structs are built the way the stand-in is: `new` with the members every
/// value has, a setter per other member, which a request body sends as set.
#[test]
fn generated_style_objects_are_built_with_new_and_setters() {
    use crate::{Me, Nullable};
    let json = |me: &Me| serde_json::to_value(me).unwrap();
    assert_eq!(json(&Me::new(7)), serde_json::json!({"id": 7}));
    assert_eq!(
        json(&Me::new(7).with_name("Ann")),
        serde_json::json!({"id": 7, "name": "Ann"})
    );
    let mut cleared = Me::new(7);
    cleared.name = Nullable::Null;
    assert_eq!(json(&cleared), serde_json::json!({"id": 7, "name": null}));
}
