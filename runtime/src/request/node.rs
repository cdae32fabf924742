//! [`Node`]: a parameter or body value as the request encoders see it, and
//! the serde serializer that produces it.
//!
//! One serializer serves every encoder (parameters, form and multipart
//! bodies). It exists, rather than going through [`serde_json::Value`],
//! because a `Value` loses what the encoders need: a [`Binary`] with its file
//! name and media type (a `Value` has only an array of numbers), bytes as
//! text, integers beyond 64 bits, the exact text of an `f32`, and non-finite
//! floats as errors (a `Value` turns them into `null`).

use std::fmt;

use serde::Serialize;
use serde::ser;

use crate::binary::{self, Binary};
use crate::error::Error;

/// A serialized value: like a JSON value, with scalars already in their
/// parameter text, and [`Binary`] kept whole.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `None`, `()`, `null`.
    Null,
    /// A string, a char or a unit enum variant.
    Str(String),
    /// A number or a boolean: its text is also its JSON.
    Raw(String),
    Seq(Vec<Node>),
    /// An object, its entries in serialization order.
    Map(Vec<(String, Node)>),
    Binary(Binary),
}

impl Node {
    pub(crate) fn is_scalar(&self) -> bool {
        !matches!(self, Self::Seq(_) | Self::Map(_))
    }

    /// The text of the value as one parameter: `None` for `null`, bytes as
    /// their UTF-8 text, compound values as compact JSON.
    pub(crate) fn into_text(self) -> Result<Option<String>, String> {
        Ok(match self {
            Self::Null => None,
            Self::Str(text) | Self::Raw(text) => Some(text),
            Self::Binary(binary) => Some(bytes_text(binary.bytes())?),
            compound => Some(compound.to_json()),
        })
    }

    /// Compact JSON, as `serde_json` writes it (bytes as arrays of numbers),
    /// except that numbers keep their parameter text (`1` for `1.0`).
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Str(text) => write_json_string(text, out),
            Self::Raw(text) => out.push_str(text),
            Self::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Self::Map(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
            Self::Binary(binary) => {
                let numbers: Vec<String> = binary.bytes().iter().map(u8::to_string).collect();
                out.push('[');
                out.push_str(&numbers.join(","));
                out.push(']');
            }
        }
    }
}

fn write_json_string(text: &str, out: &mut String) {
    // Serializing a string to JSON cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// Bytes (such as a [`Binary`]) as parameter text.
fn bytes_text(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => Err("binary value that is not UTF-8 text".to_owned()),
    }
}

/// Serializes `value` into a [`Node`]; the error is a message.
pub(crate) fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, String> {
    value
        .serialize(NodeSerializer)
        .map_err(|NodeError(message)| message)
}

/// The fields of a request body that must be an object.
pub(crate) fn body_fields<T: Serialize + ?Sized>(
    body: &T,
    media_type: &str,
) -> Result<Vec<(String, Node)>, Error> {
    match to_node(body) {
        Ok(Node::Map(fields)) => Ok(fields),
        Ok(_) => Err(Error::Encode(format!(
            "request body: a {media_type} body must be an object"
        ))),
        Err(message) => Err(Error::Encode(format!("request body: {message}"))),
    }
}

/// Appends the `(key, text)` pairs of `node` under `key`: objects nest as
/// `key[sub]`, arrays are indexed as `key[0]`, except arrays of scalars when
/// `repeat_scalar_arrays` (then each element is a `key` pair); `null`s are
/// left out.
pub(crate) fn flatten(
    key: String,
    node: Node,
    repeat_scalar_arrays: bool,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    match node {
        Node::Map(entries) => {
            for (sub, value) in entries {
                flatten(format!("{key}[{sub}]"), value, repeat_scalar_arrays, out)?;
            }
        }
        Node::Seq(items) if repeat_scalar_arrays && items.iter().all(Node::is_scalar) => {
            for item in items {
                if let Some(text) = item.into_text()? {
                    out.push((key.clone(), text));
                }
            }
        }
        Node::Seq(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(format!("{key}[{i}]"), item, repeat_scalar_arrays, out)?;
            }
        }
        scalar => {
            if let Some(text) = scalar.into_text()? {
                out.push((key, text));
            }
        }
    }
    Ok(())
}

/// Why a value cannot be serialized into a [`Node`].
#[derive(Debug)]
struct NodeError(String);

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NodeError {}

impl ser::Error for NodeError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self(message.to_string())
    }
}

/// Serializes any value into a [`Node`]; recognises [`Binary`] by its marker.
struct NodeSerializer;

macro_rules! raw_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Node, NodeError> {
                Ok(Node::Raw(value.to_string()))
            }
        )*
    };
}

macro_rules! raw_floats {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Node, NodeError> {
                if value.is_finite() {
                    Ok(Node::Raw(value.to_string()))
                } else {
                    Err(NodeError(format!("{value} is not a finite number")))
                }
            }
        )*
    };
}

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = NodeError;
    type SerializeSeq = NodeSeq;
    type SerializeTuple = NodeSeq;
    type SerializeTupleStruct = NodeSeq;
    type SerializeTupleVariant = NodeSeq;
    type SerializeMap = NodeMap;
    type SerializeStruct = NodeMap;
    type SerializeStructVariant = NodeMap;

    raw_scalars!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
    );

    raw_floats!(serialize_f32: f32, serialize_f64: f64);

    fn serialize_char(self, value: char) -> Result<Node, NodeError> {
        Ok(Node::Str(value.to_string()))
    }

    fn serialize_str(self, value: &str) -> Result<Node, NodeError> {
        Ok(Node::Str(value.to_owned()))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<Node, NodeError> {
        Ok(Node::Binary(Binary::new(value.to_vec())))
    }

    fn serialize_none(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, NodeError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, NodeError> {
        Ok(Node::Null)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, NodeError> {
        Ok(Node::Str(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Node, NodeError> {
        if name == binary::MARKER {
            let (found, node) = binary::capture(|| value.serialize(NodeSerializer));
            if let Some(binary) = found {
                return Ok(Node::Binary(binary));
            }
            return node;
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, NodeError> {
        Ok(Node::Map(vec![(
            variant.to_owned(),
            value.serialize(self)?,
        )]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<NodeSeq, NodeError> {
        Ok(NodeSeq::new(len.unwrap_or(0), None))
    }

    fn serialize_tuple(self, len: usize) -> Result<NodeSeq, NodeError> {
        Ok(NodeSeq::new(len, None))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<NodeSeq, NodeError> {
        Ok(NodeSeq::new(len, None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<NodeSeq, NodeError> {
        Ok(NodeSeq::new(len, Some(variant)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<NodeMap, NodeError> {
        Ok(NodeMap::new(len.unwrap_or(0), None))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<NodeMap, NodeError> {
        Ok(NodeMap::new(len, None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<NodeMap, NodeError> {
        Ok(NodeMap::new(len, Some(variant)))
    }
}

/// Wraps the content of an enum variant as `{variant: content}`, as JSON does.
fn in_variant(variant: Option<&'static str>, node: Node) -> Node {
    match variant {
        Some(variant) => Node::Map(vec![(variant.to_owned(), node)]),
        None => node,
    }
}

/// The elements of a sequence, tuple or tuple variant.
struct NodeSeq {
    items: Vec<Node>,
    variant: Option<&'static str>,
}

impl NodeSeq {
    fn new(len: usize, variant: Option<&'static str>) -> Self {
        Self {
            items: Vec::with_capacity(len.min(1024)),
            variant,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        self.items.push(value.serialize(NodeSerializer)?);
        Ok(())
    }

    fn finish(self) -> Node {
        in_variant(self.variant, Node::Seq(self.items))
    }
}

/// The `Serialize*` traits of sequences and maps, all forwarding to the
/// `push` and `finish` of the type.
macro_rules! forward_compound {
    ($ty:ty: $($trait:ident::$method:ident($($key:ident: $key_ty:ty)?)),* $(,)?) => {
        $(
            impl ser::$trait for $ty {
                type Ok = Node;
                type Error = NodeError;

                fn $method<T: Serialize + ?Sized>(
                    &mut self,
                    $($key: $key_ty,)?
                    value: &T,
                ) -> Result<(), NodeError> {
                    self.push($($key.to_owned(),)? value)
                }

                fn end(self) -> Result<Node, NodeError> {
                    Ok(self.finish())
                }
            }
        )*
    };
}

forward_compound!(NodeSeq:
    SerializeSeq::serialize_element(),
    SerializeTuple::serialize_element(),
    SerializeTupleStruct::serialize_field(),
    SerializeTupleVariant::serialize_field(),
);

/// The entries of a map, struct or struct variant.
struct NodeMap {
    entries: Vec<(String, Node)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl NodeMap {
    fn new(len: usize, variant: Option<&'static str>) -> Self {
        Self {
            entries: Vec::with_capacity(len.min(1024)),
            key: None,
            variant,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), NodeError> {
        self.entries.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }

    fn finish(self) -> Node {
        in_variant(self.variant, Node::Map(self.entries))
    }
}

forward_compound!(NodeMap:
    SerializeStruct::serialize_field(key: &'static str),
    SerializeStructVariant::serialize_field(key: &'static str),
);

impl ser::SerializeMap for NodeMap {
    type Ok = Node;
    type Error = NodeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NodeError> {
        let text = match key.serialize(NodeSerializer)? {
            Node::Null => return Err(NodeError("a map key is null".to_owned())),
            Node::Seq(_) | Node::Map(_) => {
                return Err(NodeError(
                    "map keys must be strings, numbers or booleans".to_owned(),
                ));
            }
            scalar => scalar.into_text().map_err(NodeError)?.unwrap_or_default(),
        };
        self.key = Some(text);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NodeError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| NodeError("a map value without a key".to_owned()))?;
        self.push(key, value)
    }

    fn end(self) -> Result<Node, NodeError> {
        Ok(self.finish())
    }
}
