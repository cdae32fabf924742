//! The public items of an emitted crate, read from its source with `syn`, and how two
//! such lists differ.
//!
//! This is what makes spec-diff see every change of the generated public API whatever its
//! cause: a generator rule that changed between two revisions, a runtime module shipped
//! because of a `format`, a constant taken from the document. The model comparison
//! ([`crate::compare`]) explains changes in the API's terms; this one lists items.
//!
//! An item is keyed by its public path without the crate name: `types::Collection`,
//! `types::Collection::info` (a field), `Client::get_collection` (a method),
//! `collections::GetCollections::pages`, `Client::DEFAULT_BASE_URL`, `Uid`, and
//! `types::Collection impl Default` for a trait the type implements (derived or written).

use crate::change::{Detail, Direction, Finding, ItemKind, Section};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};

/// One public item: what it is and how it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// The declaration without docs and bodies (`fn get(&self, id: impl Into<String>) ->
    /// Get<'_>`, a field's type, a trait impl's `cfg`).
    pub signature: String,
    /// A constant's value, which may change while its declaration does not.
    pub value: Option<String>,
}

/// Public path → item.
pub type Items = BTreeMap<String, Item>;

/// The public items of a crate given as relative path → contents (files that do not
/// parse are skipped: the generator only emits files that do).
pub fn items(files: &BTreeMap<String, String>) -> Items {
    let parsed: BTreeMap<&str, syn::File> = files
        .iter()
        .filter(|(path, _)| path.starts_with("src/") && path.ends_with(".rs"))
        .filter_map(|(path, text)| Some((path.as_str(), syn::parse_file(text).ok()?)))
        .collect();
    let root = Root::of(parsed.get("src/lib.rs"));
    let macros = macros(parsed.values());
    let meta = meta_consts(parsed.get("src/meta.rs"));
    // Where each file's public items are reachable from.
    let scopes: BTreeMap<&str, Scope> = parsed
        .keys()
        .map(|path| (*path, root.scope(path)))
        .collect();
    // First the types, so impls anywhere can find their owner's path.
    let mut owners: BTreeMap<(&str, String), String> = BTreeMap::new();
    let mut global: BTreeMap<String, String> = BTreeMap::new();
    for (path, file) in &parsed {
        for item in &file.items {
            if let Some((name, _)) = type_name(item)
                && let Some(public) = scopes[path].public_path(&name)
            {
                owners.insert((path, name.clone()), public.clone());
                global.entry(name).or_insert(public);
            }
        }
    }
    let mut out = Items::new();
    for (path, file) in &parsed {
        let owner_of = |name: &str| {
            owners
                .get(&(*path, name.to_owned()))
                .or_else(|| global.get(name))
                .cloned()
        };
        for item in &file.items {
            let expanded;
            let item = match item {
                syn::Item::Impl(imp) => {
                    expanded = syn::Item::Impl(expand(imp, &macros));
                    &expanded
                }
                other => other,
            };
            collect(item, &scopes[path], &owner_of, &meta, &mut out);
        }
    }
    out
}

/// The bodies of the crate's `macro_rules!` that take no arguments (`() => { .. }`): the
/// runtime writes methods shared by several types that way.
fn macros<'a>(
    files: impl Iterator<Item = &'a syn::File>,
) -> BTreeMap<String, proc_macro2::TokenStream> {
    let mut out = BTreeMap::new();
    for item in files.flat_map(|f| &f.items) {
        let syn::Item::Macro(m) = item else { continue };
        let (Some(name), true) = (&m.ident, m.mac.path.is_ident("macro_rules")) else {
            continue;
        };
        let mut arm = m.mac.tokens.clone().into_iter();
        // `() => { body }` and nothing else.
        let (
            Some(proc_macro2::TokenTree::Group(pattern)),
            Some(_),
            Some(_),
            Some(proc_macro2::TokenTree::Group(body)),
        ) = (arm.next(), arm.next(), arm.next(), arm.next())
        else {
            continue;
        };
        let rest: Vec<_> = arm.collect();
        let only_arm = rest
            .iter()
            .all(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'));
        if pattern.stream().is_empty() && only_arm {
            out.insert(name.to_string(), body.stream());
        }
    }
    out
}

/// An impl block with its calls of argument-less macros replaced by what they expand to.
fn expand(
    imp: &syn::ItemImpl,
    macros: &BTreeMap<String, proc_macro2::TokenStream>,
) -> syn::ItemImpl {
    let mut imp = imp.clone();
    let mut items = Vec::with_capacity(imp.items.len());
    for member in std::mem::take(&mut imp.items) {
        let body = match &member {
            // `answer_parts!()` or `crate::error::answer_parts!()`.
            syn::ImplItem::Macro(m) if m.mac.tokens.is_empty() => m
                .mac
                .path
                .segments
                .last()
                .and_then(|name| macros.get(&name.ident.to_string())),
            _ => None,
        };
        let parsed = body
            .and_then(|body| syn::parse2::<syn::ItemImpl>(quote::quote!(impl X { #body })).ok());
        match parsed {
            Some(parsed) => items.extend(parsed.items),
            None => items.push(member),
        }
    }
    imp.items = items;
    imp
}

/// The crate root: its public modules and what it re-exports.
struct Root {
    modules: BTreeSet<String>,
    exports: BTreeSet<String>,
}

impl Root {
    fn of(lib: Option<&syn::File>) -> Root {
        let mut root = Root {
            modules: BTreeSet::new(),
            exports: BTreeSet::new(),
        };
        for item in lib.map(|f| f.items.as_slice()).unwrap_or_default() {
            match item {
                syn::Item::Mod(m) if is_pub(&m.vis) => {
                    root.modules.insert(m.ident.to_string());
                }
                syn::Item::Use(u) if is_pub(&u.vis) => use_names(&u.tree, &mut root.exports),
                _ => {}
            }
        }
        root
    }

    fn scope(&self, file: &str) -> Scope {
        let module = file
            .trim_start_matches("src/")
            .trim_end_matches(".rs")
            .split('/')
            .next()
            .unwrap_or_default();
        if module == "types" {
            // `types/mod.rs` re-exports every group with `pub use group::*`.
            Scope::Module("types".to_owned())
        } else if self.modules.contains(module) {
            Scope::Module(module.to_owned())
        } else {
            Scope::Root(self.exports.clone())
        }
    }
}

/// Where a file's public items can be named from.
enum Scope {
    /// A public module: every `pub` item is `module::Item`.
    Module(String),
    /// A private module: only items the crate root re-exports are public, at the root.
    Root(BTreeSet<String>),
}

impl Scope {
    fn public_path(&self, name: &str) -> Option<String> {
        match self {
            Scope::Module(module) => Some(format!("{module}::{name}")),
            Scope::Root(exports) => exports.contains(name).then(|| name.to_owned()),
        }
    }
}

fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// An item's tokens as text, spaced the way code is written (`Vec<crate::types::A>`, not
/// `Vec < crate :: types :: A >`).
fn tokens(t: &impl ToTokens) -> String {
    let text = t.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let before = out.chars().last().unwrap_or(' ');
            let after = chars.peek().copied().unwrap_or(' ');
            let path_sep = out.ends_with("::");
            let tight_after =
                path_sep || matches!(before, '<' | '&' | '(' | '[' | '#' | '!' | '\'');
            let tight_before = matches!(after, ':' | '<' | '>' | ',' | ')' | ']' | '(' | ';' | '?');
            // `-> T`, `= v`, `+ 'a` and `impl X` keep their spaces.
            let keep = matches!(before, '-' | '=' | '+') || matches!(after, '-' | '=' | '+');
            if keep || !(tight_after || tight_before) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A declaration's text with every path cut to its last segment
/// (`&reqwest::header::HeaderMap` → `&HeaderMap`): the generator and the runtime spell
/// one type several ways, and names in a generated crate are unique enough.
fn short(text: String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if c == ':' && chars.peek() == Some(&':') && !word.is_empty() {
            chars.next();
            word.clear();
            continue;
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.push_str(&word);
    out
}

/// The `pub(crate)` constants of `meta.rs` (the base URL, …), which the runtime's public
/// constants refer to: `Client::DEFAULT_BASE_URL = meta::DEFAULT_BASE_URL`.
fn meta_consts(meta: Option<&syn::File>) -> BTreeMap<String, String> {
    meta.map(|f| f.items.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|item| match item {
            syn::Item::Const(c) => Some((format!("meta::{}", c.ident), tokens(&c.expr))),
            _ => None,
        })
        .collect()
}

/// The name of a type-like item (struct, enum, alias, trait) and whether it is public.
fn type_name(item: &syn::Item) -> Option<(String, bool)> {
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => Some((s.ident.to_string(), true)),
        syn::Item::Enum(e) if is_pub(&e.vis) => Some((e.ident.to_string(), true)),
        syn::Item::Type(t) if is_pub(&t.vis) => Some((t.ident.to_string(), true)),
        syn::Item::Trait(t) if is_pub(&t.vis) => Some((t.ident.to_string(), true)),
        _ => None,
    }
}

/// The attributes that are part of an item's contract: `cfg`, `deprecated`. Docs and
/// serde's attributes are not (serde's are the wire format, which the model comparison
/// reports).
fn contract_attrs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg") || a.path().is_ident("deprecated"))
        .map(|a| tokens(a) + " ")
        .collect()
}

/// The condition of an item's `#[cfg(..)]` (`feature = "full-serde"`), written as a
/// `cfg_attr` writes it, so a derive and a written impl under one condition compare equal.
fn cfg_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| match &a.meta {
            syn::Meta::List(list) => Some(list.tokens.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// The traits an item derives, each with the condition it is derived under (`""`, or
/// `feature = "full-serde"` for a `cfg_attr`).
fn derives(attrs: &[syn::Attribute]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("derive") {
            let _ = attr.parse_nested_meta(|meta| {
                out.push((path_name(&meta.path), String::new()));
                Ok(())
            });
        } else if attr.path().is_ident("cfg_attr")
            && let syn::Meta::List(list) = &attr.meta
        {
            // `cfg_attr(<condition>, derive(A, B))`: split at the top-level comma.
            let text = list.tokens.to_string();
            if let Some((condition, rest)) = text.split_once(", derive")
                && let Some(inner) = rest.trim().strip_prefix('(')
            {
                for name in inner.trim_end_matches(')').split(',') {
                    let name = name.split_whitespace().collect::<String>();
                    if !name.is_empty() {
                        out.push((name, condition.trim().to_owned()));
                    }
                }
            }
        }
    }
    out
}

fn path_name(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// A trait by its last segment (`fmt::Debug`, `std::fmt::Debug` and a derived `Debug` are
/// one trait).
fn trait_name(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The name of the type an impl is for (`crate::Client` → `Client`, `Get<'_>` → `Get`).
fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn collect(
    item: &syn::Item,
    scope: &Scope,
    owner_of: &dyn Fn(&str) -> Option<String>,
    meta: &BTreeMap<String, String>,
    out: &mut Items,
) {
    let mut put = |path: String, kind: ItemKind, signature: String, value: Option<String>| {
        out.insert(
            path,
            Item {
                kind,
                signature: short(signature),
                value,
            },
        );
    };
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => {
            let Some(path) = scope.public_path(&s.ident.to_string()) else {
                return;
            };
            let signature = format!(
                "{}struct {}{}",
                contract_attrs(&s.attrs),
                s.ident,
                tokens(&s.generics)
            );
            for (i, field) in s.fields.iter().enumerate() {
                if is_pub(&field.vis) {
                    let name = field
                        .ident
                        .as_ref()
                        .map_or_else(|| i.to_string(), ToString::to_string);
                    let sig = format!("{}{}", contract_attrs(&field.attrs), tokens(&field.ty));
                    put(format!("{path}::{name}"), ItemKind::Field, sig, None);
                }
            }
            type_markers(&path, &s.attrs, &mut put);
            put(path, ItemKind::Struct, signature, None);
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            let Some(path) = scope.public_path(&e.ident.to_string()) else {
                return;
            };
            let signature = format!(
                "{}enum {}{}",
                contract_attrs(&e.attrs),
                e.ident,
                tokens(&e.generics)
            );
            for v in &e.variants {
                let sig = format!("{}{}", contract_attrs(&v.attrs), tokens(&v.fields));
                put(format!("{path}::{}", v.ident), ItemKind::Variant, sig, None);
            }
            type_markers(&path, &e.attrs, &mut put);
            put(path, ItemKind::Enum, signature, None);
        }
        syn::Item::Type(t) if is_pub(&t.vis) => {
            if let Some(path) = scope.public_path(&t.ident.to_string()) {
                let sig = format!(
                    "{}type {}{} = {}",
                    contract_attrs(&t.attrs),
                    t.ident,
                    tokens(&t.generics),
                    tokens(&t.ty)
                );
                put(path, ItemKind::Alias, sig, None);
            }
        }
        syn::Item::Trait(t) if is_pub(&t.vis) => {
            if let Some(path) = scope.public_path(&t.ident.to_string()) {
                for member in &t.items {
                    if let syn::TraitItem::Fn(f) = member {
                        let sig = format!("{}{}", contract_attrs(&f.attrs), tokens(&f.sig));
                        put(
                            format!("{path}::{}", f.sig.ident),
                            ItemKind::Method,
                            sig,
                            None,
                        );
                    }
                }
                let sig = format!(
                    "{}trait {}{}",
                    contract_attrs(&t.attrs),
                    t.ident,
                    tokens(&t.generics)
                );
                put(path, ItemKind::Trait, sig, None);
            }
        }
        syn::Item::Fn(f) if is_pub(&f.vis) => {
            if let Some(path) = scope.public_path(&f.sig.ident.to_string()) {
                let sig = format!("{}{}", contract_attrs(&f.attrs), tokens(&f.sig));
                put(path, ItemKind::Function, sig, None);
            }
        }
        syn::Item::Const(c) if is_pub(&c.vis) => {
            if let Some(path) = scope.public_path(&c.ident.to_string()) {
                let value = constant(&tokens(&c.expr), meta);
                put(path, ItemKind::Constant, tokens(&c.ty), Some(value));
            }
        }
        syn::Item::Impl(imp) => {
            let Some(owner) = self_name(&imp.self_ty).and_then(|n| owner_of(&n)) else {
                return;
            };
            if let Some((trait_path, _)) = &imp.trait_ {
                let key = format!("{owner} impl {}", trait_name(trait_path));
                put(key, ItemKind::TraitImpl, cfg_of(&imp.attrs), None);
                return;
            }
            let impl_cfg = contract_attrs(&imp.attrs);
            for member in &imp.items {
                match member {
                    syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                        let sig =
                            format!("{impl_cfg}{}{}", contract_attrs(&f.attrs), tokens(&f.sig));
                        put(
                            format!("{owner}::{}", f.sig.ident),
                            ItemKind::Method,
                            sig,
                            None,
                        );
                    }
                    syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                        let value = constant(&tokens(&c.expr), meta);
                        let path = format!("{owner}::{}", c.ident);
                        put(path, ItemKind::Constant, tokens(&c.ty), Some(value));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// A type's derives and `#[non_exhaustive]` as items of their own, so that each is
/// judged on its own (a trait gained, a trait lost, exhaustiveness given up).
fn type_markers(
    path: &str,
    attrs: &[syn::Attribute],
    put: &mut impl FnMut(String, ItemKind, String, Option<String>),
) {
    for (name, condition) in derives(attrs) {
        let name = name.rsplit("::").next().unwrap_or(&name).to_owned();
        put(
            format!("{path} impl {name}"),
            ItemKind::TraitImpl,
            condition,
            None,
        );
    }
    if non_exhaustive(attrs) {
        put(
            format!("{path} #[non_exhaustive]"),
            ItemKind::NonExhaustive,
            String::new(),
            None,
        );
    }
}

/// A constant's value, with a reference to `meta.rs` replaced by what it says there.
fn constant(expr: &str, meta: &BTreeMap<String, String>) -> String {
    meta.get(expr).cloned().unwrap_or_else(|| expr.to_owned())
}

/// The `version` of a crate's `Cargo.toml`.
pub fn package_version(files: &BTreeMap<String, String>) -> Option<String> {
    let manifest = files.get("Cargo.toml")?;
    manifest.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix("version")?
            .trim()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_owned())
    })
}

/// Every difference between two item lists, as findings of the `Items` section.
pub fn compare(before: &Items, after: &Items, lib: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let owner_closed = |items: &Items, path: &str| {
        let owner = owner_path(path);
        !items.contains_key(&format!("{owner} #[non_exhaustive]"))
    };
    let mut push = |path: &str, detail: Detail| {
        findings.push(Finding {
            section: Section::Items,
            location: format!("item {path}"),
            detail,
            direction: Direction::default(),
            rust_items: vec![format!("{lib}::{}", path.split(' ').next().unwrap_or(path))],
        });
    };
    for (path, item) in before {
        match after.get(path) {
            None => push(
                path,
                Detail::ItemRemoved {
                    item: path.clone(),
                    item_kind: item.kind,
                    signature: item.signature.clone(),
                },
            ),
            Some(now) if now != item => push(
                path,
                Detail::ItemChanged {
                    item: path.clone(),
                    item_kind: item.kind,
                    from: describe(item),
                    to: describe(now),
                    only_value: now.signature == item.signature && now.kind == item.kind,
                },
            ),
            Some(_) => {}
        }
    }
    for (path, item) in after {
        if !before.contains_key(path) {
            let owner_is_closed = matches!(item.kind, ItemKind::Field | ItemKind::Variant)
                && owner_closed(after, path);
            push(
                path,
                Detail::ItemAdded {
                    item: path.clone(),
                    item_kind: item.kind,
                    signature: item.signature.clone(),
                    owner_is_closed,
                },
            );
        }
    }
    findings
}

fn describe(item: &Item) -> String {
    match &item.value {
        Some(value) => format!("{}: {} = {value}", item.kind.label(), item.signature),
        None => format!("{}: {}", item.kind.label(), item.signature),
    }
}

/// The path of the item a member belongs to: `types::A::b` → `types::A`.
fn owner_path(path: &str) -> &str {
    path.rsplit_once("::").map_or(path, |(owner, _)| owner)
}

/// The items model findings already account for, by anchor: the type, builder, method or
/// root item a path belongs to (`types::Collection` for `types::Collection::info`).
pub struct Anchors(BTreeSet<String>);

impl Anchors {
    pub fn of(findings: &[Finding], lib: &str) -> Anchors {
        let prefix = format!("{lib}::");
        Anchors(
            findings
                .iter()
                .flat_map(|f| &f.rust_items)
                .filter_map(|item| {
                    let path = item.strip_prefix(&prefix)?;
                    let path = path.split('(').next().unwrap_or(path);
                    Some(anchor(path).to_owned())
                })
                .collect(),
        )
    }

    /// The finding is about an item a model finding already names.
    pub fn covers(&self, finding: &Finding) -> bool {
        let path = finding
            .location
            .strip_prefix("item ")
            .unwrap_or(&finding.location);
        let path = path.split(' ').next().unwrap_or(path);
        let first = path.split("::").next().unwrap_or(path);
        self.0.contains(anchor(path)) || self.0.contains(first)
    }
}

/// The first two segments of a path (`types::X`, `Client::method`, `module::Builder`), or
/// the one segment of a root item (`Uid`).
fn anchor(path: &str) -> &str {
    match path.match_indices("::").nth(1) {
        Some((end, _)) => &path[..end],
        None => path,
    }
}

/// Fits model findings to the shape the crates were emitted in: a member or variant added
/// to a type that is not `#[non_exhaustive]` is marked `closed` (literals and exhaustive
/// matches break), and a constructor change is dropped when the old crate has no
/// constructor to break.
pub fn settle(findings: &mut Vec<Finding>, before: &Items, after: &Items, lib: &str) {
    let prefix = format!("{lib}::");
    let closed = |item: &str| {
        let path = item.strip_prefix(&prefix).unwrap_or(item);
        !after.contains_key(&format!("{} #[non_exhaustive]", owner_path(path)))
    };
    let first_item = |f: &Finding| f.rust_items.first().cloned().unwrap_or_default();
    findings.retain(|f| match &f.detail {
        Detail::ConstructorChanged { .. } => {
            let path = first_item(f);
            before.contains_key(path.strip_prefix(&prefix).unwrap_or(&path))
        }
        _ => true,
    });
    for f in findings.iter_mut() {
        // A field's `with_` setter is the field's too (removed, retyped with it).
        let setters: Vec<String> = f
            .rust_items
            .iter()
            .filter_map(|item| {
                let path = item.strip_prefix(&prefix)?;
                let (owner, field) = path.rsplit_once("::")?;
                let setter = format!("{owner}::with_{}", field.trim_start_matches("r#"));
                (owner.starts_with("types::")
                    && (before.contains_key(&setter) || after.contains_key(&setter)))
                .then(|| format!("{prefix}{setter}"))
            })
            .collect();
        f.rust_items.extend(setters);
        let item = first_item(f);
        match &mut f.detail {
            Detail::PropertyAdded { closed: c, .. }
            | Detail::EnumValueAdded { closed: c, .. }
            | Detail::VariantAdded { closed: c, .. } => *c = closed(&item),
            Detail::ResponseStatusAdded {
                rust_variant: Some(variant),
                closed: c,
                ..
            } => *c = closed(variant),
            _ => {}
        }
    }
}
