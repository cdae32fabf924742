//! Schemas to types.
//!
//! A schema becomes a named type when it needs one (an object with properties, a string
//! enum, a union); everything else maps onto a Rust type directly. Inline schemas that
//! need a name get one from where they sit: `{Parent}{Field}`, `{Operation}Body`, ….

use super::Context;
use crate::error::{Error, Pointer, Result};
use crate::model::{
    EnumVariant, ExtraMembers, Field, IntVariant, Struct, TaggedVariant, TypeId, TypeKind, TypeRef,
    UntaggedVariant,
};
use crate::naming::{self, NameTable};
use crate::resolve::Resolver;
/// Schemas nested deeper than this (inline objects, lists, `allOf`s) are refused: no
/// real API needs them, and each level costs stack in the generator and in rustc.
pub(super) const MAX_NESTING: usize = 32;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
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
        self.schema_type(schema.as_ref_or(), pointer, name)
    }

    /// [`type_ref`](Self::type_ref) of a schema already borrowed as a `ReferenceOr`.
    pub(super) fn schema_type(
        &mut self,
        schema: ReferenceOr<&'a Schema>,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        if nesting(pointer) > MAX_NESTING {
            return Err(Error::invalid(
                pointer,
                format!("schema nested deeper than {MAX_NESTING} levels"),
            ));
        }
        match schema {
            ReferenceOr::Reference { reference } => self.component_type(&reference, pointer),
            ReferenceOr::Item(schema) => self.inline_type(schema, pointer, name),
        }
    }

    pub(super) fn component_type(&mut self, reference: &str, pointer: &Pointer) -> Result<TypeRef> {
        if let Some(name) = Resolver::component_name::<Schema>(reference) {
            return match self.components.get(name) {
                Some(id) => Ok(TypeRef::Named(*id)),
                None => Err(Error::invalid(
                    pointer,
                    format!("unresolved $ref '{reference}': no such component"),
                )),
            };
        }
        if reference.starts_with("#/components/schemas/") {
            return self.deep_ref_type(reference, pointer);
        }
        Err(Error::invalid(
            pointer,
            format!(
                "unsupported $ref '{reference}': expected a local reference into #/components/schemas"
            ),
        ))
    }

    /// A reference into a component schema (`#/components/schemas/A/properties/b`): the
    /// schema there gets a type of its own, made once however often it is referenced.
    fn deep_ref_type(&mut self, reference: &str, pointer: &Pointer) -> Result<TypeRef> {
        if let Some(ty) = self.deep_refs.get(reference) {
            return Ok(ty.clone());
        }
        let Some(schema) = self.referenced_schema(reference) else {
            return Err(Error::invalid(
                pointer,
                format!("unresolved $ref '{reference}': no schema at that location"),
            ));
        };
        let at = Pointer::from_ref(reference).unwrap_or_else(|| pointer.clone());
        let name: String = at
            .segments()
            .skip(2)
            .filter(|s| !matches!(s.as_str(), "properties" | "items" | "additionalProperties"))
            .map(|s| naming::type_name(&s))
            .collect();
        if needs_name(schema) {
            // Registered before lowering, so a schema that refers to itself ends here.
            let id = self.reserve_type(&name, at.clone());
            self.deep_refs
                .insert(reference.to_owned(), TypeRef::Named(id));
            self.define_type(id, schema, &at)?;
            return Ok(TypeRef::Named(id));
        }
        let ty = self.anonymous_type(schema, &at, &name)?;
        self.deep_refs.insert(reference.to_owned(), ty.clone());
        Ok(ty)
    }

    /// The schema a reference points to: a component, or a schema inside one.
    pub(super) fn referenced_schema(&self, reference: &str) -> Option<&'a Schema> {
        self.referenced_schema_within(reference, 0)
    }

    /// Whether `schema` accepts `null`: it says `nullable`, or it is a `oneOf`/`anyOf`
    /// with an alternative that does (JSON Schema validators want `nullable` next to a
    /// `type`, so "string, object or null" is written with a nullable alternative).
    fn accepts_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        let (SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts }) =
            &schema.schema_kind
        else {
            return false;
        };
        depth < 8
            && parts.iter().any(|part| match part {
                ReferenceOr::Item(alternative) => self.accepts_null(alternative, depth + 1),
                ReferenceOr::Reference { reference } => self
                    .referenced_schema(reference)
                    .is_some_and(|alternative| self.accepts_null(alternative, depth + 1)),
            })
    }

    fn referenced_schema_within(&self, reference: &str, depth: usize) -> Option<&'a Schema> {
        if depth > 32 {
            return None;
        }
        let pointer = Pointer::from_ref(reference)?;
        let mut segments = pointer.segments();
        if segments.next()? != "components" || segments.next()? != "schemas" {
            return None;
        }
        let name = segments.next()?;
        let mut schema =
            self.follow(self.openapi.components.as_ref()?.schemas.get(&name)?, depth)?;
        while let Some(segment) = segments.next() {
            let next: ReferenceOr<&Schema> = match (segment.as_str(), &schema.schema_kind) {
                ("properties", SchemaKind::Type(Type::Object(o))) => {
                    o.properties.get(&segments.next()?)?.as_ref_or()
                }
                ("properties", SchemaKind::Any(a)) => {
                    a.properties.get(&segments.next()?)?.as_ref_or()
                }
                ("items", SchemaKind::Type(Type::Array(a))) => a.items.as_ref()?.as_ref_or(),
                ("additionalProperties", SchemaKind::Type(Type::Object(o))) => {
                    match o.additional_properties.as_ref()? {
                        AdditionalProperties::Schema(s) => s.as_ref().as_ref_or(),
                        AdditionalProperties::Any(_) => return None,
                    }
                }
                ("allOf", SchemaKind::AllOf { all_of: list })
                | ("oneOf", SchemaKind::OneOf { one_of: list })
                | ("anyOf", SchemaKind::AnyOf { any_of: list }) => list
                    .get(segments.next()?.parse::<usize>().ok()?)?
                    .as_ref_or(),
                _ => return None,
            };
            schema = match next {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { reference } => {
                    self.referenced_schema_within(&reference, depth + 1)?
                }
            };
        }
        Some(schema)
    }

    fn follow(&self, schema: &'a ReferenceOr<Schema>, depth: usize) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => {
                self.referenced_schema_within(reference, depth + 1)
            }
        }
    }

    fn inline_type(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        name: &str,
    ) -> Result<TypeRef> {
        // An `allOf` with one real part (a `$ref`, with `nullable`, a description or an
        // example beside it), or a `oneOf`/`anyOf` of one alternative, is that part.
        if let Some((at, part)) = single_part(schema, pointer) {
            return match part {
                ReferenceOr::Reference { reference } => self.component_type(reference, &at),
                ReferenceOr::Item(part) => self.inline_type(part, &at, name),
            };
        }
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
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => {
                TypeKind::IntEnum(int_enum_variants(i.enumeration.iter().flatten()))
            }
            // An `allOf` of one real part, a `oneOf`/`anyOf` of one alternative.
            _ if let Some((at, part)) = single_part(schema, pointer) => match part {
                ReferenceOr::Reference { reference } => {
                    TypeKind::Alias(self.component_type(reference, &at)?)
                }
                ReferenceOr::Item(part) => {
                    self.define_type(id, part, &at)?;
                    if data.description.is_some() {
                        self.types[id.0].description = data.description.clone();
                    }
                    return Ok(());
                }
            },
            SchemaKind::OneOf { one_of } => {
                self.union_kind(one_of, data, &pointer.join("oneOf"), &name)?
            }
            SchemaKind::AnyOf { any_of } => {
                self.union_kind(any_of, data, &pointer.join("anyOf"), &name)?
            }
            SchemaKind::AllOf { all_of } => {
                match self.merge_all_of(all_of, pointer, &mut Vec::new())? {
                    Some(objects) => {
                        TypeKind::Struct(self.object_struct(&objects, pointer, &name)?)
                    }
                    None => {
                        self.warn(
                        pointer,
                        "allOf whose parts are not all objects: falls back to serde_json::Value",
                    );
                        TypeKind::Alias(TypeRef::Json)
                    }
                }
            }
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
            SchemaKind::Type(Type::String(s))
                if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) =>
            {
                TypeRef::Binary
            }
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
            SchemaKind::Type(Type::Array(array))
                if let Some(members) = tuple_members(schema, array) =>
            {
                let mut tuple = Vec::with_capacity(members.len());
                for (i, member) in members.iter().enumerate() {
                    let at = pointer.join("prefixItems").join(i);
                    tuple.push(self.type_ref(member, &at, &format!("{name}{i}"))?);
                }
                TypeRef::Tuple(tuple)
            }
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
            SchemaKind::Any(any)
                if any.typ.as_deref() == Some("integer") && !any.enumeration.is_empty() =>
            {
                self.warn(
                    pointer,
                    "integer enum with values outside i64: falls back to serde_json::Value",
                );
                TypeRef::Json
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

    /// The field name and type name of a property name, computed once per name.
    fn property_names(&mut self, wire_name: &'a str) -> &super::PropertyNames {
        self.property_names
            .entry(wire_name)
            .or_insert_with(|| super::PropertyNames {
                field: naming::snake_name(wire_name),
                type_name: naming::type_name(wire_name),
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
                let suggested = format!("{type_name}{}", self.property_names(wire_name).type_name);
                let ty = self.type_ref(property, &at, &suggested)?;
                // Inline data describes this field; a referenced schema's flags still apply.
                let (inline, schema) = match property {
                    ReferenceOr::Item(s) => (Some(&s.schema_data), Some(&**s)),
                    ReferenceOr::Reference { reference } => {
                        (None, self.referenced_schema(reference))
                    }
                };
                let flags = schema.map(|s| &s.schema_data);
                let field_name = self.property_names(wire_name).field.clone();
                fields.push(Field {
                    name: names.claim(field_name),
                    setter: None,
                    wire_name: wire_name.clone(),
                    ty,
                    required,
                    nullable: schema.is_some_and(|s| self.accepts_null(s, 0)),
                    boxed: false,
                    read_only: flags.is_some_and(|d| d.read_only),
                    write_only: flags.is_some_and(|d| d.write_only),
                    description: inline.and_then(|d| d.description.clone()),
                    default: inline
                        .and_then(|d| d.default.as_ref())
                        .map(|v| v.to_string()),
                    format: schema.and_then(format_of),
                    deprecated: inline.is_some_and(|d| d.deprecated),
                });
            }
        }
        let extra = self.extra_members(objects, pointer, type_name, &mut names)?;
        let mut methods = NameTable::default();
        methods.claim(naming::CONSTRUCTOR.to_owned());
        for field in &mut fields {
            if field.is_option() {
                field.setter = Some(methods.claim(naming::setter_name(&field.name)));
            }
        }
        Ok(Struct {
            fields,
            extra,
            default: false,
        })
    }

    /// Where an object keeps the members its schema does not name: a map of JSON values,
    /// of `additionalProperties`' type when one part gives a schema, none when every part
    /// says `additionalProperties: false`.
    fn extra_members(
        &mut self,
        objects: &[Properties<'a>],
        pointer: &Pointer,
        type_name: &str,
        names: &mut NameTable,
    ) -> Result<Option<ExtraMembers>> {
        if !objects.is_empty()
            && objects
                .iter()
                .all(|o| matches!(o.additional, Some(AdditionalProperties::Any(false))))
        {
            return Ok(None);
        }
        let typed = objects.iter().find_map(|o| match o.additional {
            Some(AdditionalProperties::Schema(schema)) => Some(schema.as_ref()),
            _ => None,
        });
        let ty = match typed {
            Some(schema) => self.type_ref(
                schema,
                &pointer.join("additionalProperties"),
                &format!("{type_name}Value"),
            )?,
            None => TypeRef::Json,
        };
        Ok(Some(ExtraMembers {
            name: names.claim("extra".to_owned()),
            ty,
        }))
    }

    /// The object parts of an `allOf`, or `None` when a part is not an object.
    /// `visiting` holds the references being merged, to refuse an `allOf` that includes
    /// itself (which has no finite set of members).
    fn merge_all_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &Pointer,
        visiting: &mut Vec<&'a str>,
    ) -> Result<Option<Vec<Properties<'a>>>> {
        if visiting.len() > MAX_NESTING {
            return Err(Error::invalid(
                pointer,
                format!("allOf nested deeper than {MAX_NESTING} levels"),
            ));
        }
        let mut objects = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let at = pointer.join("allOf").join(i);
            let (schema, reference) = match part {
                ReferenceOr::Item(s) if is_annotation(s) => continue,
                ReferenceOr::Item(s) => (s, None),
                ReferenceOr::Reference { reference } => {
                    if visiting.contains(&reference.as_str()) {
                        let mut chain: Vec<&str> = visiting.clone();
                        chain.push(reference);
                        return Err(Error::invalid(
                            &at,
                            format!("allOf cycle: {}", chain.join(" -> ")),
                        ));
                    }
                    self.component_type(reference, &at)?;
                    match self.referenced_schema(reference) {
                        Some(s) => (s, Some(reference.as_str())),
                        None => return Ok(None),
                    }
                }
            };
            visiting.extend(reference);
            let merged = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    objects.push(object.into());
                    Ok(true)
                }
                SchemaKind::Any(any) if !any.properties.is_empty() => {
                    objects.push(any.into());
                    Ok(true)
                }
                SchemaKind::AllOf { all_of } => {
                    // Pointers inside a referenced schema start at its definition.
                    let inner_at = reference
                        .and_then(Pointer::from_ref)
                        .unwrap_or_else(|| at.clone());
                    self.merge_all_of(all_of, &inner_at, visiting)
                        .map(|inner| match inner {
                            Some(inner) => {
                                objects.extend(inner);
                                true
                            }
                            None => false,
                        })
                }
                _ => Ok(false),
            };
            if reference.is_some() {
                visiting.pop();
            }
            if !merged? {
                return Ok(None);
            }
        }
        Ok(Some(objects))
    }

    /// A `oneOf`/`anyOf`: tagged by its discriminator when it has one and every
    /// alternative is a named schema, untagged otherwise.
    fn union_kind(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        data: &'a SchemaData,
        pointer: &Pointer,
        type_name: &str,
    ) -> Result<TypeKind> {
        let Some(discriminator) = &data.discriminator else {
            return Ok(TypeKind::Untagged(self.union(parts, pointer, type_name)?));
        };
        let mut names = NameTable::default();
        names.claim("Unknown".to_owned());
        let mut variants = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let ReferenceOr::Reference { reference } = part else {
                self.warn(
                    &pointer.join(i),
                    "discriminator with an inline alternative: decoded untagged (by trying each shape)",
                );
                return Ok(TypeKind::Untagged(self.union(parts, pointer, type_name)?));
            };
            let component = reference.rsplit('/').next().unwrap_or(reference).to_owned();
            let tag = discriminator
                .mapping
                .iter()
                .find(|(_, target)| *target == reference || **target == component)
                .map_or(component.clone(), |(value, _)| value.clone());
            variants.push(TaggedVariant {
                name: names.claim(naming::variant_name(&component)),
                tag,
                ty: self.component_type(reference, &pointer.join(i))?,
            });
        }
        Ok(TypeKind::Tagged {
            property: discriminator.property_name.clone(),
            variants,
        })
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
                // `allOf: [$ref]` with a description beside it (how OpenAPI 3.1's `$ref`
                // with a description reads) is named after what it refers to.
                ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::AllOf { all_of },
                    ..
                }) if let Some((_, ReferenceOr::Reference { reference })) =
                    single_real_part(all_of) =>
                {
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
    additional: Option<&'a AdditionalProperties>,
}

impl<'a> From<&'a ObjectType> for Properties<'a> {
    fn from(o: &'a ObjectType) -> Self {
        Properties {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }
    }
}

impl<'a> From<&'a openapiv3::AnySchema> for Properties<'a> {
    fn from(o: &'a openapiv3::AnySchema) -> Self {
        Properties {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }
    }
}

/// A schema that only annotates (`description`, `example`, `nullable`, …) and
/// constrains nothing.
fn is_annotation(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.items.is_none()
                && a.additional_properties.is_none()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
                && a.enumeration.is_empty()
        }
        _ => false,
    }
}

/// The members of an array schema that loading marked a tuple (`prefixItems` of a fixed
/// length), in order.
fn tuple_members<'s>(
    schema: &'s Schema,
    array: &'s openapiv3::ArrayType,
) -> Option<&'s [ReferenceOr<Schema>]> {
    let length = schema
        .schema_data
        .extensions
        .get(crate::load::TUPLE)?
        .as_u64()?;
    let Some(ReferenceOr::Item(items)) = &array.items else {
        return None;
    };
    match &items.schema_kind {
        SchemaKind::OneOf { one_of } if one_of.len() as u64 == length => Some(one_of),
        _ => None,
    }
}

/// The one schema `schema` stands for, with its pointer: the only part of an `allOf`
/// that is not an annotation, or the only alternative of a `oneOf`/`anyOf` without a
/// discriminator (how 3.1 writes an optional reference, `anyOf: [$ref, {type: null}]`,
/// once its `null` became `nullable`).
fn single_part<'s>(
    schema: &'s Schema,
    pointer: &Pointer,
) -> Option<(Pointer, &'s ReferenceOr<Schema>)> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => {
            let (i, part) = single_real_part(all_of)?;
            Some((pointer.join("allOf").join(i), part))
        }
        SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts }
            if parts.len() == 1 && schema.schema_data.discriminator.is_none() =>
        {
            let keyword = match &schema.schema_kind {
                SchemaKind::OneOf { .. } => "oneOf",
                _ => "anyOf",
            };
            Some((pointer.join(keyword).join(0), &parts[0]))
        }
        _ => None,
    }
}

/// The only part of an `allOf` that is not an annotation, with its index.
fn single_real_part(parts: &[ReferenceOr<Schema>]) -> Option<(usize, &ReferenceOr<Schema>)> {
    let mut real = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !matches!(p, ReferenceOr::Item(s) if is_annotation(s)));
    let first = real.next()?;
    real.next().is_none().then_some(first)
}

/// Inline schemas that become named types.
fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(i)) => !i.enumeration.is_empty(),
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

fn int_enum_variants<'s>(values: impl Iterator<Item = &'s i64>) -> Vec<IntVariant> {
    let mut names = NameTable::default();
    names.claim("Unknown".to_owned());
    let mut seen = std::collections::BTreeSet::new();
    values
        .filter(|v| seen.insert(**v))
        .map(|value| IntVariant {
            name: names.claim(naming::variant_name(&value.to_string())),
            value: *value,
        })
        .collect()
}

/// The `format` of a scalar schema, for the docs, as the spec spells it.
fn format_of(schema: &Schema) -> Option<String> {
    fn name<T>(
        format: &VariantOrUnknownOrEmpty<T>,
        known: impl Fn(&T) -> &'static str,
    ) -> Option<String> {
        match format {
            VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
            VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => name(&s.format, |f| match f {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        }),
        SchemaKind::Type(Type::Integer(i)) => name(&i.format, |f| match f {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        }),
        SchemaKind::Type(Type::Number(n)) => name(&n.format, |f| match f {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        }),
        _ => None,
    }
}

/// How many schemas `pointer` is nested in: one per `items`, `additionalProperties`,
/// `properties/<name>` and `allOf`/`oneOf`/`anyOf` member on the way.
fn nesting(pointer: &Pointer) -> usize {
    pointer
        .as_str()
        .split('/')
        .filter(|s| {
            matches!(
                *s,
                "items" | "additionalProperties" | "properties" | "allOf" | "oneOf" | "anyOf"
            )
        })
        .count()
}
