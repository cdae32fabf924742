//! Parameters in the query, path and headers (and the value part of headers and form
//! fields): the type keywords move into `schema`, `collectionFormat` becomes `style` and
//! `explode`.

use super::Cx;
use crate::error::{Error, Pointer, Result};
use serde_json::{Map, Value};

/// The keywords of a 2.0 parameter, header or `items` that describe its value; 3.0 has
/// them in a `schema`.
const VALUE_KEYWORDS: [&str; 16] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Location {
    /// Stays a parameter (`query`, `header`, `path`).
    Plain,
    Body,
    Form,
}

/// Where the parameter `object` (at `at`) goes; an `in` Swagger does not know is an error.
pub(super) fn location(object: &Map<String, Value>, at: &Pointer) -> Result<Location> {
    match object.get("in").and_then(Value::as_str) {
        Some("query" | "header" | "path") => Ok(Location::Plain),
        Some("body") => Ok(Location::Body),
        Some("formData") => Ok(Location::Form),
        _ => Err(Error::invalid(
            &at.join("in"),
            "a parameter's `in` must be one of query, header, path, formData or body",
        )),
    }
}

/// The global `parameters` that stay parameters, as `components.parameters`. Global body
/// and form parameters are inlined where they are used, as 3.0 has no such parameters.
pub(super) fn components(cx: &mut Cx<'_>, value: &Value, at: &Pointer) -> Result<Value> {
    let Some(parameters) = value.as_object() else {
        cx.warn(at, "`parameters` is not an object: left out");
        return Ok(Value::Object(Map::new()));
    };
    let target = Pointer::root().join("components").join("parameters");
    let mut out = Map::new();
    for (name, parameter) in parameters {
        let here = at.join(name);
        let Some(object) = parameter.as_object() else {
            out.insert(name.clone(), parameter.clone());
            continue;
        };
        if location(object, &here)? == Location::Plain {
            out.insert(name.clone(), plain(cx, object, &here, &target.join(name)));
        }
    }
    Ok(Value::Object(out))
}

/// A query, header or path parameter at `at`, to be placed at `target`.
pub(super) fn plain(
    cx: &mut Cx<'_>,
    object: &Map<String, Value>,
    at: &Pointer,
    target: &Pointer,
) -> Value {
    let location = object.get("in").and_then(Value::as_str).unwrap_or("query");
    let mut out = Map::new();
    for (key, value) in object {
        match key.as_str() {
            "name" | "in" | "description" | "required" => {
                out.insert(key.clone(), value.clone());
            }
            "allowEmptyValue" if location == "query" => {
                out.insert(key.clone(), value.clone());
            }
            "x-example" => {
                out.insert("example".into(), value.clone());
            }
            "collectionFormat" | "x-nullable" => {}
            k if VALUE_KEYWORDS.contains(&k) => {}
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => cx.warn(
                &at.join(key),
                format!("`{key}` does not apply to a {location} parameter: left out"),
            ),
        }
    }
    if location == "path" {
        // Swagger requires it too; a path cannot leave a parameter out.
        out.insert("required".into(), Value::Bool(true));
    }
    out.insert("schema".into(), value_schema(cx, object, at, false));
    cx.sources.record(target, at);
    cx.sources.record(&target.join("schema"), at);
    out.extend(style(cx, object, location, at));
    Value::Object(out)
}

/// The schema of a parameter, header, form field or `items` object: its value keywords.
pub(super) fn value_schema(
    cx: &mut Cx<'_>,
    object: &Map<String, Value>,
    at: &Pointer,
    in_form: bool,
) -> Value {
    let mut out = Map::new();
    for key in VALUE_KEYWORDS {
        let Some(value) = object.get(key) else {
            continue;
        };
        let converted = match (key, value) {
            ("items", Value::Object(items)) => {
                let here = at.join("items");
                if items.contains_key("collectionFormat") {
                    cx.warn(
                        &here.join("collectionFormat"),
                        "a collectionFormat of nested arrays has no OpenAPI 3.0 form: left out",
                    );
                }
                value_schema(cx, items, &here, in_form)
            }
            _ => value.clone(),
        };
        out.insert(key.to_owned(), converted);
    }
    match object.get("type").and_then(Value::as_str) {
        None => {
            cx.warn(at, "no `type`: taken as a string");
            out.insert("type".into(), "string".into());
        }
        Some("file") => {
            if !in_form {
                cx.warn(
                    &at.join("type"),
                    "`type: file` is only for formData parameters: taken as binary",
                );
            }
            out.insert("type".into(), "string".into());
            out.insert("format".into(), "binary".into());
        }
        Some("array") if !out.contains_key("items") => {
            cx.warn(at, "an array without `items`: its items may be anything");
            out.insert("items".into(), Value::Object(Map::new()));
        }
        Some(_) => {}
    }
    if let Some(nullable) = object.get("x-nullable").and_then(Value::as_bool) {
        out.insert("nullable".into(), Value::Bool(nullable));
    }
    Value::Object(out)
}

/// `style` and `explode` for the `collectionFormat` of an array in `location` (query,
/// path, header, formData), left out when they are 3.0's defaults.
pub(super) fn style(
    cx: &mut Cx<'_>,
    object: &Map<String, Value>,
    location: &str,
    at: &Pointer,
) -> Map<String, Value> {
    let mut out = Map::new();
    let is_array = object.get("type").and_then(Value::as_str) == Some("array");
    let format = object.get("collectionFormat");
    let here = at.join("collectionFormat");
    if !is_array {
        if format.is_some() {
            cx.warn(&here, "collectionFormat only applies to arrays: left out");
        }
        return out;
    }
    let format = match format {
        None => "csv",
        Some(Value::String(format)) => format.as_str(),
        Some(_) => {
            cx.warn(&here, "not a string: csv is assumed");
            "csv"
        }
    };
    let query_like = matches!(location, "query" | "formData");
    let (style, explode) = match (format, query_like) {
        ("csv", true) => ("form", false),
        ("multi", true) => ("form", true),
        ("ssv", true) => ("spaceDelimited", false),
        ("pipes", true) => ("pipeDelimited", false),
        ("csv", false) => ("simple", false),
        ("tsv", true) => {
            cx.warn(
                &here,
                "tab-separated arrays have no OpenAPI 3.0 style: sent comma-separated",
            );
            ("form", false)
        }
        (other, true) => {
            cx.warn(
                &here,
                format!("unknown collectionFormat '{other}': sent comma-separated"),
            );
            ("form", false)
        }
        (other, false) => {
            cx.warn(
                &here,
                format!("collectionFormat '{other}' has no OpenAPI 3.0 form in a {location}: sent comma-separated"),
            );
            ("simple", false)
        }
    };
    // 3.0's defaults: form and exploded in queries and forms, simple in paths and headers.
    let default = if query_like {
        ("form", true)
    } else {
        ("simple", false)
    };
    if style != default.0 {
        out.insert("style".into(), style.into());
    }
    if explode != default.1 {
        out.insert("explode".into(), Value::Bool(explode));
    }
    out
}
