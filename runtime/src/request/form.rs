//! `application/x-www-form-urlencoded` request bodies.

use serde::Serialize;

use super::node::{Node, body_fields, flatten, to_node};
use crate::error::Error;

pub(crate) const MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// The form-encoded text of `body`, which must serialize as an object (see
/// [`Request::form`](super::Request::form) for how fields are written).
pub(crate) fn encode<T: Serialize + ?Sized>(body: &T) -> Result<String, Error> {
    let pairs = flatten_fields(body_fields(body, MEDIA_TYPE)?)
        .map_err(|message| Error::Encode(format!("request body: {message}")))?;
    // Alphanumerics and `*-._` as they are, space as `+`, anything else as `%XX`.
    Ok(form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish())
}

/// The `key=value` pairs of `value` as a form writes them, unencoded, for a whole
/// query string (OpenAPI 3.2's `querystring` parameter); nothing for `None` or `null`.
pub(crate) fn pairs<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, String> {
    match to_node(value)? {
        Node::Null => Ok(Vec::new()),
        Node::Map(fields) => flatten_fields(fields),
        _ => Err(format!("a {MEDIA_TYPE} query string must be an object")),
    }
}

fn flatten_fields(fields: Vec<(String, Node)>) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    for (key, value) in fields {
        flatten(key, value, true, &mut pairs)?;
    }
    Ok(pairs)
}
