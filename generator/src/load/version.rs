//! Which OpenAPI version a document is written in, read before anything else so that
//! each version takes its own route through loading.

use super::responses::{FIXED_METHODS, dropped_text};
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

/// The version fields of a JSON document, the keys of its `paths` and the response keys
/// of its operations that `openapiv3` would drop (see [`super::responses`]), read in one
/// pass that skips everything else. Malformed parts read as absent: the full parse that
/// follows reports them.
#[derive(Default, Deserialize)]
pub(super) struct Peek {
    #[serde(default, deserialize_with = "lenient_string")]
    pub openapi: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub swagger: Option<String>,
    #[serde(default)]
    pub paths: Paths,
}

/// What the peek reads of `paths`.
#[derive(Debug, Default)]
pub(super) struct Paths {
    pub keys: Vec<String>,
    /// `(path, method, response key)` of the response keys `openapiv3` drops.
    pub dropped_responses: Vec<(String, &'static str, String)>,
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

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(Lenient(PathsVisitor))
    }
}

/// The keys of `paths`, and into each path item.
struct PathsVisitor;

impl<'de> Shape<'de> for PathsVisitor {
    type Value = Paths;
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Paths, A::Error> {
        let mut paths = Paths::default();
        while let Some(key) = map.next_key::<String>()? {
            let dropped: Vec<(&'static str, String)> = map.next_value_seed(Lenient(PathItem))?;
            paths.dropped_responses.extend(
                dropped
                    .into_iter()
                    .map(|(method, status)| (key.clone(), method, status)),
            );
            paths.keys.push(key);
        }
        Ok(paths)
    }
}

/// A path item: the response keys to drop of its operations, as `(method, key)`.
struct PathItem;

impl<'de> Shape<'de> for PathItem {
    type Value = Vec<(&'static str, String)>;
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut dropped = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match FIXED_METHODS.iter().find(|m| **m == key) {
                Some(method) => {
                    let keys: Vec<String> = map.next_value_seed(Lenient(Operation))?;
                    dropped.extend(keys.into_iter().map(|k| (*method, k)));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(dropped)
    }
}

/// An operation: the keys of its `responses` that `openapiv3` drops.
struct Operation;

impl<'de> Shape<'de> for Operation {
    type Value = Vec<String>;
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut dropped = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "responses" {
                dropped = map.next_value_seed(Lenient(Responses))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(dropped)
    }
}

/// The keys of a `responses` object that `openapiv3` drops.
struct Responses;

impl<'de> Shape<'de> for Responses {
    type Value = Vec<String>;
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut dropped = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            if dropped_text(&key) {
                dropped.push(key);
            }
        }
        Ok(dropped)
    }
}

/// A visitor of objects for which any other JSON value reads as nothing.
trait Shape<'de> {
    type Value: Default;
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error>;
}

/// [`Shape`] as a serde visitor (and seed): everything but an object is skipped.
struct Lenient<S>(S);

impl<'de, S: Shape<'de>> serde::de::DeserializeSeed<'de> for Lenient<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, S: Shape<'de>> Visitor<'de> for Lenient<S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Default::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peek_finds_the_response_keys_openapiv3_drops() {
        let peek = peek_json(
            r#"{"openapi": "3.0.3", "paths": {
                "/a": {"get": {"responses": {"200": {}, "099": {}, "x-b": 1, "default": {}}},
                       "parameters": [], "query": {"responses": {"abc": {}}},
                       "post": {"responses": [1]}, "put": 3},
                "/b": {"delete": {"operationId": "d", "responses": {"2XXX": {}, "4xx": {}}}},
                "/c": 12}}"#,
        );
        assert_eq!(peek.paths.keys, ["/a", "/b", "/c"]);
        let dropped: Vec<(&str, &str, &str)> = peek
            .paths
            .dropped_responses
            .iter()
            .map(|(p, m, k)| (p.as_str(), *m, k.as_str()))
            .collect();
        // `query` is not an operation of 3.0.
        assert_eq!(dropped, [("/a", "get", "099"), ("/b", "delete", "2XXX")]);
    }

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
        assert_eq!(peek.paths.keys, ["/a", "b"]);
        let odd = peek_json(r#"{"paths": [1, 2], "openapi": 3.1, "swagger": {"a": 1}}"#);
        assert_eq!(odd.openapi.as_deref(), Some("3.1"));
        assert_eq!(odd.swagger, None);
        assert!(odd.paths.keys.is_empty());
    }
}
