//! How users build a struct: `new` and the `with_` setters.
//!
//! Structs are `#[non_exhaustive]`, so that a member the API adds later is not a breaking
//! change; users cannot write their literals and build them with `new` instead, which
//! takes the fields that always hold a value in the order the description lists them, and
//! one setter per other field, each returning the value so that a request body is one
//! expression: `CreateCollection::new(info).with_description("…")`.
//!
//! Numbers and booleans are taken as they are; everything else as `impl Into<T>`, so a
//! `&str` goes where a `String` is kept, a value where a `Box` is, an array where a `Vec`
//! is. A number stays plain because `impl Into<i64>` would read a literal as an `i32`
//! (and refuse `5_000_000_000`).

use super::type_tokens;
use super::types::Scope;
use crate::model::{Api, Field, Presence, Struct, TypeKind, TypeRef};
use crate::naming::{self, ident};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Above this many arguments (`self` included) clippy's `too_many_arguments` fires (its
/// default threshold).
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// `#[allow(clippy::too_many_arguments)]` for a function of `count` arguments that takes
/// more than clippy allows. Only where each argument is a value the API requires
/// (constructors, client methods): there is no shorter honest form.
pub(super) fn allow_many_arguments(count: usize) -> Option<TokenStream> {
    (count > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// `impl name { new, with_… }`.
pub(super) fn constructors(api: &Api, name: &Ident, s: &Struct) -> TokenStream {
    let new = constructor(api, name, s);
    let setters = s.fields.iter().filter_map(|f| setter(api, s, f));
    quote! {
        impl #name {
            #new
            #(#setters)*
        }
    }
}

fn constructor(api: &Api, name: &Ident, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.is_option()).collect();
    let links: Vec<String> = required.iter().map(|f| field_link(s, f)).collect();
    let has_setters = s.fields.iter().any(|f| f.setter.is_some());
    let mut doc = match links.as_slice() {
        [] => format!(" A `{name}` with no member set."),
        [single] => format!(" A `{name}` from the member every value has: {single}."),
        [first @ .., last] => format!(
            " A `{name}` from the members every value has: {} and {last}.",
            first.join(", ")
        ),
    };
    if has_setters {
        let which = if links.is_empty() {
            "them"
        } else {
            "the others"
        };
        doc.push_str(&format!(" Set {which} with the `with_` methods."));
    }
    let params = required.iter().map(|f| {
        let arg = ident(&f.name);
        let ty = taken_type(api, f);
        quote!(#arg: #ty)
    });
    let filled = required.iter().map(|f| {
        let field = ident(&f.name);
        if takes_into(api, &f.ty, f.boxed) {
            quote!(#field: #field.into(),)
        } else {
            quote!(#field,)
        }
    });
    // With `Default`, the absent members come from it; otherwise each is written out.
    let (rest, names_deprecated) = if s.default {
        let rest = if required.is_empty() {
            None
        } else {
            Some(quote!(..Self::default()))
        };
        (rest, required.iter().any(|f| f.deprecated))
    } else {
        let absent = s.fields.iter().filter(|f| f.is_option()).map(|f| {
            let field = ident(&f.name);
            match f.presence() {
                Presence::Nullable => quote!(#field: crate::Nullable::Absent,),
                _ => quote!(#field: None,),
            }
        });
        let extra = s.extra.as_ref().map(|extra| {
            let extra = ident(&extra.name);
            quote!(#extra: std::collections::BTreeMap::new(),)
        });
        (
            Some(quote!(#(#absent)* #extra)),
            s.fields.iter().any(|f| f.deprecated),
        )
    };
    let body = if required.is_empty() && s.default {
        quote!(Self::default())
    } else {
        quote!(Self { #(#filled)* #rest })
    };
    // Filling a deprecated member is how the struct is built, not a use of it.
    let allow_deprecated = names_deprecated.then(|| quote!(#[allow(deprecated)]));
    // An object the API gives many required members has a constructor with as many
    // arguments: each is a value the API insists on, so there is no shorter honest form.
    let allow_arguments = allow_many_arguments(required.len());
    quote! {
        #[doc = #doc]
        #allow_deprecated
        #allow_arguments
        pub fn new(#(#params),*) -> Self {
            #body
        }
    }
}

fn setter(api: &Api, s: &Struct, f: &Field) -> Option<TokenStream> {
    let setter = format_ident!("{}", f.setter.as_deref()?);
    let field = ident(&f.name);
    let link = field_link(s, f);
    let ty = taken_type(api, f);
    let value = if takes_into(api, &f.ty, f.boxed) {
        quote!(value.into())
    } else {
        quote!(value)
    };
    let (doc, value) = match f.presence() {
        Presence::Nullable => (
            format!(
                " Sets {link} to a value; to send `null`, set the field to \
                 [`Nullable::Null`](crate::Nullable::Null)."
            ),
            quote!(crate::Nullable::Value(#value)),
        ),
        _ => (format!(" Sets {link}."), quote!(Some(#value))),
    };
    // A deprecated member's setter is deprecated too; setting the field is its job.
    let deprecated = f
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]));
    Some(quote! {
        #[doc = #doc]
        #deprecated
        pub fn #setter(mut self, value: #ty) -> Self {
            self.#field = #value;
            self
        }
    })
}

/// `[`name`](Self::name)`: rustdoc resolves a keyword field without its `r#`. A field
/// named like one of the struct's methods (`new`, or `with_x` beside a field `x`) needs
/// `field@`, or the link goes to the method.
fn field_link(s: &Struct, f: &Field) -> String {
    let is_method = f.name == naming::CONSTRUCTOR
        || s.fields
            .iter()
            .any(|other| other.setter.as_deref() == Some(f.name.as_str()));
    let disambiguator = if is_method { "field@" } else { "" };
    format!("[`{0}`]({disambiguator}Self::{0})", f.name)
}

/// The parameter type for the field's value: `T` or `impl Into<T>`, with `T` boxed where
/// the field is.
fn taken_type(api: &Api, f: &Field) -> TokenStream {
    let mut ty = type_tokens(api, &f.ty, Scope::Types);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if takes_into(api, &f.ty, f.boxed) {
        quote!(impl Into<#ty>)
    } else {
        ty
    }
}

/// Whether a value of `ty` is taken as `impl Into<T>`: anything but a number or a boolean.
fn takes_into(api: &Api, ty: &TypeRef, boxed: bool) -> bool {
    fn scalar(api: &Api, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
            TypeRef::Named(id) if depth < 16 => match &api.types[id.0].kind {
                TypeKind::Alias(inner) => scalar(api, inner, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }
    boxed || !scalar(api, ty, 0)
}
