//! `x-pagination`: how an operation's pages follow each other, declared in the spec and
//! resolved here into typed field paths.
//!
//! ```yaml
//! x-pagination:
//!   cursor: {param: cursor, next: /meta/nextCursor}   # or:
//!   offset: {param: startIndex, start: 1, total: /totalResults}
//!   items: /Resources
//! ```
//!
//! `next`, `total` and `items` are JSON pointers into the success body; `param` names an
//! optional query parameter of the operation.

use super::Context;
use crate::error::{Error, Pointer, Result};
use crate::model::{
    FieldPath, FieldStep, PageStyle, Pagination, Param, ParamLocation, ResponseBody, Success,
    TypeKind, TypeRef,
};
use serde::Deserialize;

pub const EXTENSION: &str = "x-pagination";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Declaration {
    cursor: Option<CursorDeclaration>,
    offset: Option<OffsetDeclaration>,
    items: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CursorDeclaration {
    param: String,
    next: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OffsetDeclaration {
    param: String,
    #[serde(default)]
    start: i64,
    total: Option<String>,
}

impl Context<'_> {
    pub(super) fn pagination(
        &self,
        extension: &serde_json::Value,
        at: &Pointer,
        params: &[Param],
        response: &Success,
    ) -> Result<Pagination> {
        let declaration: Declaration = serde_json::from_value(extension.clone())
            .map_err(|e| Error::invalid(at, format!("invalid {EXTENSION}: {e}")))?;
        let Success::Single(ResponseBody::Json(page)) = response else {
            return Err(Error::invalid(
                at,
                "paging needs one JSON success body to read the next page from",
            ));
        };
        let (items, items_type) = self.field_path(page, &declaration.items, &at.join("items"))?;
        let item_type = match items_type {
            TypeRef::List(item) => *item,
            _ => {
                return Err(Error::invalid(
                    &at.join("items"),
                    "items must point to an array",
                ));
            }
        };
        let style = match (declaration.cursor, declaration.offset) {
            (Some(cursor), None) => {
                let at = at.join("cursor");
                let param = query_param(params, &cursor.param, &at)?;
                let (next, next_type) = self.field_path(page, &cursor.next, &at.join("next"))?;
                let to_string = if next_type == param.ty {
                    false
                } else if param.ty == TypeRef::String
                    && crate::model::displayable(&self.types, &next_type)
                {
                    true
                } else {
                    return Err(Error::invalid(
                        &at,
                        "the cursor in the body and the cursor parameter have different types",
                    ));
                };
                PageStyle::Cursor {
                    param: param.name.clone(),
                    to_string,
                    next,
                }
            }
            (None, Some(offset)) => {
                let at = at.join("offset");
                let param = query_param(params, &offset.param, &at)?;
                if !matches!(param.ty, TypeRef::I32 | TypeRef::I64) {
                    return Err(Error::invalid(
                        &at,
                        "the offset parameter must be an integer",
                    ));
                }
                let total = match &offset.total {
                    Some(total) => {
                        let (path, ty) = self.field_path(page, total, &at.join("total"))?;
                        if !matches!(ty, TypeRef::I32 | TypeRef::I64) {
                            return Err(Error::invalid(
                                &at.join("total"),
                                "total must be an integer",
                            ));
                        }
                        Some((path, ty))
                    }
                    None => None,
                };
                PageStyle::Offset {
                    param: param.name.clone(),
                    param_type: param.ty.clone(),
                    start: offset.start,
                    total,
                }
            }
            _ => {
                return Err(Error::invalid(
                    at,
                    "declare exactly one of `cursor` and `offset`",
                ));
            }
        };
        Ok(Pagination {
            style,
            items,
            item_type,
        })
    }

    /// The Rust field accesses for a JSON pointer into a value of type `root`, and the
    /// type found there.
    fn field_path(
        &self,
        root: &TypeRef,
        pointer: &str,
        at: &Pointer,
    ) -> Result<(FieldPath, TypeRef)> {
        let Some(rest) = pointer.strip_prefix('/') else {
            return Err(Error::invalid(
                at,
                format!("'{pointer}' is not a JSON pointer (it starts with /)"),
            ));
        };
        let mut ty = root.clone();
        let mut steps = Vec::new();
        for segment in rest.split('/') {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let fields = match self.resolve_alias(&ty) {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Struct(s) => &s.fields,
                    _ => {
                        return Err(Error::invalid(
                            at,
                            format!("'{segment}' is not in an object"),
                        ));
                    }
                },
                _ => {
                    return Err(Error::invalid(
                        at,
                        format!("'{segment}' is not in an object"),
                    ));
                }
            };
            let Some(field) = fields.iter().find(|f| f.wire_name == segment) else {
                return Err(Error::invalid(
                    at,
                    format!("the body has no field '{segment}' there"),
                ));
            };
            steps.push(FieldStep {
                field: field.name.clone(),
                optional: field.is_option(),
                boxed: field.boxed,
            });
            ty = field.ty.clone();
        }
        Ok((FieldPath { steps }, self.resolve_alias(&ty)))
    }

    fn resolve_alias(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        for _ in 0..16 {
            match &ty {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(inner) => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }
}

fn query_param<'p>(params: &'p [Param], name: &str, at: &Pointer) -> Result<&'p Param> {
    params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == name && !p.required)
        .ok_or_else(|| {
            Error::invalid(
                at,
                format!("no optional query parameter '{name}' to carry the page position"),
            )
        })
}
