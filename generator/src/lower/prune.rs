//! Dropping the types no operation reaches, and renumbering the rest.

use crate::model::{
    Module, Operation, PageStyle, ResponseBody, Success, TypeDef, TypeId, TypeKind, TypeRef,
};
use std::collections::BTreeSet;

/// Keeps the types reachable from some operation, in their original order.
pub fn unused_types(types: Vec<TypeDef>, modules: &mut [Module]) -> Vec<TypeDef> {
    let mut reached = BTreeSet::new();
    for operation in modules.iter().flat_map(|m| &m.operations) {
        for_each_ref(operation, |ty| collect(&types, ty, &mut reached));
    }
    if reached.len() == types.len() {
        return types;
    }
    // Old id → new id.
    let mut new_ids = vec![None; types.len()];
    for (new, old) in reached.iter().enumerate() {
        new_ids[old.0] = Some(TypeId(new));
    }
    let remap = |ty: &mut TypeRef| remap(ty, &new_ids);
    for operation in modules.iter_mut().flat_map(|m| &mut m.operations) {
        for_each_ref_mut(operation, remap);
    }
    types
        .into_iter()
        .enumerate()
        .filter(|(i, _)| new_ids[*i].is_some())
        .map(|(_, mut def)| {
            for_each_kind_ref_mut(&mut def.kind, remap);
            def
        })
        .collect()
}

fn remap(ty: &mut TypeRef, new_ids: &[Option<TypeId>]) {
    match ty {
        TypeRef::Named(id) => {
            // Every type a kept type refers to is itself reached, so kept.
            if let Some(new) = new_ids[id.0] {
                *id = new;
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => remap(inner, new_ids),
        _ => {}
    }
}

fn collect(types: &[TypeDef], ty: &TypeRef, reached: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Named(id) if reached.insert(*id) => {
            let mut children = Vec::new();
            for_each_kind_ref(&types[id.0].kind, |t| children.push(t.clone()));
            for child in &children {
                collect(types, child, reached);
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => collect(types, inner, reached),
        _ => {}
    }
}

fn for_each_ref(operation: &Operation, mut f: impl FnMut(&TypeRef)) {
    for_each_request_ref(operation, &mut f);
    for_each_response_ref(operation, &mut f);
}

/// The types an operation sends: its parameters and request body.
pub(super) fn for_each_request_ref(operation: &Operation, mut f: impl FnMut(&TypeRef)) {
    operation.params.iter().for_each(|p| f(&p.ty));
    operation.body.iter().for_each(|b| f(&b.ty));
    if let Some(PageStyle::Offset { param_type, .. }) =
        operation.pagination.as_ref().map(|p| &p.style)
    {
        f(param_type);
    }
}

/// The types an operation receives: its success and error bodies.
pub(super) fn for_each_response_ref(operation: &Operation, mut f: impl FnMut(&TypeRef)) {
    match &operation.response {
        Success::Single(ResponseBody::Json(ty)) => f(ty),
        Success::Single(_) => {}
        Success::ByStatus { variants, .. } => variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .for_each(&mut f),
    }
    if let Some(errors) = &operation.errors {
        errors
            .variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .for_each(&mut f);
    }
    if let Some(pagination) = &operation.pagination {
        f(&pagination.item_type);
    }
}

fn for_each_ref_mut(operation: &mut Operation, mut f: impl FnMut(&mut TypeRef)) {
    operation.params.iter_mut().for_each(|p| f(&mut p.ty));
    operation.body.iter_mut().for_each(|b| f(&mut b.ty));
    match &mut operation.response {
        Success::Single(ResponseBody::Json(ty)) => f(ty),
        Success::Single(_) => {}
        Success::ByStatus { variants, .. } => variants
            .iter_mut()
            .filter_map(|v| v.ty.as_mut())
            .for_each(&mut f),
    }
    if let Some(errors) = &mut operation.errors {
        errors
            .variants
            .iter_mut()
            .filter_map(|v| v.ty.as_mut())
            .for_each(&mut f);
    }
    if let Some(pagination) = &mut operation.pagination {
        f(&mut pagination.item_type);
        if let PageStyle::Offset { param_type, .. } = &mut pagination.style {
            f(param_type);
        }
    }
}

pub(super) fn for_each_kind_ref(kind: &TypeKind, mut f: impl FnMut(&TypeRef)) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|field| f(&field.ty)),
        TypeKind::Untagged(variants) => variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Tagged { variants, .. } => variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
}

fn for_each_kind_ref_mut(kind: &mut TypeKind, mut f: impl FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|field| f(&mut field.ty)),
        TypeKind::Untagged(variants) => variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
}
