//! Structural comparison of two lowered versions of the spec: operations (matched by HTTP
//! method and path), their parameters, bodies and statuses, and the named types.
//!
//! The lowered model is what the generated crate exposes, so Rust names are exact; the
//! raw OpenAPI document adds what the model folds away (every documented status code).

use super::change::{Detail, Direction, Finding, Section};
use super::rust_items::{Paths, field_type, kind_name, rust_type};
use super::shape::{json_name, labelled_change, type_change};
use generator::model::walk;
use generator::model::{
    Api, Module, Operation, ParamLocation, ResponseBody, StatusMatch, Success, TypeId, TypeKind,
    TypeRef,
};
use openapiv3::{OpenAPI, ReferenceOr, StatusCode};
use std::collections::{BTreeMap, BTreeSet};

/// One version of the spec: its lowered model and its document.
pub struct Version<'a> {
    pub api: &'a Api,
    pub openapi: &'a OpenAPI,
}

/// Every difference between `base` and `head`, unclassified.
pub fn compare(base: &Version, head: &Version, paths: &Paths) -> Vec<Finding> {
    let mut cx = Compare {
        base,
        head,
        paths,
        base_dirs: directions(base.api),
        head_dirs: directions(head.api),
        findings: Vec::new(),
    };
    cx.operations();
    cx.types();
    cx.findings
}

struct Compare<'a> {
    base: &'a Version<'a>,
    head: &'a Version<'a>,
    paths: &'a Paths,
    base_dirs: Vec<Direction>,
    head_dirs: Vec<Direction>,
    findings: Vec<Finding>,
}

type OpRef<'a> = (&'a Module, &'a Operation);

/// `GET /a/{}`: parameter names do not matter for matching.
fn op_key(op: &Operation) -> String {
    let mut path = String::new();
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => path.push(c),
        }
    }
    format!("{} {path}", op.http_method.as_str())
}

fn operations(api: &Api) -> BTreeMap<String, OpRef<'_>> {
    api.modules
        .iter()
        .flat_map(|m| m.operations.iter().map(move |op| (op_key(op), (m, op))))
        .collect()
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn op_location(op: &Operation) -> String {
    format!("{} {}", op.http_method.as_str(), op.path)
}

impl Compare<'_> {
    fn push(
        &mut self,
        section: Section,
        location: &str,
        detail: Detail,
        direction: Direction,
        rust_items: Vec<String>,
    ) {
        self.findings.push(Finding {
            section,
            location: location.to_owned(),
            detail,
            direction,
            rust_items,
        });
    }

    fn operations(&mut self) {
        let base = operations(self.base.api);
        let head = operations(self.head.api);
        for (key, (module, op)) in &base {
            if !head.contains_key(key) {
                let items = self.paths.operation(module, op);
                let detail = Detail::OperationRemoved {
                    operation_id: op.id.clone(),
                };
                self.push(
                    Section::Operations,
                    &op_location(op),
                    detail,
                    Direction::default(),
                    items,
                );
            }
        }
        for (key, (module, op)) in &head {
            match base.get(key) {
                None => {
                    let items = self.paths.operation(module, op);
                    let detail = Detail::OperationAdded {
                        operation_id: op.id.clone(),
                    };
                    self.push(
                        Section::Operations,
                        &op_location(op),
                        detail,
                        Direction::default(),
                        items,
                    );
                }
                Some(before) => self.operation(*before, (module, op)),
            }
        }
    }

    fn operation(&mut self, (bm, bo): OpRef, (hm, ho): OpRef) {
        let at = op_location(ho);
        if bo.id != ho.id || bo.method_name != ho.method_name {
            let mut items = self.paths.operation(bm, bo);
            items.extend(self.paths.operation(hm, ho));
            let detail = Detail::OperationIdChanged {
                from: bo.id.clone(),
                to: ho.id.clone(),
            };
            self.push(
                Section::Operations,
                &at,
                detail,
                Direction::default(),
                items,
            );
        }
        if bo.deprecated != ho.deprecated {
            let detail = Detail::OperationDeprecated {
                deprecated: ho.deprecated,
            };
            let items = vec![self.paths.method(ho)];
            self.push(
                Section::Operations,
                &at,
                detail,
                Direction::default(),
                items,
            );
        }
        if bm.name != hm.name {
            let mut items = vec![self.paths.builder(bm, bo), self.paths.builder(hm, ho)];
            items.dedup();
            let detail = Detail::OperationModuleChanged {
                from: bm.name.clone(),
                to: hm.name.clone(),
            };
            self.push(
                Section::Operations,
                &at,
                detail,
                Direction::default(),
                items,
            );
        }
        self.params(&at, (bm, bo), (hm, ho));
        self.body(&at, (bm, bo), (hm, ho));
        self.response(&at, bo, ho);
        self.statuses(&at, (bm, bo), (hm, ho));
    }

    fn params(&mut self, at: &str, (bm, bo): OpRef, (hm, ho): OpRef) {
        let key = |p: &generator::model::Param| (location_name(p.location), p.wire_name.clone());
        let before: BTreeMap<_, _> = bo.params.iter().map(|p| (key(p), p)).collect();
        let after: BTreeMap<_, _> = ho.params.iter().map(|p| (key(p), p)).collect();
        let request = Direction::REQUEST;
        for ((location, name), p) in &before {
            if !after.contains_key(&(location, name.clone())) {
                let detail = Detail::ParameterRemoved {
                    name: name.clone(),
                    location: (*location).to_owned(),
                    required: p.required,
                };
                let items = vec![self.paths.param(bm, bo, p)];
                self.push(Section::Parameters, at, detail, request, items);
            }
        }
        for ((location, name), p) in &after {
            let location = (*location).to_owned();
            let Some(old) = before.get(&(location.as_str(), name.clone())) else {
                let detail = Detail::ParameterAdded {
                    name: name.clone(),
                    location,
                    required: p.required,
                };
                let items = vec![self.paths.param(hm, ho, p)];
                self.push(Section::Parameters, at, detail, request, items);
                continue;
            };
            if old.required != p.required {
                let detail = Detail::ParameterRequiredChanged {
                    name: name.clone(),
                    location: location.clone(),
                    required: p.required,
                };
                let items = vec![self.paths.param(bm, bo, old), self.paths.param(hm, ho, p)];
                self.push(Section::Parameters, at, detail, request, items);
            }
            if let Some(change) = type_change(self.base.api, &old.ty, self.head.api, &p.ty) {
                let detail = Detail::ParameterTypeChanged {
                    name: name.clone(),
                    location,
                    change,
                };
                let items = vec![self.paths.param(hm, ho, p)];
                self.push(Section::Parameters, at, detail, request, items);
            }
        }
    }

    fn body(&mut self, at: &str, (bm, bo): OpRef, (hm, ho): OpRef) {
        let request = Direction::REQUEST;
        let section = Section::RequestBodies;
        match (&bo.body, &ho.body) {
            (None, None) => {}
            (Some(b), None) => {
                let detail = Detail::RequestBodyRemoved {
                    rust_type: rust_type(self.base.api, &b.ty),
                };
                let items = self.paths.body(bm, bo).into_iter().collect();
                self.push(section, at, detail, request, items);
            }
            (None, Some(h)) => {
                let detail = Detail::RequestBodyAdded {
                    required: h.required,
                    rust_type: rust_type(self.head.api, &h.ty),
                };
                let items = self.paths.body(hm, ho).into_iter().collect();
                self.push(section, at, detail, request, items);
            }
            (Some(b), Some(h)) => {
                let items: Vec<String> = self.paths.body(hm, ho).into_iter().collect();
                if b.required != h.required {
                    let mut items: Vec<String> = self.paths.body(bm, bo).into_iter().collect();
                    items.extend(self.paths.body(hm, ho));
                    let detail = Detail::RequestBodyRequiredChanged {
                        required: h.required,
                    };
                    self.push(section, at, detail, request, items);
                }
                if let Some(change) = type_change(self.base.api, &b.ty, self.head.api, &h.ty) {
                    let detail = Detail::RequestBodyTypeChanged { change };
                    self.push(section, at, detail, request, items.clone());
                }
                if b.content_type != h.content_type {
                    let detail = Detail::RequestBodyMediaTypeChanged {
                        from: b.content_type.clone(),
                        to: h.content_type.clone(),
                    };
                    self.push(section, at, detail, request, items);
                }
            }
        }
    }

    fn response(&mut self, at: &str, bo: &Operation, ho: &Operation) {
        let response = Direction::RESPONSE;
        let items = vec![self.paths.method(ho)];
        let change = match (&bo.response, &ho.response) {
            (Success::Single(ResponseBody::Json(b)), Success::Single(ResponseBody::Json(h))) => {
                type_change(self.base.api, b, self.head.api, h)
            }
            (b, h) => {
                let (b, h) = (success(self.base.api, b), success(self.head.api, h));
                (b != h).then(|| labelled_change(b, h))
            }
        };
        if let Some(change) = change {
            let detail = Detail::ResponseTypeChanged { change };
            self.push(Section::Responses, at, detail, response, items);
        }
    }

    fn statuses(&mut self, at: &str, (bm, bo): OpRef, (hm, ho): OpRef) {
        let before = statuses(self.base.openapi, bo);
        let after = statuses(self.head.openapi, ho);
        let response = Direction::RESPONSE;
        for status in before.difference(&after) {
            let rust_variant = status_variant(self.paths, bm, bo, status);
            let detail = Detail::ResponseStatusRemoved {
                status: status.clone(),
                success: status.starts_with('2'),
                rust_variant: rust_variant.clone(),
            };
            let items = rust_variant.into_iter().collect();
            self.push(Section::Responses, at, detail, response, items);
        }
        for status in after.difference(&before) {
            let rust_variant = status_variant(self.paths, hm, ho, status);
            let detail = Detail::ResponseStatusAdded {
                status: status.clone(),
                success: status.starts_with('2'),
                rust_variant: rust_variant.clone(),
            };
            let items = rust_variant.into_iter().collect();
            self.push(Section::Responses, at, detail, response, items);
        }
    }

    fn types(&mut self) {
        let by_name = |api: &'_ Api| -> BTreeMap<String, usize> {
            api.types
                .iter()
                .enumerate()
                .map(|(i, t)| (t.name.clone(), i))
                .collect()
        };
        let before = by_name(self.base.api);
        let after = by_name(self.head.api);
        for (name, &i) in &before {
            if !after.contains_key(name) {
                let detail = Detail::SchemaRemoved {
                    schema: name.clone(),
                };
                let items = vec![self.paths.type_path(name)];
                let dir = self.base_dirs[i];
                self.push(Section::Schemas, &schema_at(name), detail, dir, items);
            }
        }
        for (name, &i) in &after {
            match before.get(name) {
                None => {
                    let detail = Detail::SchemaAdded {
                        schema: name.clone(),
                    };
                    let items = vec![self.paths.type_path(name)];
                    let dir = self.head_dirs[i];
                    self.push(Section::Schemas, &schema_at(name), detail, dir, items);
                }
                Some(&b) => {
                    let dir = self.base_dirs[b].union(self.head_dirs[i]);
                    self.type_def(TypeId(b), TypeId(i), dir);
                }
            }
        }
    }

    fn type_def(&mut self, b_id: TypeId, h_id: TypeId, dir: Direction) {
        let (b, h) = (&self.base.api.types[b_id.0], &self.head.api.types[h_id.0]);
        let name = &h.name;
        let at = schema_at(name);
        let section = Section::Schemas;
        let (base, head) = (self.base.api, self.head.api);
        match (&b.kind, &h.kind) {
            (TypeKind::Struct(bs), TypeKind::Struct(hs)) => {
                if bs.default != hs.default {
                    let detail = Detail::SchemaDefaultChanged {
                        schema: name.clone(),
                        derives_default: hs.default,
                    };
                    self.push(section, &at, detail, dir, vec![self.paths.type_path(name)]);
                }
                let before: BTreeMap<_, _> =
                    bs.fields.iter().map(|f| (f.wire_name.clone(), f)).collect();
                let after: BTreeMap<_, _> =
                    hs.fields.iter().map(|f| (f.wire_name.clone(), f)).collect();
                for (wire, f) in &before {
                    if !after.contains_key(wire) {
                        let detail = Detail::PropertyRemoved {
                            schema: name.clone(),
                            property: wire.clone(),
                        };
                        let items = vec![self.paths.member(name, &f.name)];
                        self.push(section, &at, detail, dir, items);
                    }
                }
                for (wire, f) in &after {
                    let items = vec![self.paths.member(name, &f.name)];
                    let Some(old) = before.get(wire) else {
                        let detail = Detail::PropertyAdded {
                            schema: name.clone(),
                            property: wire.clone(),
                            required: f.required,
                            rust_option: f.is_option(),
                            keeps_default: bs.default && hs.default,
                        };
                        self.push(section, &at, detail, dir, items);
                        continue;
                    };
                    if let Some(change) = type_change(base, &old.ty, head, &f.ty) {
                        let change = super::change::TypeChange {
                            from_rust: field_type(base, old),
                            to_rust: field_type(head, f),
                            ..change
                        };
                        let detail = Detail::PropertyTypeChanged {
                            schema: name.clone(),
                            property: wire.clone(),
                            change,
                        };
                        self.push(section, &at, detail, dir, items.clone());
                    }
                    let rust_type_changed = field_type(base, old) != field_type(head, f);
                    if old.required != f.required {
                        let detail = Detail::PropertyRequiredChanged {
                            schema: name.clone(),
                            property: wire.clone(),
                            required: f.required,
                            rust_type_changed,
                        };
                        self.push(section, &at, detail, dir, items.clone());
                    }
                    if old.nullable != f.nullable {
                        let detail = Detail::PropertyNullableChanged {
                            schema: name.clone(),
                            property: wire.clone(),
                            nullable: f.nullable,
                            rust_type_changed,
                        };
                        self.push(section, &at, detail, dir, items);
                    }
                }
            }
            (TypeKind::Enum(bv), TypeKind::Enum(hv)) => {
                let before: BTreeMap<_, _> =
                    bv.iter().map(|v| (v.wire_name.clone(), &v.name)).collect();
                let after: BTreeMap<_, _> =
                    hv.iter().map(|v| (v.wire_name.clone(), &v.name)).collect();
                self.values(name, dir, &before, &after);
            }
            (TypeKind::IntEnum(bv), TypeKind::IntEnum(hv)) => {
                let before: BTreeMap<_, _> =
                    bv.iter().map(|v| (v.value.to_string(), &v.name)).collect();
                let after: BTreeMap<_, _> =
                    hv.iter().map(|v| (v.value.to_string(), &v.name)).collect();
                self.values(name, dir, &before, &after);
            }
            (TypeKind::Untagged(bv), TypeKind::Untagged(hv)) => {
                let before: BTreeSet<_> = bv.iter().map(|v| v.name.clone()).collect();
                let after: BTreeSet<_> = hv.iter().map(|v| v.name.clone()).collect();
                self.variants(name, dir, &before, &after);
            }
            (TypeKind::Tagged { variants: bv, .. }, TypeKind::Tagged { variants: hv, .. }) => {
                let before: BTreeSet<_> = bv.iter().map(|v| v.name.clone()).collect();
                let after: BTreeSet<_> = hv.iter().map(|v| v.name.clone()).collect();
                self.variants(name, dir, &before, &after);
            }
            (TypeKind::Alias(bt), TypeKind::Alias(ht)) => {
                if let Some(change) = type_change(base, bt, head, ht) {
                    let detail = Detail::AliasTargetChanged {
                        schema: name.clone(),
                        change,
                    };
                    self.push(section, &at, detail, dir, vec![self.paths.type_path(name)]);
                }
            }
            (bk, hk) => {
                let detail = Detail::SchemaKindChanged {
                    schema: name.clone(),
                    from: kind_name(bk).to_owned(),
                    to: kind_name(hk).to_owned(),
                    from_json: json_name(base, &TypeRef::Named(b_id)),
                    to_json: json_name(head, &TypeRef::Named(h_id)),
                };
                self.push(section, &at, detail, dir, vec![self.paths.type_path(name)]);
            }
        }
    }

    /// Enum values, keyed by wire value, with their Rust variant names.
    fn values(
        &mut self,
        name: &str,
        dir: Direction,
        before: &BTreeMap<String, &String>,
        after: &BTreeMap<String, &String>,
    ) {
        let at = schema_at(name);
        for (value, variant) in before {
            if !after.contains_key(value) {
                let detail = Detail::EnumValueRemoved {
                    schema: name.to_owned(),
                    value: value.clone(),
                };
                let items = vec![self.paths.member(name, variant)];
                self.push(Section::Schemas, &at, detail, dir, items);
            }
        }
        for (value, variant) in after {
            if !before.contains_key(value) {
                let detail = Detail::EnumValueAdded {
                    schema: name.to_owned(),
                    value: value.clone(),
                };
                let items = vec![self.paths.member(name, variant)];
                self.push(Section::Schemas, &at, detail, dir, items);
            }
        }
    }

    /// Union variants, by Rust variant name.
    fn variants(
        &mut self,
        name: &str,
        dir: Direction,
        before: &BTreeSet<String>,
        after: &BTreeSet<String>,
    ) {
        let at = schema_at(name);
        for variant in before.difference(after) {
            let detail = Detail::VariantRemoved {
                schema: name.to_owned(),
                variant: variant.clone(),
            };
            let items = vec![self.paths.member(name, variant)];
            self.push(Section::Schemas, &at, detail, dir, items);
        }
        for variant in after.difference(before) {
            let detail = Detail::VariantAdded {
                schema: name.to_owned(),
                variant: variant.clone(),
            };
            let items = vec![self.paths.member(name, variant)];
            self.push(Section::Schemas, &at, detail, dir, items);
        }
    }
}

fn schema_at(name: &str) -> String {
    format!("schema {name}")
}

/// A success response as (JSON description, Rust type).
fn success(api: &Api, success: &Success) -> (String, String) {
    match success {
        Success::Single(ResponseBody::Empty) => ("no body".into(), "()".into()),
        Success::Single(ResponseBody::Text) => ("text".into(), "String".into()),
        Success::Single(ResponseBody::Bytes) => ("bytes".into(), "Bytes".into()),
        Success::Single(ResponseBody::Json(ty)) => (json_name(api, ty), rust_type(api, ty)),
        Success::ByStatus { name, .. } => ("by status".into(), name.clone()),
    }
}

/// The documented statuses of an operation (`200`, `4XX`, `default`), from the document.
fn statuses(openapi: &OpenAPI, op: &Operation) -> BTreeSet<String> {
    let method = op.http_method.as_str().to_ascii_lowercase();
    let Some(ReferenceOr::Item(item)) = openapi.paths.paths.get(&op.path) else {
        return BTreeSet::new();
    };
    let Some((_, operation)) = item.iter().find(|(m, _)| *m == method) else {
        return BTreeSet::new();
    };
    let mut out: BTreeSet<String> = operation
        .responses
        .responses
        .keys()
        .map(|code| match code {
            StatusCode::Code(c) => c.to_string(),
            StatusCode::Range(r) => format!("{r}XX"),
        })
        .collect();
    if operation.responses.default.is_some() {
        out.insert("default".into());
    }
    out
}

/// The variant of the operation's status or error enum for a status, if any.
fn status_variant(paths: &Paths, module: &Module, op: &Operation, status: &str) -> Option<String> {
    let matches = |m: &StatusMatch| match m {
        StatusMatch::Code(c) => c.to_string() == status,
        StatusMatch::Range(r) => format!("{r}XX") == status,
        StatusMatch::Default => status == "default",
    };
    if let Success::ByStatus { name, variants } = &op.response
        && let Some(v) = variants.iter().find(|v| matches(&v.status))
    {
        return Some(paths.module_enum_variant(module, name, &v.name));
    }
    let errors = op.errors.as_ref()?;
    let v = errors.variants.iter().find(|v| matches(&v.status))?;
    Some(paths.module_enum_variant(module, &errors.name, &v.name))
}

/// Which way each named type's values travel.
fn directions(api: &Api) -> Vec<Direction> {
    let mut dirs = vec![Direction::default(); api.types.len()];
    for op in api.modules.iter().flat_map(|m| &m.operations) {
        walk::request_refs(op, |ty| mark(api, ty, Direction::REQUEST, &mut dirs));
        walk::response_refs(op, |ty| mark(api, ty, Direction::RESPONSE, &mut dirs));
    }
    dirs
}

/// Adds `dir` to the type `ty` names and to every type inside it.
fn mark(api: &Api, ty: &TypeRef, dir: Direction, dirs: &mut [Direction]) {
    let mut pending: Vec<_> = walk::named(ty).into_iter().collect();
    while let Some(id) = pending.pop() {
        let now = dirs[id.0].union(dir);
        if now != dirs[id.0] {
            dirs[id.0] = now;
            walk::kind_refs(&api.types[id.0].kind, |child| {
                pending.extend(walk::named(child))
            });
        }
    }
}
