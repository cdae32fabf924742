//! Stage 1: text (YAML or JSON) in, a typed OpenAPI 3.0 document out.
//!
//! JSON goes straight through `serde_json` (YAML parsers are slow on multi-megabyte JSON);
//! YAML goes through `yaml_serde`. Both record the path of a structural error so it
//! can be reported as a JSON pointer.

mod locate;
mod source_map;
pub mod swagger2;

pub use source_map::SourceMap;

use crate::error::{Error, Pointer, Result, Warning};
use openapiv3::OpenAPI;
use serde::Deserialize;

/// A parsed OpenAPI document and the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub origin: String,
    pub openapi: OpenAPI,
    /// Keys of `paths` that do not start with `/` (nor `x-`): not paths, so not parsed,
    /// but reported (as warnings) rather than dropped silently.
    pub ignored_paths: Vec<String>,
    /// What did not carry over when the document was converted from another version
    /// (pointing into the original document).
    pub warnings: Vec<Warning>,
    /// Where the parts of a converted document came from, to report the original places.
    pub sources: SourceMap,
}

/// Parses `text` (JSON when it starts with `{`, YAML otherwise).
/// `origin` names the source in error messages.
pub fn load(text: &str, origin: &str) -> Result<Document> {
    crate::on_big_stack(|| load_here(text, origin))
}

fn load_here(text: &str, origin: &str) -> Result<Document> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    match load_openapi30(trimmed, origin) {
        // A Swagger 2.0 document fails as 3.0 (it has no `openapi`, which is reported as
        // a version problem at `#/swagger`); only then is it converted, so 3.0 documents
        // pay nothing for the check.
        Err(e) if e.pointer().is_some_and(|p| p.as_str() == "#/swagger") => {
            swagger2::load(trimmed, origin)
        }
        loaded => loaded,
    }
}

fn load_openapi30(trimmed: &str, origin: &str) -> Result<Document> {
    let (openapi, path_keys) = if trimmed.starts_with('{') {
        let openapi = load_json(trimmed, origin)?;
        // A second, cheap pass over the text: only the keys of `paths`.
        #[derive(Deserialize)]
        struct Keys {
            #[serde(default)]
            paths: indexmap::IndexMap<String, serde::de::IgnoredAny>,
        }
        let keys = serde_json::from_str::<Keys>(trimmed)
            .map(|k| k.paths.into_keys().collect())
            .unwrap_or_default();
        (openapi, keys)
    } else {
        load_yaml(trimmed, origin)?
    };
    check_version(&openapi)?;
    Ok(Document {
        origin: origin.to_owned(),
        openapi,
        ignored_paths: non_paths(path_keys),
        warnings: Vec::new(),
        sources: SourceMap::default(),
    })
}

/// The keys of `paths` that are neither paths nor extensions.
fn non_paths(keys: Vec<String>) -> Vec<String> {
    keys.into_iter()
        .filter(|k| !k.starts_with('/') && !k.starts_with("x-"))
        .collect()
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
            Error::Syntax {
                origin: origin.to_owned(),
                line: Some(inner.line()),
                column: Some(inner.column()),
                message: strip_position(&inner.to_string()),
            }
        }
    })
}

fn load_yaml(text: &str, origin: &str) -> Result<(OpenAPI, Vec<String>)> {
    // Two steps, so that a syntax error (with its line) is told apart from a
    // structural one (with its JSON pointer).
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
        let location = e.location();
        Error::Syntax {
            origin: origin.to_owned(),
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            message: strip_position(&e.to_string()),
        }
    })?;
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
                "this is a Swagger {swagger} document; only OpenAPI 3.0.x is supported (convert it first)"
            ),
        );
    }
    match versions.openapi {
        Some(v) if !v.starts_with("3.0") => Error::invalid(
            &Pointer::root().join("openapi"),
            format!("OpenAPI {v} is not supported; only 3.0.x is"),
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
                "OpenAPI {} is not supported; only 3.0.x is",
                openapi.openapi
            ),
        ))
    }
}

#[derive(Default, Deserialize)]
struct Versions {
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
    fn openapi_31_is_refused_by_name() {
        let err = load(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/openapi: OpenAPI 3.1.0 is not supported; only 3.0.x is"
        );
    }

    #[test]
    fn swagger_2_loads_and_other_swagger_versions_are_refused_by_name() {
        let document = load(
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .expect("Swagger 2.0 loads");
        assert!(document.openapi.openapi.starts_with("3.0"));
        let err = load(
            "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/swagger: Swagger version \"1.2\" is not supported; only 2.0 is converted"
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
