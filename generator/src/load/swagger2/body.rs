//! `body` and `formData` parameters → the operation's `requestBody`.

use super::parameter::{style, value_schema};
use super::{Cx, copy_extensions, schema};
use crate::error::Pointer;
use serde_json::{Map, Value};

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// A body or form parameter (resolved when it was a `$ref`) and where it is.
pub(super) struct Found<'d> {
    pub object: &'d Map<String, Value>,
    pub at: Pointer,
}

/// The request body of the operation at `target`, sent as one of `consumes`.
pub(super) fn request_body(
    cx: &mut Cx<'_>,
    bodies: &[&Found<'_>],
    forms: &[&Found<'_>],
    consumes: &[String],
    target: &Pointer,
) -> Option<Value> {
    let target = target.join("requestBody");
    if let Some((body, extra)) = bodies.split_first() {
        for other in extra {
            cx.warn(
                &other.at,
                "an operation has one body: this second body parameter is left out",
            );
        }
        for form in forms {
            cx.warn(
                &form.at,
                "a formData parameter next to a body parameter is left out",
            );
        }
        return Some(json_body(cx, body, consumes, &target));
    }
    (!forms.is_empty()).then(|| form_body(cx, forms, consumes, &target))
}

fn json_body(cx: &mut Cx<'_>, body: &Found<'_>, consumes: &[String], target: &Pointer) -> Value {
    let schema_at = body.at.join("schema");
    let schema = match body.object.get("schema") {
        Some(schema) => schema::schema(cx, schema, &schema_at),
        None => {
            cx.warn(
                &body.at,
                "a body parameter without `schema`: any JSON is sent",
            );
            Value::Object(Map::new())
        }
    };
    let media_types = if consumes.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        consumes.to_vec()
    };
    cx.sources.record(target, &body.at);
    let mut content = Map::new();
    for media in media_types {
        let mut entry = Map::new();
        entry.insert("schema".into(), schema.clone());
        cx.sources.record(
            &target.join("content").join(&media).join("schema"),
            &schema_at,
        );
        content.insert(media, Value::Object(entry));
    }
    let mut out = Map::new();
    if let Some(description) = body.object.get("description") {
        out.insert("description".into(), description.clone());
    }
    out.insert("content".into(), Value::Object(content));
    if body.object.get("required").and_then(Value::as_bool) == Some(true) {
        out.insert("required".into(), Value::Bool(true));
    }
    copy_extensions(body.object, &mut out);
    Value::Object(out)
}

/// Form fields become the properties of one object schema.
fn form_body(
    cx: &mut Cx<'_>,
    forms: &[&Found<'_>],
    consumes: &[String],
    target: &Pointer,
) -> Value {
    // Swagger sends a form as multipart only when the operation says it consumes that.
    let media = if consumes.iter().any(|m| m == MULTIPART) {
        MULTIPART
    } else {
        FORM
    };
    let schema_at = target.join("content").join(media).join("schema");
    if let Some(first) = forms.first() {
        cx.sources.record(target, &first.at);
        cx.sources.record(&schema_at, &first.at);
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for form in forms {
        let Some(name) = form.object.get("name").and_then(Value::as_str) else {
            cx.warn(&form.at, "a formData parameter without `name` is left out");
            continue;
        };
        if properties.contains_key(name) {
            cx.warn(
                &form.at,
                format!("a second formData parameter '{name}' replaces the first"),
            );
        }
        let mut property = match value_schema(cx, form.object, &form.at, true) {
            Value::Object(property) => property,
            _ => Map::new(),
        };
        if let Some(description) = form.object.get("description") {
            property.insert("description".into(), description.clone());
        }
        if let Some(example) = form.object.get("x-example") {
            property.insert("example".into(), example.clone());
        }
        copy_extensions(form.object, &mut property);
        property.remove("x-example");
        property.remove("x-nullable");
        cx.sources
            .record(&schema_at.join("properties").join(name), &form.at);
        if form.object.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(name.to_owned()));
        }
        if media == FORM {
            let style = style(cx, form.object, "formData", &form.at);
            if !style.is_empty() {
                encoding.insert(name.to_owned(), Value::Object(style));
            }
        }
        properties.insert(name.to_owned(), Value::Object(property));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    let any_required = !required.is_empty();
    if any_required {
        schema.insert("required".into(), Value::Array(required));
    }
    let mut entry = Map::new();
    entry.insert("schema".into(), Value::Object(schema));
    if !encoding.is_empty() {
        entry.insert("encoding".into(), Value::Object(encoding));
    }
    let mut content = Map::new();
    content.insert(media.to_owned(), Value::Object(entry));
    let mut out = Map::new();
    out.insert("content".into(), Value::Object(content));
    if any_required {
        out.insert("required".into(), Value::Bool(true));
    }
    Value::Object(out)
}
