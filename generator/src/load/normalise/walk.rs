//! Where schemas sit in an OpenAPI document: every place a schema may be written (paths,
//! webhooks, components, callbacks), visited with its pointer.

use crate::error::{Pointer, Result};
use serde_json::Value;

/// The operations of a path item: the fixed fields of 3.0 and 3.1, and 3.2's `query`.
pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// A visitor of schemas at their pointers.
pub(super) type Visit<'f> = dyn FnMut(&mut Value, &Pointer) -> Result<()> + 'f;

/// Calls `f` on every schema the document holds outside other schemas (the schemas of
/// parameters, headers, media types and components), with its pointer.
pub(super) fn document_schemas(doc: &mut Value, f: &mut Visit<'_>) -> Result<()> {
    let root = Pointer::root();
    for_entries(doc, "paths", &root, &mut |item, at| path_item(item, at, f))?;
    for_entries(doc, "webhooks", &root, &mut |item, at| {
        path_item(item, at, f)
    })?;
    let Some(components) = doc.get_mut("components") else {
        return Ok(());
    };
    let at = root.join("components");
    for_entries(components, "schemas", &at, f)?;
    for_entries(components, "parameters", &at, &mut |p, at| {
        parameter(p, at, f)
    })?;
    for_entries(components, "headers", &at, &mut |h, at| parameter(h, at, f))?;
    for_entries(components, "requestBodies", &at, &mut |b, at| {
        content_of(b, at, f)
    })?;
    for_entries(components, "responses", &at, &mut |r, at| {
        response(r, at, f)
    })?;
    for_entries(components, "callbacks", &at, &mut |c, at| {
        callback(c, at, f)
    })?;
    for_entries(components, "pathItems", &at, &mut |item, at| {
        path_item(item, at, f)
    })?;
    for_entries(components, "mediaTypes", &at, &mut |m, at| {
        media_type(m, at, f)
    })
}

/// Calls `f` on each entry (but `x-` extensions) of the object at `value[key]`.
pub(super) fn for_entries(
    value: &mut Value,
    key: &str,
    at: &Pointer,
    f: &mut Visit<'_>,
) -> Result<()> {
    let Some(Value::Object(entries)) = value.get_mut(key) else {
        return Ok(());
    };
    let at = at.join(key);
    for (name, entry) in entries.iter_mut() {
        if !name.starts_with("x-") {
            f(entry, &at.join(name))?;
        }
    }
    Ok(())
}

/// Calls `f` on each item of the list at `value[key]`.
fn for_items(value: &mut Value, key: &str, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    let Some(Value::Array(items)) = value.get_mut(key) else {
        return Ok(());
    };
    let at = at.join(key);
    for (i, item) in items.iter_mut().enumerate() {
        f(item, &at.join(i))?;
    }
    Ok(())
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

pub(super) fn path_item(item: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    if is_ref(item) {
        return Ok(());
    }
    for_items(item, "parameters", at, &mut |p, at| parameter(p, at, f))?;
    for method in METHODS {
        if let Some(operation) = item.get_mut(*method) {
            self::operation(operation, &at.join(method), f)?;
        }
    }
    for_entries(item, "additionalOperations", at, &mut |op, at| {
        operation(op, at, f)
    })
}

fn operation(operation: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    for_items(operation, "parameters", at, &mut |p, at| {
        parameter(p, at, f)
    })?;
    if let Some(body) = operation.get_mut("requestBody") {
        content_of(body, &at.join("requestBody"), f)?;
    }
    for_entries(operation, "responses", at, &mut |r, at| response(r, at, f))?;
    for_entries(operation, "callbacks", at, &mut |c, at| callback(c, at, f))
}

/// A parameter or a header: a `schema`, or a `content` map.
fn parameter(parameter: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    if is_ref(parameter) {
        return Ok(());
    }
    if let Some(schema) = parameter.get_mut("schema") {
        f(schema, &at.join("schema"))?;
    }
    content_of(parameter, at, f)
}

fn response(response: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    if is_ref(response) {
        return Ok(());
    }
    for_entries(response, "headers", at, &mut |h, at| parameter(h, at, f))?;
    content_of(response, at, f)
}

fn callback(callback: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    let Value::Object(items) = callback else {
        return Ok(());
    };
    if items.contains_key("$ref") {
        return Ok(());
    }
    for (expression, item) in items.iter_mut() {
        if !expression.starts_with("x-") {
            path_item(item, &at.join(expression), f)?;
        }
    }
    Ok(())
}

/// The media types of the `content` of `holder` (a request body, response or parameter).
fn content_of(holder: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    if is_ref(holder) {
        return Ok(());
    }
    for_entries(holder, "content", at, &mut |m, at| media_type(m, at, f))
}

fn media_type(media: &mut Value, at: &Pointer, f: &mut Visit<'_>) -> Result<()> {
    if is_ref(media) {
        return Ok(());
    }
    for key in ["schema", "itemSchema"] {
        if let Some(schema) = media.get_mut(key) {
            f(schema, &at.join(key))?;
        }
    }
    for_entries(media, "encoding", at, &mut |encoding, at| {
        for_entries(encoding, "headers", at, &mut |h, at| parameter(h, at, f))
    })
}
