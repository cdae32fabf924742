//! Stage 1: text (YAML or JSON) in, a typed OpenAPI 3.0 document out.
//!
//! JSON goes straight through `serde_json` (YAML parsers are slow on multi-megabyte JSON);
//! YAML goes through `yaml_serde`. Both record the path of a structural error so it
//! can be reported as a JSON pointer.
//!
//! The version decides the route (see [`version`]): a 3.0 document is deserialized
//! directly (the fast path); a 3.1 or 3.2 one is read as a JSON value, rewritten into 3.0
//! shape by [`openapi31`], then deserialized the same way; a Swagger 2.0 one is converted
//! by [`swagger2`]. Whatever moved on the way is recorded in a [`SourceMap`], so that
//! every later diagnostic names the place in the document as written.

mod locate;
mod normalise;
mod openapi31;
mod responses;
mod source_map;
pub mod swagger2;
mod version;

pub use source_map::SourceMap;

use crate::error::{Error, Pointer, Result, Warning};
use openapiv3::OpenAPI;
use serde::Deserialize;
use version::Version;

/// A parsed OpenAPI document and the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub origin: String,
    pub openapi: OpenAPI,
    /// Keys of `paths` that do not start with `/` (nor `x-`): not paths, so not parsed,
    /// but reported (as warnings) rather than dropped silently.
    pub ignored_paths: Vec<String>,
    /// What loading a 3.1/3.2 or Swagger 2.0 document had to leave out or approximate,
    /// with the pointer into the document as written.
    pub warnings: Vec<Warning>,
    /// Component schemas that are the payloads of the document's `webhooks`: the client
    /// never sends them, but its users receive them, so their types are generated.
    pub webhook_payloads: Vec<String>,
    /// Where the parts of a converted or normalised document came from (`$defs` and
    /// webhook payloads hoisted into `#/components/schemas`, Swagger's `definitions`,
    /// body parameters, …), to report the places as written.
    pub sources: SourceMap,
    /// The operations of OpenAPI 3.2 path items that the 3.0 model has no field for
    /// (`query`, `additionalOperations`), in document order.
    pub extra_operations: Vec<ExtraOperation>,
    /// The parameters written `in: querystring` (OpenAPI 3.2: the whole query as one
    /// value), which the 3.0 model reads as `in: query`.
    pub querystring_parameters: std::collections::BTreeSet<Pointer>,
}

/// An operation of a path item outside the 3.0 model: its `query` (the QUERY method), or
/// an entry of its `additionalOperations` (a method outside the fixed list).
#[derive(Debug, Clone)]
pub struct ExtraOperation {
    /// The path item's key in `paths`.
    pub path: String,
    /// The method as sent: `QUERY`, or the key of `additionalOperations` (an HTTP token,
    /// none of the fixed methods).
    pub method: String,
    /// Where it is written (`#/paths/~1a/query`, `#/paths/~1a/additionalOperations/COPY`).
    pub pointer: Pointer,
    pub operation: openapiv3::Operation,
}

impl Document {
    /// The operation written for `method` (as sent, `GET` or `COPY`) on `path`.
    pub fn operation(&self, path: &str, method: &str) -> Option<&openapiv3::Operation> {
        let fixed = match self.openapi.paths.paths.get(path) {
            Some(openapiv3::ReferenceOr::Item(item)) => item
                .iter()
                .find(|(m, _)| m.eq_ignore_ascii_case(method))
                .map(|(_, operation)| operation),
            _ => None,
        };
        fixed.or_else(|| {
            self.extra_operations
                .iter()
                .find(|extra| extra.path == path && extra.method == method)
                .map(|extra| &extra.operation)
        })
    }
}

/// The extension loading puts on a media type whose `schema` is an item schema (3.2's
/// `itemSchema`: the body is a stream of such items), for the lowering to read.
pub(crate) const ITEM_SCHEMA: &str = "x-item-schema";

/// The extension loading puts on an array schema that is a tuple of exactly as many items
/// (3.1's `prefixItems` with `minItems` and `maxItems` of its length): the value is the
/// length, and the schemas of the members are its `items.oneOf`, in order.
pub(crate) const TUPLE: &str = "x-tuple";

/// Parses `text` (JSON when it starts with `{`, YAML otherwise).
/// `origin` names the source in error messages.
pub fn load(text: &str, origin: &str) -> Result<Document> {
    crate::on_big_stack(|| load_here(text, origin))
}

fn load_here(text: &str, origin: &str) -> Result<Document> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        // One cheap pass over the text first: the version fields, the keys of `paths` and
        // the response keys openapiv3 would drop.
        let peek = version::peek_json(trimmed);
        match Version::of(peek.openapi.as_deref(), peek.swagger.as_deref()) {
            Version::V31 | Version::V32 => {
                let value = serde_json::from_str(trimmed).map_err(|e| json_syntax(&e, origin))?;
                load_openapi31(value, origin)
            }
            Version::Swagger2 => {
                let value = serde_json::from_str(trimmed).map_err(|e| json_syntax(&e, origin))?;
                load_swagger2(&value, origin)
            }
            Version::Other => {
                let openapi = load_json(trimmed, origin)?;
                check_version(&openapi)?;
                let paths = Pointer::root().join("paths");
                let dropped = peek
                    .paths
                    .dropped_responses
                    .iter()
                    .map(|(path, method, key)| {
                        responses::warning(&paths.join(path).join(method).join("responses"), key)
                    });
                Ok(document(
                    origin,
                    openapi,
                    peek.paths.keys,
                    dropped.collect(),
                ))
            }
        }
    } else {
        let value = parse_yaml(trimmed, origin)?;
        let versions = versions_of(&value);
        match Version::of(versions.openapi.as_deref(), versions.swagger.as_deref()) {
            Version::V31 | Version::V32 => load_openapi31(yaml_to_json(&value)?, origin),
            Version::Swagger2 => load_swagger2(&yaml_to_json(&value)?, origin),
            Version::Other => {
                let dropped = responses::in_yaml(&value);
                let (openapi, path_keys) = load_yaml(value)?;
                check_version(&openapi)?;
                Ok(document(origin, openapi, path_keys, dropped))
            }
        }
    }
}

/// A 3.1 or 3.2 document, with the response keys openapiv3 drops reported as written.
fn load_openapi31(value: serde_json::Value, origin: &str) -> Result<Document> {
    let dropped = responses::in_json(&value, responses::Methods::WithAdditional);
    let mut document = openapi31::load(value, origin)?;
    document.warnings.extend(dropped);
    Ok(document)
}

/// A Swagger 2.0 document, with the response keys openapiv3 drops reported as written.
fn load_swagger2(value: &serde_json::Value, origin: &str) -> Result<Document> {
    let mut document = swagger2::load(value, origin)?;
    document
        .warnings
        .extend(responses::in_json(value, responses::Methods::Fixed));
    Ok(document)
}

/// A 3.0 document: nothing moved or approximated on the way, but response keys
/// openapiv3 dropped (`dropped`) are told.
fn document(
    origin: &str,
    openapi: OpenAPI,
    path_keys: Vec<String>,
    dropped: Vec<Warning>,
) -> Document {
    Document {
        origin: origin.to_owned(),
        openapi,
        ignored_paths: ignored_paths(path_keys),
        warnings: dropped,
        webhook_payloads: Vec::new(),
        sources: SourceMap::default(),
        extra_operations: Vec::new(),
        querystring_parameters: std::collections::BTreeSet::new(),
    }
}

/// A YAML document as a JSON value, for the routes that rewrite it.
fn yaml_to_json(value: &yaml_serde::Value) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::invalid(&Pointer::root(), e.to_string()))
}

fn ignored_paths(keys: Vec<String>) -> Vec<String> {
    keys.into_iter()
        .filter(|k| !k.starts_with('/') && !k.starts_with("x-"))
        .collect()
}

fn json_syntax(e: &serde_json::Error, origin: &str) -> Error {
    Error::Syntax {
        origin: origin.to_owned(),
        line: Some(e.line()),
        column: Some(e.column()),
        message: strip_position(&e.to_string()),
    }
}

fn load_json(text: &str, origin: &str) -> Result<OpenAPI> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let inner = e.into_inner();
        if inner.is_data() {
            let message = inner.to_string();
            let (pointer, message) = match serde_json::from_str::<serde_json::Value>(text) {
                Ok(value) => locate::refine(&value, pointer, message),
                Err(_) => (pointer, message),
            };
            structural_error(pointer, message, || version_of_json(text))
        } else {
            json_syntax(&inner, origin)
        }
    })
}

fn parse_yaml(text: &str, origin: &str) -> Result<yaml_serde::Value> {
    // Two steps, so that a syntax error (with its line) is told apart from a
    // structural one (with its JSON pointer).
    yaml_serde::from_str(text).map_err(|e| {
        let location = e.location();
        Error::Syntax {
            origin: origin.to_owned(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: strip_position(&e.to_string()),
        }
    })
}

fn load_yaml(value: yaml_serde::Value) -> Result<(OpenAPI, Vec<String>)> {
    let version = || versions_of(&value);
    let path_keys = match value.get("paths") {
        Some(yaml_serde::Value::Mapping(paths)) => paths
            .keys()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let openapi: OpenAPI = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let message = e.into_inner().to_string();
        let (pointer, message) = match serde_json::to_value(&value) {
            Ok(value) => locate::refine(&value, pointer, message),
            Err(_) => (pointer, message),
        };
        structural_error(pointer, message, version)
    })?;
    Ok((openapi, path_keys))
}

/// Names the version problem when there is one, since a 3.1 or 2.0 document fails
/// deep inside with a message that would only confuse.
fn structural_error(
    pointer: Pointer,
    message: String,
    versions: impl FnOnce() -> Versions,
) -> Error {
    let versions = versions();
    if let Some(swagger) = versions.swagger {
        return Error::invalid(
            &Pointer::root().join("swagger"),
            format!(
                "the document declares both `swagger: {swagger}` and `openapi`: keep the one it is written in"
            ),
        );
    }
    match versions.openapi {
        Some(v) if !v.starts_with("3.0") => Error::invalid(
            &Pointer::root().join("openapi"),
            format!("OpenAPI {v} is not supported; only 3.0.x, 3.1.x and 3.2.x are"),
        ),
        None => Error::invalid(
            &Pointer::root(),
            "not an OpenAPI document: the `openapi` version field is missing",
        ),
        Some(_) => Error::invalid(&pointer, message),
    }
}

fn check_version(openapi: &OpenAPI) -> Result<()> {
    if openapi.openapi.starts_with("3.0") {
        Ok(())
    } else {
        Err(Error::invalid(
            &Pointer::root().join("openapi"),
            format!(
                "OpenAPI {} is not supported; only 3.0.x, 3.1.x and 3.2.x are",
                openapi.openapi
            ),
        ))
    }
}

#[derive(Default, Deserialize)]
pub(crate) struct Versions {
    openapi: Option<String>,
    swagger: Option<String>,
}

fn version_of_json(text: &str) -> Versions {
    serde_json::from_str(text).unwrap_or_default()
}

fn versions_of(value: &yaml_serde::Value) -> Versions {
    let field = |name: &str| {
        value.get(name).and_then(|v| match v {
            yaml_serde::Value::String(s) => Some(s.clone()),
            yaml_serde::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    Versions {
        openapi: field("openapi"),
        swagger: field("swagger"),
    }
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(Pointer::root(), |pointer, segment| match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { .. } | Segment::Unknown => pointer,
        })
}

/// Parsers append " at line X column Y"; we report the position separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_has_a_line() {
        let err = load("openapi: 3.0.3\ninfo: [unclosed\n", "bad.yaml").unwrap_err();
        match err {
            Error::Syntax { line, .. } => assert!(line.is_some(), "{err}"),
            other => panic!("expected a syntax error, got {other}"),
        }
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let err = load("{\n  \"openapi\": \"3.0.3\",\n  oops\n}", "bad.json").unwrap_err();
        assert!(err.to_string().starts_with("bad.json:3:"), "{err}");
    }

    #[test]
    fn openapi_31_and_32_load_and_other_versions_are_refused_by_name() {
        for version in ["3.1.0", "3.1.1", "3.2.0"] {
            let text = format!("openapi: {version}\ninfo: {{title: t, version: '1'}}\n");
            let document = load(&text, "x.yaml").unwrap_or_else(|e| panic!("{version}: {e}"));
            assert_eq!(document.openapi.openapi, version);
            let json =
                format!(r#"{{"openapi": "{version}", "info": {{"title": "t", "version": "1"}}}}"#);
            load(&json, "x.json").unwrap_or_else(|e| panic!("{version}: {e}"));
        }
        let err = load(
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/openapi: OpenAPI 4.0.0 is not supported; only 3.0.x, 3.1.x and 3.2.x are"
        );
    }

    #[test]
    fn openapi_31_errors_name_the_pointer_as_written() {
        let err = load(
            r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"responses": 12}}}}"##,
            "x.json",
        )
        .unwrap_err();
        assert_eq!(
            err.pointer().map(Pointer::as_str),
            Some("#/paths/~1a/get/responses"),
            "{err}"
        );
        let err = load(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\njsonSchemaDialect: https://json-schema.org/draft/2020-12/schema\n",
            "x.yaml",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("#/jsonSchemaDialect: the JSON Schema dialect"),
            "{err}"
        );
        // A schema hoisted out of `$defs` is named where it was written.
        let err = load(
            r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "components": {"schemas": {"A": {"$defs": {"B": {"properties": 12}}}}}}"##,
            "x.json",
        )
        .unwrap_err();
        assert_eq!(
            err.pointer().map(Pointer::as_str),
            Some("#/components/schemas/A/$defs/B"),
            "{err}"
        );
    }

    #[test]
    fn swagger_2_loads_and_other_swagger_versions_are_refused_by_name() {
        let document = load(
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(document.openapi.openapi, "3.0.3");
        let err = load(
            r#"{"swagger": "1.2", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
            "x.json",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/swagger: Swagger version \"1.2\" is not supported; only 2.0 is converted"
        );
    }

    #[test]
    fn response_keys_openapiv3_drops_are_told_on_every_route() {
        let dropped = |text: &str, origin: &str| -> Vec<String> {
            let document = load(text, origin).unwrap_or_else(|e| panic!("{origin}: {e}"));
            document
                .warnings
                .iter()
                .filter(|w| w.message.contains("this response is ignored"))
                .map(|w| w.pointer.as_str().to_owned())
                .collect()
        };
        let yaml = |version: &str| {
            format!(
                "{version}\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      responses:\n        '099': {{description: a}}\n        '200': {{description: b}}\n        1000: {{description: c}}\n        200: {{description: d}}\n"
            )
        };
        let expected = [
            "#/paths/~1pets/get/responses/099",
            "#/paths/~1pets/get/responses/1000",
        ];
        for version in ["openapi: 3.0.3", "openapi: 3.1.0", "swagger: '2.0'"] {
            assert_eq!(dropped(&yaml(version), "x.yaml"), expected, "{version}");
        }
        let json = |version: &str| {
            format!(
                r#"{{{version}, "info": {{"title": "t", "version": "1"}}, "paths": {{"/pets": {{"get": {{"responses": {{"099": {{"description": "a"}}, "abc": {{"description": "b"}}, "200": {{"description": "c"}}}}}}}}}}}}"#
            )
        };
        let expected = [
            "#/paths/~1pets/get/responses/099",
            "#/paths/~1pets/get/responses/abc",
        ];
        for version in [
            r#""openapi": "3.0.3""#,
            r#""openapi": "3.2.0""#,
            r#""swagger": "2.0""#,
        ] {
            assert_eq!(dropped(&json(version), "x.json"), expected, "{version}");
        }
        // 3.2's QUERY and additionalOperations too, named where they are written.
        let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    query:\n      responses: {'2XXX': {description: a}}\n    additionalOperations:\n      COPY:\n        responses: {'20': {description: b}}\n";
        assert_eq!(
            dropped(text, "x.yaml"),
            [
                "#/paths/~1pets/query/responses/2XXX",
                "#/paths/~1pets/additionalOperations/COPY/responses/20"
            ]
        );
    }

    #[test]
    fn structural_error_names_the_pointer() {
        let err = load(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n",
            "x.yaml",
        )
        .unwrap_err();
        assert_eq!(
            err.pointer().map(Pointer::as_str),
            Some("#/paths/~1a/get/responses"),
            "{err}"
        );
    }
}
