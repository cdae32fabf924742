//! `lib.rs`, `meta.rs` and `types/mod.rs`: the crate's skeleton.
//!
//! Generated modules are declared `#[rustfmt::skip]` because they are formatted by
//! prettyplease, not rustfmt; `lib.rs` itself is plain enough that both agree on it.

use super::docs;
use crate::model::{Api, ResponseBody, Success, TypeKind, TypeRef};
use crate::runtime;
use crate::settings::Settings;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn lib_rs(api: &Api, settings: &Settings) -> TokenStream {
    let title = format!("# {}", api.title);
    let intro = format!(
        "A client for the {} (version {}), generated from its OpenAPI description.",
        api.title, api.version
    );
    let mut usage = usage_doc(api, settings);
    usage.push_str(&building_doc(api, settings));
    usage.push_str(&streams_doc(api, settings));
    let doc = docs::inner_then(
        [title.as_str(), intro.as_str()]
            .into_iter()
            .chain(api.description.as_deref()),
        &usage,
    );
    let modules = api.modules.iter().map(|m| {
        let name = format_ident!("{}", m.name);
        let summary = m
            .description
            .as_deref()
            .and_then(|d| d.lines().next())
            .unwrap_or(&m.tag);
        let doc = docs::outer(Some(summary));
        let feature = &m.name;
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #name;
        }
    });
    let runtime = runtime::MODULES
        .iter()
        .filter_map(|m| Some((m, m.cfg_for(api)?)));
    let runtime_mods = runtime.clone().map(|(m, feature)| {
        let name = format_ident!("{}", m.name);
        let cfg = feature.map(|feature| quote!(#[cfg(feature = #feature)]));
        quote! {
            #cfg
            mod #name;
        }
    });
    let runtime_uses = runtime
        .filter(|(m, _)| !m.exports.is_empty())
        .map(|(m, feature)| {
            let name = format_ident!("{}", m.name);
            let exports = m.exports.iter().map(|e| format_ident!("{}", e));
            let cfg = feature.map(|feature| quote!(#[cfg(feature = #feature)]));
            quote! {
                #cfg
                pub use #name::{#(#exports),*};
            }
        });
    quote! {
        #doc

        #(#runtime_mods)*
        #[rustfmt::skip]
        mod meta;

        /// The types of request and response bodies.
        #[rustfmt::skip]
        pub mod types;

        #(#modules)*

        #(#runtime_uses)*
    }
}

/// A short example of the first operation without required arguments.
fn usage_doc(api: &Api, settings: &Settings) -> String {
    let lib = settings.lib_name();
    let call = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| {
            op.required_params().next().is_none() && !op.body.as_ref().is_some_and(|b| b.required)
        })
        // `r#match`: a method named after a keyword is called by its raw identifier.
        .map(|op| crate::naming::ident(&op.method_name).to_string());
    let call = match call {
        Some(method) => format!(
            "let response = client.{method}().send().await?;\nprintln!(\"{{}} requests left\", response.rate_limit().remaining().unwrap_or(0));\n"
        ),
        None => String::new(),
    };
    format!(
        "```no_run\n# async fn example() -> Result<(), {lib}::Error> {{\nlet client = {lib}::Client::from_env()?; // reads {env}\n{call}# Ok(())\n# }}\n```",
        env = settings.api_key_env,
    )
}

/// How to read a streamed response, when the API has one: with the first operation
/// that streams and takes no required argument, if any.
fn streams_doc(api: &Api, settings: &Settings) -> String {
    let mut streams = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .filter(|op| matches!(op.response, Success::Single(ResponseBody::Stream(_))));
    let Some(first) = streams.next() else {
        return String::new();
    };
    let mut doc = String::from(
        "\n\n## Streamed responses\n\n\
         An operation whose answer is a stream of items (server-sent events, JSON Lines, \
         JSON text sequences) returns an [`ItemStream`] once the headers are in: take the \
         items with `next().await` as they arrive, or through `futures`' `StreamExt`. An \
         item that does not decode is an error of its own and the stream goes on; the \
         client's timeout is the longest wait for the next part of the body, and the \
         call's deadline counts for the whole stream, so give a long-lived one a longer \
         `RequestOptions::call_timeout`.\n",
    );
    let first = std::iter::once(first).chain(streams).find(|op| {
        op.required_params().next().is_none() && !op.body.as_ref().is_some_and(|b| b.required)
    });
    if let Some(op) = first {
        doc.push_str(&format!(
            "\n```no_run\n# async fn example() -> Result<(), {lib}::Error> {{\n\
             let client = {lib}::Client::from_env()?;\n\
             let mut items = client.{method}().send().await?.into_body();\n\
             while let Some(item) = items.next().await {{\n    \
             println!(\"{{:?}}\", item?);\n}}\n# Ok(())\n# }}\n```\n",
            lib = settings.lib_name(),
            method = crate::naming::ident(&op.method_name),
        ));
    }
    doc
}

/// How to build values: the constructor and setters of `#[non_exhaustive]` structs, with
/// an example from the first request body whose required members are all text, numbers or
/// booleans.
fn building_doc(api: &Api, settings: &Settings) -> String {
    let mut doc = String::from(
        "\n\n## Building values\n\n\
         Structs are `#[non_exhaustive]`, so that a member the API adds later is not a \
         breaking change: build one with `new`, which takes the members every value has \
         in the order the API description lists them, and set the others with its `with_` \
         methods, each returning the value. Numbers and booleans are passed as they are, \
         anything else as `impl Into<T>` (a `&str` for a `String`, an array for a `Vec`, \
         a value for a `Box`). The setter of a member that may be absent or `null` (a \
         `Nullable`) sets a value; assign `Nullable::Null` to the field to send `null`. \
         Fields are public, to read and to assign. Response types are built the same way, \
         so tests can make them.\n\n\
         Enums are `#[non_exhaustive]` too: a `match` on one needs a `_` arm, and string \
         and integer enums keep a value this version does not know in `Unknown`.\n",
    );
    if let Some(example) = building_example(api, settings) {
        doc.push_str(&format!(
            "\n```no_run\n# async fn example() -> Result<(), {lib}::Error> {{\n{example}# Ok(())\n# }}\n```\n",
            lib = settings.lib_name()
        ));
    }
    doc
}

/// `let body = Type::new(…).with_…(…);` and the call, for the first operation whose
/// required body takes literals only, preferring one whose body has both a required
/// member and a setter that takes a literal.
fn building_example(api: &Api, settings: &Settings) -> Option<String> {
    let lib = settings.lib_name();
    let mut best: Option<(usize, String)> = None;
    for op in api.modules.iter().flat_map(|m| &m.operations) {
        let Some(body) = op.body.as_ref().filter(|b| b.required) else {
            continue;
        };
        let TypeRef::Named(id) = &body.ty else {
            continue;
        };
        let def = &api.types[id.0];
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let Some(args) = s
            .fields
            .iter()
            .filter(|f| !f.is_option())
            .map(|f| literal(api, &f.ty))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let setter = s.fields.iter().find_map(|f| {
            let setter = f.setter.as_deref().filter(|_| !f.deprecated)?;
            Some(format!(
                ".{}({})",
                crate::naming::ident(setter),
                literal(api, &f.ty)?
            ))
        });
        let score = usize::from(!args.is_empty()) + usize::from(setter.is_some());
        if score == 0 || best.as_ref().is_some_and(|(best, _)| *best >= score) {
            continue;
        }
        let name = crate::naming::ident(&def.name);
        let mut example = format!(
            "let body = {lib}::types::{name}::new({}){};\n",
            args.join(", "),
            setter.unwrap_or_default()
        );
        // The call too, when its other arguments are literals as well (an id parameter
        // takes `impl Into<String>`).
        let params = op
            .required_params()
            .map(|p| match p.ty {
                TypeRef::String => Some("\"…\""),
                TypeRef::Named(_) => None,
                ref other => literal(api, other),
            })
            .collect::<Option<Vec<_>>>();
        if let Some(mut params) = params {
            params.push("body");
            let method = crate::naming::ident(&op.method_name);
            example.push_str(&format!(
                "let client = {lib}::Client::from_env()?;\nlet response = client.{method}({}).send().await?;\n",
                params.join(", ")
            ));
        }
        best = Some((score, example));
    }
    best.map(|(_, example)| example)
}

/// A literal of a text, number or boolean type.
fn literal(api: &Api, ty: &TypeRef) -> Option<&'static str> {
    match ty {
        TypeRef::String => Some("\"…\""),
        TypeRef::Bool => Some("true"),
        TypeRef::I32 | TypeRef::I64 => Some("1"),
        TypeRef::F32 | TypeRef::F64 => Some("1.0"),
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) if !matches!(inner, TypeRef::Named(_)) => literal(api, inner),
            _ => None,
        },
        _ => None,
    }
}

pub fn meta_rs(api: &Api, settings: &Settings) -> TokenStream {
    let base_url = &api.base_url;
    let env = &settings.api_key_env;
    let base_url_env = &settings.base_url_env;
    let option = |value: &Option<String>| match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let header = option(&api.auth.header);
    let query = option(&api.auth.query);
    let cookie = option(&api.auth.cookie);
    let bearer = api.auth.bearer;
    let basic = api.auth.basic;
    let user_agent = format!("{}/", settings.crate_name);
    let error_shapes = api.policy.error_shapes.iter().map(|shape| {
        let (name, message, details) = (&shape.name, &shape.message, &shape.details);
        quote! {
            crate::error::ErrorShape {
                name: &[#(#name),*],
                message: &[#(#message),*],
                details: &[#(#details),*],
            }
        }
    });
    let quota_words = &api.policy.quota_words;
    quote! {
        //! Facts about the API taken from its description, used by the runtime.

        /// The first server URL of the description.
        pub(crate) const DEFAULT_BASE_URL: &str = #base_url;
        /// The environment variable `Client::from_env` reads the API key from.
        pub(crate) const API_KEY_ENV: &str = #env;
        /// The environment variable `Client::from_env` reads a base URL from, if set.
        pub(crate) const BASE_URL_ENV: &str = #base_url_env;
        /// The header that carries the API key, when the API accepts one.
        pub(crate) const API_KEY_HEADER: Option<&str> = #header;
        /// The query parameter that carries the API key, when the API accepts one.
        pub(crate) const API_KEY_QUERY: Option<&str> = #query;
        /// The cookie that carries the API key, when the API accepts one.
        pub(crate) const API_KEY_COOKIE: Option<&str> = #cookie;
        /// Whether the API accepts `Authorization: Bearer <token>`.
        pub(crate) const HTTP_BEARER: bool = #bearer;
        /// Whether the API accepts `Authorization: Basic <user:password>`.
        pub(crate) const HTTP_BASIC: bool = #basic;
        /// Sent as `User-Agent` unless the caller sets another.
        pub(crate) const USER_AGENT: &str = concat!(#user_agent, env!("CARGO_PKG_VERSION"));
        /// Where the API's error bodies keep their name, message and details (JSON
        /// pointers), tried in order.
        pub(crate) const ERROR_SHAPES: &[crate::error::ErrorShape] = &[#(#error_shapes),*];
        /// Words that, in a `429`'s error name or message, mean a used-up quota rather
        /// than a rate limit: such a call is not retried.
        pub(crate) const QUOTA_WORDS: &[&str] = &[#(#quota_words),*];
    }
}

pub fn types_mod_rs(groups: &BTreeSet<&str>) -> TokenStream {
    let items = groups.iter().map(|g| {
        let name = format_ident!("{}", g);
        // A tag's types come and go with the tag's cargo feature.
        let cfg = (*g != crate::model::COMMON_GROUP).then(|| quote!(#[cfg(feature = #g)]));
        quote! {
            #cfg
            mod #name;
            #cfg
            pub use #name::*;
        }
    });
    quote! {
        //! The types of request and response bodies, grouped in files by the tag that uses
        //! them (`common` holds those used by several tags, always compiled) and all
        //! exported here.

        #(#items)*
    }
}
