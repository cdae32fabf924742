//! The document's top level: its JSON Schema dialect, `paths`, `info` and security
//! schemes.

use super::Notes;
use crate::error::{Error, Pointer, Result};
use serde_json::{Map, Value};

/// The dialects of OpenAPI 3.1 and 3.2 start with this; any other is a different
/// language for schemas, which this generator does not read.
const OPENAPI_DIALECTS: &str = "https://spec.openapis.org/oas/3.";

pub(super) fn normalise(doc: &mut Value, notes: &mut Notes) -> Result<()> {
    let root = Pointer::root();
    let Value::Object(top) = doc else {
        return Err(Error::invalid(&root, "the document is not an object"));
    };
    if let Some(dialect) = top.get("jsonSchemaDialect") {
        let known = dialect
            .as_str()
            .is_some_and(|d| d.starts_with(OPENAPI_DIALECTS) && d.contains("/dialect/"));
        if !known {
            return Err(Error::invalid(
                &root.join("jsonSchemaDialect"),
                format!(
                    "the JSON Schema dialect {dialect} is not supported: only the OpenAPI dialect \
                     (https://spec.openapis.org/oas/3.1/dialect/base, the default) is read"
                ),
            ));
        }
    }
    // 3.1 lets a document hold only webhooks or components.
    top.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(info)) = top.get_mut("info")
        && !info.contains_key("description")
        && let Some(summary) = info.get("summary").cloned()
    {
        info.insert("description".to_owned(), summary);
    }
    if let Some(Value::Object(schemes)) = top
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    {
        let at = root.join("components").join("securitySchemes");
        schemes.retain(|name, scheme| {
            let mutual = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
            if mutual {
                notes.warn(
                    &at.join(name),
                    "mutualTLS is set up on the HTTP client (a client certificate), not per call; this scheme is ignored",
                );
            }
            !mutual
        });
    }
    Ok(())
}
