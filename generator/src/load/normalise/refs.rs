//! References as 3.1 writes them, made the ones 3.0 readers expect: percent-encoded
//! pointers decoded (`%7Bid%7D` → `{id}`), and references to parameters, responses and
//! the like that sit outside `#/components` (3.1 lets a `$ref` point anywhere in the
//! document) replaced by what they point to.

use serde_json::Value;

/// References to references are followed this far.
const MAX_CHAIN: usize = 16;

/// Decodes `%XX` in every `$ref` of the document.
pub(super) fn decode(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && reference.contains('%')
            {
                *reference = percent_decode(reference);
            }
            map.values_mut().for_each(decode);
        }
        Value::Array(items) => items.iter_mut().for_each(decode),
        _ => {}
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Replaces each `{$ref}` to a place outside `#/components` and `#/$defs` by a copy of
/// what is there (schemas were hoisted into components before, so these are parameters,
/// responses, request bodies, headers and path items).
pub(super) fn inline_foreign(doc: &mut Value) {
    let snapshot = doc.clone();
    replace(doc, &snapshot);
}

fn replace(value: &mut Value, doc: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && is_foreign(reference)
                && let Some(target) = resolve(doc, reference)
            {
                *value = target.clone();
                return;
            }
            for child in map.values_mut() {
                replace(child, doc);
            }
        }
        Value::Array(items) => {
            for item in items {
                replace(item, doc);
            }
        }
        _ => {}
    }
}

fn is_foreign(reference: &str) -> bool {
    reference.starts_with("#/")
        && !reference.starts_with("#/components/")
        && !reference.starts_with("#/$defs/")
}

fn resolve<'d>(doc: &'d Value, reference: &str) -> Option<&'d Value> {
    let mut current = doc.pointer(reference.strip_prefix('#')?)?;
    for _ in 0..MAX_CHAIN {
        match current.get("$ref").and_then(Value::as_str) {
            Some(next) if is_foreign(next) => current = doc.pointer(next.strip_prefix('#')?)?,
            _ => return Some(current),
        }
    }
    None
}
