//! Walks over the model: the type references an operation or a type holds, and the
//! named types reachable from them. Every stage that follows references (pruning,
//! grouping, serde use, spec-diff) goes through these, so they agree on what an
//! operation sends and receives.

use super::{Operation, PageStyle, ResponseBody, Success, TypeDef, TypeId, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// The types an operation sends: its parameters, its request body, and the type of the
/// offset parameter its pagination sets.
pub fn request_refs(operation: &Operation, mut f: impl FnMut(&TypeRef)) {
    operation.params.iter().for_each(|p| f(&p.ty));
    operation.body.iter().for_each(|b| f(&b.ty));
    if let Some(PageStyle::Offset { param_type, .. }) =
        operation.pagination.as_ref().map(|p| &p.style)
    {
        f(param_type);
    }
}

/// The types an operation receives: its success and error bodies, and its page items.
pub fn response_refs(operation: &Operation, mut f: impl FnMut(&TypeRef)) {
    match &operation.response {
        Success::Single(ResponseBody::Json(ty)) => f(ty),
        Success::Single(ResponseBody::Stream(stream)) => f(&stream.item),
        Success::Single(_) => {}
        Success::ByStatus { variants, .. } => variants
            .iter()
            .filter_map(|v| v.ty.as_ref())
            .for_each(&mut f),
    }
    if let Some(stream) = &operation.stream {
        f(&stream.item);
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

/// Every type reference of an operation: [`request_refs`], then [`response_refs`].
pub fn operation_refs(operation: &Operation, mut f: impl FnMut(&TypeRef)) {
    request_refs(operation, &mut f);
    response_refs(operation, &mut f);
}

/// [`operation_refs`], for changing them.
pub fn operation_refs_mut(operation: &mut Operation, mut f: impl FnMut(&mut TypeRef)) {
    operation.params.iter_mut().for_each(|p| f(&mut p.ty));
    operation.body.iter_mut().for_each(|b| f(&mut b.ty));
    match &mut operation.response {
        Success::Single(ResponseBody::Json(ty)) => f(ty),
        Success::Single(ResponseBody::Stream(stream)) => f(&mut stream.item),
        Success::Single(_) => {}
        Success::ByStatus { variants, .. } => variants
            .iter_mut()
            .filter_map(|v| v.ty.as_mut())
            .for_each(&mut f),
    }
    if let Some(stream) = &mut operation.stream {
        f(&mut stream.item);
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

/// The type references a type holds directly: fields, variants, an alias's target.
pub fn kind_refs(kind: &TypeKind, mut f: impl FnMut(&TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|field| f(&field.ty));
            s.extra.iter().for_each(|extra| f(&extra.ty));
        }
        TypeKind::Untagged(variants) => variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Tagged { variants, .. } => variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => f(ty),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
}

/// [`kind_refs`], for changing them.
pub fn kind_refs_mut(kind: &mut TypeKind, mut f: impl FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            s.extra.iter_mut().for_each(|extra| f(&mut extra.ty));
        }
        TypeKind::Untagged(variants) => variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => f(ty),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
}

/// The named type `ty` is, or holds in a list or map, if any. (Tuples hold no named
/// types: loading makes tuples of scalars only.)
pub fn named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) => named(inner),
        _ => None,
    }
}

/// The named type in `ty` (see [`named`]), for changing it.
pub fn named_mut(ty: &mut TypeRef) -> Option<&mut TypeId> {
    match ty {
        TypeRef::Named(id) => Some(id),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_mut(inner),
        _ => None,
    }
}

/// Adds to `reached` every named type reachable from `ty` through any reference, `ty`'s
/// own included. Iterative, so deep or cyclic type graphs cannot overflow the stack.
pub fn reach(types: &[TypeDef], ty: &TypeRef, reached: &mut BTreeSet<TypeId>) {
    let mut pending: Vec<TypeId> = named(ty).into_iter().collect();
    while let Some(id) = pending.pop() {
        if reached.insert(id) {
            kind_refs(&types[id.0].kind, |child| pending.extend(named(child)));
        }
    }
}
