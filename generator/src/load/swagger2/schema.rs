//! Schema Objects and `$ref`s. A 2.0 schema is almost a 3.0 one: only the vendor
//! `x-nullable`, the string `discriminator`, `type: file` and the places `$ref`s point
//! to change. The shape is kept, so pointers inside a schema need no translation.

use super::Cx;
use crate::error::Pointer;
use serde_json::{Map, Value, json};

/// `definitions` → `components.schemas`.
pub(super) fn schemas(cx: &mut Cx<'_>, value: &Value, at: &Pointer) -> Value {
    let Some(definitions) = value.as_object() else {
        cx.warn(at, "`definitions` is not an object: left out");
        return Value::Object(Map::new());
    };
    Value::Object(
        definitions
            .iter()
            .map(|(name, definition)| (name.clone(), schema(cx, definition, &at.join(name))))
            .collect(),
    )
}

/// The 3.0 form of the schema at `at`.
pub(super) fn schema(cx: &mut Cx<'_>, value: &Value, at: &Pointer) -> Value {
    let Some(object) = value.as_object() else {
        // Not a schema; `openapiv3` reports it (at the original place).
        return value.clone();
    };
    let mut out = Map::new();
    let mut nullable = None;
    for (key, value) in object {
        let here = at.join(key);
        match key.as_str() {
            "$ref" => {
                let converted = match value.as_str() {
                    Some(reference) => Value::String(reference_to(reference)),
                    None => value.clone(),
                };
                out.insert(key.clone(), converted);
            }
            "x-nullable" => match value {
                Value::Bool(b) => nullable = Some(*b),
                _ => cx.warn(&here, "`x-nullable` is not a boolean: left out"),
            },
            "discriminator" => {
                let converted = match value {
                    Value::String(property) => json!({ "propertyName": property }),
                    other => other.clone(),
                };
                out.insert(key.clone(), converted);
            }
            "type" => {
                if let Some(types) = value.as_array() {
                    let (single, null) = type_list(types);
                    match single {
                        Some(single) => {
                            out.insert(key.clone(), Value::String(single.to_owned()));
                        }
                        None => cx.warn(
                            &here,
                            "a list of types is not Swagger 2.0 and not OpenAPI 3.0: the schema accepts any type",
                        ),
                    }
                    if null {
                        nullable = Some(true);
                    }
                } else {
                    out.insert(key.clone(), value.clone());
                }
            }
            "items" => {
                let converted = match value {
                    Value::Array(list) => items_list(cx, list, &here),
                    other => schema(cx, other, &here),
                };
                out.insert(key.clone(), converted);
            }
            "properties" => {
                let converted = properties(cx, value, &here, &mut out);
                out.insert(key.clone(), converted);
            }
            "additionalProperties" | "not" => {
                out.insert(key.clone(), schema(cx, value, &here));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let converted = match value {
                    Value::Array(list) => Value::Array(
                        list.iter()
                            .enumerate()
                            .map(|(i, item)| schema(cx, item, &here.join(i)))
                            .collect(),
                    ),
                    other => other.clone(),
                };
                out.insert(key.clone(), converted);
            }
            "required" => match value {
                Value::Array(names) => {
                    for name in names.iter().filter_map(Value::as_str) {
                        add_required(&mut out, name);
                    }
                }
                // Handled by the parent's `properties` (a common mistake, see there).
                Value::Bool(_) => {}
                other => {
                    out.insert(key.clone(), other.clone());
                }
            },
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if object.get("type").and_then(Value::as_str) == Some("file") {
        out.insert("type".into(), "string".into());
        out.insert("format".into(), "binary".into());
    }
    match nullable {
        Some(true) if out.contains_key("$ref") => {
            // 3.0 ignores keywords next to `$ref`: a nullable reference is an `allOf`.
            let reference = out.remove("$ref").unwrap_or(Value::Null);
            let mut wrapper = Map::new();
            wrapper.insert("allOf".into(), json!([{ "$ref": reference }]));
            wrapper.insert("nullable".into(), Value::Bool(true));
            for key in ["description", "title", "readOnly", "example", "default"] {
                if let Some(value) = out.remove(key) {
                    wrapper.insert(key.into(), value);
                }
            }
            Value::Object(wrapper)
        }
        Some(flag) => {
            out.insert("nullable".into(), Value::Bool(flag));
            Value::Object(out)
        }
        None => Value::Object(out),
    }
}

/// The properties of an object schema. A `required: true` inside a property (not 2.0,
/// but common) is moved to the parent's `required` list, which is what it means.
fn properties(
    cx: &mut Cx<'_>,
    value: &Value,
    at: &Pointer,
    parent: &mut Map<String, Value>,
) -> Value {
    let Some(properties) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for (name, property) in properties {
        let here = at.join(name);
        if let Some(required) = property.get("required").and_then(Value::as_bool) {
            cx.warn(
                &here.join("required"),
                "`required` belongs in the parent's list of property names: moved there",
            );
            if required {
                add_required(parent, name);
            }
        }
        out.insert(name.clone(), schema(cx, property, &here));
    }
    Value::Object(out)
}

fn add_required(parent: &mut Map<String, Value>, name: &str) {
    let list = parent
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = list
        && !list.iter().any(|n| n.as_str() == Some(name))
    {
        list.push(Value::String(name.to_owned()));
    }
}

/// `items` given as a list (JSON Schema's tuple form, which neither version allows).
fn items_list(cx: &mut Cx<'_>, list: &[Value], at: &Pointer) -> Value {
    match list {
        [] => Value::Object(Map::new()),
        [only] => schema(cx, only, &at.join(0)),
        _ => {
            cx.warn(
                at,
                "a list of item schemas (a tuple) is not supported: any of them is accepted at each position",
            );
            let any: Vec<Value> = list
                .iter()
                .enumerate()
                .map(|(i, item)| schema(cx, item, &at.join(i)))
                .collect();
            json!({ "anyOf": any })
        }
    }
}

/// The one non-null type of a type list, and whether `null` is in it.
fn type_list(types: &[Value]) -> (Option<&str>, bool) {
    let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    let null = names.contains(&"null");
    let others: Vec<&str> = names.into_iter().filter(|t| *t != "null").collect();
    match others.as_slice() {
        [one] => (Some(one), null),
        _ => (None, null),
    }
}

/// A `$ref` into the 2.0 layout, pointed at the same thing in the 3.0 layout.
pub(super) fn reference_to(reference: &str) -> String {
    const MOVES: [(&str, &str); 4] = [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
        ("#/securityDefinitions/", "#/components/securitySchemes/"),
    ];
    for (from, to) in MOVES {
        if let Some(rest) = reference.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    reference.to_owned()
}
