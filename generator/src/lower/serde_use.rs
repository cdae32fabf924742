//! Which serde traits each type needs: what an operation sends is serialized, what it
//! receives deserialized, and so is everything inside them.

use crate::model::{Module, SerdeUse, TypeDef, TypeId, walk};

pub fn decide(types: &mut [TypeDef], modules: &[Module]) {
    let operations = || modules.iter().flat_map(|m| &m.operations);
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for operation in operations() {
        walk::request_refs(operation, |ty| sent.extend(walk::named(ty)));
        walk::response_refs(operation, |ty| received.extend(walk::named(ty)));
    }
    mark(types, sent, |use_| &mut use_.serialize);
    mark(types, received, |use_| &mut use_.deserialize);
    // Types no operation reaches (webhook payloads, and every schema with
    // `Settings::with_all_schemas`) get both, and so does everything inside them, which
    // an operation may reach one way only.
    let unreached: Vec<TypeId> = types
        .iter()
        .enumerate()
        .filter(|(_, def)| def.serde == SerdeUse::default())
        .map(|(i, _)| TypeId(i))
        .collect();
    mark(types, unreached.clone(), |use_| &mut use_.serialize);
    mark(types, unreached, |use_| &mut use_.deserialize);
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
        walk::kind_refs(&def.kind, |ty| pending.extend(walk::named(ty)));
    }
}
