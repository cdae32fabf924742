//! Decisions that need the whole type graph.

use crate::model::{COMMON_GROUP, Module, TypeDef, TypeId, TypeKind, TypeRef, walk};
use std::collections::BTreeSet;

pub fn finish(types: &mut [TypeDef], modules: &[Module]) {
    box_recursive_fields(types);
    derive_defaults(types);
    assign_groups(types, modules);
}

/// The type a field or variant holds without indirection (`Vec` and maps are indirect).
fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

fn direct_edges(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| !f.boxed)
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_target(ty).into_iter().collect(),
        // Union variants that hold structs or unions are boxed when emitted, and enums
        // cannot lead back: no direct edge.
        TypeKind::Untagged(_)
        | TypeKind::Tagged { .. }
        | TypeKind::Enum(_)
        | TypeKind::IntEnum(_) => Vec::new(),
    }
}

fn reaches(types: &[TypeDef], from: TypeId, target: TypeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == target {
            return true;
        }
        if seen.insert(id) {
            stack.extend(direct_edges(&types[id.0].kind));
        }
    }
    false
}

/// A struct that contains itself without indirection would have infinite size: box the
/// fields that close such a cycle, in order, until none is left.
fn box_recursive_fields(types: &mut [TypeDef]) {
    for id in 0..types.len() {
        let TypeKind::Struct(s) = &types[id].kind else {
            continue;
        };
        for f in 0..s.fields.len() {
            let target = match &types[id].kind {
                TypeKind::Struct(s) => direct_target(&s.fields[f].ty),
                _ => None,
            };
            if let Some(target) = target
                && reaches(types, target, TypeId(id))
                && let TypeKind::Struct(s) = &mut types[id].kind
            {
                s.fields[f].boxed = true;
            }
        }
    }
}

/// Structs derive `Default` when every field has one: the greatest fixpoint, so
/// mutually recursive structs through `Option`/`Vec` still get it.
fn derive_defaults(types: &mut [TypeDef]) {
    for ty in types.iter_mut() {
        if let TypeKind::Struct(s) = &mut ty.kind {
            s.default = true;
        }
    }
    loop {
        let mut changed = false;
        for id in 0..types.len() {
            let TypeKind::Struct(s) = &types[id].kind else {
                continue;
            };
            if !s.default {
                continue;
            }
            let all_default = s
                .fields
                .iter()
                .all(|f| f.is_option() || (!f.boxed && has_default(types, &f.ty)));
            if !all_default && let TypeKind::Struct(s) = &mut types[id].kind {
                s.default = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn has_default(types: &[TypeDef], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(s) => s.default,
            TypeKind::Alias(inner) => has_default(types, inner),
            // A list or a map of itself: empty by default.
            TypeKind::Newtype(_) => true,
            TypeKind::Enum(_)
            | TypeKind::IntEnum(_)
            | TypeKind::Untagged(_)
            | TypeKind::Tagged { .. } => false,
        },
        _ => true,
    }
}

/// Each type goes to the module of the only tag that uses it, or to `common`.
fn assign_groups(types: &mut [TypeDef], modules: &[Module]) {
    let mut owner: Vec<Option<&str>> = vec![None; types.len()];
    let mut shared = vec![false; types.len()];
    for module in modules {
        let mut reached = BTreeSet::new();
        for operation in &module.operations {
            walk::operation_refs(operation, |ty| walk::reach(types, ty, &mut reached));
        }
        for id in reached {
            match owner[id.0] {
                None => owner[id.0] = Some(&module.name),
                Some(name) if name != module.name => shared[id.0] = true,
                Some(_) => {}
            }
        }
    }
    // `common` is compiled whatever features are on, so whatever a common type refers
    // to must be common too.
    let mut common = BTreeSet::new();
    for i in 0..types.len() {
        if owner[i].is_none() || shared[i] {
            walk::reach(types, &TypeRef::Named(TypeId(i)), &mut common);
        }
    }
    for (i, ty) in types.iter_mut().enumerate() {
        ty.group = match owner[i] {
            Some(name) if !common.contains(&TypeId(i)) => name.to_owned(),
            _ => COMMON_GROUP.to_owned(),
        };
    }
}
