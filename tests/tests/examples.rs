//! Every example in `spec/postman.yaml` of a body of the collections, environments, mocks,
//! monitors and workspaces operations decodes into the client's type and encodes back to
//! the same JSON: what the service's own examples show survives a read-modify-write.
//!
//! The operations' types come from the generator's model of the spec; the table in
//! `shared/mod.rs` maps their names to the Rust types, and the test fails if a type is
//! missing from it.

mod shared;

use serde_json::Value;
use shared::{resolve, same_json, through};

/// The tags whose examples are checked.
const TAGS: &[&str] = &[
    "collections",
    "environments",
    "mocks",
    "monitors",
    "workspaces",
];

/// The JSON examples of a request body or response object.
fn examples<'a>(spec: &'a Value, holder: &'a Value) -> Vec<&'a Value> {
    let holder = resolve(spec, holder);
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (media, media_object) in content {
        if !media.contains("json") {
            continue;
        }
        out.extend(media_object.get("example"));
        if let Some(named) = media_object.get("examples").and_then(Value::as_object) {
            out.extend(named.values().filter_map(|e| resolve(spec, e).get("value")));
        }
    }
    out
}

#[test]
fn spec_examples_round_trip_through_the_client_types() {
    let (spec, api) = shared::spec();
    let (mut checked, mut failures, mut missing) = (0, Vec::new(), Vec::new());
    for module in api
        .modules
        .iter()
        .filter(|m| TAGS.contains(&m.name.as_str()))
    {
        for op in &module.operations {
            let at = op.pointer.to_string();
            let operation = spec
                .pointer(at.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{at} is not in the spec"));
            let mut sites: Vec<(String, &generator::model::TypeRef, Vec<&Value>)> = Vec::new();
            if let (Some(body), Some(request)) = (&op.body, operation.get("requestBody")) {
                sites.push((
                    format!("{} request", op.id),
                    &body.ty,
                    examples(&spec, request),
                ));
            }
            if let generator::model::Success::Single(generator::model::ResponseBody::Json(ty)) =
                &op.response
            {
                let responses = operation["responses"].as_object().expect("responses");
                for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                    sites.push((format!("{} {status}", op.id), ty, examples(&spec, response)));
                }
            }
            for (site, ty, found) in sites {
                let name = generator::surface::type_name(&api, ty);
                for example in found {
                    match through(&name, example) {
                        None => missing.push(name.clone()),
                        Some(Ok(back)) if same_json(&back, example) => checked += 1,
                        Some(Ok(back)) => failures.push(format!(
                            "{site}: `{name}` changed the example (received vs sent back): {}",
                            shared::differences(example, &back).join("; ")
                        )),
                        Some(Err(e)) => {
                            failures.push(format!("{site}: `{name}` does not decode: {e}"))
                        }
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add these types to the table: {missing:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 40, "only {checked} examples were checked");
    println!("{checked} examples survive a round trip");
}
