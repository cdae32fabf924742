//! The generated Rust items a change touches, written as paths into the generated crate.
//!
//! Every name comes from the lowered model, that is from the generator's `naming`: nothing
//! here derives a Rust name from a spec name.

use generator::model::{Api, Field, Module, Operation, Param, Presence, TypeKind};

/// Paths into one generated crate (`postman_client`).
#[derive(Debug, Clone)]
pub struct Paths {
    pub lib: String,
}

impl Paths {
    pub fn new(lib: impl Into<String>) -> Paths {
        Paths { lib: lib.into() }
    }

    /// `postman_client::Client::get_collection`.
    pub fn method(&self, op: &Operation) -> String {
        format!("{}::Client::{}", self.lib, op.method_name)
    }

    /// `postman_client::collections::GetCollection`.
    pub fn builder(&self, module: &Module, op: &Operation) -> String {
        format!("{}::{}::{}", self.lib, module.name, op.builder_name)
    }

    /// Where a parameter shows up: an argument of the method (`Client::get_thing(id)`), or a
    /// setter of the builder.
    pub fn param(&self, module: &Module, op: &Operation, param: &Param) -> String {
        if param.required {
            format!("{}({})", self.method(op), param.name)
        } else {
            format!("{}::{}", self.builder(module, op), param.name)
        }
    }

    /// The request body: an argument when required, a setter otherwise.
    pub fn body(&self, module: &Module, op: &Operation) -> Option<String> {
        let body = op.body.as_ref()?;
        Some(if body.required {
            format!("{}({})", self.method(op), body.name)
        } else {
            format!("{}::{}", self.builder(module, op), body.name)
        })
    }

    /// Every item an operation brings: method, builder, and its per-operation enums.
    pub fn operation(&self, module: &Module, op: &Operation) -> Vec<String> {
        let mut items = vec![self.method(op), self.builder(module, op)];
        if let generator::model::Success::ByStatus { name, .. } = &op.response {
            items.push(format!("{}::{}::{name}", self.lib, module.name));
        }
        if let Some(errors) = &op.errors {
            items.push(format!("{}::{}::{}", self.lib, module.name, errors.name));
        }
        items
    }

    /// `postman_client::collections::GetCollectionError::NotFound`.
    pub fn module_enum_variant(&self, module: &Module, enum_name: &str, variant: &str) -> String {
        format!("{}::{}::{enum_name}::{variant}", self.lib, module.name)
    }

    /// `postman_client::types::Collection`.
    pub fn type_path(&self, name: &str) -> String {
        format!("{}::types::{name}", self.lib)
    }

    /// `postman_client::types::Collection::info` (a field or a variant).
    pub fn member(&self, type_name: &str, member: &str) -> String {
        format!("{}::types::{type_name}::{member}", self.lib)
    }
}

/// A type as the generated code spells it, without the `crate::types::` prefix
/// (`Vec<Collection>`): the generator's own printer.
pub fn rust_type(api: &Api, ty: &generator::model::TypeRef) -> String {
    generator::model::print::rust_type(api, ty, generator::model::print::TypePaths::BARE)
}

/// A struct field's full Rust type: `Option<Box<T>>`, `Nullable<T>`.
pub fn field_type(api: &Api, field: &Field) -> String {
    let mut ty = rust_type(api, &field.ty);
    if field.boxed {
        ty = format!("Box<{ty}>");
    }
    match field.presence() {
        Presence::Required => ty,
        Presence::Optional => format!("Option<{ty}>"),
        Presence::Nullable => format!("Nullable<{ty}>"),
    }
}

/// What kind of generated type a named type is.
pub fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Untagged(_) => "untagged union",
        TypeKind::Tagged { .. } => "tagged union",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Newtype(_) => "newtype",
    }
}
