//! Type aliases that lead back to themselves: `type A = B; type B = A;` describes no
//! value and is refused; `type Arr = Vec<Arr>;` (a list or map of itself, through any
//! chain of aliases) is a cycle rustc rejects (E0391), so each alias on it becomes a
//! newtype (`struct Arr(Vec<Arr>)`), which encodes the same.

use crate::error::{Error, Result};
use crate::model::{TypeDef, TypeId, TypeKind, TypeRef, walk};

pub fn break_alias_cycles(types: &mut [TypeDef]) -> Result<()> {
    // Each alias names at most one type: the chains are paths, cheap to follow.
    let next = |types: &[TypeDef], id: TypeId, direct_only: bool| match &types[id.0].kind {
        TypeKind::Alias(TypeRef::Named(target)) => Some(*target),
        TypeKind::Alias(ty) if !direct_only => walk::named(ty),
        _ => None,
    };
    let follows_back = |types: &[TypeDef], start: TypeId, direct_only: bool| {
        let mut chain = vec![start];
        let mut id = start;
        while let Some(target) = next(types, id, direct_only) {
            if target == start {
                return Some(chain);
            }
            if chain.contains(&target) {
                return None;
            }
            chain.push(target);
            id = target;
        }
        None
    };
    for start in 0..types.len() {
        if let Some(chain) = follows_back(types, TypeId(start), true) {
            let names: Vec<&str> = chain
                .iter()
                .chain([&TypeId(start)])
                .map(|id| types[id.0].pointer.as_str())
                .collect();
            return Err(Error::invalid(
                &types[start].pointer,
                format!(
                    "$ref cycle: {}: the schemas only refer to each other and describe no value",
                    names.join(" -> ")
                ),
            ));
        }
    }
    let recursive: Vec<usize> = (0..types.len())
        .filter(|&id| follows_back(types, TypeId(id), false).is_some())
        .collect();
    for id in recursive {
        if let TypeKind::Alias(ty) = &types[id].kind {
            types[id].kind = TypeKind::Newtype(ty.clone());
        }
    }
    Ok(())
}
