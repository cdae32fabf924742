//! Responses: `schema` and `examples` move into `content` (one entry per `produces`
//! media type), headers get a `schema`.

use super::Cx;
use super::parameter::{style, value_schema};
use super::schema::{reference_to, schema};
use crate::error::Pointer;
use serde_json::{Map, Value};

/// The global `responses`, as `components.responses` (at `target`).
pub(super) fn components(
    cx: &mut Cx<'_>,
    value: &Value,
    at: &Pointer,
    target: &Pointer,
    produces: &[String],
) -> Value {
    let Some(responses) = value.as_object() else {
        cx.warn(at, "`responses` is not an object: left out");
        return Value::Object(Map::new());
    };
    Value::Object(
        responses
            .iter()
            .map(|(name, r)| {
                let converted = response(cx, r, &at.join(name), &target.join(name), produces);
                (name.clone(), converted)
            })
            .collect(),
    )
}

/// An operation's `responses` (at `at`, placed at `target`).
pub(super) fn responses(
    cx: &mut Cx<'_>,
    value: &Value,
    at: &Pointer,
    target: &Pointer,
    produces: &[String],
) -> Value {
    let Some(responses) = value.as_object() else {
        return value.clone();
    };
    Value::Object(
        responses
            .iter()
            .map(|(status, r)| {
                let converted = if status.starts_with("x-") {
                    r.clone()
                } else {
                    response(cx, r, &at.join(status), &target.join(status), produces)
                };
                (status.clone(), converted)
            })
            .collect(),
    )
}

fn response(
    cx: &mut Cx<'_>,
    value: &Value,
    at: &Pointer,
    target: &Pointer,
    produces: &[String],
) -> Value {
    let Some(object) = value.as_object() else {
        return value.clone();
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return serde_json::json!({ "$ref": reference_to(reference) });
    }
    let mut out = Map::new();
    // 3.0 requires a description; Swagger does too, but documents omit it.
    let description = match object.get("description") {
        Some(Value::Null) | None => Value::String(String::new()),
        Some(description) => description.clone(),
    };
    out.insert("description".into(), description);
    let mut content = Map::new();
    if let Some(body) = object.get("schema") {
        let schema_at = at.join("schema");
        let converted = schema(cx, body, &schema_at);
        let media_types = if produces.is_empty() {
            if !cx.produces_assumed {
                cx.produces_assumed = true;
                cx.warn(
                    &Pointer::root(),
                    "no `produces`: response bodies are taken as application/json",
                );
            }
            vec!["application/json".to_owned()]
        } else {
            produces.to_vec()
        };
        for media in media_types {
            let entry = target.join("content").join(&media);
            cx.sources.record(&entry, at);
            cx.sources.record(&entry.join("schema"), &schema_at);
            let mut map = Map::new();
            map.insert("schema".into(), converted.clone());
            content.insert(media, Value::Object(map));
        }
    }
    for (key, value) in object {
        let here = at.join(key);
        match key.as_str() {
            "description" | "schema" | "$ref" => {}
            "examples" => examples(cx, value, &here, target, &mut content),
            "headers" => {
                out.insert(key.clone(), headers(cx, value, &here, &target.join(key)));
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => cx.warn(
                &here,
                format!("`{key}` is not a field of a response: left out"),
            ),
        }
    }
    if !content.is_empty() {
        out.insert("content".into(), Value::Object(content));
    }
    Value::Object(out)
}

/// `examples` (media type → example) into each media type's `example`. An example of a
/// media type the response does not produce still says the response has that body.
fn examples(
    cx: &mut Cx<'_>,
    value: &Value,
    at: &Pointer,
    target: &Pointer,
    content: &mut Map<String, Value>,
) {
    let Some(examples) = value.as_object() else {
        cx.warn(at, "`examples` is not an object: left out");
        return;
    };
    for (media, example) in examples {
        let entry = content
            .entry(media.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(entry) = entry {
            entry.insert("example".into(), example.clone());
        }
        cx.sources.record(
            &target.join("content").join(media).join("example"),
            &at.join(media),
        );
    }
}

fn headers(cx: &mut Cx<'_>, value: &Value, at: &Pointer, target: &Pointer) -> Value {
    let Some(headers) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for (name, header) in headers {
        let here = at.join(name);
        let Some(object) = header.as_object() else {
            out.insert(name.clone(), header.clone());
            continue;
        };
        let mut converted = Map::new();
        if let Some(description) = object.get("description") {
            converted.insert("description".into(), description.clone());
        }
        converted.insert("schema".into(), value_schema(cx, object, &here, false));
        converted.extend(style(cx, object, "header", &here));
        super::copy_extensions(object, &mut converted);
        cx.sources.record(&target.join(name), &here);
        cx.sources.record(&target.join(name).join("schema"), &here);
        out.insert(name.clone(), Value::Object(converted));
    }
    Value::Object(out)
}
