//! Structural comparison of two lowered versions of the spec: operations (matched by HTTP
//! method and path), their parameters, bodies and statuses, and the named types.
//!
//! The lowered model is what the generated crate exposes, so Rust names are exact; the
//! raw OpenAPI document adds what the model folds away (every documented status code).

use crate::change::{Detail, Direction, Finding, Section};
use crate::rust_items::{Paths, field_type, kind_name, rust_type};
use crate::shape::{json_name, labelled_change, type_change};
use generator::load::Document;
use generator::model::walk;
use generator::model::{
    Api, Module, Operation, ParamLocation, ResponseBody, StatusMatch, Success, TypeId, TypeKind,
    TypeRef,
};
use openapiv3::StatusCode;
use std::collections::{BTreeMap, BTreeSet};

/// One version of the spec: its lowered model and its document.
pub struct Version<'a> {
    pub api: &'a Api,
    pub document: &'a Document,
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
    cx.client();
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
        ParamLocation::QueryString => "querystring",
    }
}

fn op_location(op: &Operation) -> String {
    format!("{} {}", op.http_method.as_str(), op.path)
}

impl<'a> Compare<'a> {
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

    /// Operations are matched by operationId first (a method or path change keeps the
    /// Rust method and builder), then by method and path (an operationId change renames
    /// them).
    fn operations(&mut self) {
        let (base, head) = (self.base.api, self.head.api);
        let by_id = |api: &'a Api| -> BTreeMap<String, OpRef<'a>> {
            api.modules
                .iter()
                .flat_map(|m| m.operations.iter().map(move |op| (op.id.clone(), (m, op))))
                .collect()
        };
        let (base_ids, head_ids) = (by_id(base), by_id(head));
        let mut base_rest = operations(base);
        let mut head_rest = operations(head);
        for (id, before) in &base_ids {
            if let Some(after) = head_ids.get(id) {
                base_rest.remove(&op_key(before.1));
                head_rest.remove(&op_key(after.1));
                self.operation(*before, *after);
            }
        }
        for (key, (module, op)) in &base_rest {
            if head_ids.contains_key(&op.id) || head_rest.contains_key(key) {
                continue;
            }
            let items = self.paths.operation(module, op);
            let detail = Detail::OperationRemoved {
                operation_id: op.id.clone(),
            };
            let at = op_location(op);
            self.push(
                Section::Operations,
                &at,
                detail,
                Direction::default(),
                items,
            );
        }
        for (key, (module, op)) in &head_rest {
            if base_ids.contains_key(&op.id) {
                continue;
            }
            match base_rest.get(key) {
                None => {
                    let items = self.paths.operation(module, op);
                    let detail = Detail::OperationAdded {
                        operation_id: op.id.clone(),
                    };
                    let at = op_location(op);
                    self.push(
                        Section::Operations,
                        &at,
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
        if op_location(bo) != at {
            let detail = Detail::OperationMethodChanged {
                operation_id: ho.id.clone(),
                from: op_location(bo),
                to: at.clone(),
            };
            let items = vec![self.paths.method(ho), self.paths.builder(hm, ho)];
            self.push(
                Section::Operations,
                &at,
                detail,
                Direction::default(),
                items,
            );
        }
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
        self.pagination(&at, (hm, ho), bo);
        self.params(&at, (bm, bo), (hm, ho));
        self.body(&at, (bm, bo), (hm, ho));
        self.response(&at, bo, (hm, ho));
        self.statuses(&at, (bm, bo), (hm, ho));
    }

    /// What the client as a whole takes from the document: the base URL, the credential,
    /// the error policy and the runtime items shipped because of the document.
    fn client(&mut self) {
        let (base, head) = (self.base.api, self.head.api);
        let none = Direction::default();
        if base.base_url != head.base_url {
            let problem = crate::classify::base_url_problem(&head.base_url);
            let detail = Detail::ServerChanged {
                from: base.base_url.clone(),
                to: head.base_url.clone(),
                usable: problem.is_none(),
                problem,
            };
            let items = vec![format!("{}::Client::DEFAULT_BASE_URL", self.paths.lib)];
            self.push(Section::Client, "servers", detail, none, items);
        }
        if base.auth != head.auth {
            let detail = Detail::AuthChanged {
                from: auth_name(&base.auth),
                to: auth_name(&head.auth),
            };
            let items = vec![format!("{}::Client::from_env", self.paths.lib)];
            self.push(Section::Client, "securitySchemes", detail, none, items);
        }
        if base.policy.error_shapes != head.policy.error_shapes {
            let detail = Detail::ErrorPolicyChanged {
                what: "where error bodies keep their name, message and details (x-error-envelope)"
                    .into(),
            };
            let items = vec![format!("{}::ApiError", self.paths.lib)];
            self.push(Section::Client, "x-error-envelope", detail, none, items);
        }
        if base.policy.quota_words != head.policy.quota_words {
            let detail = Detail::ErrorPolicyChanged {
                what: "which 429 answers mean a used-up quota (x-quota-exhausted-words)".into(),
            };
            let items = vec![format!("{}::RetryPolicy", self.paths.lib)];
            self.push(
                Section::Client,
                "x-quota-exhausted-words",
                detail,
                none,
                items,
            );
        }
        for module in generator::runtime::MODULES {
            let (before, after) = (module.is_needed_by(base), module.is_needed_by(head));
            if before == after || module.exports.is_empty() {
                continue;
            }
            let items: Vec<String> = module.exports.iter().map(|e| (*e).to_owned()).collect();
            let reason = match module.needed {
                generator::runtime::Needed::WithUids => "a field has `format: uid`".to_owned(),
                _ => format!("the runtime module `{}` is needed", module.name),
            };
            let rust_items = items
                .iter()
                .map(|i| format!("{}::{i}", self.paths.lib))
                .collect();
            let detail = if after {
                Detail::RuntimeItemsAdded { items, reason }
            } else {
                Detail::RuntimeItemsRemoved { items, reason }
            };
            self.push(Section::Client, "crate root", detail, none, rust_items);
        }
    }

    /// `x-pagination`: `pages()` and `items()` on the builder.
    fn pagination(&mut self, at: &str, (hm, ho): OpRef, bo: &Operation) {
        let builder = self.paths.builder(hm, ho);
        let items = vec![format!("{builder}::pages"), format!("{builder}::items")];
        let none = Direction::RESPONSE;
        match (&bo.pagination, &ho.pagination) {
            (None, None) => {}
            (None, Some(p)) => {
                let detail = Detail::PaginationAdded {
                    item_type: rust_type(self.head.api, &p.item_type),
                };
                self.push(Section::Operations, at, detail, none, items);
            }
            (Some(p), None) => {
                let detail = Detail::PaginationRemoved {
                    item_type: rust_type(self.base.api, &p.item_type),
                };
                self.push(Section::Operations, at, detail, none, items);
            }
            (Some(b), Some(h)) => {
                if let Some(change) =
                    type_change(self.base.api, &b.item_type, self.head.api, &h.item_type)
                {
                    let detail = Detail::PaginationItemChanged { change };
                    self.push(Section::Operations, at, detail, none, items);
                }
            }
        }
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

    fn response(&mut self, at: &str, bo: &Operation, (hm, ho): OpRef) {
        let response = Direction::RESPONSE;
        // The type shows in the builder's `send()`.
        let items = vec![self.paths.method(ho), self.paths.builder(hm, ho)];
        let change = match (&bo.response, &ho.response) {
            (Success::Single(ResponseBody::Json(b)), Success::Single(ResponseBody::Json(h))) => {
                type_change(self.base.api, b, self.head.api, h)
            }
            // The same framing: what matters is the item type.
            (
                Success::Single(ResponseBody::Stream(b)),
                Success::Single(ResponseBody::Stream(h)),
            ) if b.media_type == h.media_type && b.items == h.items => {
                type_change(self.base.api, &b.item, self.head.api, &h.item)
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
        let before = statuses(self.base.document, bo);
        let after = statuses(self.head.document, ho);
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
                closed: false,
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
                // Only a change of which members it takes: a member's type change is
                // reported with the member.
                let (from, to) = (constructor(base, bs), constructor(head, hs));
                let names = |args: &[String]| -> Vec<String> {
                    args.iter()
                        .map(|a| a.split(':').next().unwrap_or(a).to_owned())
                        .collect()
                };
                if names(&from) != names(&to) {
                    let detail = Detail::ConstructorChanged {
                        schema: name.clone(),
                        from,
                        to,
                    };
                    let items = vec![self.paths.member(name, "new")];
                    self.push(section, &at, detail, dir, items);
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
                            closed: false,
                        };
                        self.push(section, &at, detail, dir, items);
                        continue;
                    };
                    if let Some(change) = type_change(base, &old.ty, head, &f.ty) {
                        let change = crate::change::TypeChange {
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
                    let (from_rust, to_rust) = (field_type(base, old), field_type(head, f));
                    if old.required != f.required {
                        let detail = Detail::PropertyRequiredChanged {
                            schema: name.clone(),
                            property: wire.clone(),
                            required: f.required,
                            from_rust: from_rust.clone(),
                            to_rust: to_rust.clone(),
                        };
                        self.push(section, &at, detail, dir, items.clone());
                    }
                    if old.nullable != f.nullable {
                        let detail = Detail::PropertyNullableChanged {
                            schema: name.clone(),
                            property: wire.clone(),
                            nullable: f.nullable,
                            from_rust: from_rust.clone(),
                            to_rust: to_rust.clone(),
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
                    closed: false,
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
                closed: false,
            };
            let items = vec![self.paths.member(name, variant)];
            self.push(Section::Schemas, &at, detail, dir, items);
        }
    }
}

/// The arguments of a struct's constructor `Type::new(..)`: the members that are not
/// optional in Rust, in spec order, as `name: Type`.
pub fn constructor(api: &Api, s: &generator::model::Struct) -> Vec<String> {
    s.fields
        .iter()
        .filter(|f| !f.is_option())
        .map(|f| format!("{}: {}", f.name, field_type(api, f)))
        .collect()
}

/// How the credential travels, in words.
fn auth_name(auth: &generator::model::Auth) -> String {
    let mut ways = Vec::new();
    if let Some(h) = &auth.header {
        ways.push(format!("header `{h}`"));
    }
    if let Some(q) = &auth.query {
        ways.push(format!("query parameter `{q}`"));
    }
    if let Some(c) = &auth.cookie {
        ways.push(format!("cookie `{c}`"));
    }
    if auth.bearer {
        ways.push("bearer token".to_owned());
    }
    if auth.basic {
        ways.push("basic auth".to_owned());
    }
    if ways.is_empty() {
        "none".to_owned()
    } else {
        ways.join(", ")
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
        Success::Single(ResponseBody::Stream(stream)) => (
            format!(
                "a stream of {} ({})",
                json_name(api, &stream.item),
                stream.media_type
            ),
            format!("ItemStream<{}>", rust_type(api, &stream.item)),
        ),
        Success::ByStatus { name, .. } => ("by status".into(), name.clone()),
    }
}

/// The documented statuses of an operation (`200`, `4XX`, `default`), from the document.
fn statuses(document: &Document, op: &Operation) -> BTreeSet<String> {
    let Some(operation) = document.operation(&op.path, op.http_method.as_str()) else {
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
