//! Which OpenAPI version a document is written in, read before anything else so that
//! each version takes its own route through loading.

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// The routes through loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Version {
    V31,
    V32,
    /// A `swagger` field and no `openapi` one: converted by `swagger2`, which refuses
    /// versions other than 2.0 by name.
    Swagger2,
    /// 3.0, or anything else: the 3.0 route, which reads 3.0 and refuses the rest by name.
    Other,
}

impl Version {
    pub(super) fn of(openapi: Option<&str>, swagger: Option<&str>) -> Version {
        match (openapi, swagger) {
            (Some(v), None) if is_minor(v, "3.1") => Version::V31,
            (Some(v), None) if is_minor(v, "3.2") => Version::V32,
            (None, Some(_)) => Version::Swagger2,
            _ => Version::Other,
        }
    }
}

/// `3.1`, `3.1.0`, `3.1.1`, … but not `3.10`.
fn is_minor(version: &str, minor: &str) -> bool {
    version
        .strip_prefix(minor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The version fields of a JSON document and the keys of its `paths`, read in one pass
/// that skips everything else. Malformed parts read as absent: the full parse that
/// follows reports them.
#[derive(Default, Deserialize)]
pub(super) struct Peek {
    #[serde(default, deserialize_with = "lenient_string")]
    pub openapi: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub swagger: Option<String>,
    #[serde(default, deserialize_with = "lenient_keys")]
    pub paths: Vec<String>,
}

pub(super) fn peek_json(text: &str) -> Peek {
    serde_json::from_str(text).unwrap_or_default()
}

/// A string, or a number written as one (`openapi: 3.1` in YAML turned JSON); anything
/// else is absent.
fn lenient_string<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a version")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    de.deserialize_any(Text)
}

/// The keys of an object, without reading its values; not an object reads as none.
fn lenient_keys<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<String>, D::Error> {
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut keys = Vec::new();
            while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                keys.push(key);
            }
            Ok(keys)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    de.deserialize_any(Keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_route() {
        assert_eq!(Version::of(Some("3.1.0"), None), Version::V31);
        assert_eq!(Version::of(Some("3.1"), None), Version::V31);
        assert_eq!(Version::of(Some("3.2.0"), None), Version::V32);
        assert_eq!(Version::of(Some("3.10.0"), None), Version::Other);
        assert_eq!(Version::of(Some("3.0.3"), None), Version::Other);
        assert_eq!(Version::of(None, Some("2.0")), Version::Swagger2);
        assert_eq!(Version::of(Some("3.0.3"), Some("2.0")), Version::Other);
    }

    #[test]
    fn peek_reads_versions_and_path_keys_and_tolerates_odd_shapes() {
        let peek = peek_json(r#"{"paths": {"/a": {"get": {}}, "b": 1}, "openapi": "3.1.0"}"#);
        assert_eq!(peek.openapi.as_deref(), Some("3.1.0"));
        assert_eq!(peek.paths, ["/a", "b"]);
        let odd = peek_json(r#"{"paths": [1, 2], "openapi": 3.1, "swagger": {"a": 1}}"#);
        assert_eq!(odd.openapi.as_deref(), Some("3.1"));
        assert_eq!(odd.swagger, None);
        assert!(odd.paths.is_empty());
    }
}
