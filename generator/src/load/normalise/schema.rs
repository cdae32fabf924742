//! One JSON Schema 2020-12 schema (OpenAPI 3.1/3.2) rewritten into the OpenAPI 3.0 schema
//! dialect, in place, and then its subschemas.
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | `$ref` with annotations beside it | `allOf: [{$ref}]` with the annotations (so a description overrides) |
//! | `$ref` with constraints beside it | `allOf: [{$ref}, {constraints}]` |
//! | `const: v` | `enum: [v]` (typed after `v` when no `type` is given) |
//! | `type: [t, "null"]` | `type: t, nullable: true` |
//! | `type: [t, u]` | `oneOf: [{type: t, …}, {type: u, …}]`, each with its own keywords |
//! | `oneOf`/`anyOf` with a `{type: "null"}` alternative | without it, `nullable: true` |
//! | `examples: [e, …]` | `example: e` |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (and the maximum alike) |
//! | `contentEncoding: base64` | `format: base64` |
//! | `contentMediaType: image/png` | `format: binary` |
//! | `prefixItems` | `items` (any of the tuple's members; warned) |

use super::Notes;
use crate::error::{Error, Pointer, Result};
use serde_json::{Map, Value, json};

/// Deeper than this, a document is refused (parsers cap nesting lower still).
const MAX_DEPTH: usize = 512;

/// Keywords that describe without constraining: they stay beside a `$ref` when it is
/// wrapped, and on top of the alternatives a type list is split into.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "summary",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "nullable",
    "$comment",
    "$id",
    "$schema",
    "$anchor",
];

/// The keywords that apply to one JSON type, which follow it into its alternative when
/// a type list is split.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "format",
            "contentMediaType",
            "contentEncoding",
        ],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
            "propertyNames",
            "unevaluatedProperties",
            "dependentRequired",
            "dependentSchemas",
            "discriminator",
        ],
        _ => &[],
    }
}

/// Rewrites the schema at `at` and everything under it.
pub(super) fn normalise(value: &mut Value, at: &Pointer, notes: &mut Notes) -> Result<()> {
    normalise_at(value, at, notes, 0)
}

fn normalise_at(value: &mut Value, at: &Pointer, notes: &mut Notes, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::invalid(
            at,
            format!("schema nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    match value {
        Value::Bool(true) => *value = json!({}),
        Value::Bool(false) => *value = json!({ "not": {} }),
        _ => {}
    }
    let Value::Object(map) = value else {
        // Not a schema: the typed parse that follows names the pointer.
        return Ok(());
    };
    wrap_ref_siblings(map);
    constant(map);
    types(map, at, notes);
    null_alternatives(map);
    examples(map);
    exclusive_bound(map, "exclusiveMinimum", "minimum");
    exclusive_bound(map, "exclusiveMaximum", "maximum");
    content(map);
    prefix_items(map, at, notes);
    for_each_subschema(map, at, &mut |child, at| {
        normalise_at(child, at, notes, depth + 1)
    })
}

/// Calls `f` on every direct subschema of a schema (`properties`, `items`, `allOf`, …).
pub(super) fn for_each_subschema(
    map: &mut Map<String, Value>,
    at: &Pointer,
    f: &mut dyn FnMut(&mut Value, &Pointer) -> Result<()>,
) -> Result<()> {
    for (key, child) in map.iter_mut() {
        let here = at.join(key);
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Value::Object(entries) = child {
                    for (name, schema) in entries.iter_mut() {
                        f(schema, &here.join(name))?;
                    }
                }
            }
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                if let Value::Array(items) = child {
                    for (i, schema) in items.iter_mut().enumerate() {
                        f(schema, &here.join(i))?;
                    }
                }
            }
            "items" | "not" | "contains" | "if" | "then" | "else" | "propertyNames"
            | "additionalItems" | "unevaluatedItems" => f(child, &here)?,
            // `true`/`false` mean the same here in 3.0.
            "additionalProperties" | "unevaluatedProperties" if child.is_object() => {
                f(child, &here)?
            }
            _ => {}
        }
    }
    Ok(())
}

/// `{$ref, description}` → `{allOf: [{$ref}], description}`: 3.0 ignores what sits
/// beside a `$ref`, 3.1 applies it.
fn wrap_ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let mut constraints = Map::new();
    for (key, value) in std::mem::take(map) {
        if ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-") {
            map.insert(key, value);
        } else {
            constraints.insert(key, value);
        }
    }
    // `summary` is no schema keyword; it stands in for a missing description.
    if let Some(summary) = map.remove("summary")
        && !map.contains_key("description")
    {
        map.insert("description".to_owned(), summary);
    }
    let mut parts = vec![json!({ "$ref": reference })];
    // `required` beside a `$ref` adds to the referenced object's required members, which
    // an `allOf` part does only as an object.
    if !constraints.contains_key("type")
        && keywords_of("object")
            .iter()
            .any(|k| constraints.contains_key(*k))
    {
        constraints.insert("type".to_owned(), json!("object"));
    }
    if !constraints.is_empty() {
        parts.push(Value::Object(constraints));
    }
    map.insert("allOf".to_owned(), Value::Array(parts));
}

/// `const: v` → `enum: [v]`, with the type `v` has when none is given.
fn constant(map: &mut Map<String, Value>) {
    let Some(value) = map.remove("const") else {
        return;
    };
    if value.is_null() {
        map.insert("nullable".to_owned(), Value::Bool(true));
        return;
    }
    if !map.contains_key("type") {
        let ty = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let Some(ty) = ty {
            map.insert("type".to_owned(), Value::String(ty.to_owned()));
        }
    }
    map.insert("enum".to_owned(), Value::Array(vec![value]));
}

/// `type` lists: `"null"` becomes `nullable`, one type is that type, several become a
/// `oneOf` with one alternative per type.
fn types(map: &mut Map<String, Value>, at: &Pointer, notes: &mut Notes) {
    let mut names: Vec<String> = match map.get("type") {
        // Only null.
        Some(Value::String(ty)) if ty == "null" => vec![ty.clone()],
        Some(Value::String(_)) | None => return,
        Some(Value::Array(list)) => {
            let mut names: Vec<String> = Vec::new();
            for name in list.iter().filter_map(Value::as_str) {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
            names
        }
        Some(_) => {
            map.remove("type");
            notes.warn(
                &at.join("type"),
                "`type` must be a string or a list of strings: it is left out",
            );
            return;
        }
    };
    if let Some(i) = names.iter().position(|n| n == "null") {
        names.remove(i);
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    // Every integer is a number.
    if names.iter().any(|n| n == "number") {
        names.retain(|n| n != "integer");
    }
    match names.as_slice() {
        [] => {
            map.remove("type");
        }
        [one] => {
            map.insert("type".to_owned(), Value::String(one.clone()));
        }
        _ if ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| map.contains_key(*k)) =>
        {
            map.remove("type");
            notes.warn(
                &at.join("type"),
                "a list of types beside oneOf/anyOf/allOf: the list is left out",
            );
        }
        _ => split_types(map, &names),
    }
}

/// `{type: [string, integer], minLength: 1}` → `{oneOf: [{type: string, minLength: 1},
/// {type: integer}]}`; annotations stay on top.
fn split_types(map: &mut Map<String, Value>, names: &[String]) {
    map.remove("type");
    let enumeration = map.remove("enum");
    let mut alternatives = Vec::new();
    for name in names {
        let mut alternative = Map::new();
        alternative.insert("type".to_owned(), Value::String(name.clone()));
        for key in keywords_of(name) {
            if let Some(value) = map.get(*key) {
                alternative.insert((*key).to_owned(), value.clone());
            }
        }
        if let Some(Value::Array(values)) = &enumeration {
            let own: Vec<Value> = values
                .iter()
                .filter(|v| is_of_type(v, name))
                .cloned()
                .collect();
            if !own.is_empty() {
                alternative.insert("enum".to_owned(), Value::Array(own));
            }
        }
        alternatives.push(Value::Object(alternative));
    }
    for name in names {
        for key in keywords_of(name) {
            map.remove(*key);
        }
    }
    map.insert("oneOf".to_owned(), Value::Array(alternatives));
}

fn is_of_type(value: &Value, ty: &str) -> bool {
    match (value, ty) {
        (Value::String(_), "string") | (Value::Bool(_), "boolean") => true,
        (Value::Number(n), "integer") => n.is_i64() || n.is_u64(),
        (Value::Number(_), "number") => true,
        (Value::Array(_), "array") | (Value::Object(_), "object") => true,
        _ => false,
    }
}

/// A schema that accepts only `null`.
fn is_null_only(value: &Value) -> bool {
    let Value::Object(map) = value else {
        return false;
    };
    let only_null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => list.len() == 1 && list[0] == "null",
        _ => false,
    };
    let only_null_value = map.get("const").is_some_and(Value::is_null)
        || matches!(map.get("enum"), Some(Value::Array(values)) if values.len() == 1 && values[0].is_null());
    (only_null_type || only_null_value)
        && map.keys().all(|k| {
            matches!(k.as_str(), "type" | "const" | "enum") || ANNOTATIONS.contains(&k.as_str())
        })
}

/// `anyOf: [X, {type: "null"}]` → `anyOf: [X], nullable: true`, the way 3.0 says it.
fn null_alternatives(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = map.get_mut(key) else {
            continue;
        };
        let before = alternatives.len();
        alternatives.retain(|a| !is_null_only(a));
        if alternatives.len() == before {
            continue;
        }
        if alternatives.is_empty() {
            map.remove(key);
        }
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
}

/// `examples: [e, …]` → `example: e` (3.0 schemas have one example).
fn examples(map: &mut Map<String, Value>) {
    let Some(examples) = map.remove("examples") else {
        return;
    };
    if let Value::Array(list) = examples
        && let Some(first) = list.into_iter().next()
        && !map.contains_key("example")
    {
        map.insert("example".to_owned(), first);
    }
}

/// `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true`.
fn exclusive_bound(map: &mut Map<String, Value>, exclusive: &str, inclusive: &str) {
    let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
        return;
    };
    map.insert(inclusive.to_owned(), Value::Number(bound));
    map.insert(exclusive.to_owned(), Value::Bool(true));
}

/// `contentEncoding`/`contentMediaType` describe strings that carry bytes.
fn content(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if encoding.is_none() && media.is_none() {
        return;
    }
    if !map.contains_key("type") {
        map.insert("type".to_owned(), json!("string"));
    }
    if map.contains_key("format") {
        return;
    }
    let format = match (&encoding, &media) {
        (Some(Value::String(encoding)), _) => encoding.clone(),
        (None, Some(Value::String(media))) if !is_json_media(media) => "binary".to_owned(),
        _ => return,
    };
    map.insert("format".to_owned(), Value::String(format));
}

fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence.starts_with("text/")
}

/// `prefixItems` (a tuple) → `items` that accept any of its members (3.0 has no tuples).
fn prefix_items(map: &mut Map<String, Value>, at: &Pointer, notes: &mut Notes) {
    // Draft 4 wrote tuples as a list under `items`.
    let (prefix, pointer) = match (map.remove("prefixItems"), map.get("items")) {
        (Some(Value::Array(prefix)), _) => (prefix, at.join("prefixItems")),
        (_, Some(Value::Array(_))) => match map.remove("items") {
            Some(Value::Array(prefix)) => (prefix, at.join("items")),
            _ => return,
        },
        _ => return,
    };
    if let Some(count) = closed_tuple(map, prefix.len())
        && prefix.iter().all(is_scalar)
    {
        // Exactly `count` items, each of its own schema: a Rust tuple. The members go
        // into `items` in order, for the lowering to read one by one.
        map.remove("items");
        map.insert("items".to_owned(), json!({ "oneOf": prefix }));
        map.insert(crate::load::TUPLE.to_owned(), json!(count));
        if !map.contains_key("type") {
            map.insert("type".to_owned(), json!("array"));
        }
        return;
    }
    let mut members: Vec<Value> = Vec::new();
    let rest = map
        .remove("items")
        .filter(|rest| rest != &Value::Bool(false));
    for member in prefix.into_iter().chain(rest) {
        if !members.contains(&member) {
            members.push(member);
        }
    }
    let items = match members.len() {
        0 => json!({}),
        1 => members.remove(0),
        _ => json!({ "oneOf": members }),
    };
    map.insert("items".to_owned(), items);
    if !map.contains_key("type") {
        map.insert("type".to_owned(), json!("array"));
    }
    notes.warn(
        &pointer,
        "a tuple whose length is not fixed or whose members are not all scalars (a Rust tuple needs prefixItems of strings, numbers or booleans with minItems and maxItems of its length): read as a list whose items are any of its members",
    );
}

/// A schema of one scalar type (string, integer, number, boolean) and no more: tuples
/// of those become Rust tuples, which then never hold a type that holds them, nor one
/// without `Default`.
fn is_scalar(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let scalar = matches!(
        map.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    );
    let named = [
        "$ref", "enum", "const", "oneOf", "anyOf", "allOf", "nullable",
    ]
    .iter()
    .any(|key| map.contains_key(*key));
    scalar && !named
}

/// The length of a tuple of `len` members that has exactly those: no more items
/// (`items: false`, or `maxItems` of its length) and no fewer (`minItems` of its length),
/// as pydantic writes `Tuple[int, str]`. A tuple of one member stays a list.
fn closed_tuple(map: &Map<String, Value>, len: usize) -> Option<usize> {
    let count = |key: &str| map.get(key).and_then(Value::as_u64);
    let no_more =
        map.get("items") == Some(&Value::Bool(false)) || count("maxItems") == Some(len as u64);
    let exact = count("minItems") == Some(len as u64);
    (len >= 2 && no_more && exact).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(schema: Value) -> (Value, Vec<String>) {
        let mut schema = schema;
        let mut notes = Notes::default();
        normalise(&mut schema, &Pointer::root().join("s"), &mut notes).unwrap();
        (
            schema,
            notes.warnings.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn type_lists() {
        assert_eq!(
            normalised(json!({"type": ["string", "null"], "maxLength": 3})).0,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            normalised(json!({"type": ["integer", "number"]})).0,
            json!({"type": "number"})
        );
        assert_eq!(
            normalised(json!({"type": ["string", "integer"], "minLength": 1, "minimum": 0, "enum": ["a", 1], "description": "d"})).0,
            json!({"description": "d", "oneOf": [
                {"type": "string", "minLength": 1, "enum": ["a"]},
                {"type": "integer", "minimum": 0, "enum": [1]}
            ]})
        );
        assert_eq!(
            normalised(json!({"type": "null"})).0,
            json!({"nullable": true})
        );
    }

    #[test]
    fn const_examples_bounds_and_bytes() {
        assert_eq!(
            normalised(json!({"const": "pet"})).0,
            json!({"type": "string", "enum": ["pet"]})
        );
        assert_eq!(
            normalised(json!({"type": "integer", "exclusiveMinimum": 0, "examples": [1, 2]})).0,
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0, "example": 1})
        );
        assert_eq!(
            normalised(json!({"type": "string", "contentMediaType": "image/png"})).0,
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            normalised(json!({"contentEncoding": "base64"})).0,
            json!({"type": "string", "format": "base64"})
        );
    }

    #[test]
    fn refs_with_siblings_and_null_alternatives() {
        assert_eq!(
            normalised(json!({"$ref": "#/components/schemas/A", "summary": "s"})).0,
            json!({"description": "s", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            normalised(json!({"$ref": "#/components/schemas/A", "required": ["b"]})).0,
            json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"required": ["b"], "type": "object"}]})
        );
        assert_eq!(
            normalised(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})).0,
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
    }

    #[test]
    fn subschemas_and_tuples() {
        let (schema, warnings) = normalised(json!({
            "type": "object",
            "properties": {"a": {"type": ["boolean", "null"]}, "b": true},
            "additionalProperties": false,
            "$defs": {"t": {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}}
        }));
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {"a": {"type": "boolean", "nullable": true}, "b": {}},
                "additionalProperties": false,
                "$defs": {"t": {"items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array"}}
            })
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("#/s/$defs/t/prefixItems: a tuple whose length is not fixed"),
            "{warnings:?}"
        );
    }

    #[test]
    fn fixed_tuples_of_scalars_keep_their_members_in_order() {
        let tuple = json!({
            "type": "array",
            "prefixItems": [{"type": "number"}, {"type": "number"}, {"type": "string"}],
            "minItems": 3,
            "maxItems": 3
        });
        let (schema, warnings) = normalised(tuple.clone());
        assert_eq!(
            schema,
            json!({
                "type": "array",
                "items": {"oneOf": [{"type": "number"}, {"type": "number"}, {"type": "string"}]},
                "minItems": 3,
                "maxItems": 3,
                "x-tuple": 3
            })
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        // `items: false` closes it too; a $ref member, a shorter minimum or one member
        // leave a list.
        let closed = json!({"prefixItems": [{"type": "integer"}, {"type": "boolean"}], "items": false, "minItems": 2});
        assert_eq!(normalised(closed).0["x-tuple"], 2);
        for open in [
            json!({"prefixItems": [{"$ref": "#/components/schemas/A"}, {"type": "string"}], "minItems": 2, "maxItems": 2}),
            json!({"prefixItems": [{"type": "string"}, {"type": "string"}], "minItems": 1, "maxItems": 2}),
            json!({"prefixItems": [{"type": "string"}], "minItems": 1, "maxItems": 1}),
        ] {
            let (schema, warnings) = normalised(open);
            assert!(schema.get("x-tuple").is_none(), "{schema}");
            assert_eq!(warnings.len(), 1);
        }
    }
}
