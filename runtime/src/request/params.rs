//! Query, header and cookie parameters: a serialized value to its text
//! values (see [`Request`](super::Request) for the rules).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;

use super::node::{Node, flatten, to_node};

/// The text values of a parameter: none for `null`, one for a scalar or a
/// compound value (as compact JSON), one per non-`null` element for a
/// sequence.
pub(crate) fn texts<T: Serialize + ?Sized>(value: &T) -> Result<Vec<String>, String> {
    node_texts(to_node(value)?)
}

fn node_texts(node: Node) -> Result<Vec<String>, String> {
    let items = match node {
        Node::Seq(items) => items,
        other => vec![other],
    };
    texts_of(items)
}

/// The texts of `items`, `null`s left out.
fn texts_of(items: Vec<Node>) -> Result<Vec<String>, String> {
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        texts.extend(item.into_text()?);
    }
    Ok(texts)
}

/// The one text of a non-exploded parameter (OpenAPI `explode: false`): the
/// elements of a sequence joined by `delimiter`, as are the keys and values of
/// an object (`k1,v1,k2,v2`, entries with a `null` value left out); a scalar
/// as by [`texts`]. `None` when there is nothing to send.
pub(crate) fn delimited<T: Serialize + ?Sized>(
    value: &T,
    delimiter: &str,
) -> Result<Option<String>, String> {
    let items = match to_node(value)? {
        Node::Seq(items) => items,
        Node::Map(entries) => entries
            .into_iter()
            .filter(|(_, value)| *value != Node::Null)
            .flat_map(|(key, value)| [Node::Str(key), value])
            .collect(),
        scalar => vec![scalar],
    };
    let texts = texts_of(items)?;
    Ok((!texts.is_empty()).then(|| texts.join(delimiter)))
}

/// The pairs of a `deepObject` parameter: `name[key]=value` per entry of an
/// object, nested objects and arrays continuing the brackets, `null`s left
/// out; a value that is not an object gives the pairs of [`texts`].
pub(crate) fn deep_object<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<Vec<(Cow<'static, str>, String)>, String> {
    let entries = match to_node(value)? {
        Node::Map(entries) => entries,
        other => {
            let texts = node_texts(other)?;
            return Ok(texts
                .into_iter()
                .map(|text| (Cow::Borrowed(name), text))
                .collect());
        }
    };
    let mut pairs = Vec::new();
    for (key, value) in entries {
        flatten(format!("{name}[{key}]"), value, false, &mut pairs)?;
    }
    Ok(pairs
        .into_iter()
        .map(|(key, text)| (Cow::Owned(key), text))
        .collect())
}

/// The bytes that are not a `cookie-octet` of RFC 6265 (control characters,
/// space, `"`, `,`, `;` and `\`; non-ASCII bytes are always encoded).
pub(crate) const NOT_COOKIE_OCTET: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\');

/// `text` with the bytes not allowed in a cookie value percent-encoded.
pub(crate) fn encode_cookie_value(text: &str) -> String {
    utf8_percent_encode(text, NOT_COOKIE_OCTET).to_string()
}
