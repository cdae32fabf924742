//! A mutation fuzzer for `load` + `generate`: takes valid specs, breaks them in random
//! ways, and checks the generator answers every one with output or a clear error, never
//! a panic and never an internal error (output that is not Rust).
//!
//! Deterministic: a seed gives the same documents on every machine.

use serde_json::{Map, Value, json};

/// xorshift64*: small, fast, reproducible; no dependency needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values that are valid somewhere in an OpenAPI document, so mutations reach deep
/// into the generator instead of stopping at the first type error.
fn interesting(rng: &mut Rng, names: &[String]) -> Value {
    let name = names
        .get(rng.below(names.len()))
        .cloned()
        .unwrap_or_default();
    match rng.below(24) {
        0 => json!({"$ref": format!("#/components/schemas/{name}")}),
        1 => json!({"$ref": format!("#/components/schemas/{name}/properties/x")}),
        2 => json!({"$ref": "#/components/schemas/Missing"}),
        3 => {
            json!({"type": "object", "properties": {name.clone(): {"$ref": format!("#/components/schemas/{name}")}}})
        }
        4 => {
            json!({"oneOf": [{"type": "string"}, {"$ref": format!("#/components/schemas/{name}")}], "discriminator": {"propertyName": "kind"}})
        }
        5 => {
            json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}, {"nullable": true}]})
        }
        6 => json!({"type": "string", "enum": ["a", "A", "", "self", "1", null]}),
        7 => json!({"type": "integer", "enum": [1, -1, 9_223_372_036_854_775_807i64]}),
        8 => json!({"type": "array"}),
        9 => json!({"type": "object", "additionalProperties": {"type": "array", "items": {}}}),
        10 => json!({"not": {}}),
        11 => json!("🦀 type"),
        12 => json!(null),
        13 => json!(-1),
        14 => json!([{}]),
        // OpenAPI 3.1 (JSON Schema 2020-12) forms.
        16 => {
            json!({"type": ["string", "integer", "null"], "minLength": 1, "enum": ["a", 1, null]})
        }
        17 => json!({"const": name}),
        18 => json!(rng.below(2) == 0),
        19 => {
            json!({"prefixItems": [{"type": "string"}, {"$ref": format!("#/components/schemas/{name}")}], "items": false})
        }
        20 => {
            json!({"$ref": format!("#/components/schemas/{name}"), "description": "d", "required": ["x"]})
        }
        21 => json!({"$defs": {"D": {"type": ["object", "null"]}}, "$ref": "#/$defs/D"}),
        22 => {
            json!({"anyOf": [{"$ref": format!("#/components/schemas/{name}")}, {"type": "null"}], "examples": [1]})
        }
        23 => json!({"type": "number", "exclusiveMinimum": 1, "contentMediaType": "image/png"}),
        _ => json!({"anyOf": []}),
    }
}

const KEYWORDS: &[&str] = &[
    "match", "type", "self", "Self", "super", "crate", "async", "fn", "r#type", "", "1", "_",
];

/// Changes the shape of the document rather than a value: a schema made to refer to
/// itself or to another one (through `allOf`, `items`, `additionalProperties`, `$ref`,
/// `oneOf`), a schema, property, operationId or path renamed to a keyword, a member
/// deleted.
fn mutate_structure(doc: &mut Value, rng: &mut Rng, names: &[String]) {
    let name = |rng: &mut Rng| {
        names
            .get(rng.below(names.len()))
            .cloned()
            .unwrap_or_default()
    };
    let target = name(rng);
    let other = name(rng);
    let to = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
    match rng.below(6) {
        0 => {
            let cycle = match rng.below(6) {
                0 => {
                    json!({"allOf": [to(&other), {"type": "object", "properties": {"x": {"type": "string"}}}]})
                }
                1 => json!({"type": "array", "items": to(&other)}),
                2 => json!({"type": "object", "additionalProperties": to(&other)}),
                3 => to(&other),
                4 => json!({"oneOf": [to(&other), {"type": "string"}]}),
                _ => {
                    json!({"type": "object", "required": ["next"], "properties": {"next": to(&other)}})
                }
            };
            if let Some(schemas) = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                schemas.insert(target, cycle);
            }
        }
        1 => {
            // A component renamed to a keyword (its references now dangle or not).
            if let Some(schemas) = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
                && let Some(value) = schemas.remove(&target)
            {
                schemas.insert(rng.pick(KEYWORDS).to_string(), value);
            }
        }
        2 => {
            // Every operationId of one path becomes a keyword, or disappears.
            let keyword = rng.pick(KEYWORDS).to_string();
            let drop = rng.below(2) == 0;
            if let Some(paths) = doc.pointer_mut("/paths").and_then(Value::as_object_mut)
                && !paths.is_empty()
            {
                let i = rng.below(paths.len());
                if let Some((_, item)) = paths.iter_mut().nth(i)
                    && let Some(item) = item.as_object_mut()
                {
                    for operation in item.values_mut().filter_map(Value::as_object_mut) {
                        if drop {
                            operation.remove("operationId");
                        } else {
                            operation.insert("operationId".into(), json!(keyword));
                        }
                    }
                }
            }
        }
        3 => {
            // A path renamed: without its `/`, with a trailing `/`, or to a near twin.
            if let Some(paths) = doc.pointer_mut("/paths").and_then(Value::as_object_mut)
                && !paths.is_empty()
            {
                let key = paths
                    .keys()
                    .nth(rng.below(paths.len()))
                    .cloned()
                    .unwrap_or_default();
                if let Some(item) = paths.get(&key).cloned() {
                    let renamed = match rng.below(3) {
                        0 => key.trim_start_matches('/').to_owned(),
                        1 => format!("{key}/"),
                        _ => key.replace('/', "_").replacen('_', "/", 1),
                    };
                    paths.insert(renamed, item);
                }
            }
        }
        4 => {
            // A property renamed to a keyword.
            if let Some(properties) = doc
                .pointer_mut(&format!("/components/schemas/{target}/properties"))
                .and_then(Value::as_object_mut)
                && let Some(key) = properties.keys().next().cloned()
                && let Some(value) = properties.remove(&key)
            {
                properties.insert(rng.pick(KEYWORDS).to_string(), value);
            }
        }
        _ => {
            // A member deleted from a component schema.
            if let Some(schema) = doc
                .pointer_mut(&format!("/components/schemas/{target}"))
                .and_then(Value::as_object_mut)
                && !schema.is_empty()
            {
                let key = schema
                    .keys()
                    .nth(rng.below(schema.len()))
                    .cloned()
                    .unwrap_or_default();
                schema.remove(&key);
            }
        }
    }
}

/// Applies one random mutation somewhere in `doc`.
pub fn mutate(doc: &mut Value, rng: &mut Rng, names: &[String]) {
    if rng.below(3) == 0 {
        mutate_structure(doc, rng, names);
        return;
    }
    // Walk down read-only to pick a place, then mutate it through its pointer.
    let mut path = String::new();
    let mut node: &Value = doc;
    for _ in 0..rng.below(8) {
        let (segment, child) = match node {
            Value::Object(map) if !map.is_empty() => {
                let (key, child) = map.iter().nth(rng.below(map.len())).expect("non-empty");
                (key.replace('~', "~0").replace('/', "~1"), child)
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                (i.to_string(), &items[i])
            }
            _ => break,
        };
        path.push('/');
        path.push_str(&segment);
        node = child;
    }
    let Some(node) = doc.pointer_mut(&path) else {
        return;
    };
    match (rng.below(5), node) {
        (0, Value::Object(map)) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.below(map.len()))
                .cloned()
                .unwrap_or_default();
            map.remove(&key);
        }
        (1, Value::Object(map)) => {
            let key = rng
                .pick(&[
                    "type",
                    "$ref",
                    "required",
                    "nullable",
                    "items",
                    "properties",
                    "enum",
                    "in",
                    "style",
                    "explode",
                    "content",
                    "operationId",
                    "x-y",
                    "/a/{b}",
                    "const",
                    "prefixItems",
                    "$defs",
                    "examples",
                    "webhooks",
                    "itemSchema",
                    "additionalOperations",
                    "query",
                ])
                .to_string();
            map.insert(key, interesting(rng, names));
        }
        (2, Value::Array(items)) => items.push(interesting(rng, names)),
        (3, node) => *node = interesting(rng, names),
        (_, Value::Object(map)) => {
            // Duplicate an entry under a name that collides after case conversion.
            if let Some((key, value)) = map.iter().next().map(|(k, v)| (k.clone(), v.clone())) {
                map.insert(format!("{}_", key.to_uppercase()), value);
            }
        }
        (_, node) => *node = Value::Object(Map::new()),
    }
}

/// The component schema names of a document, for building references that resolve.
pub fn schema_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// `doc` (an OpenAPI 3.0 document) written the way OpenAPI 3.1 says the same things:
/// `nullable` as a `"null"` type, `example` as `examples`, one-value enums as `const`,
/// boolean exclusive bounds as numbers.
pub fn to_openapi31(doc: &Value) -> Value {
    fn rewrite(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("openapi").is_some_and(Value::is_string) {
                    map.insert("openapi".to_owned(), json!("3.1.0"));
                }
                if let Some(Value::String(ty)) = map.get("type").cloned() {
                    if map.remove("nullable") == Some(Value::Bool(true)) {
                        map.insert("type".to_owned(), json!([ty, "null"]));
                    }
                    if let Some(example) = map.remove("example") {
                        map.insert("examples".to_owned(), json!([example]));
                    }
                    if let Some(Value::Array(values)) = map.get("enum").cloned()
                        && values.len() == 1
                    {
                        map.remove("enum");
                        map.insert("const".to_owned(), values[0].clone());
                    }
                    for (exclusive, inclusive) in [
                        ("exclusiveMinimum", "minimum"),
                        ("exclusiveMaximum", "maximum"),
                    ] {
                        if map.get(exclusive) == Some(&Value::Bool(true))
                            && let Some(bound) = map.remove(inclusive)
                        {
                            map.insert(exclusive.to_owned(), bound);
                        }
                    }
                }
                map.values_mut().for_each(rewrite);
            }
            Value::Array(items) => items.iter_mut().for_each(rewrite),
            _ => {}
        }
    }
    let mut doc = doc.clone();
    rewrite(&mut doc);
    doc
}
