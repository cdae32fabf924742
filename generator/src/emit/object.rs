//! Structs: one field per property, plus the map of members the schema does not name.
//!
//! A struct that keeps unknown members implements `Deserialize` by hand: serde's
//! `#[serde(flatten)]` would buffer every object through an intermediate map, so the
//! generated visitor matches known member names and collects the rest, in one pass.
//! `Serialize` stays derived (a flattened map costs nothing when writing).
//!
//! Structs are `#[non_exhaustive]` and built through [`super::construct`].

use super::docs;
use super::type_tokens;
use super::types::{Scope, SerdeDerives, unless_needed};
use crate::model::{Api, ExtraMembers, Field, Presence, SerdeUse, Struct};
use crate::naming::{self, ident};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn struct_def(
    api: &Api,
    doc: TokenStream,
    name: &Ident,
    serde_use: SerdeUse,
    s: &Struct,
) -> TokenStream {
    let by_hand = s.extra.is_some();
    let SerdeDerives { needed, optional } = SerdeDerives::derive(serde_use, !by_hand);
    // Field attributes need some serde derive on the struct to be read.
    let attrs = FieldAttrs {
        always: serde_use.serialize || (!by_hand && serde_use.deserialize),
    };
    let default = s.default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| field(api, f, attrs));
    let extra = s.extra.as_ref().map(|extra| extra_field(api, extra, attrs));
    let deserialize = s.extra.as_ref().map(|extra| {
        let cfg = unless_needed(serde_use.deserialize);
        let body = deserialize_impl(name, &s.fields, extra);
        quote! { #cfg #body }
    });
    let constructors = super::construct::constructors(api, name, s);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #needed)]
        #optional
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }

        #constructors

        #deserialize
    }
}

/// Whether field attributes (`#[serde(..)]`) can be written as they are, or only under
/// the `full-serde` feature, when no serde derive is on the struct without it.
#[derive(Clone, Copy)]
struct FieldAttrs {
    always: bool,
}

impl FieldAttrs {
    fn serde(self, args: &[TokenStream]) -> Option<TokenStream> {
        if args.is_empty() {
            None
        } else if self.always {
            Some(quote!(#[serde(#(#args),*)]))
        } else {
            Some(quote!(#[cfg_attr(feature = "full-serde", serde(#(#args),*))]))
        }
    }
}

/// The field's Rust type: `T`, `Option<T>` or `crate::Nullable<T>`, with `T` boxed
/// where it closes a cycle.
fn field_type(api: &Api, f: &Field) -> TokenStream {
    let mut ty = type_tokens(api, &f.ty, Scope::Types);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    match f.presence() {
        Presence::Required => ty,
        Presence::Optional => quote!(Option<#ty>),
        Presence::Nullable => quote!(crate::Nullable<#ty>),
    }
}

fn field(api: &Api, f: &Field, attrs: FieldAttrs) -> TokenStream {
    let mut notes = Vec::new();
    if let Some(format) = &f.format {
        notes.push(format!("Format: `{format}`."));
    }
    if let Some(default) = &f.default {
        notes.push(format!("Default: `{default}`."));
    }
    if f.read_only {
        notes.push("Read-only: set by the server and never sent.".to_owned());
    }
    if f.write_only {
        notes.push("Write-only: sent to the server, never returned.".to_owned());
    }
    let notes = notes.join(" ");
    let doc = docs::outer(
        f.description
            .as_deref()
            .into_iter()
            .chain((!notes.is_empty()).then_some(notes.as_str())),
    );
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&f.name);
    let ty = field_type(api, f);
    let mut serde_args = Vec::new();
    if f.name != f.wire_name {
        let wire = &f.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    // Absent fields stay absent; a required but nullable field is always sent (as null);
    // what the server sets is never sent back.
    let presence = f.presence();
    if presence == Presence::Nullable {
        serde_args.push(quote!(default));
    }
    if f.read_only {
        serde_args.push(quote!(skip_serializing));
    } else if presence == Presence::Nullable {
        serde_args.push(quote!(skip_serializing_if = "crate::Nullable::is_absent"));
    } else if !f.required || f.write_only {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde_attr = attrs.serde(&serde_args);
    quote! {
        #doc
        #deprecated
        #serde_attr
        pub #name: #ty,
    }
}

fn extra_field(api: &Api, extra: &ExtraMembers, attrs: FieldAttrs) -> TokenStream {
    let name = ident(&extra.name);
    let ty = type_tokens(api, &extra.ty, Scope::Types);
    let serde_attr = attrs.serde(&[quote!(flatten)]);
    quote! {
        /// Members the API description does not name, kept as received and sent back
        /// unchanged, so that writing back what was read loses nothing.
        #serde_attr
        pub #name: std::collections::BTreeMap<String, #ty>,
    }
}

/// `Deserialize` in one pass over the members: known names fill their fields (the last
/// occurrence wins, as in a JSON object read into a map), the rest go to the extra map.
fn deserialize_impl(name: &Ident, fields: &[Field], extra: &ExtraMembers) -> TokenStream {
    let taken: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let local = |base: &str| {
        let mut candidate = base.to_owned();
        while taken.contains(&candidate.as_str()) || candidate == extra.name {
            candidate.push('_');
        }
        format_ident!("{}", candidate)
    };
    let (map, member) = (local("members"), local("member"));
    let expecting = format!("a {name} object");
    let mut declare = Vec::new();
    let mut arms = Vec::new();
    let mut build = Vec::new();
    for f in fields {
        let field = ident(&f.name);
        // Each field is filled from a local of its name, except names such as `_0` (from a
        // member called "0"), which read as unused or meaningless, and placeholder names
        // such as `foo`, which clippy flags.
        let value = if f.name.starts_with('_') {
            local(&format!("field{}", f.name))
        } else if naming::is_placeholder(&f.name) {
            local(&format!("{}_value", f.name))
        } else {
            field.clone()
        };
        let wire = &f.wire_name;
        // The locals' types are inferred from the fields they fill.
        match f.presence() {
            Presence::Required => {
                declare.push(quote!(let mut #value = None;));
                arms.push(quote!(#wire => #value = Some(#map.next_value()?),));
                build.push(
                    quote!(#field: #value.ok_or_else(|| serde::de::Error::missing_field(#wire))?,),
                );
            }
            Presence::Optional => {
                declare.push(quote!(let mut #value = None;));
                arms.push(quote!(#wire => #value = #map.next_value()?,));
                build.push(shorthand(&field, &value));
            }
            Presence::Nullable => {
                declare.push(quote!(let mut #value = crate::Nullable::Absent;));
                arms.push(quote!(#wire => #value = #map.next_value()?,));
                build.push(shorthand(&field, &value));
            }
        }
    }
    let extra_name = ident(&extra.name);
    let any_deprecated = fields.iter().any(|f| f.deprecated);
    // Filling a deprecated field is how it is kept, not a use of it.
    let allow = any_deprecated.then(|| quote!(#[allow(deprecated)]));
    let visit_map = quote! {
        #allow
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut #map: A) -> Result<#name, A::Error> {
            #(#declare)*
            let mut #extra_name = std::collections::BTreeMap::new();
            while let Some(#member) = #map.next_key::<crate::object::MemberName<'de>>()? {
                match #member.as_str() {
                    #(#arms)*
                    _ => {
                        #extra_name.insert(#member.into_string(), #map.next_value()?);
                    }
                }
            }
            Ok(#name { #(#build)* #extra_name })
        }
    };
    deserialize_with_visitor(name, &expecting, quote!(deserialize_map), visit_map)
}

/// `impl Deserialize for name` through a visitor with `methods`, which `entry` (the
/// `Deserializer` method, such as `deserialize_map`) drives. The visitor is named after
/// the type, so it can never shadow it (a type may well be called `Members`).
pub(super) fn deserialize_with_visitor(
    name: &Ident,
    expecting: &str,
    entry: TokenStream,
    methods: TokenStream,
) -> TokenStream {
    // `Self_` (a schema called `Self`) gives `SelfVisitor`, not the un-camel `Self_Visitor`.
    let visitor = format_ident!("{}Visitor", name.to_string().trim_end_matches('_'));
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct #visitor;

                impl<'de> serde::de::Visitor<'de> for #visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    #methods
                }

                deserializer.#entry(#visitor)
            }
        }
    }
}

/// `field,` when the local has the field's name, else `field: local,`.
fn shorthand(field: &Ident, local: &Ident) -> TokenStream {
    if field == local {
        quote!(#field,)
    } else {
        quote!(#field: #local,)
    }
}
