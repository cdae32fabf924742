//! Oracle: the Postman Collection Format v2.1 in `spec/postman.yaml` has every member of
//! the format's published JSON schema (`tests/data/collection-v2.1.0.schema.json`, see
//! `tests/data/README.md`).
//!
//! Every definition of the published schema is mapped to the component of our spec that
//! models it (`DEFINITIONS`). Each pair is then walked side by side: every object of the
//! published schema (named or inline, in every `oneOf`/`anyOf` alternative) must have all
//! of its members in the matching object of our spec, with a kind of value that fits
//! (object, array, string, number, boolean, null, or any JSON where the format leaves the
//! value open). Our spec may have more members than the format (the API adds some, tools
//! write others), but it may not require a member the format leaves optional, nor drop an
//! enum value the format lists.

use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// How a definition of the published schema is modelled in our spec.
enum Model {
    /// By the named component of `components/schemas`.
    Component(&'static str),
    /// Inline where it is used (the `…-list` definitions are plain arrays in our spec).
    Inline,
}

/// Every definition of the published schema, and the component that models it.
const DEFINITIONS: &[(&str, Model)] = &[
    ("auth", Model::Component("CollectionAuth")),
    (
        "auth-attribute",
        Model::Component("CollectionAuthAttribute"),
    ),
    ("certificate", Model::Component("CollectionCertificate")),
    ("certificate-list", Model::Inline),
    ("cookie", Model::Component("CollectionCookie")),
    ("cookie-list", Model::Inline),
    ("description", Model::Component("CollectionDescription")),
    ("event", Model::Component("CollectionEvent")),
    ("event-list", Model::Inline),
    ("header", Model::Component("CollectionHeader")),
    ("header-list", Model::Inline),
    ("info", Model::Component("CollectionInfo")),
    // A folder and a request item share one component; every member of both is in it.
    ("item", Model::Component("CollectionItem")),
    ("item-group", Model::Component("CollectionItem")),
    (
        "protocol-profile-behavior",
        Model::Component("CollectionProtocolProfileBehavior"),
    ),
    ("proxy-config", Model::Component("CollectionProxyConfig")),
    ("request", Model::Component("CollectionItemRequest")),
    ("response", Model::Component("CollectionSavedResponse")),
    ("script", Model::Component("CollectionScript")),
    ("url", Model::Component("CollectionRequestUrl")),
    ("variable", Model::Component("CollectionVariable")),
    ("variable-list", Model::Inline),
    ("version", Model::Component("CollectionVersion")),
];

/// The component modelling the schema's root (a whole collection).
const ROOT: &str = "Collection";

/// Keywords that only annotate a schema and constrain nothing.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "title",
    "description",
    "default",
    "examples",
    "example",
];

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn published_schema() -> Value {
    let path = root().join("tests/data/collection-v2.1.0.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).expect("the published schema is JSON")
}

fn our_spec() -> Value {
    let path = root().join("spec/postman.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    yaml_serde::from_str(&text).expect("the spec is YAML")
}

/// The kinds of JSON value a schema node admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

const ALL_KINDS: [Kind; 7] = [
    Kind::Null,
    Kind::Boolean,
    Kind::Integer,
    Kind::Number,
    Kind::String,
    Kind::Array,
    Kind::Object,
];

fn kind_of(name: &str) -> Kind {
    match name {
        "null" => Kind::Null,
        "boolean" => Kind::Boolean,
        "integer" => Kind::Integer,
        "number" => Kind::Number,
        "string" => Kind::String,
        "array" => Kind::Array,
        "object" => Kind::Object,
        other => panic!("unknown JSON schema type {other:?}"),
    }
}

/// Walks the published schema and our spec side by side, collecting problems.
struct Oracle<'a> {
    published: &'a Value,
    spec: &'a Value,
    problems: Vec<String>,
    /// Pairs already compared: `(published pointer, our component)`.
    seen: BTreeSet<(String, String)>,
}

impl<'a> Oracle<'a> {
    fn new(published: &'a Value, spec: &'a Value) -> Self {
        Oracle {
            published,
            spec,
            problems: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    fn components(&self) -> &'a Map<String, Value> {
        self.spec["components"]["schemas"]
            .as_object()
            .expect("the spec has components/schemas")
    }

    fn definition(&self, name: &str) -> &'a Value {
        self.published["definitions"]
            .get(name)
            .unwrap_or_else(|| panic!("the published schema has no definition {name:?}"))
    }

    fn model(name: &str) -> &'static Model {
        &DEFINITIONS
            .iter()
            .find(|(d, _)| *d == name)
            .unwrap_or_else(|| panic!("definition {name:?} is not in DEFINITIONS"))
            .1
    }

    fn problem(&mut self, at: &str, what: impl std::fmt::Display) {
        self.problems.push(format!("{at}: {what}"));
    }

    /// Follows `$ref`s of our spec; returns the node and the component it is, if any.
    fn ours(&self, mut node: &'a Value) -> (&'a Value, Option<&'a str>) {
        let mut name = None;
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let n = r
                        .strip_prefix("#/components/schemas/")
                        .unwrap_or_else(|| panic!("unexpected $ref {r:?} in the spec"));
                    node = self
                        .components()
                        .get(n)
                        .unwrap_or_else(|| panic!("the spec has no component {n:?}"));
                    name = Some(n);
                }
                None => return (node, name),
            }
        }
        panic!("$ref chain too long in the spec")
    }

    /// The alternatives of a node of our spec (itself when it has no `oneOf`), resolved.
    fn our_alternatives(&self, node: &'a Value) -> Vec<(&'a Value, Option<&'a str>)> {
        let (node, name) = self.ours(node);
        match node.get("oneOf").and_then(Value::as_array) {
            Some(alts) => alts.iter().flat_map(|a| self.our_alternatives(a)).collect(),
            None => vec![(node, name)],
        }
    }

    /// The kinds a node of our spec admits (`None`: any JSON value).
    fn our_kinds(node: &Value) -> Option<Vec<Kind>> {
        let mut kinds = match node.get("type").and_then(Value::as_str) {
            Some(t) => vec![kind_of(t)],
            None if node.get("properties").is_some()
                || node.get("additionalProperties").is_some() =>
            {
                vec![Kind::Object]
            }
            None if node.get("items").is_some() => vec![Kind::Array],
            None if node.get("enum").is_some() => vec![Kind::String],
            None => return None,
        };
        if kinds == [Kind::Number] {
            kinds.push(Kind::Integer);
        }
        if node.get("nullable").and_then(Value::as_bool) == Some(true) {
            kinds.push(Kind::Null);
        }
        Some(kinds)
    }

    /// A published node is "any JSON value" when it constrains nothing.
    fn is_any(node: &Value) -> bool {
        node.as_object()
            .is_some_and(|o| o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
    }

    /// The kinds a published node admits by its own `type` (or what its keywords imply).
    fn published_kinds(node: &Value) -> Vec<Kind> {
        match node.get("type") {
            Some(Value::String(t)) => vec![kind_of(t)],
            Some(Value::Array(ts)) => ts
                .iter()
                .map(|t| kind_of(t.as_str().expect("type names are strings")))
                .collect(),
            _ if node.get("properties").is_some() => vec![Kind::Object],
            _ if node.get("items").is_some() => vec![Kind::Array],
            _ if node.get("enum").is_some() || node.get("const").is_some() => {
                vec![Kind::String]
            }
            _ => ALL_KINDS.to_vec(),
        }
    }

    /// The alternatives of a published node: its `oneOf`/`anyOf` entries (each taking the
    /// node's own `type` when it has none), or the node itself. Entries that only add
    /// `required` lists are constraints, not alternatives.
    fn published_alternatives(node: &Value) -> Vec<Value> {
        let listed = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| node.get(*k).and_then(Value::as_array))
            .flatten()
            .filter(|a| {
                a.as_object()
                    .is_some_and(|o| o.keys().any(|k| k != "required"))
            })
            .collect::<Vec<_>>();
        if listed.is_empty() {
            return vec![node.clone()];
        }
        listed
            .into_iter()
            .map(|alt| {
                let mut alt = alt.clone();
                if alt.get("type").is_none()
                    && alt.get("$ref").is_none()
                    && let Some(t) = node.get("type")
                {
                    alt["type"] = t.clone();
                }
                alt
            })
            .collect()
    }

    /// Checks each definition against the component that models it, and the root
    /// against `ROOT`.
    fn run(&mut self) {
        let defined: BTreeSet<&str> = self.published["definitions"]
            .as_object()
            .expect("the published schema has definitions")
            .keys()
            .map(String::as_str)
            .collect();
        let mapped: BTreeSet<&str> = DEFINITIONS.iter().map(|(d, _)| *d).collect();
        for d in defined.difference(&mapped) {
            self.problem(
                &format!("definitions/{d}"),
                "not mapped to a component in DEFINITIONS",
            );
        }
        for d in mapped.difference(&defined) {
            self.problem(
                &format!("definitions/{d}"),
                "in DEFINITIONS but not in the published schema",
            );
        }
        let root = self.published.clone();
        let ours = Value::String(ROOT.into());
        self.compare_with_component(&root, &ours, "#");
        for (definition, model) in DEFINITIONS {
            if let Model::Component(component) = model
                && defined.contains(definition)
            {
                let node = self.definition(definition);
                self.compare_with_component(
                    node,
                    &Value::String((*component).into()),
                    &format!("definitions/{definition}"),
                );
            }
        }
    }

    /// Compares a published node with the named component of our spec (once per pair).
    fn compare_with_component(&mut self, published: &Value, component: &Value, at: &str) {
        let name = component.as_str().expect("a component name");
        let Some(ours) = self.components().get(name) else {
            self.problem(at, format!("component {name} is missing from the spec"));
            return;
        };
        if !self.seen.insert((at.to_owned(), name.to_owned())) {
            return;
        }
        self.compare(published, ours, &format!("{at} ({name})"));
    }

    /// Compares a published node with a node of our spec.
    fn compare(&mut self, published: &Value, ours: &'a Value, at: &str) {
        // A named definition: our spec must use the component that models it there.
        if let Some(r) = published.get("$ref").and_then(Value::as_str) {
            let definition = r
                .strip_prefix("#/definitions/")
                .unwrap_or_else(|| panic!("unexpected $ref {r:?} in the published schema"));
            match Self::model(definition) {
                Model::Component(component) => {
                    let (_, name) = self.ours(ours);
                    let found = name == Some(component)
                        || self
                            .our_alternatives(ours)
                            .iter()
                            .any(|(_, n)| *n == Some(component));
                    if !found {
                        self.problem(
                            at,
                            format!(
                                "the format uses definitions/{definition} here, modelled by \
                                 {component}, but the spec has {}",
                                name.unwrap_or("an inline schema")
                            ),
                        );
                    }
                }
                Model::Inline => {
                    let node = self.definition(definition).clone();
                    self.compare(&node, ours, &format!("{at} (definitions/{definition})"));
                }
            }
            return;
        }
        if Self::is_any(published) {
            let (node, _) = self.ours(ours);
            if node.get("oneOf").is_some() || Self::our_kinds(node).is_some() {
                self.problem(
                    at,
                    "the format allows any JSON value here; the spec restricts it",
                );
            }
            return;
        }
        let alternatives = self.our_alternatives(ours);
        for alt in Self::published_alternatives(published) {
            if alt.get("$ref").is_some() {
                self.compare(&alt, ours, at);
                continue;
            }
            for kind in Self::published_kinds(&alt) {
                self.compare_kind(&alt, kind, &alternatives, at);
            }
        }
    }

    /// Checks that our spec admits values of `kind` where the published node does, and
    /// compares the insides of objects and arrays.
    fn compare_kind(
        &mut self,
        published: &Value,
        kind: Kind,
        ours: &[(&'a Value, Option<&'a str>)],
        at: &str,
    ) {
        let matching = ours
            .iter()
            .filter(|(node, _)| Self::our_kinds(node).is_none_or(|k| k.contains(&kind)))
            .copied()
            .collect::<Vec<_>>();
        let Some(&(node, _)) = matching.first() else {
            self.problem(
                at,
                format!("the format allows {kind:?} here; the spec does not"),
            );
            return;
        };
        if Self::our_kinds(node).is_none() {
            return; // Any JSON value: admits everything below.
        }
        match kind {
            Kind::Object => self.compare_object(published, node, at),
            Kind::Array => {
                if let Some(items) = published.get("items") {
                    match node.get("items") {
                        Some(our_items) => self.compare(items, our_items, &format!("{at}[]")),
                        None => self.problem(at, "the spec's array has no items"),
                    }
                }
            }
            Kind::String => {
                let listed = published
                    .get("enum")
                    .and_then(Value::as_array)
                    .cloned()
                    .or_else(|| published.get("const").map(|c| vec![c.clone()]));
                let ours = matching
                    .iter()
                    .find_map(|(n, _)| n.get("enum").and_then(Value::as_array));
                if let (Some(listed), Some(ours)) = (listed, ours) {
                    for value in listed {
                        if !ours.contains(&value) {
                            self.problem(at, format!("the spec's enum lacks {value}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Compares the members of a published object with those of our object.
    fn compare_object(&mut self, published: &Value, ours: &'a Value, at: &str) {
        let our_members = ours.get("properties").and_then(Value::as_object);
        let members = published
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if members.is_empty()
            && our_members.is_none_or(Map::is_empty)
            && ours.get("additionalProperties").is_none()
        {
            self.problem(at, "the spec's object has neither members nor a map value");
        }
        for (member, schema) in &members {
            match our_members.and_then(|m| m.get(member)) {
                Some(our_schema) => self.compare(schema, our_schema, &format!("{at}.{member}")),
                None => self.problem(at, format!("member `{member}` is missing from the spec")),
            }
        }
        let required = |node: &Value| -> BTreeSet<String> {
            node.get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let theirs = required(published);
        for member in required(ours).difference(&theirs) {
            self.problem(
                at,
                format!("the spec requires `{member}`, which the format leaves optional"),
            );
        }
    }
}

fn check(published: &Value, spec: &Value) -> Vec<String> {
    let mut oracle = Oracle::new(published, spec);
    oracle.run();
    oracle.problems
}

#[test]
fn spec_has_every_member_of_the_published_collection_format() {
    let problems = check(&published_schema(), &our_spec());
    assert!(
        problems.is_empty(),
        "spec/postman.yaml does not model the Postman Collection Format v2.1.0 fully \
         ({} problems):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn oracle_reports_a_missing_member_a_narrowed_value_and_a_stricter_requirement() {
    let published = published_schema();
    let mut spec = our_spec();
    let schemas = &mut spec["components"]["schemas"];
    schemas["CollectionFormDataParam"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    schemas["CollectionVariable"]["properties"]["value"] = serde_json::json!({"type": "string"});
    schemas["CollectionQueryParam"]["required"] = serde_json::json!(["key"]);
    schemas["CollectionAuth"]
        .as_object_mut()
        .unwrap()
        .remove("nullable");
    let problems = check(&published, &spec);
    let reported = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(
        reported("member `description` is missing"),
        "missing member not reported: {problems:#?}"
    );
    assert!(
        reported("definitions/variable (CollectionVariable).value: the format allows any JSON"),
        "narrowed value not reported: {problems:#?}"
    );
    assert!(
        reported("the spec requires `key`"),
        "stricter requirement not reported: {problems:#?}"
    );
    assert!(
        reported("the format allows Null here"),
        "null auth not reported: {problems:#?}"
    );
}
