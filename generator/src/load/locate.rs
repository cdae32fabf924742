//! Finding where a document that does not deserialize is wrong.
//!
//! `openapiv3` uses untagged enums (`ReferenceOr`) and `#[serde(flatten)]` maps (paths,
//! responses, extensions); serde loses the path inside both, so a failure is first
//! reported high up, e.g. at `#/paths`. This module re-checks the document's parts one
//! by one, each as its own type, to find the deepest part that fails.

use super::path_to_pointer;
use crate::error::Pointer;
use openapiv3::{Operation, Parameter, PathItem, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A better pointer and message for a failure first reported at `pointer`.
pub fn refine(document: &Value, pointer: Pointer, message: String) -> (Pointer, String) {
    locate(document).unwrap_or((pointer, message))
}

/// [`refine`] for an operation read on its own (`operation` is its value, pointers are
/// relative to it).
pub fn refine_operation(operation: &Value, pointer: Pointer, message: String) -> (Pointer, String) {
    locate_operation(operation, &Pointer::root()).unwrap_or((pointer, message))
}

fn locate(document: &Value) -> Option<(Pointer, String)> {
    let paths = Pointer::root().join("paths");
    for (path, _) in entries(document, &paths) {
        let item = paths.join(path);
        if let Some(found) = locate_path_item(document, &item) {
            return Some(found);
        }
    }
    let components = Pointer::root().join("components");
    let sections: [(&str, Checker); 4] = [
        ("schemas", check::<Schema>),
        ("parameters", check::<Parameter>),
        ("requestBodies", check::<RequestBody>),
        ("responses", check::<Response>),
    ];
    for (section, checker) in sections {
        let base = components.join(section);
        for (name, value) in entries(document, &base) {
            if !is_ref(value)
                && let Some(found) = checker(document, &base.join(name))
            {
                return Some(found);
            }
        }
    }
    None
}

type Checker = fn(&Value, &Pointer) -> Option<(Pointer, String)>;

fn locate_path_item(document: &Value, item: &Pointer) -> Option<(Pointer, String)> {
    let failure = check::<PathItem>(document, item)?;
    for method in METHODS {
        let operation = item.join(method);
        if lookup(document, &operation).is_some()
            && let Some(found) = locate_operation(document, &operation)
        {
            return Some(found);
        }
    }
    locate_parameters(document, &item.join("parameters")).or(Some(failure))
}

fn locate_operation(document: &Value, operation: &Pointer) -> Option<(Pointer, String)> {
    let failure = check::<Operation>(document, operation)?;
    let body = operation.join("requestBody");
    let deeper = locate_parameters(document, &operation.join("parameters"))
        .or_else(|| {
            lookup(document, &body)
                .filter(|v| !is_ref(v))
                .and_then(|_| check::<RequestBody>(document, &body))
        })
        .or_else(|| {
            let responses = operation.join("responses");
            entries(document, &responses)
                .into_iter()
                .filter(|(code, value)| !code.starts_with("x-") && !is_ref(value))
                .find_map(|(code, _)| check::<Response>(document, &responses.join(code)))
        });
    deeper.or(Some(failure))
}

fn locate_parameters(document: &Value, list: &Pointer) -> Option<(Pointer, String)> {
    let items = lookup(document, list)?.as_array()?;
    items
        .iter()
        .enumerate()
        .filter(|(_, value)| !is_ref(value))
        .find_map(|(i, _)| check::<Parameter>(document, &list.join(i)))
}

/// Deserializes the part at `at` as `T`; on failure, the full pointer and the message.
fn check<T: DeserializeOwned>(document: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let value = lookup(document, at)?;
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| {
            let inner = path_to_pointer(e.path());
            let full = inner.segments().fold(at.clone(), |p, s| p.join(s));
            (full, e.into_inner().to_string())
        })
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

/// The entries of the object at `pointer` that are not `x-` extensions.
fn entries<'v>(document: &'v Value, pointer: &Pointer) -> Vec<(&'v String, &'v Value)> {
    lookup(document, pointer)
        .and_then(Value::as_object)
        .map(|o| o.iter().filter(|(k, _)| !k.starts_with("x-")).collect())
        .unwrap_or_default()
}

fn lookup<'v>(document: &'v Value, pointer: &Pointer) -> Option<&'v Value> {
    pointer
        .segments()
        .try_fold(document, |value, segment| match value {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}
