//! Uids: resource ids qualified by their owner (`format: uid` in the API
//! description).

use std::fmt;
use std::str::FromStr;

/// A uid: the id of the user who owns a resource, a hyphen, and the
/// resource's UUID, as in `12345678-ec29121c-5203-409f-9e84-e83ffc10f226`.
///
/// Parse one with [`str::parse`] (or [`Uid::new`] from its parts); it prints
/// back as the same text, with the UUID in lower case. Id path parameters take
/// `impl Into<String>`, so a `Uid`, a `&Uid` or the plain id as a string can be
/// passed straight to the next call.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid {
    owner: u64,
    /// The UUID, validated and in lower case.
    id: String,
}

/// Why a text is not a [`Uid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UidError {
    input: String,
    reason: &'static str,
}

impl fmt::Display for UidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a uid (`<owner id>-<uuid>`): {}",
            self.input.escape_debug(),
            self.reason
        )
    }
}

impl std::error::Error for UidError {}

impl Uid {
    /// The uid of resource `id` (a UUID) owned by user `owner`.
    ///
    /// # Errors
    ///
    /// [`UidError`] if `id` is not a UUID (`8-4-4-4-12` hexadecimal digits).
    pub fn new(owner: u64, id: &str) -> Result<Self, UidError> {
        if !is_uuid(id) {
            return Err(UidError {
                input: id.to_owned(),
                reason: "the id is not a UUID (8-4-4-4-12 hexadecimal digits)",
            });
        }
        Ok(Self {
            owner,
            id: id.to_ascii_lowercase(),
        })
    }

    /// The owner's user id.
    pub fn owner(&self) -> u64 {
        self.owner
    }

    /// The resource id: the UUID, without the owner.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl FromStr for Uid {
    type Err = UidError;

    fn from_str(input: &str) -> Result<Self, UidError> {
        let error = |reason| UidError {
            input: input.to_owned(),
            reason,
        };
        let Some((owner, id)) = input.split_once('-') else {
            return Err(error("there is no `-` after the owner id"));
        };
        if owner.is_empty() || !owner.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error("the owner id is not a number"));
        }
        let owner = owner
            .parse()
            .map_err(|_| error("the owner id is too large"))?;
        Self::new(owner, id).map_err(|e| error(e.reason))
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.owner, self.id)
    }
}

impl From<Uid> for String {
    fn from(uid: Uid) -> Self {
        uid.to_string()
    }
}

impl From<&Uid> for String {
    fn from(uid: &Uid) -> Self {
        uid.to_string()
    }
}

impl serde::Serialize for Uid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Uid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}
