//! [`Nullable`]: an optional member whose `null` means something.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional object member that the API allows to be `null`, where absent and
/// `null` are different things: absent leaves a field as it is, `null` clears it.
///
/// Generated types use it for members that are both optional and nullable; a
/// member that is only optional is an `Option<T>` (a `null` received there reads
/// as `None`), and one that is only nullable is an `Option<T>` that is always sent.
///
/// Build one with `Nullable::Null`, `Nullable::Absent` (the default) or
/// `value.into()`; read it with [`as_ref`](Self::as_ref) or by matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// The member is not there.
    #[default]
    Absent,
    /// The member is there, as `null`.
    Null,
    /// The member has a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if there is one.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, to change in place.
    pub fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Whether the member is absent (and so is not sent).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the member is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

/// `None` is `null`: a value taken from an `Option` is always sent.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// `null` for [`Null`](Self::Null) and [`Absent`](Self::Absent); generated
    /// types skip absent members before they get here.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// A member that is there: `null` or a value. Absence is the caller's
    /// business (generated types start from [`Absent`](Self::Absent)).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Self::Null, Self::Value))
    }
}
