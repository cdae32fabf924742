//! `securityDefinitions` → `components.securitySchemes`.

use super::{Cx, copy_extensions};
use crate::error::Pointer;
use serde_json::{Map, Value};

pub(super) fn schemes(cx: &mut Cx<'_>, value: &Value, at: &Pointer) -> Value {
    let Some(definitions) = value.as_object() else {
        cx.warn(at, "`securityDefinitions` is not an object: left out");
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (name, definition) in definitions {
        let here = at.join(name);
        if let Some(scheme) = definition.as_object().and_then(|d| scheme(cx, d, &here)) {
            out.insert(name.clone(), Value::Object(scheme));
        } else {
            cx.warn(
                &here,
                "not a basic, apiKey or oauth2 security definition: left out",
            );
        }
    }
    Value::Object(out)
}

fn scheme(
    cx: &mut Cx<'_>,
    definition: &Map<String, Value>,
    at: &Pointer,
) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    match definition.get("type")?.as_str()? {
        "basic" => {
            out.insert("type".into(), "http".into());
            out.insert("scheme".into(), "basic".into());
        }
        "apiKey" => {
            out.insert("type".into(), "apiKey".into());
            out.insert("name".into(), definition.get("name")?.clone());
            out.insert("in".into(), definition.get("in")?.clone());
        }
        "oauth2" => {
            out.insert("type".into(), "oauth2".into());
            out.insert("flows".into(), flows(cx, definition, at)?);
        }
        _ => return None,
    }
    if let Some(description) = definition.get("description") {
        out.insert("description".into(), description.clone());
    }
    copy_extensions(definition, &mut out);
    Some(out)
}

/// Swagger's one `flow` as 3.0's `flows`, which names two of them differently.
fn flows(cx: &mut Cx<'_>, definition: &Map<String, Value>, at: &Pointer) -> Option<Value> {
    let (name, urls): (&str, &[&str]) = match definition.get("flow")?.as_str()? {
        "implicit" => ("implicit", &["authorizationUrl"]),
        "password" => ("password", &["tokenUrl"]),
        "application" => ("clientCredentials", &["tokenUrl"]),
        "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
        other => {
            cx.warn(&at.join("flow"), format!("unknown OAuth2 flow '{other}'"));
            return None;
        }
    };
    let mut flow = Map::new();
    for url in urls {
        let value = definition.get(*url).cloned().unwrap_or_else(|| {
            cx.warn(&at.join(*url), "missing: left empty");
            Value::String(String::new())
        });
        flow.insert((*url).to_owned(), value);
    }
    flow.insert(
        "scopes".into(),
        definition
            .get("scopes")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    let mut flows = Map::new();
    flows.insert(name.to_owned(), Value::Object(flow));
    Some(Value::Object(flows))
}
