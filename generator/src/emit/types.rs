//! Named types: structs, string enums, untagged unions and aliases.
//!
//! Every enum is `#[non_exhaustive]`: the API adds values and shapes over time, and a
//! `match` with a `_` arm keeps compiling when the crate is regenerated with them.

use super::docs;
use super::type_tokens;
use crate::model::{
    Api, EnumVariant, IntVariant, SerdeUse, TaggedVariant, TypeDef, TypeKind, TypeRef,
    UntaggedVariant,
};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Every type of one group, sorted by name.
pub fn group(api: &Api, group: &str) -> TokenStream {
    let mut defs: Vec<&TypeDef> = api.types.iter().filter(|t| t.group == group).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    let items = defs.into_iter().map(|def| type_def(api, def));
    quote! { #(#items)* }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let mut paragraphs: Vec<&str> = def.description.as_deref().into_iter().collect();
    let deprecated_note = "**Deprecated** in the API description.";
    if def.deprecated {
        paragraphs.push(deprecated_note);
    }
    let doc = docs::outer(paragraphs);
    let name = ident(&def.name);
    let serde = SerdeDerives::new(def.serde);
    match &def.kind {
        TypeKind::Struct(s) => super::object::struct_def(api, doc, &name, def.serde, s),
        TypeKind::Enum(variants) => enum_def(doc, &name, &serde, variants),
        TypeKind::IntEnum(variants) => int_enum_def(doc, &name, variants),
        TypeKind::Untagged(variants) => untagged_def(api, doc, &name, def.serde, variants),
        TypeKind::Tagged { property, variants } => {
            tagged_def(api, doc, &name, def.serde, property, variants)
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(api, ty, Scope::Types);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(api, ty, Scope::Types);
            let SerdeDerives { needed, optional } = serde;
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Default, #needed)]
                #optional
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// The serde derives of a type: those its operations need, and the others behind the
/// `full-serde` feature.
pub(super) struct SerdeDerives {
    /// Goes at the end of the type's `#[derive(..)]` list.
    pub(super) needed: TokenStream,
    /// `#[cfg_attr(feature = "full-serde", derive(..))]`, when some are not needed.
    pub(super) optional: Option<TokenStream>,
}

impl SerdeDerives {
    fn new(serde: SerdeUse) -> Self {
        Self::derive(serde, true)
    }

    /// The derives, leaving `Deserialize` out unless `derive_deserialize` (for a type
    /// that implements it by hand).
    pub(super) fn derive(serde: SerdeUse, derive_deserialize: bool) -> Self {
        let (mut needed, mut optional) = (Vec::new(), Vec::new());
        let serialize = quote!(serde::Serialize);
        let deserialize = quote!(serde::Deserialize);
        if serde.serialize {
            needed.push(serialize);
        } else {
            optional.push(serialize);
        }
        if derive_deserialize {
            if serde.deserialize {
                needed.push(deserialize);
            } else {
                optional.push(deserialize);
            }
        }
        SerdeDerives {
            needed: quote!(#(#needed),*),
            optional: (!optional.is_empty())
                .then(|| quote!(#[cfg_attr(feature = "full-serde", derive(#(#optional),*))])),
        }
    }
}

/// `#[cfg(feature = "full-serde")]` on a hand-written serde impl the operations do not need.
pub(super) fn unless_needed(needed: bool) -> Option<TokenStream> {
    (!needed).then(|| quote!(#[cfg(feature = "full-serde")]))
}

/// Where type paths are written from.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside `types::<group>`: siblings are `super::Name`.
    Types,
    /// Anywhere else: `crate::types::Name`.
    Crate,
}

fn enum_def(
    doc: TokenStream,
    name: &proc_macro2::Ident,
    serde: &SerdeDerives,
    variants: &[EnumVariant],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = variants.iter().map(|v| v.wire_name.as_str()).collect();
    let SerdeDerives { needed, optional } = serde;
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #needed)]
        #optional
        #[non_exhaustive]
        pub enum #name {
            #( #[serde(rename = #wires)] #idents, )*
            /// A value this version of the client does not know; kept as sent.
            #[serde(untagged)]
            Unknown(String),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn untagged_def(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    serde_use: SerdeUse,
    variants: &[UntaggedVariant],
) -> TokenStream {
    // Alternatives that take different kinds of JSON are told apart by the value's kind;
    // otherwise serde's `untagged` tries them in order.
    let by_kind = super::union::deserialize_by_kind(api, name, variants).map(|body| {
        let cfg = unless_needed(serde_use.deserialize);
        quote! { #cfg #body }
    });
    let serde = SerdeDerives::derive(serde_use, by_kind.is_none());
    // `untagged` needs some serde derive to be read.
    let untagged = if serde_use.serialize || (by_kind.is_none() && serde_use.deserialize) {
        quote!(#[serde(untagged)])
    } else {
        quote!(#[cfg_attr(feature = "full-serde", serde(untagged))])
    };
    // A union of scalars (an id that is a string or a number) prints as its value, so
    // it can go into a path.
    let display = variants_all_scalar(api, variants).then(|| {
        let idents = variants.iter().map(|v| format_ident!("{}", v.name));
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #( Self::#idents(value) => value.fmt(f), )*
                    }
                }
            }
        }
    });
    let variants = variants.iter().map(|v| {
        let variant = format_ident!("{}", v.name);
        let ty = variant_type(api, &v.ty, Scope::Types);
        quote!(#variant(#ty),)
    });
    let SerdeDerives { needed, optional } = serde;
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #needed)]
        #optional
        #untagged
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #by_kind

        #display
    }
}

fn variants_all_scalar(api: &Api, variants: &[UntaggedVariant]) -> bool {
    !variants.is_empty() && variants.iter().all(|v| api.displayable(&v.ty))
}

/// The type held by an enum variant: structs and unions are boxed, so that one large
/// shape does not make every value large.
pub fn variant_type(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    let tokens = type_tokens(api, ty, scope);
    if is_struct(api, ty) {
        quote!(Box<#tokens>)
    } else {
        tokens
    }
}

fn is_struct(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(_) | TypeKind::Untagged(_) | TypeKind::Tagged { .. } => true,
            TypeKind::Alias(inner) => is_struct(api, inner),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Newtype(_) => false,
        },
        _ => false,
    }
}

fn int_enum_def(
    doc: TokenStream,
    name: &proc_macro2::Ident,
    variants: &[IntVariant],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<_> = variants
        .iter()
        .map(|v| {
            let magnitude = proc_macro2::Literal::u64_unsuffixed(v.value.unsigned_abs());
            if v.value < 0 {
                quote!(-#magnitude)
            } else {
                quote!(#magnitude)
            }
        })
        .collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #idents, )*
            /// A value this version of the client does not know; kept as sent.
            Unknown(i64),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                i64::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// A union told apart by a property: serialized as the variant itself (which carries the
/// property), deserialized by reading the property first. Unknown tags are kept.
fn tagged_def(
    api: &Api,
    doc: TokenStream,
    name: &proc_macro2::Ident,
    serde: SerdeUse,
    property: &str,
    variants: &[TaggedVariant],
) -> TokenStream {
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let tags: Vec<_> = variants.iter().map(|v| v.tag.as_str()).collect();
    let types = variants
        .iter()
        .map(|v| variant_type(api, &v.ty, Scope::Types));
    let tag_docs = variants
        .iter()
        .map(|v| format!(" `{property}` is `{}`.", v.tag));
    let serialize = if serde.serialize {
        quote!(#[derive(serde::Serialize)])
    } else {
        quote!(#[cfg_attr(feature = "full-serde", derive(serde::Serialize))])
    };
    // `untagged` needs some serde derive to read it; without `Serialize` it is a cfg_attr.
    let untagged = if serde.serialize {
        quote!(#[serde(untagged)])
    } else {
        quote!(#[cfg_attr(feature = "full-serde", serde(untagged))])
    };
    let deserialize_cfg = unless_needed(serde.deserialize);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #serialize
        #untagged
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #tag_docs] #idents(#types), )*
            /// A tag this version of the client does not know; the value is kept as sent.
            Unknown(serde_json::Value),
        }

        #deserialize_cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#property)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned);
                let decoded = match tag.as_deref() {
                    #( Some(#tags) => serde_json::from_value(value).map(Self::#idents), )*
                    _ => return Ok(Self::Unknown(value)),
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }
    }
}
