//! Named types: structs, string enums, untagged unions and aliases.

use super::docs;
use super::type_tokens;
use crate::model::{Api, EnumVariant, Field, Struct, TypeDef, TypeKind, UntaggedVariant};
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
    match &def.kind {
        TypeKind::Struct(s) => struct_def(api, doc, &name, s),
        TypeKind::Enum(variants) => enum_def(doc, &name, variants),
        TypeKind::Untagged(variants) => untagged_def(api, doc, &name, variants),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(api, ty, Scope::Types);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

/// Where type paths are written from.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside `types::<group>`: siblings are `super::Name`.
    Types,
    /// Anywhere else: `crate::types::Name`.
    Crate,
}

fn struct_def(api: &Api, doc: TokenStream, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let default = s.default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| field(api, f));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let mut paragraphs: Vec<&str> = f.description.as_deref().into_iter().collect();
    if f.deprecated {
        paragraphs.push("**Deprecated** in the API description.");
    }
    let doc = docs::outer(paragraphs);
    let name = ident(&f.name);
    let mut ty = type_tokens(api, &f.ty, Scope::Types);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.is_option() {
        ty = quote!(Option<#ty>);
    }
    let mut serde_args = Vec::new();
    if f.name != f.wire_name {
        let wire = &f.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    // Absent fields stay absent; a required but nullable field is always sent (as null).
    if !f.required {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    quote! {
        #doc
        #serde_attr
        pub #name: #ty,
    }
}

fn enum_def(doc: TokenStream, name: &proc_macro2::Ident, variants: &[EnumVariant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<_> = variants.iter().map(|v| v.wire_name.as_str()).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
    variants: &[UntaggedVariant],
) -> TokenStream {
    let variants = variants.iter().map(|v| {
        let variant = format_ident!("{}", v.name);
        let mut ty = type_tokens(api, &v.ty, Scope::Types);
        // Structs are boxed so one large shape does not make every value large.
        if is_struct(api, &v.ty) {
            ty = quote!(Box<#ty>);
        }
        quote!(#variant(#ty),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn is_struct(api: &Api, ty: &crate::model::TypeRef) -> bool {
    match ty {
        crate::model::TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(_) | TypeKind::Untagged(_) => true,
            TypeKind::Alias(inner) => is_struct(api, inner),
            TypeKind::Enum(_) => false,
        },
        _ => false,
    }
}
