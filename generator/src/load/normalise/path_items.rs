//! `$ref` path items (OpenAPI 3.1 keeps reusable ones in `#/components/pathItems`),
//! inlined where they are used, as 3.0 has no place for them.

use crate::error::{Error, Pointer, Result};
use serde_json::Value;

/// References to references are followed this far.
const MAX_CHAIN: usize = 16;

pub(super) fn inline_refs(doc: &mut Value) -> Result<()> {
    for section in ["paths", "webhooks"] {
        let keys: Vec<String> = match doc.get(section) {
            Some(Value::Object(items)) => items.keys().cloned().collect(),
            _ => continue,
        };
        let at = Pointer::root().join(section);
        for key in keys {
            let here = at.join(&key);
            let Some(target) = resolve(doc, &doc[section][&key], &here)? else {
                continue;
            };
            doc[section][&key] = target;
        }
    }
    Ok(())
}

/// The path item `item` refers to, when it is a reference.
fn resolve(doc: &Value, item: &Value, at: &Pointer) -> Result<Option<Value>> {
    let mut current = item;
    let mut followed = 0;
    while let Some(reference) = current.get("$ref") {
        let at = at.join("$ref");
        let Some(reference) = reference.as_str() else {
            return Err(Error::invalid(&at, "$ref must be a string"));
        };
        followed += 1;
        if followed > MAX_CHAIN {
            return Err(Error::invalid(
                &at,
                format!("$ref '{reference}': more than {MAX_CHAIN} references in a row (a cycle?)"),
            ));
        }
        current = reference
            .strip_prefix('#')
            .and_then(|pointer| doc.pointer(pointer))
            .ok_or_else(|| {
                Error::invalid(
                    &at,
                    format!("unresolved $ref '{reference}': no path item at that location"),
                )
            })?;
    }
    Ok((followed > 0).then(|| current.clone()))
}
