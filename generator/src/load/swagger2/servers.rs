//! `host`, `basePath` and `schemes` → `servers`.

use super::Cx;
use crate::error::Pointer;
use serde_json::{Map, Value, json};

/// One server per scheme, `https` first (the client uses the first server).
pub(super) fn servers(cx: &mut Cx<'_>, top: &Map<String, Value>) -> Option<Value> {
    let root = Pointer::root();
    let base_path = match top.get("basePath") {
        None => "",
        Some(Value::String(path)) => path.trim_end_matches('/'),
        Some(_) => {
            cx.warn(&root.join("basePath"), "not a string: left out");
            ""
        }
    };
    let target = root.join("servers");
    // The generator's "no servers" warning is about the missing host.
    cx.sources.record(&target, &root.join("host"));
    let host = match top.get("host") {
        Some(Value::String(host)) if !host.is_empty() => host.trim_end_matches('/'),
        None if base_path.is_empty() => return None,
        other => {
            if other.is_some() {
                cx.warn(&root.join("host"), "not a host name: left out");
            }
            // Swagger means "the host that serves this document", which a client
            // generated from a file cannot know.
            cx.warn(
                &root.join("basePath"),
                "no `host`: the server URL is only the base path, so the client must be given its base URL",
            );
            cx.sources.record(&target, &root.join("basePath"));
            return Some(json!([{ "url": base_path }]));
        }
    };
    let mut schemes: Vec<&str> = match top.get("schemes") {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    schemes.retain(|s| matches!(*s, "https" | "http"));
    if schemes.is_empty() {
        // Swagger's default is the scheme the document was fetched with; unknown here.
        cx.warn(
            &root.join("schemes"),
            "no http or https scheme: https is assumed",
        );
        schemes.push("https");
    }
    schemes.sort_by_key(|s| *s != "https");
    schemes.dedup();
    Some(Value::Array(
        schemes
            .into_iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
            .collect(),
    ))
}
