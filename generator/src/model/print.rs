//! How a [`TypeRef`] is written in Rust: the one place that decides it, for the emitted
//! code, the public-surface listing and spec-diff's reports.

use super::{Api, TypeRef};

/// The paths a type is written with, which depend on where it is written from.
#[derive(Debug, Clone, Copy)]
pub struct TypePaths {
    /// Before a named type: `crate::types::`, `super::` or nothing.
    pub types: &'static str,
    /// Before a runtime type (`Binary`): `crate::` or nothing.
    pub runtime: &'static str,
    /// Before `BTreeMap`: `std::collections::` or nothing.
    pub collections: &'static str,
}

impl TypePaths {
    /// As readers see types in listings: `Vec<Collection>`, `BTreeMap<String, Binary>`.
    pub const BARE: TypePaths = TypePaths {
        types: "",
        runtime: "",
        collections: "",
    };
    /// From anywhere in the generated crate.
    pub const CRATE: TypePaths = TypePaths {
        types: "crate::types::",
        runtime: "crate::",
        collections: "std::collections::",
    };
    /// From a module inside `types`.
    pub const TYPES: TypePaths = TypePaths {
        types: "super::",
        runtime: "crate::",
        collections: "std::collections::",
    };
}

/// `ty` written in Rust with `paths`.
pub fn rust_type(api: &Api, ty: &TypeRef, paths: TypePaths) -> String {
    let mut out = String::new();
    write(api, ty, paths, &mut out);
    out
}

fn write(api: &Api, ty: &TypeRef, paths: TypePaths, out: &mut String) {
    match ty {
        TypeRef::String => out.push_str("String"),
        TypeRef::Bool => out.push_str("bool"),
        TypeRef::I32 => out.push_str("i32"),
        TypeRef::I64 => out.push_str("i64"),
        TypeRef::F32 => out.push_str("f32"),
        TypeRef::F64 => out.push_str("f64"),
        TypeRef::Json => out.push_str("serde_json::Value"),
        TypeRef::Binary => {
            out.push_str(paths.runtime);
            out.push_str("Binary");
        }
        TypeRef::Named(id) => {
            out.push_str(paths.types);
            out.push_str(&api.types[id.0].name);
        }
        TypeRef::List(inner) => {
            out.push_str("Vec<");
            write(api, inner, paths, out);
            out.push('>');
        }
        TypeRef::Tuple(members) => {
            out.push('(');
            for member in members {
                write(api, member, paths, out);
                out.push_str(", ");
            }
            if members.len() > 1 {
                // `(A, B)`; a tuple of one keeps its comma, `(A,)`.
                out.truncate(out.len() - 2);
            } else {
                out.pop();
            }
            out.push(')');
        }
        TypeRef::Map(inner) => {
            out.push_str(paths.collections);
            out.push_str("BTreeMap<String, ");
            write(api, inner, paths, out);
            out.push('>');
        }
    }
}
