//! The JSON type behind a Rust type, and how two of them relate (HTTP-level rules look at
//! the wire, not at Rust names).

use crate::change::{Relation, TypeChange};
use crate::rust_items::rust_type;
use generator::model::{Api, TypeKind, TypeRef};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Int32,
    Int64,
    Float,
    Double,
    Str,
    Bool,
    Any,
    Binary,
    Object,
    StrEnum,
    IntEnum,
    Union,
    Array(Box<Shape>),
    /// An array of exactly these items (a tuple).
    Tuple(Vec<Shape>),
    Map(Box<Shape>),
}

fn shape(api: &Api, ty: &TypeRef, depth: usize) -> Shape {
    match ty {
        TypeRef::String => Shape::Str,
        TypeRef::Bool => Shape::Bool,
        TypeRef::I32 => Shape::Int32,
        TypeRef::I64 => Shape::Int64,
        TypeRef::F32 => Shape::Float,
        TypeRef::F64 => Shape::Double,
        TypeRef::Json => Shape::Any,
        TypeRef::Binary => Shape::Binary,
        TypeRef::List(inner) => Shape::Array(Box::new(shape(api, inner, depth))),
        TypeRef::Tuple(members) => {
            Shape::Tuple(members.iter().map(|m| shape(api, m, depth)).collect())
        }
        TypeRef::Map(inner) => Shape::Map(Box::new(shape(api, inner, depth))),
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(_) => Shape::Object,
            TypeKind::Enum(_) => Shape::StrEnum,
            TypeKind::IntEnum(_) => Shape::IntEnum,
            TypeKind::Untagged(_) | TypeKind::Tagged { .. } => Shape::Union,
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) if depth < 16 => {
                shape(api, inner, depth + 1)
            }
            TypeKind::Alias(_) | TypeKind::Newtype(_) => Shape::Any,
        },
    }
}

fn name(shape: &Shape) -> String {
    match shape {
        Shape::Int32 => "integer (int32)".into(),
        Shape::Int64 => "integer (int64)".into(),
        Shape::Float => "number (float)".into(),
        Shape::Double => "number".into(),
        Shape::Str => "string".into(),
        Shape::Bool => "boolean".into(),
        Shape::Any => "any".into(),
        Shape::Binary => "binary".into(),
        Shape::Object => "object".into(),
        Shape::StrEnum => "string enum".into(),
        Shape::IntEnum => "integer enum".into(),
        Shape::Union => "oneOf".into(),
        Shape::Array(inner) => format!("array of {}", name(inner)),
        Shape::Tuple(members) => format!(
            "array of exactly [{}]",
            members.iter().map(name).collect::<Vec<_>>().join(", ")
        ),
        Shape::Map(inner) => format!("map of {}", name(inner)),
    }
}

/// `big` accepts every value of `small`.
fn contains(big: &Shape, small: &Shape) -> bool {
    use Shape::*;
    if big == small {
        return true;
    }
    match (big, small) {
        (Any, _) => true,
        (Int64, Int32 | IntEnum) => true,
        (Int32, IntEnum) => true,
        (Float, Int32 | IntEnum) => true,
        (Double, Int32 | Int64 | Float | IntEnum) => true,
        (Str, StrEnum) => true,
        (Array(a), Array(b)) | (Map(a), Map(b)) => contains(a, b),
        (Tuple(a), Tuple(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| contains(a, b)),
        (Array(a), Tuple(b)) => b.iter().all(|b| contains(a, b)),
        _ => false,
    }
}

fn relation(from: &Shape, to: &Shape) -> Relation {
    if from == to {
        Relation::Same
    } else if contains(to, from) {
        Relation::Widened
    } else if contains(from, to) {
        Relation::Narrowed
    } else {
        Relation::Incompatible
    }
}

/// The change from `from` (in `base`) to `to` (in `head`), or `None` when both the Rust
/// type and the JSON type are the same.
pub fn type_change(base: &Api, from: &TypeRef, head: &Api, to: &TypeRef) -> Option<TypeChange> {
    let (from_shape, to_shape) = (shape(base, from, 0), shape(head, to, 0));
    let (from_rust, to_rust) = (rust_type(base, from), rust_type(head, to));
    if from_rust == to_rust && from_shape == to_shape {
        return None;
    }
    Some(TypeChange {
        from_json: name(&from_shape),
        to_json: name(&to_shape),
        from_rust,
        to_rust,
        relation: relation(&from_shape, &to_shape),
    })
}

/// A change between two descriptions that are not types (`()`, text, bytes) or are.
pub fn labelled_change(from: (String, String), to: (String, String)) -> TypeChange {
    let relation = if from.0 == to.0 {
        Relation::Same
    } else {
        Relation::Incompatible
    };
    TypeChange {
        from_json: from.0,
        to_json: to.0,
        from_rust: from.1,
        to_rust: to.1,
        relation,
    }
}

/// The JSON name of a type (for bodies described as a pair with [`labelled_change`]).
pub fn json_name(api: &Api, ty: &TypeRef) -> String {
    name(&shape(api, ty, 0))
}
