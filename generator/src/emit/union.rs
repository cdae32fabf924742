//! Decoding a union whose alternatives take different kinds of JSON (a string or an
//! object, say) by looking at the value's kind, instead of serde's `untagged`, which
//! buffers every value and then tries each alternative in turn. Dispatching is faster,
//! and a value that fits no alternative gets an error saying what was expected, from
//! inside the alternative when the kind matched ("invalid type … at `item[3].url.host`")
//! rather than "data did not match any variant".

use super::object::deserialize_with_visitor;
use super::types::{Scope, variant_type};
use crate::model::{Api, TypeKind, TypeRef, UntaggedVariant};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The kinds of JSON value a type accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    String,
    /// Integers only.
    Integer,
    /// Any number (integers too).
    Number,
    Bool,
    Array,
    Object,
}

impl Kind {
    fn overlaps(self, other: Kind) -> bool {
        self == other
            || matches!(
                (self, other),
                (Kind::Integer, Kind::Number) | (Kind::Number, Kind::Integer)
            )
    }

    fn described(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// The kinds `ty` accepts; `None` when it accepts any JSON or its kinds are not known.
fn kinds(api: &Api, ty: &TypeRef, depth: usize) -> Option<Vec<Kind>> {
    if depth > 16 {
        return None;
    }
    Some(match ty {
        TypeRef::String => vec![Kind::String],
        TypeRef::Bool => vec![Kind::Bool],
        TypeRef::I32 | TypeRef::I64 => vec![Kind::Integer],
        TypeRef::F32 | TypeRef::F64 => vec![Kind::Number],
        TypeRef::List(_) | TypeRef::Tuple(_) => vec![Kind::Array],
        TypeRef::Map(_) => vec![Kind::Object],
        TypeRef::Json | TypeRef::Binary => return None,
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(_) | TypeKind::Tagged { .. } => vec![Kind::Object],
            TypeKind::Enum(_) => vec![Kind::String],
            TypeKind::IntEnum(_) => vec![Kind::Integer],
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) => kinds(api, inner, depth + 1)?,
            TypeKind::Untagged(variants) => {
                let mut all = Vec::new();
                for v in variants {
                    all.extend(kinds(api, &v.ty, depth + 1)?);
                }
                all
            }
        },
    })
}

/// For each variant, the kinds that select it, when no kind selects two variants.
fn dispatch(api: &Api, variants: &[UntaggedVariant]) -> Option<Vec<Vec<Kind>>> {
    let per_variant: Vec<Vec<Kind>> = variants
        .iter()
        .map(|v| kinds(api, &v.ty, 0))
        .collect::<Option<_>>()?;
    for (i, a) in per_variant.iter().enumerate() {
        for b in &per_variant[i + 1..] {
            if a.iter().any(|x| b.iter().any(|y| x.overlaps(*y))) {
                return None;
            }
        }
    }
    (!per_variant.is_empty()).then_some(per_variant)
}

/// A `Deserialize` impl that picks the variant by the value's kind, or `None` when the
/// variants' kinds overlap (then serde's `untagged` decodes it).
pub(super) fn deserialize_by_kind(
    api: &Api,
    name: &Ident,
    variants: &[UntaggedVariant],
) -> Option<TokenStream> {
    let per_variant = dispatch(api, variants)?;
    let mut all: Vec<Kind> = per_variant.iter().flatten().copied().collect();
    all.sort();
    all.dedup();
    let expecting = format!(
        "{} ({name})",
        all.iter()
            .map(|k| k.described())
            .collect::<Vec<_>>()
            .join(" or ")
    );
    let mut methods = Vec::new();
    for (variant, kinds) in variants.iter().zip(&per_variant) {
        let ident = format_ident!("{}", variant.name);
        let ty = variant_type(api, &variant.ty, Scope::Types);
        let build = |deserializer: TokenStream| quote!(Ok(#name::#ident(<#ty as serde::Deserialize>::deserialize(#deserializer)?)));
        for kind in kinds {
            let value = quote!(serde::de::value);
            methods.push(match kind {
                Kind::String => {
                    let borrowed = build(quote!(#value::BorrowedStrDeserializer::<E>::new(v)));
                    let owned = build(quote!(#value::StringDeserializer::<E>::new(v)));
                    let text = build(quote!(#value::StrDeserializer::<E>::new(v)));
                    quote! {
                        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<#name, E> {
                            #borrowed
                        }
                        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<#name, E> {
                            #owned
                        }
                        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<#name, E> {
                            #text
                        }
                    }
                }
                Kind::Integer | Kind::Number => {
                    let signed = build(quote!(#value::I64Deserializer::<E>::new(v)));
                    let unsigned = build(quote!(#value::U64Deserializer::<E>::new(v)));
                    let float = (*kind == Kind::Number).then(|| {
                        let float = build(quote!(#value::F64Deserializer::<E>::new(v)));
                        quote! {
                            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<#name, E> {
                                #float
                            }
                        }
                    });
                    quote! {
                        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<#name, E> {
                            #signed
                        }
                        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<#name, E> {
                            #unsigned
                        }
                        #float
                    }
                }
                Kind::Bool => {
                    let boolean = build(quote!(#value::BoolDeserializer::<E>::new(v)));
                    quote! {
                        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<#name, E> {
                            #boolean
                        }
                    }
                }
                Kind::Array => {
                    let seq = build(quote!(#value::SeqAccessDeserializer::new(seq)));
                    quote! {
                        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<#name, A::Error> {
                            #seq
                        }
                    }
                }
                Kind::Object => {
                    let map = build(quote!(#value::MapAccessDeserializer::new(map)));
                    quote! {
                        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<#name, A::Error> {
                            #map
                        }
                    }
                }
            });
        }
    }
    Some(deserialize_with_visitor(
        name,
        &expecting,
        quote!(deserialize_any),
        quote!(#(#methods)*),
    ))
}
