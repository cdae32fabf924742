//! OpenAPI 3.1 and 3.2 documents: normalised into 3.0 shape (see [`super::normalise`]),
//! then read into the same typed model as a 3.0 document.

use super::normalise::{Taken, normalise};
use super::{Document, ExtraOperation, SourceMap, ignored_paths, locate, path_to_pointer};
use crate::error::{Error, Result};
use openapiv3::OpenAPI;
use serde_json::Value;

pub(super) fn load(mut value: Value, origin: &str) -> Result<Document> {
    let mut notes = normalise(&mut value)?;
    let mut sources = SourceMap::default();
    for (now, was) in &notes.moved {
        sources.record(now, was);
    }
    let path_keys = match value.get("paths") {
        Some(Value::Object(paths)) => paths.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let openapi: OpenAPI = serde_path_to_error::deserialize(&value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let (pointer, message) = locate::refine(&value, pointer, e.into_inner().to_string());
        // A schema moved while normalising is named where it was written.
        sources.error(Error::invalid(&pointer, message))
    })?;
    let extra_operations = std::mem::take(&mut notes.taken)
        .into_iter()
        .map(|taken| extra_operation(taken, &sources))
        .collect::<Result<_>>()?;
    Ok(Document {
        origin: origin.to_owned(),
        openapi,
        ignored_paths: ignored_paths(path_keys),
        warnings: notes.warnings,
        webhook_payloads: notes.webhook_payloads,
        sources,
        extra_operations,
        querystring_parameters: notes.querystring.into_iter().collect(),
    })
}

/// An operation taken out of `paths`, read as 3.0 reads its fixed ones.
fn extra_operation(taken: Taken, sources: &SourceMap) -> Result<ExtraOperation> {
    let Taken {
        path,
        method,
        pointer,
        value,
    } = taken;
    let operation = serde_path_to_error::deserialize(&value).map_err(|e| {
        let inner = path_to_pointer(e.path());
        let (inner, message) = locate::refine_operation(&value, inner, e.into_inner().to_string());
        let at = inner.segments().fold(pointer.clone(), |p, s| p.join(s));
        sources.error(Error::invalid(&at, message))
    })?;
    Ok(ExtraOperation {
        path,
        method,
        pointer,
        operation,
    })
}
