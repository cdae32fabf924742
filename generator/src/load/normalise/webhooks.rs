//! `webhooks`: requests the API sends to its users. The client never sends them, but its
//! users receive them, so the payload of each becomes a component schema whose type is
//! generated (and kept, though no operation uses it). A payload written inline is named
//! after its webhook (`newPet` → `newPetPayload`, `newPetPutPayload` when the webhook has
//! several operations).

use super::Notes;
use super::walk::METHODS;
use crate::error::{Pointer, Result};
use serde_json::{Map, Value, json};

const COMPONENT: &str = "#/components/schemas/";

pub(super) fn hoist_payloads(doc: &mut Value, notes: &mut Notes) -> Result<()> {
    let Some(Value::Object(webhooks)) = doc.as_object_mut().and_then(|d| d.remove("webhooks"))
    else {
        return Ok(());
    };
    let at = Pointer::root().join("webhooks");
    let mut inline: Vec<(String, Value)> = Vec::new();
    let mut taken: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    for (name, item) in &webhooks {
        let methods: Vec<&str> = METHODS
            .iter()
            .copied()
            .filter(|m| item.get(*m).is_some())
            .collect();
        for method in &methods {
            let here = at.join(name).join(method).join("requestBody");
            let Some((schema, pointer)) = payload(doc, &item[*method], &here) else {
                continue;
            };
            if let Some(component) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(COMPONENT))
                .filter(|rest| !rest.contains('/'))
            {
                let component = component.replace("~1", "/").replace("~0", "~");
                if !notes.webhook_payloads.contains(&component) {
                    notes.webhook_payloads.push(component);
                }
                continue;
            }
            let stem = if methods.len() == 1 {
                format!("{name}Payload")
            } else {
                let mut method = method.to_string();
                method[..1].make_ascii_uppercase();
                format!("{name}{method}Payload")
            };
            let mut component = stem.clone();
            let mut n = 2;
            while taken.contains(&component) {
                component = format!("{stem}{n}");
                n += 1;
            }
            taken.push(component.clone());
            notes.moved.push((
                Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(&component),
                pointer,
            ));
            notes.webhook_payloads.push(component.clone());
            inline.push((component, schema));
        }
    }
    if inline.is_empty() {
        return Ok(());
    }
    let Some(top) = doc.as_object_mut() else {
        return Ok(());
    };
    let components = top.entry("components").or_insert_with(|| json!({}));
    if let Value::Object(components) = components {
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(schemas) = schemas {
            schemas.extend(inline);
        }
    }
    Ok(())
}

/// The schema of the body a webhook operation sends (JSON preferred), with its pointer.
fn payload(doc: &Value, operation: &Value, at: &Pointer) -> Option<(Value, Pointer)> {
    let mut body = operation.get("requestBody")?;
    let mut at = at.clone();
    if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
        body = doc.pointer(reference.strip_prefix('#')?)?;
        at = Pointer::from_ref(reference)?;
    }
    let content = body.get("content")?.as_object()?;
    let (media, chosen) = content
        .iter()
        .find(|(media, _)| {
            let essence = media.split(';').next().unwrap_or("").trim();
            essence == "application/json" || essence.ends_with("+json")
        })
        .or_else(|| content.iter().next())?;
    let schema = chosen.get("schema")?;
    Some((
        schema.clone(),
        at.join("content").join(media).join("schema"),
    ))
}
