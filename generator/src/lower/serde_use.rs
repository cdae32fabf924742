//! Which serde traits each type needs: what an operation sends is serialized, what it
//! receives deserialized, and so is everything inside them.

use super::prune::{for_each_kind_ref, for_each_request_ref, for_each_response_ref};
use crate::model::{Module, SerdeUse, TypeDef, TypeId, TypeRef};

pub fn decide(types: &mut [TypeDef], modules: &[Module]) {
    let operations = || modules.iter().flat_map(|m| &m.operations);
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for operation in operations() {
        for_each_request_ref(operation, |ty| named(ty, &mut sent));
        for_each_response_ref(operation, |ty| named(ty, &mut received));
    }
    mark(types, sent, |use_| &mut use_.serialize);
    mark(types, received, |use_| &mut use_.deserialize);
    // Types no operation reaches (kept with `Settings::with_all_schemas`) get both.
    for def in types.iter_mut() {
        if def.serde == SerdeUse::default() {
            def.serde = SerdeUse {
                serialize: true,
                deserialize: true,
            };
        }
    }
}

/// Sets the flag `flag` picks on every type in `roots` and every type inside them.
fn mark(
    types: &mut [TypeDef],
    mut pending: Vec<TypeId>,
    flag: impl Fn(&mut SerdeUse) -> &mut bool,
) {
    while let Some(id) = pending.pop() {
        let def = &mut types[id.0];
        let set = flag(&mut def.serde);
        if *set {
            continue;
        }
        *set = true;
        for_each_kind_ref(&def.kind, |ty| named(ty, &mut pending));
    }
}

/// The named type `ty` is or holds, if any.
fn named(ty: &TypeRef, into: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => into.push(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) => named(inner, into),
        _ => {}
    }
}
