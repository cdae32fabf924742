//! One module per tag: a `Client` method per operation, returning a request builder
//! that holds the required parameters, takes the optional ones through setters, and
//! sends through the runtime's single generic `execute`.

use super::docs;
use super::type_tokens;
use super::types::{Scope, variant_type};
use crate::model::{
    Api, Body, BodyKind, ErrorEnum, ItemStream, Module, Operation, Param, ParamLocation,
    ParamStyle, PathSegment, ResponseBody, StatusMatch, StatusVariant, StreamItems, Success,
    TypeRef,
};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn module(api: &Api, module: &Module) -> TokenStream {
    let doc = docs::inner(module.description.as_deref());
    let methods = module.operations.iter().map(|op| client_method(api, op));
    let builders = module.operations.iter().map(|op| builder(api, op));
    let outputs = module.operations.iter().map(|op| status_enums(api, op));
    quote! {
        #doc

        impl crate::Client {
            #(#methods)*
        }

        #(#builders)*
        #(#outputs)*
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
    let taken = builder_members(op);
    for param in op.required_params() {
        let name = ident(&param.name);
        let arg = naming::binding_ident(&param.name, &taken);
        let (input, into) = param_input(api, &param.ty);
        args.push(quote!(#arg: #input));
        inits.push(field_init(&name, &arg, into));
        arg_docs.push_str(&arg_doc(&param.name, param.description.as_deref()));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let name = ident(&body.name);
        let arg = naming::binding_ident(&body.name, &taken);
        let (input, into) = body_input(api, body);
        args.push(quote!(#arg: #input));
        inits.push(field_init(&name, &arg, into));
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
    let errors = op.errors.as_ref().map(errors_doc);
    let doc = docs::outer(
        op.summary
            .as_deref()
            .into_iter()
            .chain(op.description.as_deref())
            .chain(Some(route.as_str()))
            .chain(arguments.as_deref())
            .chain(errors.as_deref()),
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // Required parameters are the method's arguments (`&self` counts too for clippy).
    let allow_arguments = super::construct::allow_many_arguments(args.len() + 1);
    quote! {
        #doc
        #deprecated
        #allow_arguments
        pub fn #method(&self, #(#args),*) -> #builder<'_> {
            #builder {
                client: self,
                #(#inits,)*
                request_options: crate::RequestOptions::new(),
            }
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

/// How a body is taken: text and bytes through `Into`, the rest as its type.
fn body_input(api: &Api, body: &Body) -> (TokenStream, bool) {
    match body.kind {
        BodyKind::Text => (quote!(impl Into<String>), true),
        BodyKind::Binary => (quote!(impl Into<bytes::Bytes>), true),
        _ => (type_tokens(api, &body.ty, Scope::Crate), false),
    }
}

/// The type a builder stores a body as.
fn body_type(api: &Api, body: &Body) -> TokenStream {
    match body.kind {
        BodyKind::Text => quote!(String),
        BodyKind::Binary => quote!(bytes::Bytes),
        _ => type_tokens(api, &body.ty, Scope::Crate),
    }
}

fn errors_doc(errors: &ErrorEnum) -> String {
    let mut doc = format!(
        "# Errors\nAn [`Error::Api`](crate::Error::Api) whose body decodes by status into [`{}`] with [`ApiError::typed`](crate::ApiError::typed):\n",
        errors.name
    );
    for variant in &errors.variants {
        let description = variant
            .description
            .as_deref()
            .map(|d| format!(": {}", d.split_whitespace().collect::<Vec<_>>().join(" ")))
            .unwrap_or_default();
        doc.push_str(&format!(
            "- {} ([`{}`]({}::{})){description}\n",
            status_label(variant.status),
            variant.name,
            errors.name,
            variant.name
        ));
    }
    doc
}

fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("`{code}`"),
        StatusMatch::Range(range) => format!("`{range}XX`"),
        StatusMatch::Default => "any other status".to_owned(),
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
        let ty = body_type(api, body);
        fields.push(if body.required {
            quote!(#name: #ty)
        } else {
            quote!(#name: Option<#ty>)
        });
    }
    let setters = op.optional_params().map(|p| setter(api, p));
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let name = ident(&body.name);
        let arg = naming::binding_ident(&body.name, &[]);
        let (input, into) = body_input(api, body);
        let value = if into {
            quote!(#arg.into())
        } else {
            quote!(#arg)
        };
        let doc = docs::outer(body.description.as_deref().or(Some("The request body.")));
        quote! {
            #doc
            pub fn #name(mut self, #arg: #input) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let send = send(api, op);
    let paging = super::pagination::methods(op);
    let paginated = super::pagination::paginated_impl(api, op);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields,)*
            request_options: crate::RequestOptions,
        }

        impl #builder<'_> {
            #(#setters)*
            #body_setter

            /// Overrides the client's timeout and retry policy for this call.
            pub fn with_options(mut self, options: crate::RequestOptions) -> Self {
                self.request_options = options;
                self
            }

            #send
            #paging
        }

        #paginated
    }
}

/// The names of an operation's parameters and body: the arguments of its client method.
fn builder_members(op: &Operation) -> Vec<&str> {
    op.params
        .iter()
        .map(|p| p.name.as_str())
        .chain(op.body.as_ref().map(|b| b.name.as_str()))
        .collect()
}

/// `name: arg.into()`, `name: arg`, or the shorthand `name` when the argument has the
/// field's name.
fn field_init(name: &proc_macro2::Ident, arg: &proc_macro2::Ident, into: bool) -> TokenStream {
    if into {
        quote!(#name: #arg.into())
    } else if name == arg {
        quote!(#name)
    } else {
        quote!(#name: #arg)
    }
}

fn setter(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let arg = naming::binding_ident(&param.name, &[]);
    let (input, into) = param_input(api, &param.ty);
    let value = if into {
        quote!(#arg.into())
    } else {
        quote!(#arg)
    };
    let mut paragraphs: Vec<&str> = param.description.as_deref().into_iter().collect();
    if param.deprecated {
        paragraphs.push("**Deprecated** in the API description.");
    }
    let doc = docs::outer(paragraphs);
    quote! {
        #doc
        pub fn #name(mut self, #arg: #input) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

fn send(api: &Api, op: &Operation) -> TokenStream {
    let path = path_expr(op);
    let constructor = match op.http_method.constant() {
        Some(constant) => {
            let method = format_ident!("{constant}");
            quote!(crate::request::Request::new(reqwest::Method::#method, #path))
        }
        // QUERY and the methods of `additionalOperations` have no constant.
        None => {
            let method = op.http_method.as_str();
            quote!(crate::request::Request::with_method(#method, #path))
        }
    };
    let mut steps: Vec<TokenStream> = op.params.iter().filter_map(param_step).collect();
    if let Some(body) = &op.body {
        steps.push(body_step(body));
    }
    // A header step replaces the runtime's default `Accept`.
    let accept = op
        .accept
        .as_ref()
        .map(|accept| quote!(request.header("accept", #accept);));
    let (output, execute) = response_call(api, op);
    let doc = if matches!(op.response, Success::Single(ResponseBody::Stream(_))) {
        quote! {
            /// Sends the request. Once the answer's headers are in, its body's items come
            /// out of the returned [`ItemStream`](crate::ItemStream) as they arrive.
        }
    } else {
        quote!(#[doc = " Sends the request."])
    };
    let new_request = quote!(#constructor.with_options(self.request_options));
    let blocking_doc = send_blocking_doc();
    let Some(stream) = &op.stream else {
        let binding = if steps.is_empty() && accept.is_none() {
            quote!(let request)
        } else {
            quote!(let mut request)
        };
        return quote! {
            #doc
            pub async fn send(self) -> Result<crate::Response<#output>, crate::Error> {
                #binding = #new_request;
                #(#steps)*
                #accept
                self.client.#execute
            }

            #blocking_doc
            #[cfg(feature = "blocking")]
            pub fn send_blocking(self) -> Result<crate::Response<#output>, crate::Error> {
                crate::blocking::block_on(self.send())
            }
        };
    };
    // `send` and `send_stream` build the same request.
    let binding = if steps.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    let (stream_output, stream_execute) = stream_call(api, stream);
    let request_binding = if accept.is_some() {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let stream_doc = format!(
        " Sends the request asking for the answer as a stream of `{}` items instead: once \
         the answer's headers are in, its items come out of the returned \
         [`ItemStream`](crate::ItemStream) as they arrive. The API may also need to be told \
         in the request (a member such as `stream` in the body, say); see its description.",
        stream.media_type
    );
    quote! {
        #doc
        pub async fn send(self) -> Result<crate::Response<#output>, crate::Error> {
            let client = self.client;
            #request_binding = self.into_request()?;
            #accept
            client.#execute
        }

        #blocking_doc
        #[cfg(feature = "blocking")]
        pub fn send_blocking(self) -> Result<crate::Response<#output>, crate::Error> {
            crate::blocking::block_on(self.send())
        }

        #[doc = #stream_doc]
        pub async fn send_stream(self) -> Result<crate::Response<#stream_output>, crate::Error> {
            let client = self.client;
            let request = self.into_request()?;
            client.#stream_execute
        }

        /// [`send_stream`](Self::send_stream) for programs without an async runtime
        /// (feature `blocking`).
        #[cfg(feature = "blocking")]
        pub fn send_stream_blocking(self) -> Result<crate::Response<#stream_output>, crate::Error> {
            crate::blocking::block_on(self.send_stream())
        }

        fn into_request(self) -> Result<crate::request::Request, crate::Error> {
            #binding = #new_request;
            #(#steps)*
            Ok(request)
        }
    }
}

/// The doc of every `send_blocking`.
fn send_blocking_doc() -> TokenStream {
    quote! {
        /// Sends the request and waits for the answer, for programs without an async
        /// runtime (feature `blocking`).
    }
}

fn param_step(param: &Param) -> Option<TokenStream> {
    let name = ident(&param.name);
    let wire = &param.wire_name;
    Some(match (param.location, param.style) {
        (ParamLocation::Path, _) => return None,
        (ParamLocation::Query, ParamStyle::Exploded) => quote!(request.query(#wire, &self.#name);),
        (ParamLocation::Query, ParamStyle::Delimited(delimiter)) => {
            quote!(request.query_delimited(#wire, &self.#name, #delimiter);)
        }
        (ParamLocation::Query, ParamStyle::DeepObject) => {
            quote!(request.query_deep_object(#wire, &self.#name);)
        }
        (ParamLocation::Header, _) => quote!(request.header(#wire, &self.#name);),
        (ParamLocation::Cookie, _) => quote!(request.cookie(#wire, &self.#name);),
        (ParamLocation::QueryString, _) => quote!(request.query_string(&self.#name);),
    })
}

/// Encodes the body; an optional body that is not set is not sent at all.
fn body_step(body: &Body) -> TokenStream {
    let name = ident(&body.name);
    let content_type = &body.content_type;
    let encode = |value: TokenStream| match body.kind {
        BodyKind::Json => quote!(request.json(#value)?;),
        BodyKind::Form => quote!(request.form(#value)?;),
        BodyKind::Multipart => quote!(request.multipart(#value)?;),
        BodyKind::Text => quote!(request.text(#value, #content_type);),
        BodyKind::Binary => quote!(request.bytes(#value, #content_type);),
    };
    let by_value = matches!(body.kind, BodyKind::Text | BodyKind::Binary);
    match (body.required, by_value) {
        (true, true) => encode(quote!(self.#name)),
        (true, false) => encode(quote!(&self.#name)),
        (false, true) => {
            let step = encode(quote!(#name));
            quote!(if let Some(#name) = self.#name { #step })
        }
        (false, false) => {
            let step = encode(quote!(#name));
            quote!(if let Some(#name) = &self.#name { #step })
        }
    }
}

/// The success type and the runtime call that produces it (a method of `Client`).
fn response_call(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    match &op.response {
        Success::Single(ResponseBody::Empty) => (
            quote!(()),
            // Whatever body a bodiless success carries is ignored.
            quote!(execute_with(request, |_, _| Some(Ok(()))).await),
        ),
        Success::Single(ResponseBody::Json(ty)) => (
            type_tokens(api, ty, Scope::Crate),
            quote!(execute(request).await),
        ),
        Success::Single(ResponseBody::Text) => {
            (quote!(String), quote!(execute_text(request).await))
        }
        Success::Single(ResponseBody::Bytes) => {
            (quote!(bytes::Bytes), quote!(execute_bytes(request).await))
        }
        Success::Single(ResponseBody::Stream(stream)) => stream_call(api, stream),
        Success::ByStatus { name, variants } => {
            let name = format_ident!("{}", name);
            let decode = status_dispatch(&name, variants);
            let (status, body) = dispatch_inputs(variants);
            (
                quote!(#name),
                quote!(execute_with(request, |#status, #body| #decode).await),
            )
        }
    }
}

/// The type and the runtime call (a method of `Client`) of a streamed answer.
fn stream_call(api: &Api, stream: &ItemStream) -> (TokenStream, TokenStream) {
    let item = type_tokens(api, &stream.item, Scope::Crate);
    let items = match stream.items {
        StreamItems::JsonLines => quote!(JsonLines),
        StreamItems::JsonSeq => quote!(JsonSeq),
        StreamItems::Events { json_data } => quote!(Events { json_data: #json_data }),
        StreamItems::EventData { json } => quote!(EventData { json: #json }),
    };
    let accept = &stream.media_type;
    (
        quote!(crate::ItemStream<#item>),
        quote!(execute_stream(request, crate::stream::Items::#items, #accept).await),
    )
}

/// The expression that picks the variant of `name` for `status` and decodes `body` into
/// it: a `match` on the status, or, when the only variant is `default`, its decoding alone
/// (a `match` with one catch-all arm is noise, and clippy says so).
fn status_dispatch(name: &proc_macro2::Ident, variants: &[StatusVariant]) -> TokenStream {
    if only_default(variants) {
        return variant_value(name, &variants[0]);
    }
    let arms = variants.iter().map(|v| status_arm(name, v, variants));
    let fallback =
        (!variants.iter().any(|v| v.status == StatusMatch::Default)).then(|| quote!(_ => None,));
    quote! {
        match status.as_u16() {
            #(#arms)*
            #fallback
        }
    }
}

fn only_default(variants: &[StatusVariant]) -> bool {
    matches!(variants, [only] if only.status == StatusMatch::Default)
}

/// The names of the status and body inputs of [`status_dispatch`]'s expression, `_`-prefixed
/// when it does not read them (only a `default` variant; no variant with a body).
fn dispatch_inputs(variants: &[StatusVariant]) -> (TokenStream, TokenStream) {
    let status = if only_default(variants) {
        quote!(_status)
    } else {
        quote!(status)
    };
    let body = if variants.iter().any(|v| v.ty.is_some()) {
        quote!(body)
    } else {
        quote!(_body)
    };
    (status, body)
}

/// `404 => Some(crate::request::json(body).map(Name::NotFound)),`
/// The arm of one status. A range leaves out the codes other variants name (`2XX` beside
/// `200` matches `201..=299`): they come first and would win anyway, and overlapping arms
/// are a lint (clippy's `match_overlapping_arm`).
fn status_arm(
    name: &proc_macro2::Ident,
    variant: &StatusVariant,
    variants: &[StatusVariant],
) -> TokenStream {
    let pattern = match variant.status {
        StatusMatch::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(range) => {
            let named: Vec<u16> = variants
                .iter()
                .filter_map(|v| match v.status {
                    StatusMatch::Code(code) => Some(code),
                    _ => None,
                })
                .collect();
            let parts = range_parts(range, &named);
            if parts.is_empty() {
                // Every code of the range has a variant of its own.
                return TokenStream::new();
            }
            quote!(#(#parts)|*)
        }
        StatusMatch::Default => quote!(_),
    };
    let value = variant_value(name, variant);
    quote!(#pattern => #value,)
}

/// The codes of `range` (`2` for `2XX`) but `named`, as patterns: `201..=299`, `204`.
fn range_parts(range: u16, named: &[u16]) -> Vec<TokenStream> {
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let (low, high) = (range * 100, range * 100 + 99);
    let mut taken: Vec<u16> = named
        .iter()
        .copied()
        .filter(|c| (low..=high).contains(c))
        .collect();
    taken.sort_unstable();
    taken.dedup();
    let mut spans = Vec::new();
    let mut start = low;
    for code in taken {
        if code > start {
            spans.push((start, code - 1));
        }
        start = code + 1;
    }
    if start <= high {
        spans.push((start, high));
    }
    spans
        .into_iter()
        .map(|(from, to)| {
            let (from_literal, to_literal) = (literal(from), literal(to));
            if from == to {
                quote!(#from_literal)
            } else {
                quote!(#from_literal..=#to_literal)
            }
        })
        .collect()
}

/// `Some(crate::request::json(body).map(Name::NotFound))`, or `Some(Ok(Name::NotFound))`
/// for a variant without a body.
fn variant_value(name: &proc_macro2::Ident, variant: &StatusVariant) -> TokenStream {
    let variant_ident = format_ident!("{}", variant.name);
    match variant.ty {
        Some(_) => quote!(Some(crate::request::json(body).map(#name::#variant_ident))),
        None => quote!(Some(Ok(#name::#variant_ident))),
    }
}

/// The per-operation enums: success bodies by status, and error bodies by status.
fn status_enums(api: &Api, op: &Operation) -> TokenStream {
    let success = match &op.response {
        Success::ByStatus { name, variants } => {
            let doc = format!(
                " What [`Client::{}`](crate::Client::{}) returns, by status.",
                op.method_name, op.method_name
            );
            let enum_def = status_enum(api, name, variants, &doc);
            Some(enum_def)
        }
        Success::Single(_) => None,
    };
    let errors = op.errors.as_ref().map(|errors| {
        let doc = format!(
            " Documented error bodies of [`Client::{}`](crate::Client::{}), by status: decode one with [`ApiError::typed`](crate::ApiError::typed).",
            op.method_name, op.method_name
        );
        let enum_def = status_enum(api, &errors.name, &errors.variants, &doc);
        let name = format_ident!("{}", errors.name);
        let decode = status_dispatch(&name, &errors.variants);
        let (status, body) = dispatch_inputs(&errors.variants);
        quote! {
            #enum_def

            impl crate::ErrorBody for #name {
                fn from_status(#status: reqwest::StatusCode, #body: &[u8]) -> Option<Result<Self, serde_json::Error>> {
                    #decode
                }
            }
        }
    });
    quote!(#success #errors)
}

fn status_enum(api: &Api, name: &str, variants: &[StatusVariant], doc: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    let variants = variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let label = match v.status {
            StatusMatch::Default => "Any other status.".to_owned(),
            status => format!("Status {}.", status_label(status)),
        };
        let doc = docs::outer(
            Some(label.as_str())
                .into_iter()
                .chain(v.description.as_deref()),
        );
        match &v.ty {
            Some(ty) => {
                let ty = variant_type(api, ty, Scope::Crate);
                quote!(#doc #ident(#ty),)
            }
            None => quote!(#doc #ident,),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
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
                    // Lowering made every other path parameter type displayable.
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
