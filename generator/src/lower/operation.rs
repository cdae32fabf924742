//! Paths and operations to [`Module`]s of [`Operation`]s.

use super::{Context, new_modules};
use crate::error::{Error, Pointer, Result};
use crate::load::ExtraOperation;
use crate::model::{
    Body, BodyKind, ErrorEnum, HttpMethod, ItemStream, Module, Operation, Param, ParamLocation,
    ParamStyle, PathSegment, ResponseBody, StatusMatch, StatusVariant, Success, TypeRef,
};
use crate::naming::{self, NameTable};
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, Response,
    StatusCode,
};
use std::collections::{BTreeMap, BTreeSet};

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
        // Ids derived from a path and method must not take an id the document gives.
        let explicit: BTreeSet<&str> = openapi
            .paths
            .paths
            .values()
            .filter_map(|item| item.as_item())
            .flat_map(|item| item.iter().map(|(_, operation)| operation))
            .chain(self.extra_operations.iter().map(|extra| &extra.operation))
            .filter_map(|operation| operation.operation_id.as_deref())
            .collect();
        // The extra operations of each path, in document order.
        let mut extra: BTreeMap<&str, Vec<&'a ExtraOperation>> = BTreeMap::new();
        for operation in self.extra_operations {
            extra.entry(&operation.path).or_default().push(operation);
        }
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
            let fixed = item.iter().map(|(method, operation)| {
                (http_method(method), path_pointer.join(method), operation)
            });
            let more = extra.get(path.as_str()).into_iter().flatten().map(|extra| {
                let method = match extra.method.as_str() {
                    "QUERY" => HttpMethod::Query,
                    other => HttpMethod::Other(other.to_owned()),
                };
                (method, extra.pointer.clone(), &extra.operation)
            });
            for (method, pointer, operation) in fixed.chain(more) {
                let id = match &operation.operation_id {
                    Some(id) => id.clone(),
                    // Made up, so made unique: `/a/b` and `/a_b` both give `get_a_b`.
                    None => {
                        let derived =
                            derived_operation_id(&method.as_str().to_ascii_lowercase(), path);
                        let mut id = derived.clone();
                        let mut n = 2;
                        while explicit.contains(id.as_str()) || seen_ids.contains_key(&id) {
                            id = format!("{derived}_{n}");
                            n += 1;
                        }
                        id
                    }
                };
                for status in operation.responses.responses.keys() {
                    if let Some(problem) = unusable_status(status) {
                        self.warn(
                            &pointer.join("responses").join(status),
                            format!("{problem}: this response is left out"),
                        );
                    }
                }
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
        for reserved in naming::BUILDER_MEMBERS {
            param_names.claim((*reserved).to_owned());
        }

        let merged = self.merged_parameters(item, operation, &pointer)?;
        let query_params = merged
            .iter()
            .filter(|(param, at, _)| {
                matches!(param, Parameter::Query { .. }) && !self.querystring.contains(at)
            })
            .count();
        let mut params = Vec::new();
        let mut whole_query = false;
        for (param, at, site) in merged {
            if !self.querystring.contains(&at) {
                params.push(self.lower_param(param, &at, &type_prefix, &mut param_names)?);
                continue;
            }
            // At most one, and never beside `in: query` parameters (OpenAPI 3.2).
            let conflict = if whole_query {
                Some("an operation has at most one querystring parameter")
            } else if query_params > 0 {
                Some("a querystring parameter cannot be used beside query parameters")
            } else {
                None
            };
            if let Some(conflict) = conflict {
                self.warn(&site, format!("{conflict}: this one is left out"));
                continue;
            }
            if let Some(param) =
                self.lower_querystring(param, &at, &type_prefix, &mut param_names)?
            {
                whole_query = true;
                params.push(param);
            }
        }
        for param in params
            .iter_mut()
            .filter(|p| p.location == ParamLocation::Path)
        {
            if !crate::model::displayable(&self.types, &param.ty) {
                self.warn(
                    &pointer,
                    format!(
                        "path parameter '{}' has a type that cannot be written into a path: taken as a string",
                        param.wire_name
                    ),
                );
                param.ty = TypeRef::String;
            }
        }
        let path_segments = path_segments(path, &params, &pointer)?;

        let body = match &operation.request_body {
            None => None,
            Some(body) => {
                let at = pointer.join("requestBody");
                let (body, at) = self.resolver.resolve(body, &at)?;
                let Some((content_type, kind, media)) = request_media(&body.content) else {
                    return Err(Error::invalid(
                        &at.join("content"),
                        "request body without content",
                    ));
                };
                let at = at.join("content").join(content_type);
                let ty = match (kind, &media.schema) {
                    (BodyKind::Text, _) => TypeRef::String,
                    (BodyKind::Binary, _) => TypeRef::Binary,
                    (_, Some(schema)) => {
                        self.type_ref(schema, &at.join("schema"), &format!("{type_prefix}Body"))?
                    }
                    (_, None) => TypeRef::Json,
                };
                Some(Body {
                    name: param_names.claim("body".to_owned()),
                    kind,
                    content_type: content_type.to_owned(),
                    ty,
                    required: body.required,
                    description: body.description.clone(),
                })
            }
        };

        let builder_name = builder_names.claim(type_prefix.clone());
        let response = self.success(
            operation,
            &pointer,
            &type_prefix,
            &builder_name,
            builder_names,
        )?;
        let stream = self.stream_beside(operation, &pointer, &type_prefix, &response)?;
        let accept = self.accept(operation, &pointer)?;
        let errors = self.errors(
            operation,
            &pointer,
            &type_prefix,
            &builder_name,
            builder_names,
        )?;
        let pagination = match operation.extensions.get(super::pagination::EXTENSION) {
            Some(extension) => Some(self.pagination(
                extension,
                &pointer.join(super::pagination::EXTENSION),
                &params,
                &response,
            )?),
            None => None,
        };
        Ok(Operation {
            method_name: method_names.claim(naming::method_name(&id)),
            builder_name,
            id,
            http_method: method,
            path: path.to_owned(),
            path_segments,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            pointer,
            params,
            body,
            response,
            stream,
            accept,
            errors,
            pagination,
        })
    }

    /// Path-level parameters, overridden by operation-level ones with the same name and
    /// location, resolved: each with where it is defined and where it is listed (the
    /// same place unless it is a `$ref`).
    fn merged_parameters(
        &self,
        item: &'a PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
    ) -> Result<Vec<(&'a Parameter, Pointer, Pointer)>> {
        let mut merged: IndexMap<(String, &'static str), (&'a Parameter, Pointer, Pointer)> =
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
                let site = base.join(i);
                let (param, at) = self.resolver.resolve(param, &site)?;
                let data = param.parameter_data_ref();
                let location = if self.querystring.contains(&at) {
                    "querystring"
                } else {
                    location_name(param)
                };
                merged.insert((data.name.clone(), location), (param, at, site));
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
        let (location, style) = match param {
            Parameter::Path { .. } => (ParamLocation::Path, ParamStyle::Exploded),
            Parameter::Query { style, .. } => {
                (ParamLocation::Query, query_style(style, data.explode))
            }
            Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Exploded),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Exploded),
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
            style,
            ty,
            // Path parameters are always required, whatever the document says.
            required: data.required || location == ParamLocation::Path,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        })
    }

    /// A `querystring` parameter (OpenAPI 3.2, the whole query as one value), when its
    /// one media type is `application/x-www-form-urlencoded` with an object schema: the
    /// object's members become the query's pairs. Anything else is left out with a
    /// warning.
    fn lower_querystring(
        &mut self,
        param: &'a Parameter,
        at: &Pointer,
        type_prefix: &str,
        names: &mut NameTable,
    ) -> Result<Option<Param>> {
        let data = param.parameter_data_ref();
        let content = match &data.format {
            ParameterSchemaOrContent::Content(content) if content.len() == 1 => content,
            ParameterSchemaOrContent::Content(_) => {
                self.warn(
                    &at.join("content"),
                    "a querystring parameter's content has exactly one media type: it is left out",
                );
                return Ok(None);
            }
            ParameterSchemaOrContent::Schema(_) => {
                self.warn(
                    &at.join("schema"),
                    "a querystring parameter is described by `content`, not `schema`: it is left out",
                );
                return Ok(None);
            }
        };
        let Some((media, media_type)) = content.first() else {
            return Ok(None);
        };
        let at_media = at.join("content").join(media);
        if essence(media) != FORM {
            self.warn(
                &at_media,
                format!("a querystring parameter in {media} is not supported (only {FORM}): it is left out"),
            );
            return Ok(None);
        }
        let ty = match &media_type.schema {
            Some(schema) => self.type_ref(
                schema,
                &at_media.join("schema"),
                &format!("{type_prefix}{}", naming::type_name(&data.name)),
            )?,
            None => TypeRef::Json,
        };
        if !object_like(&self.types, &ty, 0) {
            self.warn(
                &at_media.join("schema"),
                "a querystring parameter's schema must be an object (its members are the query's pairs): it is left out",
            );
            return Ok(None);
        }
        Ok(Some(Param {
            name: names.claim(naming::snake_name(&data.name)),
            wire_name: data.name.clone(),
            location: ParamLocation::QueryString,
            style: ParamStyle::Exploded,
            ty,
            required: data.required,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        }))
    }

    /// What a successful call returns: one body type, or an enum by status when the
    /// 2xx responses differ. With no 2xx response, `default` is the success.
    fn success(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
        type_prefix: &str,
        builder_name: &str,
        names: &mut NameTable,
    ) -> Result<Success> {
        let responses = pointer.join("responses");
        let statuses = success_statuses(operation);
        if statuses.is_empty() {
            return match &operation.responses.default {
                Some(response) => {
                    let at = responses.join("default");
                    let body =
                        self.response_body(response, &at, &format!("{type_prefix}Response"))?;
                    Ok(Success::Single(body))
                }
                None => Ok(Success::Single(ResponseBody::Empty)),
            };
        }
        let mut variants = Vec::new();
        for (i, (status, response)) in statuses.iter().enumerate() {
            let name = if i == 0 {
                format!("{type_prefix}Response")
            } else {
                format!("{type_prefix}{status}Response")
            };
            let body = self.response_body(response, &responses.join(status), &name)?;
            variants.push((status_match(status), body, description_of(self, response)));
        }
        let first = variants[0].1.clone();
        if variants.iter().all(|(_, body, _)| *body == first) {
            return Ok(Success::Single(first));
        }
        let typed = variants
            .iter()
            .all(|(_, body, _)| matches!(body, ResponseBody::Json(_) | ResponseBody::Empty));
        if !typed {
            self.warn(
                &responses,
                "success responses of different media types: only the first is decoded",
            );
            return Ok(Success::Single(first));
        }
        Ok(Success::ByStatus {
            name: names.claim(format!("{builder_name}Ok")),
            variants: variants
                .into_iter()
                .map(|(status, body, description)| StatusVariant {
                    name: status_variant_name(status),
                    status,
                    ty: match body {
                        ResponseBody::Json(ty) => Some(ty),
                        _ => None,
                    },
                    description,
                })
                .collect(),
        })
    }

    /// The stream a success response offers beside the body `send()` decodes (JSON and
    /// `text/event-stream`, say, the server choosing by `Accept` or by a member of the
    /// request), for `send_stream()`: the first, in status order.
    fn stream_beside(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
        type_prefix: &str,
        response: &Success,
    ) -> Result<Option<ItemStream>> {
        if matches!(response, Success::Single(ResponseBody::Stream(_))) {
            return Ok(None);
        }
        let responses = pointer.join("responses");
        for (status, response) in success_statuses(operation) {
            let (response, at) = self.resolver.resolve(response, &responses.join(status))?;
            let decoded = response_media(&response.content).map(|(media, _)| media);
            for (media_type, media) in &response.content {
                if Some(media_type.as_str()) == decoded || !self.streams(essence(media_type), media)
                {
                    continue;
                }
                let at = at.join("content").join(media_type);
                let name = format!("{type_prefix}Response");
                let essence = essence(media_type);
                if let Some(stream) = self.item_stream(media_type, essence, media, &at, &name)? {
                    return Ok(Some(stream));
                }
            }
        }
        Ok(None)
    }

    /// The `Accept` value of an operation whose JSON success bodies all use JSON media
    /// types other than `application/json` (say `application/scim+json`): those types,
    /// comma-separated. `None` keeps the runtime's default.
    fn accept(
        &self,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
    ) -> Result<Option<String>> {
        let responses = pointer.join("responses");
        let mut media_types: Vec<&str> = Vec::new();
        for (status, response) in &operation.responses.responses {
            if !is_success(status) {
                continue;
            }
            let (response, _) = self.resolver.resolve(response, &responses.join(status))?;
            if let Some((media, _)) = response_media(&response.content)
                && is_json(media)
                && !media_types.contains(&essence(media))
            {
                media_types.push(essence(media));
            }
        }
        Ok(
            if media_types.is_empty() || media_types.contains(&"application/json") {
                None
            } else {
                Some(media_types.join(", "))
            },
        )
    }

    /// The documented error responses, when at least one has a JSON body.
    fn errors(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
        type_prefix: &str,
        builder_name: &str,
        names: &mut NameTable,
    ) -> Result<Option<ErrorEnum>> {
        let responses = pointer.join("responses");
        let has_success = operation.responses.responses.keys().any(is_success);
        let mut statuses: Vec<(StatusMatch, Pointer, &'a ReferenceOr<Response>)> = operation
            .responses
            .responses
            .iter()
            .filter(|(status, _)| {
                !is_success(status)
                    && status_sort_key(status) >= 300
                    && unusable_status(status).is_none()
            })
            .map(|(status, r)| (status_match(status), responses.join(status), r))
            .collect();
        statuses.sort_by_key(|(status, _, _)| match status {
            StatusMatch::Code(code) => *code,
            StatusMatch::Range(range) => range * 100 + 99,
            StatusMatch::Default => u16::MAX,
        });
        if has_success && let Some(default) = &operation.responses.default {
            statuses.push((StatusMatch::Default, responses.join("default"), default));
        }
        let mut variants = Vec::new();
        for (status, at, response) in statuses {
            let name = status_variant_name(status);
            let body = self.response_body(response, &at, &format!("{type_prefix}{name}Error"))?;
            variants.push(StatusVariant {
                name,
                status,
                ty: match body {
                    ResponseBody::Json(ty) => Some(ty),
                    _ => None,
                },
                description: description_of(self, response),
            });
        }
        if variants.iter().all(|v| v.ty.is_none()) {
            return Ok(None);
        }
        Ok(Some(ErrorEnum {
            name: names.claim(format!("{builder_name}Error")),
            variants,
        }))
    }

    fn response_body(
        &mut self,
        response: &'a ReferenceOr<Response>,
        at: &Pointer,
        name: &str,
    ) -> Result<ResponseBody> {
        let (response, at) = self.resolver.resolve(response, at)?;
        let Some((media_type, media)) = response_media(&response.content) else {
            return Ok(ResponseBody::Empty);
        };
        let media_at = at.join("content").join(media_type);
        let essence = essence(media_type);
        if self.streams(essence, media) {
            if let Some(stream) = self.item_stream(media_type, essence, media, &media_at, name)? {
                return Ok(ResponseBody::Stream(stream));
            }
            // A stream the client cannot cut into items: its schema describes one item,
            // not the body, which is read whole.
            return Ok(if essence.starts_with("text/") {
                ResponseBody::Text
            } else {
                ResponseBody::Bytes
            });
        }
        if is_json(media_type) {
            let at = at.join("content").join(media_type).join("schema");
            return Ok(match &media.schema {
                Some(schema) => ResponseBody::Json(self.type_ref(schema, &at, name)?),
                None => ResponseBody::Json(TypeRef::Json),
            });
        }
        Ok(if media_type.starts_with("text/") {
            ResponseBody::Text
        } else {
            ResponseBody::Bytes
        })
    }
}

/// The `2xx` responses of `operation` (codes and `2XX`), in status order.
fn success_statuses(
    operation: &openapiv3::Operation,
) -> Vec<(&StatusCode, &ReferenceOr<Response>)> {
    let mut statuses: Vec<_> = operation
        .responses
        .responses
        .iter()
        .filter(|(status, _)| is_success(status))
        .collect();
    statuses.sort_by_key(|(status, _)| status_sort_key(status));
    statuses
}

fn description_of(cx: &Context<'_>, response: &ReferenceOr<Response>) -> Option<String> {
    cx.resolver
        .resolve(response, &Pointer::root())
        .ok()
        .map(|(r, _)| r.description.clone())
        .filter(|d| !d.trim().is_empty())
}

fn status_match(status: &StatusCode) -> StatusMatch {
    match status {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(range) => StatusMatch::Range(*range),
    }
}

/// `NotFound` for 404, `ClientError` for `4XX`, `Status418` for codes without a name.
fn status_variant_name(status: StatusMatch) -> String {
    let name = match status {
        StatusMatch::Default => "Default",
        StatusMatch::Range(2) => "Success",
        StatusMatch::Range(3) => "Redirection",
        StatusMatch::Range(4) => "ClientError",
        StatusMatch::Range(5) => "ServerError",
        StatusMatch::Range(_) => "OtherStatus",
        StatusMatch::Code(code) => match naming::status_name(code) {
            Some(name) => name,
            None => return format!("Status{code}"),
        },
    };
    name.to_owned()
}

fn query_style(style: &QueryStyle, explode: Option<bool>) -> ParamStyle {
    match style {
        QueryStyle::Form if explode == Some(false) => ParamStyle::Delimited(","),
        QueryStyle::Form => ParamStyle::Exploded,
        QueryStyle::SpaceDelimited => ParamStyle::Delimited(" "),
        QueryStyle::PipeDelimited => ParamStyle::Delimited("|"),
        QueryStyle::DeepObject => ParamStyle::DeepObject,
    }
}

/// The media type a request body is sent as, in order of preference: JSON, form,
/// multipart, text, then anything else as bytes.
fn request_media(content: &IndexMap<String, MediaType>) -> Option<(&str, BodyKind, &MediaType)> {
    let find = |kind: BodyKind, pred: &dyn Fn(&str) -> bool| {
        content
            .iter()
            .find(|(media, _)| pred(essence(media)))
            .map(|(media, m)| (media.as_str(), kind, m))
    };
    find(BodyKind::Json, &|m| is_json(m) || (m == "*/*"))
        .or_else(|| {
            find(BodyKind::Form, &|m| {
                m == "application/x-www-form-urlencoded"
            })
        })
        .or_else(|| find(BodyKind::Multipart, &|m| m.starts_with("multipart/")))
        .or_else(|| find(BodyKind::Text, &|m| m.starts_with("text/")))
        .or_else(|| find(BodyKind::Binary, &|_| true))
}

/// The media type a response is decoded from: JSON if offered, else the first one.
fn response_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .or_else(|| content.first())
        .map(|(media, m)| (media.as_str(), m))
}

fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

struct OperationSite<'a> {
    id: String,
    method: HttpMethod,
    path: &'a str,
    item: &'a PathItem,
    operation: &'a openapiv3::Operation,
    pointer: Pointer,
}

/// Why a response's status cannot be told apart in a client, if it cannot: not an HTTP
/// status, or informational (never the final response).
fn unusable_status(status: &StatusCode) -> Option<&'static str> {
    match status {
        StatusCode::Code(code) if !(100..=599).contains(code) => {
            Some("not an HTTP status (100 to 599)")
        }
        StatusCode::Range(range) if !(1..=5).contains(range) => {
            Some("not an HTTP status range (1XX to 5XX)")
        }
        StatusCode::Code(100..=199) | StatusCode::Range(1) => {
            Some("an informational (1XX) status is never a request's final response")
        }
        _ => None,
    }
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

fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// The media type of a querystring parameter the client writes.
const FORM: &str = "application/x-www-form-urlencoded";

/// Whether values of `ty` serialize as JSON objects (or may: any JSON), so that their
/// members can be written as form pairs.
fn object_like(types: &[crate::model::TypeDef], ty: &TypeRef, depth: usize) -> bool {
    use crate::model::TypeKind;
    match ty {
        TypeRef::Json | TypeRef::Map(_) => true,
        TypeRef::Named(id) if depth < 8 => match &types[id.0].kind {
            TypeKind::Struct(_) | TypeKind::Tagged { .. } => true,
            TypeKind::Alias(inner) => object_like(types, inner, depth + 1),
            TypeKind::Untagged(variants) => {
                !variants.is_empty()
                    && variants
                        .iter()
                        .all(|v| object_like(types, &v.ty, depth + 1))
            }
            TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Newtype(_) => false,
        },
        _ => false,
    }
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
    fn query_and_additional_operations_are_named_and_placed_as_written() {
        let spec = r#"
openapi: 3.2.0
info: {title: t, version: '1'}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get: {responses: {'204': {description: ok}}}
    query: {responses: {'204': {description: ok}}}
    additionalOperations:
      M-SEARCH: {responses: {'204': {description: ok}}}
      COPY: {operationId: query_items_by_id, responses: {'204': {description: ok}}}
"#;
        let settings = crate::Settings::new("t-client", "t.yaml");
        let generated = crate::generate_from_str(spec, "t.yaml", &settings).expect("generates");
        let ops: Vec<(&str, &str, &str)> = generated
            .api
            .modules
            .iter()
            .flat_map(|m| &m.operations)
            .map(|op| {
                (
                    op.http_method.as_str(),
                    op.method_name.as_str(),
                    op.pointer.as_str(),
                )
            })
            .collect();
        assert_eq!(
            ops,
            [
                ("GET", "get_items_by_id", "#/paths/~1items~1{id}/get"),
                // The id COPY gives is not taken by the one derived for QUERY.
                (
                    "QUERY",
                    "query_items_by_id_2",
                    "#/paths/~1items~1{id}/query"
                ),
                (
                    "M-SEARCH",
                    "m_search_items_by_id",
                    "#/paths/~1items~1{id}/additionalOperations/M-SEARCH"
                ),
                (
                    "COPY",
                    "query_items_by_id",
                    "#/paths/~1items~1{id}/additionalOperations/COPY"
                ),
            ]
        );
        // Errors name the place as written: in the lowering, and in reading the operation.
        let bad_path = spec.replace("M-SEARCH: {", "M-SEARCH: {parameters: [{name: x, in: path, required: true, schema: {type: string}}], ");
        let err = crate::generate_from_str(&bad_path, "t.yaml", &settings).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "#/paths/~1items~1{id}/additionalOperations/M-SEARCH: path parameter 'x'"
            ),
            "{err}"
        );
        let bad_shape = spec.replace(
            "query: {responses: {'204': {description: ok}}}",
            "query: {responses: {'204': {description: 12}}}",
        );
        let err = crate::generate_from_str(&bad_shape, "t.yaml", &settings).unwrap_err();
        assert_eq!(
            err.pointer().map(Pointer::as_str),
            Some("#/paths/~1items~1{id}/query/responses/204/description"),
            "{err}"
        );
    }

    #[test]
    fn media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/scim+json"));
        assert!(!is_json("text/plain"));
    }

    #[test]
    fn accept_is_set_only_for_json_other_than_application_json() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        '200':
          description: ok
          content:
            application/scim+json:
              schema: {type: object}
  /both:
    get:
      operationId: both
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
        '201':
          description: ok
          content:
            application/scim+json:
              schema: {type: object}
  /plain:
    get:
      operationId: plain
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
"#;
        let settings = crate::Settings::new("t-client", "t.yaml");
        let generated = crate::generate_from_str(spec, "t.yaml", &settings).expect("generates");
        let accept: Vec<(&str, Option<&str>)> = generated
            .api
            .modules
            .iter()
            .flat_map(|m| &m.operations)
            .map(|op| (op.id.as_str(), op.accept.as_deref()))
            .collect();
        assert_eq!(
            accept,
            [
                ("listUsers", Some("application/scim+json")),
                ("both", None),
                ("plain", None)
            ]
        );
    }
}
