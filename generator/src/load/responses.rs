//! Response keys that `openapiv3` drops without a word.
//!
//! Its `Responses` reads every key that is not `default` nor an `x-` extension as a
//! status: a number from 100 to 999 (as an integer, or as a string of three digits) or a
//! string of a digit and `XX`. Any other key (`099`, `abc`, `1000`, `2XXX`) is skipped
//! silently, so the response would vanish from the client with no trace. The loader reads
//! the keys in a cheap pass over the document as written (each route its own: see
//! [`in_json`], [`in_yaml`], and the JSON peek of `version`) and warns for each such key.

use crate::error::{Pointer, Warning};

/// The operations of a path item in 3.0 and Swagger 2.0.
pub(super) const FIXED_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Which operations of a path item are read: 3.2 adds `query` and `additionalOperations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Methods {
    Fixed,
    WithAdditional,
}

/// Whether `openapiv3` skips the response key `key` (a key of a JSON or YAML map given as
/// a string).
pub(super) fn dropped_text(key: &str) -> bool {
    if key == "default" || key.starts_with("x-") {
        return false;
    }
    // Three characters, then a number from 100 to 999 (a sign included: `+99` is 99) or
    // a digit followed by `XX` in any case.
    if key.len() != 3 {
        return true;
    }
    if let Ok(number) = key.parse::<i64>() {
        return !(100..1000).contains(&number);
    }
    let bytes = key.as_bytes();
    !(bytes[0].is_ascii_digit()
        && bytes[1].eq_ignore_ascii_case(&b'X')
        && bytes[2].eq_ignore_ascii_case(&b'X'))
}

/// The warning for the dropped key `key` of the responses at `responses`.
pub(super) fn warning(responses: &Pointer, key: &str) -> Warning {
    Warning {
        pointer: responses.join(key),
        message: "not a status code (100 to 599), a range (1XX to 5XX) nor `default`: this response is ignored".into(),
    }
}

/// The dropped response keys of the operations under `paths` of a JSON document as
/// written (3.1, 3.2 or Swagger 2.0).
pub(super) fn in_json(doc: &serde_json::Value, methods: Methods) -> Vec<Warning> {
    use serde_json::Value;
    let mut warnings = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return warnings;
    };
    let at = Pointer::root().join("paths");
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        let item_at = at.join(path);
        let mut operations: Vec<(Pointer, &Value)> = FIXED_METHODS
            .iter()
            .filter_map(|m| item.get(*m).map(|op| (item_at.join(m), op)))
            .collect();
        if methods == Methods::WithAdditional {
            if let Some(op) = item.get("query") {
                operations.push((item_at.join("query"), op));
            }
            if let Some(Value::Object(more)) = item.get("additionalOperations") {
                let more_at = item_at.join("additionalOperations");
                operations.extend(more.iter().map(|(m, op)| (more_at.join(m), op)));
            }
        }
        for (op_at, operation) in operations {
            if let Some(Value::Object(responses)) = operation.get("responses") {
                let responses_at = op_at.join("responses");
                for key in responses.keys().filter(|k| dropped_text(k)) {
                    warnings.push(warning(&responses_at, key));
                }
            }
        }
    }
    warnings
}

/// The dropped response keys of the operations under `paths` of a 3.0 YAML document. A
/// key YAML reads as a number is dropped unless it is from 100 to 999.
pub(super) fn in_yaml(doc: &yaml_serde::Value) -> Vec<Warning> {
    use yaml_serde::Value;
    let mut warnings = Vec::new();
    let Some(Value::Mapping(paths)) = doc.get("paths") else {
        return warnings;
    };
    let at = Pointer::root().join("paths");
    for (path, item) in paths {
        let (Some(path), Value::Mapping(item)) = (path.as_str(), item) else {
            continue;
        };
        for method in FIXED_METHODS {
            let Some(Value::Mapping(responses)) =
                item.get(*method).and_then(|op| op.get("responses"))
            else {
                continue;
            };
            let responses_at = at.join(path).join(method);
            let responses_at = responses_at.join("responses");
            for key in responses.keys() {
                let dropped = match key {
                    Value::String(key) => dropped_text(key).then(|| key.clone()),
                    Value::Number(n) => {
                        let status = n.as_u64().filter(|n| (100..1000).contains(n));
                        status.is_none().then(|| n.to_string())
                    }
                    _ => None,
                };
                if let Some(key) = dropped {
                    warnings.push(warning(&responses_at, &key));
                }
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_openapiv3_skips_are_told_apart() {
        for kept in [
            "200", "404", "999", "100", "1XX", "2xx", "0XX", "default", "x-a",
        ] {
            assert!(!dropped_text(kept), "{kept}");
        }
        // `+99` reads as the number 99, which is not a status either.
        for dropped in [
            "099", "+99", "abc", "1000", "2XXX", "20", "", "2X", "X2X", "-10", "2ÄX",
        ] {
            assert!(dropped_text(dropped), "{dropped}");
        }
    }

    #[test]
    fn every_dropped_key_is_one_openapiv3_skips_and_the_others_are_kept() {
        // The rule above against openapiv3 itself.
        for key in [
            "200", "099", "abc", "1000", "2XXX", "2xx", "0XX", "9XX", "+99", "-10", "1X1",
        ] {
            let text = format!(r#"{{"{key}": {{"description": "d"}}}}"#);
            let responses: openapiv3::Responses = serde_json::from_str(&text).expect("parses");
            assert_eq!(
                responses.responses.is_empty(),
                dropped_text(key),
                "{key}: openapiv3 and the rule disagree"
            );
        }
    }
}
