//! [`Binary`]: file content for `multipart/form-data` fields and
//! `format: binary` schemas.

use std::cell::RefCell;
use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// The newtype-struct name [`Binary`] serializes under, so that the request
/// encoders can recognise it (see [`capture`]).
pub(crate) const MARKER: &str = "$runtime::private::Binary";

/// Raw bytes, with the file name and media type to send them with.
///
/// In a `multipart/form-data` request body, a `Binary` field becomes a file
/// part: its [`file_name`](Self::file_name) (else the field name) is the part's
/// `filename`, and its [`content_type`](Self::content_type) (else
/// `application/octet-stream`) the part's `Content-Type`.
///
/// Elsewhere it serializes as plain bytes (so `serde_json` writes an array of
/// numbers), and it deserializes from a string (its UTF-8 bytes), a byte
/// string, or a sequence of bytes. Its [`Debug`](fmt::Debug) output shows the
/// length, not the content.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Binary {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Binary {
    /// Wraps `bytes`, without file name or media type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the bytes.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type sent with the bytes, such as `image/png`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// Takes the bytes, dropping file name and media type.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The file name, if set.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(bytes)
    }
}

thread_local! {
    /// `Some` while [`capture`] runs: the [`Binary`] whose [`Payload`] was
    /// serialized during the capture, if any.
    pub(crate) static CAPTURED: RefCell<Option<Option<Binary>>> = const { RefCell::new(None) };
}

/// Runs `serialize`, which serializes the value a serializer received through
/// `serialize_newtype_struct(MARKER, value)`, and returns the [`Binary`] that
/// value wraps (with file name and media type, which plain bytes would lose)
/// together with what `serialize` returned.
///
/// While the capture runs, the payload of a [`Binary`] hands over a clone of
/// itself and serializes as a unit instead of as bytes.
pub(crate) fn capture<R>(serialize: impl FnOnce() -> R) -> (Option<Binary>, R) {
    CAPTURED.with(|slot| *slot.borrow_mut() = Some(None));
    let result = serialize();
    let found = CAPTURED.with(|slot| slot.borrow_mut().take().flatten());
    (found, result)
}

/// What a [`Binary`] serializes inside its marker newtype.
pub(crate) struct Payload<'a>(pub(crate) &'a Binary);

impl Serialize for Payload<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let captured = CAPTURED.with(|slot| match slot.borrow_mut().as_mut() {
            Some(found) => {
                *found = Some(self.0.clone());
                true
            }
            None => false,
        });
        if captured {
            serializer.serialize_unit()
        } else {
            serializer.serialize_bytes(&self.0.bytes)
        }
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MARKER, &Payload(self))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(BinaryVisitor)
    }
}

struct BinaryVisitor;

impl<'de> Visitor<'de> for BinaryVisitor {
    type Value = Binary;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a byte string or a sequence of bytes")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Binary, E> {
        Ok(Binary::new(value.as_bytes().to_vec()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Binary, E> {
        Ok(Binary::new(value.into_bytes()))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Binary, E> {
        Ok(Binary::new(value.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<Binary, E> {
        Ok(Binary::new(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Binary, A::Error> {
        let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(byte) = seq.next_element::<u8>()? {
            bytes.push(byte);
        }
        Ok(Binary::new(bytes))
    }
}
