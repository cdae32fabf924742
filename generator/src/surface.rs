//! A compact, reviewable listing of the generated client's public surface: every
//! operation, its method signature, its builder's setters and its request/response types.
//! Snapshotted in tests, so a pull request shows API changes at a glance.

use crate::model::{Api, ResponseBody, Success, TypeRef};
use std::fmt::Write;

pub fn surface(api: &Api) -> String {
    let mut out = String::new();
    for module in &api.modules {
        let _ = writeln!(
            out,
            "mod {} ({} operations)",
            module.name,
            module.operations.len()
        );
        for op in &module.operations {
            let mut args = vec!["&self".to_owned()];
            for p in op.required_params() {
                args.push(format!("{}: {}", p.name, input_type(api, &p.ty)));
            }
            if let Some(body) = op.body.as_ref().filter(|b| b.required) {
                args.push(format!("{}: {}", body.name, type_name(api, &body.ty)));
            }
            let deprecated = if op.deprecated { " [deprecated]" } else { "" };
            let _ = writeln!(
                out,
                "  {} {}  ({}){deprecated}",
                op.http_method.as_str(),
                op.path,
                op.id
            );
            let _ = writeln!(
                out,
                "    fn {}({}) -> {}::{}",
                op.method_name,
                args.join(", "),
                module.name,
                op.builder_name
            );
            for p in op.optional_params() {
                let _ = writeln!(out, "      .{}({})", p.name, input_type(api, &p.ty));
            }
            if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
                let _ = writeln!(out, "      .{}({})", body.name, type_name(api, &body.ty));
            }
            let response = match &op.response {
                Success::Single(ResponseBody::Empty) => "()".to_owned(),
                Success::Single(ResponseBody::Json(ty)) => type_name(api, ty),
                Success::Single(ResponseBody::Text) => "String".to_owned(),
                Success::Single(ResponseBody::Bytes) => "Bytes".to_owned(),
                Success::Single(ResponseBody::Stream(stream)) => {
                    format!("ItemStream<{}>", type_name(api, &stream.item))
                }
                Success::ByStatus { name, .. } => format!("{}::{name}", module.name),
            };
            let _ = writeln!(out, "      .send() -> Response<{response}>");
            if let Some(stream) = &op.stream {
                let item = type_name(api, &stream.item);
                let _ = writeln!(out, "      .send_stream() -> Response<ItemStream<{item}>>");
            }
            if let Some(errors) = &op.errors {
                let _ = writeln!(out, "      errors: {}::{}", module.name, errors.name);
            }
        }
    }
    out
}

fn input_type(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "impl Into<String>".to_owned(),
        other => type_name(api, other),
    }
}

/// A type as the generated code spells it, without the `crate::types::` prefix
/// (`Vec<Collection>`); also what `cargo xtask spec-diff` reports.
pub fn type_name(api: &Api, ty: &TypeRef) -> String {
    crate::model::print::rust_type(api, ty, crate::model::print::TypePaths::BARE)
}
