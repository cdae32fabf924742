//! Operations: what OpenAPI 3.2 adds to path items and the 3.0 model cannot carry, left
//! out with a warning that names it (the `QUERY` method, `additionalOperations`: methods
//! outside the fixed list, and `querystring` parameters), and 3.1's optional `responses`.

use super::Notes;
use super::walk::METHODS;
use crate::error::Pointer;
use serde_json::Value;

pub(super) fn leave_out_unsupported(doc: &mut Value, notes: &mut Notes) {
    let root = Pointer::root();
    let sections: [(&[&str], Pointer); 3] = [
        (&["paths"], root.join("paths")),
        (&["webhooks"], root.join("webhooks")),
        (
            &["components", "pathItems"],
            root.join("components").join("pathItems"),
        ),
    ];
    for (keys, at) in sections {
        let section = keys.iter().try_fold(&mut *doc, |v, k| v.get_mut(*k));
        let Some(Value::Object(items)) = section else {
            continue;
        };
        for (key, item) in items.iter_mut() {
            if let Value::Object(item) = item {
                path_item(item, &at.join(key), notes);
            }
        }
    }
}

fn path_item(item: &mut serde_json::Map<String, Value>, at: &Pointer, notes: &mut Notes) {
    if item.remove("query").is_some() {
        notes.warn(
            &at.join("query"),
            "the QUERY method (OpenAPI 3.2) is not supported yet: this operation is left out",
        );
    }
    if let Some(Value::Object(extra)) = item.remove("additionalOperations") {
        for method in extra.keys() {
            notes.warn(
                &at.join("additionalOperations").join(method),
                format!("the method {method} is not supported: this operation is left out"),
            );
        }
    }
    querystring(item, at, notes);
    for method in METHODS {
        if let Some(Value::Object(operation)) = item.get_mut(*method) {
            querystring(operation, &at.join(method), notes);
            // 3.1 made `responses` optional; 3.0 requires it (an operation that says
            // nothing about its answer gets none decoded).
            operation
                .entry("responses")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
        }
    }
}

/// A `querystring` parameter (the whole query as one value) has no 3.0 counterpart.
fn querystring(holder: &mut serde_json::Map<String, Value>, at: &Pointer, notes: &mut Notes) {
    let Some(Value::Array(parameters)) = holder.get_mut("parameters") else {
        return;
    };
    let at = at.join("parameters");
    let mut i = 0;
    parameters.retain(|p| {
        let whole = p.get("in").and_then(Value::as_str) == Some("querystring");
        if whole {
            notes.warn(
                &at.join(i),
                "a querystring parameter (OpenAPI 3.2) is not supported yet: it is left out",
            );
        }
        i += 1;
        !whole
    });
}
