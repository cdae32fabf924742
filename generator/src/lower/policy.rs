//! What a client does that depends on the API rather than on HTTP: where error bodies
//! keep their name and message, and which `429`s mean a used-up quota rather than a rate
//! limit. A document states them with the root extensions `x-error-envelope` and
//! `x-quota-exhausted-words`; without them the generated client uses common conventions.

use crate::error::{Error, Pointer, Result};
use crate::model::{ErrorShape, Policy};
use serde_json::Value;

const ERROR_ENVELOPE: &str = "x-error-envelope";
const QUOTA_WORDS: &str = "x-quota-exhausted-words";

/// The policy the document declares, or the defaults.
pub fn policy(extensions: &indexmap::IndexMap<String, Value>) -> Result<Policy> {
    let root = Pointer::root();
    let error_shapes = match extensions.get(ERROR_ENVELOPE) {
        Some(value) => error_shapes(value, &root.join(ERROR_ENVELOPE))?,
        None => default_error_shapes(),
    };
    let quota_words = match extensions.get(QUOTA_WORDS) {
        Some(value) => quota_words(value, &root.join(QUOTA_WORDS))?,
        None => Vec::new(),
    };
    Ok(Policy {
        error_shapes,
        quota_words,
    })
}

/// Common error envelopes, tried in order: `{"error": {"message", "name"|"type"|"code",
/// "details"}}`, `{"error": "text"}`, RFC 9457 problem details, and `{"message", "name"|
/// "code", "details"|"errors"}`.
fn default_error_shapes() -> Vec<ErrorShape> {
    let list = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    vec![
        ErrorShape {
            name: list(&["/error/name", "/error/type", "/error/code"]),
            message: list(&["/error/message"]),
            details: list(&["/error/details"]),
        },
        ErrorShape {
            name: Vec::new(),
            message: list(&["/error"]),
            details: Vec::new(),
        },
        ErrorShape {
            name: list(&["/title", "/type"]),
            message: list(&["/detail"]),
            details: Vec::new(),
        },
        ErrorShape {
            name: list(&["/name", "/code"]),
            message: list(&["/message"]),
            details: list(&["/details", "/errors"]),
        },
    ]
}

fn error_shapes(value: &Value, at: &Pointer) -> Result<Vec<ErrorShape>> {
    let Value::Array(items) = value else {
        return Err(Error::invalid(
            at,
            "expected a list of error shapes, each a map of `name`, `message` and `details` to JSON pointers",
        ));
    };
    let mut shapes = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let at = at.join(index.to_string());
        let Value::Object(members) = item else {
            return Err(Error::invalid(
                &at,
                "expected a map of `name`, `message` and `details` to JSON pointers",
            ));
        };
        let mut shape = ErrorShape::default();
        for (key, value) in members {
            let at = at.join(key);
            let slot = match key.as_str() {
                "name" => &mut shape.name,
                "message" => &mut shape.message,
                "details" => &mut shape.details,
                other => {
                    return Err(Error::invalid(
                        &at,
                        format!(
                            "unknown member `{other}`: expected `name`, `message` or `details`"
                        ),
                    ));
                }
            };
            *slot = pointers(value, &at)?;
        }
        if shape.name.is_empty() && shape.message.is_empty() {
            return Err(Error::invalid(
                &at,
                "an error shape needs a `name` or a `message` pointer",
            ));
        }
        shapes.push(shape);
    }
    Ok(shapes)
}

/// One JSON pointer or a list of them, each empty or starting with `/`.
fn pointers(value: &Value, at: &Pointer) -> Result<Vec<String>> {
    let items: Vec<(Pointer, &Value)> = match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (at.join(i.to_string()), v))
            .collect(),
        other => vec![(at.clone(), other)],
    };
    items
        .into_iter()
        .map(|(at, value)| match value {
            Value::String(p) if p.is_empty() || p.starts_with('/') => Ok(p.clone()),
            Value::String(p) => Err(Error::invalid(
                &at,
                format!("`{p}` is not a JSON pointer (it must start with `/`)"),
            )),
            _ => Err(Error::invalid(
                &at,
                "expected a JSON pointer string such as `/error/message`",
            )),
        })
        .collect()
}

fn quota_words(value: &Value, at: &Pointer) -> Result<Vec<String>> {
    let expected = "expected a list of words, such as [quota, monthly]";
    let Value::Array(items) = value else {
        return Err(Error::invalid(at, expected));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(word) if !word.trim().is_empty() => Ok(word.trim().to_lowercase()),
            _ => Err(Error::invalid(&at.join(i.to_string()), expected)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extensions(yaml: &str) -> indexmap::IndexMap<String, Value> {
        yaml_serde::from_str(yaml).unwrap()
    }

    #[test]
    fn defaults_without_extensions() {
        let policy = policy(&indexmap::IndexMap::new()).unwrap();
        assert_eq!(policy.error_shapes, default_error_shapes());
        assert!(policy.quota_words.is_empty());
    }

    #[test]
    fn declared_policy() {
        let policy = policy(&extensions(
            "x-error-envelope:\n  - {name: /error/name, message: [/error/message], details: /error/details}\n  - {message: /error}\nx-quota-exhausted-words: [Usage, ' monthly ']\n",
        ))
        .unwrap();
        assert_eq!(policy.error_shapes.len(), 2);
        assert_eq!(policy.error_shapes[0].name, ["/error/name"]);
        assert_eq!(policy.error_shapes[1].message, ["/error"]);
        assert!(policy.error_shapes[1].details.is_empty());
        assert_eq!(policy.quota_words, ["usage", "monthly"]);
    }

    #[test]
    fn mistakes_name_their_pointer() {
        let cases = [
            (
                "x-error-envelope: {name: /a}",
                "#/x-error-envelope: expected a list",
            ),
            (
                "x-error-envelope: [{nme: /a}]",
                "#/x-error-envelope/0/nme: unknown member `nme`",
            ),
            (
                "x-error-envelope: [{name: a/b}]",
                "#/x-error-envelope/0/name: `a/b` is not a JSON pointer",
            ),
            (
                "x-error-envelope: [{message: [/a, 3]}]",
                "#/x-error-envelope/0/message/1: expected a JSON pointer",
            ),
            (
                "x-error-envelope: [{details: /d}]",
                "#/x-error-envelope/0: an error shape needs",
            ),
            (
                "x-quota-exhausted-words: [quota, '']",
                "#/x-quota-exhausted-words/1: expected a list of words",
            ),
        ];
        for (yaml, expected) in cases {
            let error = policy(&extensions(yaml)).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{yaml}: {error}");
        }
    }
}
