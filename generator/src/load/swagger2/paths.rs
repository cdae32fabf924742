//! Path items and operations: parameters are split into those that stay parameters and
//! those that make the request body, responses get their media types from `produces`.

use super::body::{Found, request_body};
use super::parameter::{Location, location, plain};
use super::response::responses;
use super::schema::reference_to;
use super::{Cx, media_types};
use crate::error::{Error, Pointer, Result};
use serde_json::{Map, Value};

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

pub(super) fn paths<'d>(cx: &mut Cx<'d>, value: &'d Value, at: &Pointer) -> Result<Value> {
    let Some(paths) = value.as_object() else {
        return Err(Error::invalid(at, "`paths` must be an object"));
    };
    let mut out = Map::new();
    for (path, item) in paths {
        let converted = if path.starts_with("x-") {
            item.clone()
        } else {
            path_item(cx, item, &at.join(path))?
        };
        out.insert(path.clone(), converted);
    }
    Ok(Value::Object(out))
}

fn path_item<'d>(cx: &mut Cx<'d>, value: &'d Value, at: &Pointer) -> Result<Value> {
    let Some(item) = value.as_object() else {
        return Ok(value.clone());
    };
    let shared = split(cx, item.get("parameters"), &at.join("parameters"))?;
    let mut out = Map::new();
    for (key, value) in item {
        let here = at.join(key);
        match key.as_str() {
            method if METHODS.contains(&method) => {
                out.insert(key.clone(), operation(cx, value, &here, &shared)?);
            }
            "parameters" => {
                if !shared.plain.is_empty() {
                    out.insert(key.clone(), Value::Array(shared.plain.clone()));
                }
            }
            "$ref" => {
                out.insert(key.clone(), value.clone());
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => cx.warn(
                &here,
                format!("`{key}` is not a field of a path item: left out"),
            ),
        }
    }
    Ok(Value::Object(out))
}

fn operation<'d>(
    cx: &mut Cx<'d>,
    value: &'d Value,
    at: &Pointer,
    shared: &Split<'d>,
) -> Result<Value> {
    let Some(operation) = value.as_object() else {
        return Ok(value.clone());
    };
    let own = split(cx, operation.get("parameters"), &at.join("parameters"))?;
    let consumes = match operation.get("consumes") {
        Some(list) => media_types(Some(list)),
        None => cx.consumes.clone(),
    };
    let produces = match operation.get("produces") {
        Some(list) => media_types(Some(list)),
        None => cx.produces.clone(),
    };
    let mut out = Map::new();
    for (key, value) in operation {
        let here = at.join(key);
        match key.as_str() {
            "tags" | "summary" | "description" | "externalDocs" | "operationId" | "deprecated"
            | "security" => {
                out.insert(key.clone(), value.clone());
            }
            "consumes" | "produces" => {}
            "parameters" => {
                if !own.plain.is_empty() {
                    out.insert(key.clone(), Value::Array(own.plain.clone()));
                }
            }
            "responses" => {
                let converted = responses(cx, value, &here, &here, &produces);
                out.insert(key.clone(), converted);
            }
            "schemes" => {
                if value != cx.document.get("schemes").unwrap_or(&Value::Null) {
                    cx.warn(
                        &here,
                        "schemes of one operation are not carried over: the document's servers are used",
                    );
                }
            }
            k if k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => cx.warn(
                &here,
                format!("`{key}` is not a field of an operation: left out"),
            ),
        }
    }
    // Path-level body and form parameters apply unless the operation redefines them.
    let inherited = |found: &&Found<'d>| {
        !own.keys
            .iter()
            .any(|key| Some(key) == parameter_key(found.object).as_ref())
    };
    let bodies: Vec<&Found<'d>> = own
        .bodies
        .iter()
        .chain(shared.bodies.iter().filter(inherited))
        .collect();
    let forms: Vec<&Found<'d>> = own
        .forms
        .iter()
        .chain(shared.forms.iter().filter(inherited))
        .collect();
    if let Some(body) = request_body(cx, &bodies, &forms, &consumes, at) {
        out.insert("requestBody".into(), body);
    }
    if !out.contains_key("responses") {
        cx.warn(
            at,
            "no `responses`: the operation is taken to answer with no body",
        );
        out.insert("responses".into(), Value::Object(Map::new()));
    }
    Ok(Value::Object(out))
}

/// A list of parameters, split by where each goes.
struct Split<'d> {
    /// The query, header and path parameters, converted.
    plain: Vec<Value>,
    bodies: Vec<Found<'d>>,
    forms: Vec<Found<'d>>,
    /// The name and `in` of every parameter, to tell which path-level ones an operation
    /// redefines.
    keys: Vec<(String, String)>,
}

/// Splits the parameter list at `at` (placed at the same pointer in the result, where
/// the indices of the parameters that stay can shift).
fn split<'d>(cx: &mut Cx<'d>, value: Option<&'d Value>, at: &Pointer) -> Result<Split<'d>> {
    let mut split = Split {
        plain: Vec::new(),
        bodies: Vec::new(),
        forms: Vec::new(),
        keys: Vec::new(),
    };
    let list = match value {
        None => return Ok(split),
        Some(Value::Array(list)) => list,
        Some(_) => {
            cx.warn(at, "`parameters` is not a list: left out");
            return Ok(split);
        }
    };
    for (i, parameter) in list.iter().enumerate() {
        let here = at.join(i);
        let Some(object) = parameter.as_object() else {
            split.plain.push(parameter.clone());
            continue;
        };
        let (resolved, resolved_at) = match object.get("$ref").and_then(Value::as_str) {
            Some(reference) => match cx.global(reference) {
                Some((target, pointer)) if reference.starts_with("#/parameters/") => {
                    (target, pointer)
                }
                // Unresolvable or external: kept, and reported where it is used.
                _ => {
                    cx.sources.record(&at.join(split.plain.len()), &here);
                    let mut kept = object.clone();
                    kept.insert("$ref".into(), reference_to(reference).into());
                    split.plain.push(Value::Object(kept));
                    continue;
                }
            },
            None => (object, here.clone()),
        };
        if let Some(key) = parameter_key(resolved) {
            split.keys.push(key);
        }
        match location(resolved, &resolved_at)? {
            Location::Plain if resolved_at != here => {
                // A reference to a global parameter stays a reference.
                cx.sources.record(&at.join(split.plain.len()), &here);
                let mut kept = object.clone();
                if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    kept.insert("$ref".into(), reference_to(reference).into());
                }
                split.plain.push(Value::Object(kept));
            }
            Location::Plain => {
                let target = at.join(split.plain.len());
                split.plain.push(plain(cx, resolved, &here, &target));
            }
            Location::Body => split.bodies.push(Found {
                object: resolved,
                at: resolved_at,
            }),
            Location::Form => split.forms.push(Found {
                object: resolved,
                at: resolved_at,
            }),
        }
    }
    Ok(split)
}

fn parameter_key(object: &Map<String, Value>) -> Option<(String, String)> {
    let name = object.get("name")?.as_str()?;
    let location = object.get("in")?.as_str()?;
    Some((name.to_owned(), location.to_owned()))
}
