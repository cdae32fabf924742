//! Schemas to types.
//!
//! A schema becomes a named type when it needs one (an object with properties, a string
//! enum, a union); everything else maps onto a Rust type directly. Inline schemas that
//! need a name get one from where they sit: `{Parent}{Field}`, `{Operation}Body`, ….

use super::Context;
use crate::error::{Error, Pointer, Result};
use crate::model::{EnumVariant, Field, Struct, TypeId, TypeKind, TypeRef, UntaggedVariant};
use crate::naming::{self, NameTable};
use crate::resolve::Resolver;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, ReferenceOr, Schema, SchemaKind,
    Type, VariantOrUnknownOrEmpty,
};

/// Either a schema or a boxed schema, as `openapiv3` has both.
pub(super) trait SchemaRef {
    fn as_ref_or(&self) -> ReferenceOr<&Schema>;
}

impl SchemaRef for ReferenceOr<Schema> {
    fn as_ref_or(&self) -> ReferenceOr<&Schema> {
        match self {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
            ReferenceOr::Item(s) => ReferenceOr::Item(s),
        }
    }
}

impl SchemaRef for ReferenceOr<Box<Schema>> {
    fn as_ref_or(&self) -> ReferenceOr<&Schema> {
        match self {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
            ReferenceOr::Item(s) => ReferenceOr::Item(s),
        }
    }
}

impl<'a> Context<'a> {
    /// The Rust type of `schema` found at `pointer`; `name` is the name to give it if it
    /// is inline and needs one.
    pub(super) fn type_ref(
        &mut self,
        schema: &'a impl SchemaRef,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        match schema.as_ref_or() {
            ReferenceOr::Reference { reference } => self.component_type(&reference, pointer),
            ReferenceOr::Item(schema) => self.inline_type(schema, pointer, name),
        }
    }

    pub(super) fn component_type(&self, reference: &str, pointer: &Pointer) -> Result<TypeRef> {
        let Some(name) = Resolver::component_name::<Schema>(reference) else {
            return Err(Error::invalid(
                pointer,
                format!(
                    "unsupported $ref '{reference}': expected a local reference to #/components/schemas/<name>"
                ),
            ));
        };
        match self.components.get(name) {
            Some(id) => Ok(TypeRef::Named(*id)),
            None => Err(Error::invalid(
                pointer,
                format!("unresolved $ref '{reference}': no such component"),
            )),
        }
    }

    /// The component schema behind a reference, if it is one.
    pub(super) fn referenced_schema(&self, reference: &str) -> Option<&'a Schema> {
        let name = Resolver::component_name::<Schema>(reference)?;
        match self.openapi.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.referenced_schema(reference),
        }
    }

    fn inline_type(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        if needs_name(schema) {
            let id = self.reserve_type(name, pointer.clone());
            self.define_type(id, schema, pointer)?;
            return Ok(TypeRef::Named(id));
        }
        self.anonymous_type(schema, pointer, name)
    }

    /// Decides the kind of the reserved component type `id`.
    pub(super) fn define_component(
        &mut self,
        id: TypeId,
        schema: &'a ReferenceOr<Schema>,
        pointer: &Pointer,
    ) -> Result<()> {
        match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.component_type(reference, pointer)?;
                self.types[id.0].kind = TypeKind::Alias(target);
                Ok(())
            }
            ReferenceOr::Item(schema) => self.define_type(id, schema, pointer),
        }
    }

    /// Decides the kind of the reserved type `id` from its schema.
    fn define_type(&mut self, id: TypeId, schema: &'a Schema, pointer: &Pointer) -> Result<()> {
        let name = self.types[id.0].name.clone();
        let data = &schema.schema_data;
        self.types[id.0].description = data.description.clone().or_else(|| data.title.clone());
        self.types[id.0].deprecated = data.deprecated;
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                TypeKind::Struct(self.object_struct(&[object.into()], pointer, &name)?)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                TypeKind::Struct(self.object_struct(&[any.into()], pointer, &name)?)
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                TypeKind::Enum(enum_variants(s.enumeration.iter().flatten()))
            }
            SchemaKind::OneOf { one_of } => {
                TypeKind::Untagged(self.union(one_of, &pointer.join("oneOf"), &name)?)
            }
            SchemaKind::AnyOf { any_of } => {
                TypeKind::Untagged(self.union(any_of, &pointer.join("anyOf"), &name)?)
            }
            SchemaKind::AllOf { all_of } => match self.merge_all_of(all_of, pointer)? {
                Some(objects) => TypeKind::Struct(self.object_struct(&objects, pointer, &name)?),
                None => {
                    self.warn(
                        pointer,
                        "allOf whose parts are not all objects: falls back to serde_json::Value",
                    );
                    TypeKind::Alias(TypeRef::Json)
                }
            },
            _ => TypeKind::Alias(self.anonymous_type(schema, pointer, &name)?),
        };
        self.types[id.0].kind = kind;
        Ok(())
    }

    /// A type that needs no name of its own: a scalar, a list, a map.
    fn anonymous_type(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => TypeRef::List(Box::new(self.type_ref(
                    items,
                    &pointer.join("items"),
                    &format!("{name}Item"),
                )?)),
                None => TypeRef::List(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), pointer, name)?
            }
            SchemaKind::Any(any) => {
                self.map_or_json(any.additional_properties.as_ref(), pointer, name)?
            }
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "`not` cannot be expressed in Rust: falls back to serde_json::Value",
                );
                TypeRef::Json
            }
            // Named kinds reach here only through `define_type`, which handles them.
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => {
                let id = self.reserve_type(name, pointer.clone());
                self.define_type(id, schema, pointer)?;
                TypeRef::Named(id)
            }
        })
    }

    fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        self.map_or_json(additional, pointer, name)
            .map(|t| match t {
                TypeRef::Json => TypeRef::Map(Box::new(TypeRef::Json)),
                other => other,
            })
    }

    fn map_or_json(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(schema)) => TypeRef::Map(Box::new(self.type_ref(
                schema.as_ref(),
                &pointer.join("additionalProperties"),
                &format!("{name}Value"),
            )?)),
            _ => TypeRef::Json,
        })
    }

    fn object_struct(
        &mut self,
        objects: &[Properties<'a>],
        pointer: &Pointer,
        type_name: &str,
    ) -> Result<Struct> {
        let mut names = NameTable::default();
        let mut fields = Vec::new();
        for object in objects {
            for (wire_name, property) in object.properties {
                if fields.iter().any(|f: &Field| &f.wire_name == wire_name) {
                    continue;
                }
                let at = pointer.join("properties").join(wire_name);
                let required = objects.iter().any(|o| o.required.contains(wire_name));
                let ty = self.type_ref(
                    property,
                    &at,
                    &format!("{type_name}{}", naming::type_name(wire_name)),
                )?;
                let data = match property {
                    ReferenceOr::Item(s) => Some(&s.schema_data),
                    ReferenceOr::Reference { .. } => None,
                };
                let nullable = match property {
                    ReferenceOr::Item(s) => s.schema_data.nullable,
                    ReferenceOr::Reference { reference } => self
                        .referenced_schema(reference)
                        .is_some_and(|s| s.schema_data.nullable),
                };
                fields.push(Field {
                    name: names.claim(naming::snake_name(wire_name)),
                    wire_name: wire_name.clone(),
                    ty,
                    required,
                    nullable,
                    boxed: false,
                    description: data.and_then(|d| d.description.clone()),
                    deprecated: data.is_some_and(|d| d.deprecated),
                });
            }
        }
        Ok(Struct {
            fields,
            default: false,
        })
    }

    /// The object parts of an `allOf`, or `None` when a part is not an object.
    fn merge_all_of(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
    ) -> Result<Option<Vec<Properties<'a>>>> {
        let mut objects = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let schema = match part {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { reference } => {
                    self.component_type(reference, &pointer.join("allOf").join(i))?;
                    match self.referenced_schema(reference) {
                        Some(s) => s,
                        None => return Ok(None),
                    }
                }
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => objects.push(object.into()),
                SchemaKind::Any(any) if !any.properties.is_empty() => objects.push(any.into()),
                SchemaKind::AllOf { all_of } => match self.merge_all_of(all_of, pointer)? {
                    Some(inner) => objects.extend(inner),
                    None => return Ok(None),
                },
                _ => return Ok(None),
            }
        }
        Ok(Some(objects))
    }

    fn union(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
        type_name: &str,
    ) -> Result<Vec<UntaggedVariant>> {
        let mut names = NameTable::default();
        let mut variants = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let suggested = match part {
                ReferenceOr::Reference { reference } => {
                    reference.rsplit('/').next().unwrap_or("Variant").to_owned()
                }
                ReferenceOr::Item(schema) => variant_kind_name(schema).to_owned(),
            };
            let ty = self.type_ref(part, &pointer.join(i), &format!("{type_name}{suggested}"))?;
            variants.push(UntaggedVariant {
                name: names.claim(naming::variant_name(&suggested)),
                ty,
            });
        }
        Ok(variants)
    }
}

/// The properties of an object schema, with or without `type: object`.
pub(super) struct Properties<'a> {
    properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
}

impl<'a> From<&'a ObjectType> for Properties<'a> {
    fn from(o: &'a ObjectType) -> Self {
        Properties {
            properties: &o.properties,
            required: &o.required,
        }
    }
}

impl<'a> From<&'a openapiv3::AnySchema> for Properties<'a> {
    fn from(o: &'a openapiv3::AnySchema) -> Self {
        Properties {
            properties: &o.properties,
            required: &o.required,
        }
    }
}

/// Inline schemas that become named types.
fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Any(any) => !any.properties.is_empty(),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => true,
        _ => false,
    }
}

fn variant_kind_name(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => "Variant",
    }
}

fn enum_variants<'s>(values: impl Iterator<Item = &'s String>) -> Vec<EnumVariant> {
    let mut names = NameTable::default();
    // The catch-all variant owns this name.
    names.claim("Unknown".to_owned());
    let mut seen = std::collections::BTreeSet::new();
    values
        .filter(|v| seen.insert(v.as_str()))
        .map(|value| EnumVariant {
            name: names.claim(naming::variant_name(value)),
            wire_name: value.clone(),
        })
        .collect()
}
