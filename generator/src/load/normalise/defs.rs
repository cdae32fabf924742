//! `$defs` (JSON Schema's local definitions; `definitions` in older drafts) hoisted into `#/components/schemas`, where
//! 3.0 keeps every named schema, and every `$ref` into them rewritten.
//!
//! A definition keeps its own name when no component has it yet, else it is prefixed with
//! the component it was defined in (`Pet_Tag`), else numbered: first come, first served,
//! in document order, so the names are the same on every run.
//!
//! `#/$defs/X` is read as the document's own `$defs` when it has them, else as the `$defs`
//! of the component schema the reference sits in (what a JSON Schema pasted into a
//! document means by it).

use super::Notes;
use super::schema::for_each_subschema;
use crate::error::{Error, Pointer, Result};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn hoist(doc: &mut Value, notes: &mut Notes) -> Result<()> {
    let mut found: Vec<(Pointer, Option<String>, Value)> = Vec::new();
    let root = Pointer::root();
    if let Some(defs) = doc.as_object_mut().and_then(|d| d.remove("$defs")) {
        take_defs(defs, &root.join("$defs"), None, &mut found)?;
    }
    let base = root.join("components").join("schemas");
    let mut taken: BTreeSet<String> = BTreeSet::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        taken.extend(schemas.keys().cloned());
        for (name, schema) in schemas.iter_mut() {
            extract(schema, &base.join(name), name, &mut found)?;
        }
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut targets = Vec::new();
    foreign_targets(doc, &mut seen, &mut targets);
    for reference in targets {
        if let Some(schema) =
            Pointer::from_ref(&reference).and_then(|p| doc.pointer(&p.as_str()[1..]).cloned())
        {
            let pointer = Pointer::from_ref(&reference).unwrap_or_else(Pointer::root);
            found.push((pointer, None, schema));
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    // Old pointer → new name.
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut hoisted = Vec::new();
    for (pointer, owner, schema) in found {
        let own = own_name(&pointer);
        let mut name = own.clone();
        if taken.contains(&name)
            && let Some(owner) = &owner
        {
            name = format!("{owner}_{own}");
        }
        let stem = name.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{stem}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        notes.moved.push((base.join(&name), pointer.clone()));
        renamed.insert(pointer.as_str().to_owned(), name.clone());
        hoisted.push((name, schema));
    }
    let document_defs: BTreeSet<String> = renamed
        .keys()
        .filter(|p| p.starts_with("#/$defs/"))
        .cloned()
        .collect();
    let rewrite = Rewrite {
        renamed: &renamed,
        document_defs: &document_defs,
    };
    if let Value::Object(top) = doc {
        for (key, value) in top.iter_mut() {
            match (key.as_str(), value) {
                ("components", Value::Object(components)) => {
                    for (key, section) in components.iter_mut() {
                        match (key.as_str(), section) {
                            ("schemas", Value::Object(schemas)) => {
                                for (name, schema) in schemas.iter_mut() {
                                    rewrite_refs(schema, &rewrite, Some(name));
                                }
                            }
                            (_, section) => rewrite_refs(section, &rewrite, None),
                        }
                    }
                }
                (_, value) => rewrite_refs(value, &rewrite, None),
            }
        }
    }
    for (name, schema) in &mut hoisted {
        rewrite_refs(schema, &rewrite, owner_of(&renamed, name).as_deref());
    }
    let components = doc
        .as_object_mut()
        .ok_or_else(|| Error::invalid(&root, "the document is not an object"))?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else {
        return Err(Error::invalid(
            &root.join("components"),
            "expected an object",
        ));
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(schemas) = schemas else {
        return Err(Error::invalid(&base, "expected an object"));
    };
    schemas.extend(hoisted);
    Ok(())
}

/// The name a moved schema suggests: a definition's own, or the words of a schema's
/// place (`#/components/parameters/companyId/schema` → `companyId`).
fn own_name(pointer: &Pointer) -> String {
    let segments: Vec<String> = pointer.segments().collect();
    if segments.len() >= 2
        && matches!(
            segments[segments.len() - 2].as_str(),
            "$defs" | "definitions"
        )
    {
        return segments[segments.len() - 1].clone();
    }
    let words: Vec<&str> = segments
        .iter()
        .map(|s| s.trim_matches('/'))
        .filter(|s| {
            !s.is_empty()
                && !s.contains('/')
                && !matches!(
                    *s,
                    "components"
                        | "parameters"
                        | "responses"
                        | "headers"
                        | "requestBodies"
                        | "paths"
                        | "content"
                        | "schema"
                        | "itemSchema"
                        | "properties"
                        | "items"
                )
        })
        .collect();
    if words.is_empty() {
        "Schema".to_owned()
    } else {
        words.join("_")
    }
}

/// References from schemas to schemas that are neither components nor definitions (the
/// `schema` of a parameter, say; 3.1 lets a `$ref` point anywhere), in document order.
fn foreign_targets(value: &Value, seen: &mut BTreeSet<String>, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && is_foreign_schema(reference)
                && seen.insert(reference.clone())
            {
                out.push(reference.clone());
            }
            for child in map.values() {
                foreign_targets(child, seen, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                foreign_targets(item, seen, out);
            }
        }
        _ => {}
    }
}

fn is_foreign_schema(reference: &str) -> bool {
    reference.starts_with("#/")
        && !reference.starts_with("#/components/schemas/")
        && !reference.starts_with("#/$defs/")
        && Pointer::from_ref(reference)
            .is_some_and(|p| p.segments().any(|s| s == "schema" || s == "itemSchema"))
}

/// The component a hoisted schema was defined in (for its `#/$defs/X` references).
fn owner_of(renamed: &BTreeMap<String, String>, name: &str) -> Option<String> {
    let old = renamed.iter().find(|(_, new)| *new == name)?.0;
    let pointer = Pointer::from_ref(old)?;
    let mut segments = pointer.segments();
    (segments.next()? == "components" && segments.next()? == "schemas").then(|| segments.next())?
}

/// Moves the `$defs` found anywhere in `schema` (a component named `owner`) into `found`.
fn extract(
    schema: &mut Value,
    at: &Pointer,
    owner: &str,
    found: &mut Vec<(Pointer, Option<String>, Value)>,
) -> Result<()> {
    let Value::Object(map) = schema else {
        return Ok(());
    };
    // `definitions` is the older spelling (draft 7 and before), still written.
    for key in ["$defs", "definitions"] {
        if let Some(defs) = map.remove(key) {
            take_defs(defs, &at.join(key), Some(owner), found)?;
        }
    }
    for_each_subschema(map, at, &mut |child, at| extract(child, at, owner, found))
}

fn take_defs(
    defs: Value,
    at: &Pointer,
    owner: Option<&str>,
    found: &mut Vec<(Pointer, Option<String>, Value)>,
) -> Result<()> {
    let Value::Object(defs) = defs else {
        return Err(Error::invalid(at, "$defs must be an object of schemas"));
    };
    for (name, mut schema) in defs {
        let here = at.join(&name);
        let mut inner = Vec::new();
        extract(&mut schema, &here, owner.unwrap_or(&name), &mut inner)?;
        found.push((here, owner.map(str::to_owned), schema));
        found.extend(inner);
    }
    Ok(())
}

struct Rewrite<'r> {
    renamed: &'r BTreeMap<String, String>,
    document_defs: &'r BTreeSet<String>,
}

impl Rewrite<'_> {
    /// The new target of `reference` written inside component `owner`, if it moved.
    fn target(&self, reference: &str, owner: Option<&str>) -> Option<String> {
        let mut candidates = vec![reference.to_owned()];
        if let (Some(rest), Some(owner)) = (reference.strip_prefix("#/$defs/"), owner)
            && !self
                .document_defs
                .iter()
                .any(|d| reference == d || reference.starts_with(&format!("{d}/")))
        {
            let escaped = Pointer::root()
                .join("components")
                .join("schemas")
                .join(owner);
            candidates.push(format!("{escaped}/$defs/{rest}"));
        }
        for candidate in candidates {
            // The longest moved prefix wins (a definition inside a definition).
            let best = self
                .renamed
                .iter()
                .filter(|(old, _)| {
                    candidate == **old
                        || candidate
                            .strip_prefix(old.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                })
                .max_by_key(|(old, _)| old.len());
            if let Some((old, new)) = best {
                let rest = &candidate[old.len()..];
                let base = Pointer::root().join("components").join("schemas").join(new);
                return Some(format!("{base}{rest}"));
            }
        }
        None
    }
}

/// Rewrites every `$ref` under `value`; `owner` is the component schema it sits in.
fn rewrite_refs(value: &mut Value, rewrite: &Rewrite<'_>, owner: Option<&str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(new) = rewrite.target(reference, owner)
            {
                *reference = new;
            }
            for child in map.values_mut() {
                rewrite_refs(child, rewrite, owner);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, rewrite, owner);
            }
        }
        _ => {}
    }
}
