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
use crate::model::{ItemStream, StreamItems, TypeRef};
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
fn has_item_schema(media: &MediaType) -> bool {
    media.extensions.contains_key(crate::load::ITEM_SCHEMA)
}

impl<'a> Context<'a> {
    /// Whether a response of `media` is read as a stream of items: it has an item
    /// schema, or its media type is one the client cuts into items (server-sent events,
    /// JSON Lines, JSON text sequences), whose body may never end, so reading it whole
    /// would not do.
    pub(super) fn streams(&self, essence: &str, media: &MediaType) -> bool {
        has_item_schema(media) || framing(essence).is_some()
    }

    /// The stream of a response media type that [`streams`](Self::streams), or `None`
    /// (with a warning) when the media type is not one the client can cut into items.
    /// `at` points at the media type.
    ///
    /// Without an item schema (3.0 and 3.1 documents, which have none), a `schema` of
    /// `type: array` describes the whole sequence, so its `items` are the items (as 3.2
    /// reads it); any other `schema` is what documents mean by it in practice, the schema
    /// of each item (of each event's data, for server-sent events); no schema gives
    /// items of any JSON.
    pub(super) fn item_stream(
        &mut self,
        media_type: &str,
        essence: &str,
        media: &'a MediaType,
        at: &Pointer,
        name: &str,
    ) -> Result<Option<ItemStream>> {
        let marked = has_item_schema(media);
        let Some(framing) = framing(essence) else {
            if marked {
                self.warn(
                    &at.join("itemSchema"),
                    format!(
                        "a stream of {essence} is not cut into items (only server-sent events, JSON Lines and JSON text sequences are): the body is read whole"
                    ),
                );
            }
            return Ok(None);
        };
        let (schema, schema_at) = match &media.schema {
            Some(schema) if marked => (Some(schema.as_ref_or()), at.join("itemSchema")),
            Some(schema) => self.items_of_whole(schema, &at.join("schema")),
            None => (None, at.clone()),
        };
        let items = match (framing, &schema) {
            (Framing::JsonLines, _) => StreamItems::JsonLines,
            (Framing::JsonSeq, _) => StreamItems::JsonSeq,
            (Framing::Events, None) => StreamItems::Events { json_data: false },
            (Framing::Events, Some(schema)) if marked => self.event_items(schema.clone()),
            // A schema written for the body of an event stream is that of the data.
            (Framing::Events, Some(schema)) => StreamItems::EventData {
                json: self.is_json_data(schema.clone()),
            },
        };
        // `WatchTicksResponse` → `WatchTicksEvent`, `TailLogsItem`.
        let stem = name.strip_suffix("Response").unwrap_or(name);
        let suffix = if framing == Framing::Events {
            "Event"
        } else {
            "Item"
        };
        let item = match schema {
            Some(schema) => self.schema_type(schema, &schema_at, &format!("{stem}{suffix}"))?,
            None => TypeRef::Json,
        };
        Ok(Some(ItemStream {
            media_type: media_type.to_owned(),
            items,
            item,
        }))
    }

    /// The items of a sequence whose whole body `schema` describes: the `items` of an
    /// array, else the schema itself.
    fn items_of_whole(
        &self,
        schema: &'a ReferenceOr<Schema>,
        at: &Pointer,
    ) -> (Option<ReferenceOr<&'a Schema>>, Pointer) {
        if let Some(Schema {
            schema_kind: SchemaKind::Type(Type::Array(array)),
            ..
        }) = self.schema_behind(schema.as_ref_or())
            && let Some(items) = &array.items
        {
            return (Some(items.as_ref_or()), at.join("items"));
        }
        (Some(schema.as_ref_or()), at.clone())
    }

    /// What an event's item schema describes: the event (an object with a `data`
    /// property, as OpenAPI models events), or the data alone; and whether the data
    /// is JSON (anything but a string, or a string whose `contentMediaType` is JSON,
    /// which loading turned into its `contentSchema`).
    fn event_items(&self, schema: ReferenceOr<&'a Schema>) -> StreamItems {
        let Some(schema) = self.schema_behind(schema) else {
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
