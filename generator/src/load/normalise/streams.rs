//! Streamed bodies (OpenAPI 3.2): a media type's `itemSchema` describes each item of a
//! sequence (server-sent events, JSON Lines, JSON text sequences). 3.0 has no place
//! for it, so the item schema of a response takes the place of `schema` and the media
//! type is marked with [`ITEM_SCHEMA`], which `openapiv3` keeps as an extension and
//! the lowering reads. (A `schema` beside it describes the whole body at once, which
//! the client does not need when it reads the items one by one.)
//!
//! For server-sent events, the data of an event is text; a document that says it is
//! JSON (`contentMediaType: application/json` with a `contentSchema`) gets that schema
//! in place of the string, so the client decodes the data as JSON.

use super::Notes;
use crate::error::Pointer;
use crate::load::ITEM_SCHEMA;
use serde_json::{Map, Value};

/// Called on each `itemSchema` before it is normalised: notes where it is, and
/// gives the data of server-sent events its `contentSchema`.
pub(super) fn found(schema: &mut Value, at: &Pointer, found: &mut Vec<Pointer>, notes: &mut Notes) {
    let segments: Vec<String> = at.segments().collect();
    if segments.iter().any(|s| s == "requestBody") {
        notes.warn(
            at,
            "a streamed request body (itemSchema) is not supported: its items are not described",
        );
        return;
    }
    let media = segments.iter().rev().nth(1).map(|m| essence(m).to_owned());
    if media.as_deref() == Some("text/event-stream") {
        match schema.get_mut("properties").and_then(|p| p.get_mut("data")) {
            Some(data) => json_content(data),
            None => json_content(schema),
        }
    }
    found.push(at.clone());
}

/// Puts each item schema found in its media type's `schema`, marked.
pub(super) fn mark(doc: &mut Value, found: &[Pointer]) {
    for at in found {
        let Some(media) = parent(at).and_then(|p| doc.pointer_mut(&p)) else {
            continue;
        };
        let Value::Object(media) = media else {
            continue;
        };
        if let Some(item) = media.remove("itemSchema") {
            media.insert("schema".to_owned(), item);
            media.insert(ITEM_SCHEMA.to_owned(), Value::Bool(true));
        }
    }
}

/// The JSON pointer (without `#`) of the object holding the member at `at`.
fn parent(at: &Pointer) -> Option<String> {
    let pointer = at.as_str().strip_prefix('#')?;
    let (parent, _) = pointer.rsplit_once('/')?;
    Some(parent.to_owned())
}

/// A string schema that carries JSON (`contentMediaType` JSON with a `contentSchema`)
/// becomes that `contentSchema`, keeping its description.
fn json_content(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    let is_json = map
        .get("contentMediaType")
        .and_then(Value::as_str)
        .is_some_and(|m| {
            let m = essence(m);
            m == "application/json" || m.ends_with("+json")
        });
    if !is_json {
        return;
    }
    let Some(content) = map.remove("contentSchema") else {
        return;
    };
    let description = map.remove("description");
    let mut replaced = match content {
        Value::Object(content) => content,
        Value::Bool(true) => Map::new(),
        _ => return,
    };
    if let Some(description) = description {
        // Beside a `$ref`, 3.1 reads it as an override, as the schema step does.
        replaced.entry("description").or_insert(description);
    }
    *map = replaced;
}

fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}
