//! One module per tag: a `Client` method per operation, returning a request builder
//! that holds the required parameters, takes the optional ones through setters, and
//! sends through the runtime's single generic `execute`.

use super::docs;
use super::type_tokens;
use super::types::Scope;
use crate::model::{Api, Module, Operation, Param, ParamLocation, PathSegment, TypeRef};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn module(api: &Api, module: &Module) -> TokenStream {
    let doc = docs::inner(module.description.as_deref());
    let methods = module.operations.iter().map(|op| client_method(api, op));
    let builders = module.operations.iter().map(|op| builder(api, op));
    quote! {
        #doc

        impl crate::Client {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// How a parameter is taken: strings as `impl Into<String>`, everything else as itself.
fn param_input(api: &Api, ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::String => (quote!(impl Into<String>), true),
        other => (type_tokens(api, other, Scope::Crate), false),
    }
}

fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = format_ident!("{}", op.builder_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = String::new();
    for param in op.required_params() {
        let name = ident(&param.name);
        let (input, into) = param_input(api, &param.ty);
        args.push(quote!(#name: #input));
        inits.push(if into {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
        arg_docs.push_str(&arg_doc(&param.name, param.description.as_deref()));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let name = ident(&body.name);
        let ty = type_tokens(api, &body.ty, Scope::Crate);
        args.push(quote!(#name: #ty));
        inits.push(quote!(#name));
        let fallback = format!("the request body ({})", surface_type(api, &body.ty));
        arg_docs.push_str(&arg_doc(
            &body.name,
            body.description.as_deref().or(Some(&fallback)),
        ));
    }
    for param in op.optional_params() {
        let name = ident(&param.name);
        inits.push(quote!(#name: None));
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let name = ident(&body.name);
        inits.push(quote!(#name: None));
    }
    let route = format!("`{} {}`", op.http_method.as_str(), op.path);
    let arguments = (!arg_docs.is_empty()).then(|| format!("# Arguments\n{arg_docs}"));
    let doc = docs::outer(
        op.summary
            .as_deref()
            .into_iter()
            .chain(op.description.as_deref())
            .chain(Some(route.as_str()))
            .chain(arguments.as_deref()),
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'_> {
            #builder { client: self, #(#inits),* }
        }
    }
}

/// A type's short name for docs.
fn surface_type(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("[`{0}`](crate::types::{0})", api.types[id.0].name),
        _ => "JSON".to_owned(),
    }
}

fn arg_doc(name: &str, description: Option<&str>) -> String {
    let description = description
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if description.is_empty() {
        format!("- `{name}`\n")
    } else {
        format!("- `{name}`: {description}\n")
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let doc = format!(
        " Request builder for [`Client::{}`](crate::Client::{}): set optional parameters, then `.send().await`.",
        op.method_name, op.method_name
    );
    let mut fields = Vec::new();
    for param in &op.params {
        let name = ident(&param.name);
        let ty = type_tokens(api, &param.ty, Scope::Crate);
        fields.push(if param.required {
            quote!(#name: #ty)
        } else {
            quote!(#name: Option<#ty>)
        });
    }
    if let Some(body) = &op.body {
        let name = ident(&body.name);
        let ty = type_tokens(api, &body.ty, Scope::Crate);
        fields.push(if body.required {
            quote!(#name: #ty)
        } else {
            quote!(#name: Option<#ty>)
        });
    }
    let setters = op.optional_params().map(|p| setter(api, p));
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let name = ident(&body.name);
        let ty = type_tokens(api, &body.ty, Scope::Crate);
        let doc = docs::outer(body.description.as_deref().or(Some("The request body.")));
        quote! {
            #doc
            pub fn #name(mut self, #name: #ty) -> Self {
                self.#name = Some(#name);
                self
            }
        }
    });
    let send = send(api, op);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields,)*
        }

        impl #builder<'_> {
            #(#setters)*
            #body_setter
            #send
        }
    }
}

fn setter(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let (input, into) = param_input(api, &param.ty);
    let value = if into {
        quote!(#name.into())
    } else {
        quote!(#name)
    };
    let mut paragraphs: Vec<&str> = param.description.as_deref().into_iter().collect();
    if param.deprecated {
        paragraphs.push("**Deprecated** in the API description.");
    }
    let doc = docs::outer(paragraphs);
    quote! {
        #doc
        pub fn #name(mut self, #name: #input) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

fn send(api: &Api, op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.http_method.as_str());
    let path = path_expr(op);
    let mut steps = Vec::new();
    for param in &op.params {
        let name = ident(&param.name);
        let wire = &param.wire_name;
        match param.location {
            ParamLocation::Path => {}
            ParamLocation::Query => steps.push(quote!(request.query(#wire, &self.#name);)),
            ParamLocation::Header => steps.push(quote!(request.header(#wire, &self.#name);)),
        }
    }
    if let Some(body) = &op.body {
        let name = ident(&body.name);
        steps.push(quote!(request.json(&self.#name)?;));
    }
    let binding = if steps.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    let response = match &op.response {
        Some(ty) => type_tokens(api, ty, Scope::Crate),
        None => quote!(()),
    };
    quote! {
        /// Sends the request.
        pub async fn send(self) -> Result<crate::Response<#response>, crate::Error> {
            #binding = crate::request::Request::new(reqwest::Method::#method, #path);
            #(#steps)*
            self.client.execute(request).await
        }
    }
}

/// The request path: a literal, or the pieces joined with `concat` (no `format!`:
/// macro arguments are printed token by token and read badly).
fn path_expr(op: &Operation) -> TokenStream {
    let mut pieces = Vec::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => pieces.push(quote!(#text)),
            PathSegment::Param(index) => {
                let param = &op.params[*index];
                let name = ident(&param.name);
                pieces.push(match param.ty {
                    TypeRef::String => quote!(&crate::request::encode_path(&self.#name)),
                    _ => quote!(&crate::request::encode_path(&self.#name.to_string())),
                });
            }
        }
    }
    match pieces.as_slice() {
        [] => quote!(String::from("/")),
        [single] if matches!(op.path_segments[0], PathSegment::Literal(_)) => {
            quote!(String::from(#single))
        }
        _ => quote!([#(#pieces),*].concat()),
    }
}
