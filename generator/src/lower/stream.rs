//! Streamed responses: a media type whose `itemSchema` (OpenAPI 3.2) describes each
//! item of a sequence, which the client decodes as the items arrive.
//!
//! Loading moved a 3.2 `itemSchema` into the media type's `schema` and marked it with
//! [`ITEM_SCHEMA`](crate::load::ITEM_SCHEMA), so `openapiv3` keeps it; here the media
//! type decides how the body is cut into items, and for server-sent events whether the
//! item schema describes the event object or its data alone.

use super::Context;
use super::schema::SchemaRef;
use crate::error::{Pointer, Result};
use crate::model::{ItemStream, StreamItems};
use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind, Type};

/// How a media type is cut into items, by its essence; `None` for media types the
/// client cannot stream (say `multipart/mixed`).
fn framing(essence: &str) -> Option<Framing> {
    Some(match essence {
        "text/event-stream" => Framing::Events,
        "application/jsonl"
        | "application/x-jsonl"
        | "application/jsonlines"
        | "application/x-jsonlines"
        | "application/x-ndjson"
        | "application/ndjson" => Framing::JsonLines,
        "application/json-seq" => Framing::JsonSeq,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Events,
    JsonLines,
    JsonSeq,
}

/// Whether loading marked `media`'s schema as an item schema.
pub(super) fn has_item_schema(media: &MediaType) -> bool {
    media.extensions.contains_key(crate::load::ITEM_SCHEMA)
}

impl<'a> Context<'a> {
    /// The stream of a response media type with an item schema, or `None` (with a
    /// warning) when the media type is not one the client can cut into items.
    /// `at` points at the media type.
    pub(super) fn item_stream(
        &mut self,
        media_type: &str,
        essence: &str,
        media: &'a MediaType,
        at: &Pointer,
        name: &str,
    ) -> Result<Option<ItemStream>> {
        let Some(schema) = &media.schema else {
            return Ok(None);
        };
        let Some(framing) = framing(essence) else {
            self.warn(
                &at.join("itemSchema"),
                format!(
                    "a stream of {essence} is not cut into items (only server-sent events, JSON Lines and JSON text sequences are): the body is read whole"
                ),
            );
            return Ok(None);
        };
        let items = match framing {
            Framing::JsonLines => StreamItems::JsonLines,
            Framing::JsonSeq => StreamItems::JsonSeq,
            Framing::Events => self.event_items(schema),
        };
        // `WatchTicksResponse` → `WatchTicksEvent`, `TailLogsItem`.
        let stem = name.strip_suffix("Response").unwrap_or(name);
        let suffix = if framing == Framing::Events {
            "Event"
        } else {
            "Item"
        };
        let item = self.type_ref(schema, &at.join("itemSchema"), &format!("{stem}{suffix}"))?;
        Ok(Some(ItemStream {
            media_type: media_type.to_owned(),
            items,
            item,
        }))
    }

    /// What an event's item schema describes: the event (an object with a `data`
    /// property, as OpenAPI models events), or the data alone; and whether the data
    /// is JSON (anything but a string, or a string whose `contentMediaType` is JSON,
    /// which loading turned into its `contentSchema`).
    fn event_items(&self, schema: &'a ReferenceOr<Schema>) -> StreamItems {
        let Some(schema) = self.schema_behind(schema.as_ref_or()) else {
            return StreamItems::EventData { json: true };
        };
        let properties = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => Some(&object.properties),
            SchemaKind::Any(any) => Some(&any.properties),
            _ => None,
        };
        match properties.and_then(|p| p.get("data")) {
            Some(data) => StreamItems::Events {
                json_data: self.is_json_data(data.as_ref_or()),
            },
            None => StreamItems::EventData {
                json: self.is_json_data(ReferenceOr::Item(schema)),
            },
        }
    }

    /// Whether data of this schema is parsed as JSON: it is not a plain string (nor
    /// a schema that says nothing, which takes the text as it is).
    fn is_json_data(&self, schema: ReferenceOr<&'a Schema>) -> bool {
        match self.schema_behind(schema).map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::String(_))) => false,
            Some(SchemaKind::Any(any)) if any.typ.is_none() && any.properties.is_empty() => false,
            None => false,
            Some(_) => true,
        }
    }

    fn schema_behind(&self, schema: ReferenceOr<&'a Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.referenced_schema(&reference),
        }
    }
}
