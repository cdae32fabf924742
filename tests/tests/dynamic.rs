//! Prism in dynamic mode (`prism mock --dynamic`) invents a different body for every
//! answer, members the schema does not name included; every one, for every `GET` of the
//! spec, must decode into the client's type and encode back to the same JSON.
//!
//! Run by `cargo xtask contract`, which starts the dynamic Prism and sets
//! `PRISM_DYNAMIC_URL`; `#[ignore]`d in plain `cargo test`.

mod shared;

use serde_json::Value;
use shared::{resolve, same_json, through};

/// Bodies asked for per operation.
const ROUNDS: usize = 8;

/// A value of `parameter`'s schema for the URL: its example, else one by type.
fn value_of(spec: &Value, parameter: &Value) -> String {
    if let Some(example) = parameter.get("example") {
        return match example {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
    }
    let schema = resolve(spec, &parameter["schema"]);
    if let Some(first) = schema["enum"].get(0) {
        return first
            .as_str()
            .map_or_else(|| first.to_string(), str::to_owned);
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("integer" | "number"), _) => "1".to_owned(),
        (Some("boolean"), _) => "true".to_owned(),
        (_, Some("uuid")) => "0b1f8bb7-7b7e-4d3a-9a2b-6c1d2e3f4a5b".to_owned(),
        (_, Some("date-time")) => "2024-01-01T00:00:00Z".to_owned(),
        _ => "abc".to_owned(),
    }
}

#[tokio::test]
#[ignore = "needs a dynamic Prism: run through `cargo xtask contract`"]
async fn dynamic_bodies_round_trip_through_the_client_types() {
    let base = std::env::var("PRISM_DYNAMIC_URL")
        .expect("PRISM_DYNAMIC_URL is not set: run this test through `cargo xtask contract`");
    let (spec, api) = shared::spec();
    let http = reqwest::Client::new();
    let (mut bodies, mut failures, mut missing) = (0, Vec::new(), Vec::new());
    for op in api.modules.iter().flat_map(|m| &m.operations) {
        if op.http_method.as_str() != "GET" {
            continue;
        }
        let generator::model::Success::Single(generator::model::ResponseBody::Json(ty)) =
            &op.response
        else {
            continue;
        };
        let name = generator::surface::type_name(&api, ty);
        let at = op.pointer.to_string();
        let operation = spec
            .pointer(at.trim_start_matches('#'))
            .expect("in the spec");
        let item = spec
            .pointer(
                at.trim_start_matches('#')
                    .rsplit_once('/')
                    .expect("a path item")
                    .0,
            )
            .expect("the path item");
        let parameters: Vec<&Value> = item["parameters"]
            .as_array()
            .into_iter()
            .chain(operation["parameters"].as_array())
            .flatten()
            .map(|p| resolve(&spec, p))
            .collect();
        let mut path = op.path.clone();
        let mut query = Vec::new();
        for p in &parameters {
            let name = p["name"].as_str().expect("a parameter name");
            match p["in"].as_str() {
                Some("path") => path = path.replace(&format!("{{{name}}}"), &value_of(&spec, p)),
                Some("query") if p["required"] == Value::Bool(true) => {
                    query.push((name.to_owned(), value_of(&spec, p)));
                }
                _ => {}
            }
        }
        let accept = op.accept.as_deref().unwrap_or("application/json");
        for _ in 0..ROUNDS {
            let mut url = url::Url::parse(&format!("{base}{path}")).expect("a URL");
            url.query_pairs_mut().extend_pairs(&query);
            let response = http
                .get(url)
                .header("x-api-key", "PMAK-dynamic")
                .header("accept", accept)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", op.id));
            let status = response.status();
            let text = response.text().await.expect("a body");
            assert!(status.is_success(), "{} {path}: {status} {text}", op.id);
            let raw: Value = serde_json::from_str(&text).expect("Prism answers JSON");
            bodies += 1;
            match through(&name, &raw) {
                None => {
                    missing.push(name.clone());
                    break;
                }
                Some(Ok(back)) if same_json(&back, &raw) => {}
                Some(Ok(back)) => failures.push(format!(
                    "{}: `{name}` changed the body (received vs sent back): {}",
                    op.id,
                    shared::differences(&raw, &back).join("; ")
                )),
                Some(Err(e)) => failures.push(format!(
                    "{}: `{name}` does not decode: {}",
                    op.id,
                    e.to_string().chars().take(300).collect::<String>()
                )),
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add these types to the table: {missing:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {bodies} bodies failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("dynamic Prism: {bodies} invented bodies survive a round trip");
}
