//! Paths and operations to [`Module`]s of [`Operation`]s.

use super::{Context, new_modules};
use crate::error::{Error, Pointer, Result};
use crate::model::{
    Body, HttpMethod, Module, Operation, Param, ParamLocation, PathSegment, TypeRef,
};
use crate::naming::{self, NameTable};
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode,
};
use std::collections::BTreeMap;

/// The tag of operations that have none.
const DEFAULT_TAG: &str = "default";

impl<'a> Context<'a> {
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Module>> {
        let openapi = self.openapi;
        let mut modules = new_modules(openapi);
        let mut method_names = NameTable::default();
        let mut builder_names = NameTable::default();
        // operationId → where it was first seen, to report duplicates.
        let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let paths = Pointer::root().join("paths");
        for (path, item) in &openapi.paths.paths {
            let path_pointer = paths.join(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(Error::invalid(
                        &path_pointer,
                        "$ref path items are not supported; inline the path item",
                    ));
                }
            };
            for (method, operation) in item.iter() {
                let pointer = path_pointer.join(method);
                let id = match &operation.operation_id {
                    Some(id) => id.clone(),
                    None => derived_operation_id(method, path),
                };
                if let Some(first) = seen_ids.get(&id) {
                    return Err(Error::invalid(
                        &pointer.join("operationId"),
                        format!("duplicate operationId '{id}': also used at {first}"),
                    ));
                }
                seen_ids.insert(id.clone(), pointer.clone());
                let lowered = self.lower_operation(
                    OperationSite {
                        id,
                        method,
                        path,
                        item,
                        operation,
                        pointer,
                    },
                    &mut method_names,
                    &mut builder_names,
                )?;
                let tag = operation.tags.first().map_or(DEFAULT_TAG, String::as_str);
                modules
                    .entry(tag.to_owned())
                    .or_insert_with(|| Module {
                        name: String::new(),
                        tag: tag.to_owned(),
                        description: None,
                        operations: Vec::new(),
                    })
                    .operations
                    .push(lowered);
            }
        }
        Ok(name_modules(modules))
    }

    fn lower_operation(
        &mut self,
        site: OperationSite<'a>,
        method_names: &mut NameTable,
        builder_names: &mut NameTable,
    ) -> Result<Operation> {
        let OperationSite {
            id,
            method,
            path,
            item,
            operation,
            pointer,
        } = site;
        let type_prefix = naming::type_name(&id);
        let mut param_names = NameTable::default();
        // Fields of every request builder that parameters must not take.
        param_names.claim("client".to_owned());
        param_names.claim("send".to_owned());

        let mut params = Vec::new();
        for (param, at) in self.merged_parameters(item, operation, &pointer)? {
            params.push(self.lower_param(param, &at, &type_prefix, &mut param_names)?);
        }
        let path_segments = path_segments(path, &params, &pointer)?;

        let body = match &operation.request_body {
            None => None,
            Some(body) => {
                let at = pointer.join("requestBody");
                let (body, at) = self.resolver.resolve(body, &at)?;
                let (media, at) = json_media(&body.content, &at, "request body")?;
                let ty = match &media.schema {
                    Some(schema) => {
                        self.type_ref(schema, &at.join("schema"), &format!("{type_prefix}Body"))?
                    }
                    None => TypeRef::Json,
                };
                Some(Body {
                    name: param_names.claim("body".to_owned()),
                    ty,
                    required: body.required,
                    description: body.description.clone(),
                })
            }
        };

        let response = self.success_response(operation, &pointer, &type_prefix)?;
        Ok(Operation {
            method_name: method_names.claim(naming::method_name(&id)),
            builder_name: builder_names.claim(type_prefix),
            id,
            http_method: http_method(method),
            path: path.to_owned(),
            path_segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            pointer,
            params,
            body,
            response,
        })
    }

    /// Path-level parameters, overridden by operation-level ones with the same name and
    /// location, resolved.
    fn merged_parameters(
        &self,
        item: &'a PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
    ) -> Result<Vec<(&'a Parameter, Pointer)>> {
        let mut merged: IndexMap<(String, &'static str), (&'a Parameter, Pointer)> =
            IndexMap::new();
        let path_level = pointer
            .segments()
            .take(2)
            .fold(Pointer::root(), |p, s| p.join(s))
            .join("parameters");
        let levels = [
            (&item.parameters, path_level),
            (&operation.parameters, pointer.join("parameters")),
        ];
        for (list, base) in levels {
            for (i, param) in list.iter().enumerate() {
                let (param, at) = self.resolver.resolve(param, &base.join(i))?;
                let data = param.parameter_data_ref();
                merged.insert((data.name.clone(), location_name(param)), (param, at));
            }
        }
        Ok(merged.into_values().collect())
    }

    fn lower_param(
        &mut self,
        param: &'a Parameter,
        at: &Pointer,
        type_prefix: &str,
        names: &mut NameTable,
    ) -> Result<Param> {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => {
                return Err(Error::invalid(
                    at,
                    "cookie parameters are not supported yet",
                ));
            }
        };
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self.type_ref(
                schema,
                &at.join("schema"),
                &format!("{type_prefix}{}", naming::type_name(&data.name)),
            )?,
            ParameterSchemaOrContent::Content(_) => {
                self.warn(
                    &at.join("content"),
                    "parameter with `content` instead of `schema`: sent as a JSON string",
                );
                TypeRef::Json
            }
        };
        Ok(Param {
            name: names.claim(naming::snake_name(&data.name)),
            wire_name: data.name.clone(),
            location,
            ty,
            // Path parameters are always required, whatever the document says.
            required: data.required || location == ParamLocation::Path,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    /// The body type of the first 2xx response (or `default` when there is none).
    fn success_response(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
        type_prefix: &str,
    ) -> Result<Option<TypeRef>> {
        let responses = pointer.join("responses");
        let success = operation
            .responses
            .responses
            .iter()
            .filter(|(status, _)| is_success(status))
            .min_by_key(|(status, _)| status_sort_key(status))
            .map(|(status, r)| (r, responses.join(status)));
        let Some((response, at)) = success else {
            return Ok(None);
        };
        let (response, at) = self.resolver.resolve(response, &at)?;
        if response.content.is_empty() {
            return Ok(None);
        }
        let (media, at) = json_media(&response.content, &at, "response")?;
        match &media.schema {
            Some(schema) => self
                .type_ref(
                    schema,
                    &at.join("schema"),
                    &format!("{type_prefix}Response"),
                )
                .map(Some),
            None => Ok(Some(TypeRef::Json)),
        }
    }
}

struct OperationSite<'a> {
    id: String,
    method: &'a str,
    path: &'a str,
    item: &'a PathItem,
    operation: &'a openapiv3::Operation,
    pointer: Pointer,
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn status_sort_key(status: &StatusCode) -> u16 {
    match status {
        StatusCode::Code(code) => *code,
        StatusCode::Range(range) => range * 100 + 99,
    }
}

/// The JSON media type of a body (`application/json` or any `+json`).
fn json_media<'m>(
    content: &'m IndexMap<String, MediaType>,
    at: &Pointer,
    what: &str,
) -> Result<(&'m MediaType, Pointer)> {
    let content_at = at.join("content");
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .map(|(media, m)| (m, content_at.join(media)))
        .ok_or_else(|| {
            let found: Vec<&str> = content.keys().map(String::as_str).collect();
            Error::invalid(
                &content_at,
                format!(
                    "{what} media types {} are not supported yet (only JSON is)",
                    found.join(", ")
                ),
            )
        })
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn location_name(param: &Parameter) -> &'static str {
    match param {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Trace,
    }
}

/// A stable name for an operation without `operationId`: the method and the path's
/// words, with parameters as `by_<name>` (`GET /pets/{id}` → `get_pets_by_id`).
fn derived_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                id.push_str("by_");
                id.push_str(param);
            }
            None => id.push_str(segment),
        }
    }
    id
}

/// Splits a path template into literals and parameters, checking that each `{name}` has a
/// path parameter and each path parameter appears in the template.
fn path_segments(path: &str, params: &[Param], pointer: &Pointer) -> Result<Vec<PathSegment>> {
    let mut segments = Vec::new();
    let mut used = vec![false; params.len()];
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(Error::invalid(
                pointer,
                format!("unclosed '{{' in path '{path}'"),
            ));
        };
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            .ok_or_else(|| {
                Error::invalid(
                    pointer,
                    format!("path template names '{{{name}}}' but no path parameter '{name}' is declared"),
                )
            })?;
        used[index] = true;
        segments.push(PathSegment::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    if let Some(unused) = params
        .iter()
        .zip(&used)
        .find(|(p, used)| p.location == ParamLocation::Path && !**used)
    {
        return Err(Error::invalid(
            pointer,
            format!(
                "path parameter '{}' does not appear in the path '{path}'",
                unused.0.wire_name
            ),
        ));
    }
    Ok(segments)
}

/// Gives each module a unique Rust name and drops tags without operations.
fn name_modules(modules: IndexMap<String, Module>) -> Vec<Module> {
    let mut names = NameTable::default();
    modules
        .into_values()
        .filter(|m| !m.operations.is_empty())
        .map(|mut m| {
            m.name = names.claim(naming::module_name(&m.tag));
            m
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_readable() {
        assert_eq!(
            derived_operation_id("get", "/pets/{petId}"),
            "get_pets_by_petId"
        );
        assert_eq!(derived_operation_id("post", "/"), "post");
    }

    #[test]
    fn media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/scim+json"));
        assert!(!is_json("text/plain"));
    }
}
