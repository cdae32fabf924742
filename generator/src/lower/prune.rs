//! Dropping the types no operation reaches, and renumbering the rest.

use crate::model::{Module, TypeDef, TypeId, walk};
use std::collections::BTreeSet;

/// Keeps the types reachable from some operation or from `roots`, in their original order.
pub fn unused_types(types: Vec<TypeDef>, modules: &mut [Module], roots: &[TypeId]) -> Vec<TypeDef> {
    let mut reached = BTreeSet::new();
    for root in roots {
        walk::reach(&types, &crate::model::TypeRef::Named(*root), &mut reached);
    }
    for operation in modules.iter().flat_map(|m| &m.operations) {
        walk::operation_refs(operation, |ty| walk::reach(&types, ty, &mut reached));
    }
    if reached.len() == types.len() {
        return types;
    }
    // Old id → new id.
    let mut new_ids = vec![None; types.len()];
    for (new, old) in reached.iter().enumerate() {
        new_ids[old.0] = Some(TypeId(new));
    }
    let remap = |ty: &mut crate::model::TypeRef| {
        // Every type a kept type refers to is itself reached, so kept.
        if let Some(id) = walk::named_mut(ty)
            && let Some(new) = new_ids[id.0]
        {
            *id = new;
        }
    };
    for operation in modules.iter_mut().flat_map(|m| &mut m.operations) {
        walk::operation_refs_mut(operation, remap);
    }
    types
        .into_iter()
        .enumerate()
        .filter(|(i, _)| new_ids[*i].is_some())
        .map(|(_, mut def)| {
            walk::kind_refs_mut(&mut def.kind, remap);
            def
        })
        .collect()
}
