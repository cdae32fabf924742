//! Operations: what OpenAPI 3.2 adds to path items and the 3.0 model cannot carry.
//!
//! The `query` operation (the QUERY method) and `additionalOperations` (methods outside
//! the fixed list, such as `COPY`) stay in place while the other steps rewrite their
//! schemas and references, then [`take_extra`] takes them out of `paths`, to be read
//! beside the 3.0 model (see [`crate::load::ExtraOperation`]). `querystring` parameters
//! become `query` ones, their pointers noted ([`mark_querystrings`]), and 3.1's
//! optional `responses` is filled in.

use super::Notes;
use super::walk::METHODS;
use crate::error::Pointer;
use serde_json::{Map, Value};

/// An operation taken out of a path item by [`take_extra`], not yet deserialized.
#[derive(Debug)]
pub(in crate::load) struct Taken {
    pub path: String,
    pub method: String,
    pub pointer: Pointer,
    pub value: Value,
}

/// Fills in what 3.0 requires (`responses`) in every operation of every path item (of
/// `paths`, `webhooks` and `components.pathItems`).
pub(super) fn prepare(doc: &mut Value) {
    for_path_items(doc, &mut |item, at| path_item(item, at));
}

/// Takes the `query` operation and the `additionalOperations` out of every path item of
/// `paths` (the others are no client's operations), into `notes.taken`. An additional
/// method that is not an HTTP token, or that is one of the fixed ones (which the
/// specification keeps out of `additionalOperations`), is left out with a warning.
pub(super) fn take_extra(doc: &mut Value, notes: &mut Notes) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let at = Pointer::root().join("paths");
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let item_at = at.join(path);
        if let Some(value) = item.remove("query") {
            notes.taken.push(Taken {
                path: path.clone(),
                method: "QUERY".to_owned(),
                pointer: item_at.join("query"),
                value,
            });
        }
        let Some(Value::Object(more)) = item.remove("additionalOperations") else {
            continue;
        };
        let more_at = item_at.join("additionalOperations");
        for (method, value) in more {
            let pointer = more_at.join(&method);
            if method.starts_with("x-") {
                continue;
            }
            if let Some(problem) = unusable_method(&method) {
                notes.warn(&pointer, format!("{problem}: this operation is left out"));
                continue;
            }
            notes.taken.push(Taken {
                path: path.clone(),
                method,
                pointer,
                value,
            });
        }
    }
}

/// Why `method`, a key of `additionalOperations`, cannot be an operation's method.
fn unusable_method(method: &str) -> Option<String> {
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Some(format!(
            "'{}' is not an HTTP method name (a token: letters, digits and !#$%&'*+-.^_`|~)",
            method.escape_debug()
        ));
    }
    let fixed = METHODS.iter().find(|m| m.eq_ignore_ascii_case(method))?;
    Some(format!(
        "{method} is one of the methods with a field of their own, which OpenAPI 3.2 keeps out of additionalOperations (write it under `{fixed}`)"
    ))
}

/// RFC 9110's `tchar`: what an HTTP method name is made of.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn for_path_items(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &Pointer)) {
    let root = Pointer::root();
    let sections: [(&[&str], Pointer); 3] = [
        (&["paths"], root.join("paths")),
        (&["webhooks"], root.join("webhooks")),
        (
            &["components", "pathItems"],
            root.join("components").join("pathItems"),
        ),
    ];
    for (keys, at) in sections {
        let section = keys.iter().try_fold(&mut *doc, |v, k| v.get_mut(*k));
        let Some(Value::Object(items)) = section else {
            continue;
        };
        for (key, item) in items.iter_mut() {
            if let Value::Object(item) = item {
                f(item, &at.join(key));
            }
        }
    }
}

fn path_item(item: &mut Map<String, Value>, at: &Pointer) {
    for (operation, _) in operations(item, at) {
        if let Value::Object(operation) = operation {
            // 3.1 made `responses` optional; 3.0 requires it (an operation that says
            // nothing about its answer gets none decoded).
            operation
                .entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
}

/// The operations of a path item, with their pointers: the fixed methods, `query`, and
/// the entries of `additionalOperations`.
fn operations<'v>(item: &'v mut Map<String, Value>, at: &Pointer) -> Vec<(&'v mut Value, Pointer)> {
    let mut operations = Vec::new();
    let more_at = at.join("additionalOperations");
    for (key, value) in item.iter_mut() {
        if METHODS.contains(&key.as_str()) {
            operations.push((value, at.join(key)));
        } else if key == "additionalOperations"
            && let Value::Object(more) = value
        {
            operations.extend(
                more.iter_mut()
                    .filter(|(method, _)| !method.starts_with("x-"))
                    .map(|(method, op)| (op, more_at.join(method))),
            );
        }
    }
    operations
}

/// Rewrites every `querystring` parameter (the whole query as one value, which 3.0 has no
/// location for) of `paths` and `components.parameters` into an `in: query` one that
/// `openapiv3` reads (its `content` kept), and records its pointer in
/// `notes.querystring`, for the lowering to tell it apart. Runs once path items are
/// inlined, before [`take_extra`], so the pointers are those the lowering computes.
pub(super) fn mark_querystrings(doc: &mut Value, notes: &mut Notes) {
    let root = Pointer::root();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        let at = root.join("paths");
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_at = at.join(path);
            mark_list(item, &item_at, notes);
            for (operation, at) in operations(item, &item_at) {
                if let Value::Object(operation) = operation {
                    mark_list(operation, &at, notes);
                }
            }
        }
    }
    let components = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"));
    if let Some(Value::Object(parameters)) = components {
        let at = root.join("components").join("parameters");
        for (name, parameter) in parameters.iter_mut() {
            mark(parameter, &at.join(name), notes);
        }
    }
}

/// The `parameters` list of `holder` (a path item or an operation).
fn mark_list(holder: &mut Map<String, Value>, at: &Pointer, notes: &mut Notes) {
    if let Some(Value::Array(parameters)) = holder.get_mut("parameters") {
        let at = at.join("parameters");
        for (i, parameter) in parameters.iter_mut().enumerate() {
            mark(parameter, &at.join(i), notes);
        }
    }
}

fn mark(parameter: &mut Value, at: &Pointer, notes: &mut Notes) {
    if let Some(location) = parameter.get_mut("in")
        && location.as_str() == Some("querystring")
    {
        *location = Value::String("query".to_owned());
        notes.querystring.push(at.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additional_methods_must_be_tokens_and_not_fixed_ones() {
        assert_eq!(unusable_method("COPY"), None);
        assert_eq!(unusable_method("M-SEARCH"), None);
        assert_eq!(unusable_method("copy"), None);
        for bad in ["", "CO PY", "LINK/1", "ÜBER", "A\u{0}"] {
            assert!(
                unusable_method(bad).is_some_and(|m| m.contains("not an HTTP method name")),
                "{bad:?}"
            );
        }
        for fixed in ["get", "POST", "Query", "TRACE"] {
            assert!(
                unusable_method(fixed).is_some_and(|m| m.contains("a field of their own")),
                "{fixed}"
            );
        }
    }
}
