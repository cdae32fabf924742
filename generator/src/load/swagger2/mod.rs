//! Swagger 2.0 in, OpenAPI 3.0 out: the document is rewritten as a JSON value before
//! `openapiv3` reads it, so everything after loading sees one shape.
//!
//! One file per part of the document: [`servers`] (`host`, `basePath`, `schemes`),
//! [`schema`] (schemas and `$ref`s), [`parameter`] (non-body parameters), [`body`] (`body`
//! and `formData` parameters into request bodies), [`response`], [`security`], and
//! [`paths`] (operations, which use all of them). What 3.0 cannot say is a warning naming
//! its place in the original document, and every place that moves is recorded in a
//! [`SourceMap`], so later diagnostics point into the original too.

mod body;
mod parameter;
mod paths;
mod response;
mod schema;
mod security;
mod servers;

use super::source_map::SourceMap;
use crate::error::{Error, Pointer, Result, Warning};
use serde_json::{Map, Value};

/// A converted document, what did not carry over, and where its parts came from.
#[derive(Debug, Clone)]
pub struct Converted {
    pub document: Value,
    pub warnings: Vec<Warning>,
    pub sources: SourceMap,
}

/// Loads the 3.0 conversion of a Swagger 2.0 document.
pub(super) fn load(value: &Value, origin: &str) -> Result<super::Document> {
    let Converted {
        document,
        warnings,
        sources,
    } = convert(value)?;
    let path_keys: Vec<String> = document
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| paths.keys().cloned().collect())
        .unwrap_or_default();
    let openapi = serde_path_to_error::deserialize(&document).map_err(|e| {
        let pointer = super::path_to_pointer(e.path());
        let message = e.into_inner().to_string();
        let (pointer, message) = super::locate::refine(&document, pointer, message);
        sources.error(Error::invalid(&pointer, message))
    })?;
    Ok(super::Document {
        origin: origin.to_owned(),
        openapi,
        ignored_paths: super::ignored_paths(path_keys),
        warnings,
        webhook_payloads: Vec::new(),
        sources,
        extra_operations: Vec::new(),
        querystring_parameters: std::collections::BTreeSet::new(),
    })
}

/// Rewrites a Swagger 2.0 document into OpenAPI 3.0 shape.
pub fn convert(document: &Value) -> Result<Converted> {
    let root = Pointer::root();
    let Some(top) = document.as_object() else {
        return Err(Error::invalid(
            &root,
            "a Swagger document must be an object",
        ));
    };
    match top.get("swagger") {
        Some(Value::String(v)) if v == "2.0" => {}
        // YAML reads an unquoted `swagger: 2.0` as a number.
        Some(Value::Number(n)) if n.as_f64() == Some(2.0) => {}
        other => {
            let version = other.map_or_else(|| "none".to_owned(), Value::to_string);
            return Err(Error::invalid(
                &root.join("swagger"),
                format!("Swagger version {version} is not supported; only 2.0 is converted"),
            ));
        }
    }
    let mut cx = Cx {
        document: top,
        consumes: media_types(top.get("consumes")),
        produces: media_types(top.get("produces")),
        warnings: Vec::new(),
        sources: SourceMap::default(),
        produces_assumed: false,
    };
    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    out.insert(
        "info".into(),
        top.get("info").cloned().unwrap_or(Value::Null),
    );
    if let Some(servers) = servers::servers(&mut cx, top) {
        out.insert("servers".into(), servers);
    }
    let mut components = Map::new();
    for (key, value) in top {
        let at = root.join(key);
        match key.as_str() {
            "swagger" | "info" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            "tags" | "externalDocs" | "security" => {
                out.insert(key.clone(), value.clone());
            }
            "paths" => {
                out.insert(key.clone(), paths::paths(&mut cx, value, &at)?);
            }
            "definitions" => {
                let target = root.join("components").join("schemas");
                cx.sources.record(&target, &at);
                components.insert("schemas".into(), schema::schemas(&mut cx, value, &at));
            }
            "parameters" => {
                let target = root.join("components").join("parameters");
                cx.sources.record(&target, &at);
                let parameters = parameter::components(&mut cx, value, &at)?;
                components.insert("parameters".into(), parameters);
            }
            "responses" => {
                let target = root.join("components").join("responses");
                cx.sources.record(&target, &at);
                let produces = cx.produces.clone();
                let responses = response::components(&mut cx, value, &at, &target, &produces);
                components.insert("responses".into(), responses);
            }
            "securityDefinitions" => {
                let target = root.join("components").join("securitySchemes");
                cx.sources.record(&target, &at);
                components.insert(
                    "securitySchemes".into(),
                    security::schemes(&mut cx, value, &at),
                );
            }
            _ if key.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => cx.warn(&at, format!("`{key}` is not a Swagger 2.0 field: left out")),
        }
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    if !out.contains_key("paths") {
        out.insert("paths".into(), Value::Object(Map::new()));
    }
    let Cx {
        mut warnings,
        sources,
        ..
    } = cx;
    warnings.sort();
    warnings.dedup();
    Ok(Converted {
        document: Value::Object(out),
        warnings,
        sources,
    })
}

/// What the conversion carries from part to part.
struct Cx<'d> {
    document: &'d Map<String, Value>,
    /// The document's default `consumes` and `produces`.
    consumes: Vec<String>,
    produces: Vec<String>,
    warnings: Vec<Warning>,
    sources: SourceMap,
    /// Whether a response schema without any `produces` was taken as JSON (said once).
    produces_assumed: bool,
}

impl<'d> Cx<'d> {
    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.clone(),
            message: message.into(),
        });
    }

    /// The global definition a local `$ref` such as `#/parameters/limit` names, with its
    /// pointer.
    fn global(&self, reference: &str) -> Option<(&'d Map<String, Value>, Pointer)> {
        let pointer = Pointer::from_ref(reference)?;
        let segments: Vec<String> = pointer.segments().collect();
        let [section, name] = segments.as_slice() else {
            return None;
        };
        let found = self.document.get(section)?.get(name)?.as_object()?;
        Some((found, pointer))
    }
}

/// A `consumes` or `produces` list (a lone string is taken as a list of one).
fn media_types(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => {
            let mut list: Vec<String> = Vec::new();
            for media in items.iter().filter_map(Value::as_str) {
                if !list.iter().any(|m| m == media) {
                    list.push(media.to_owned());
                }
            }
            list
        }
        Some(Value::String(media)) => vec![media.clone()],
        _ => Vec::new(),
    }
}

/// Copies the `x-` extensions of `from` into `to`.
fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from.iter().filter(|(k, _)| k.starts_with("x-")) {
        to.insert(key.clone(), value.clone());
    }
}

#[cfg(test)]
mod tests;
