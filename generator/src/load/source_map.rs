//! Where a place of a converted document came from in the original one.
//!
//! A Swagger 2.0 document is rewritten into OpenAPI 3.0 shape before it is parsed, so the
//! later stages point into the rewritten document (`#/components/schemas/Pet`). Users
//! have the original (`#/definitions/Pet`): every diagnostic is translated back through
//! this map before it is reported.

use crate::error::{Error, Pointer, Warning};
use std::collections::BTreeMap;

/// Converted pointer prefix → original pointer prefix. Empty for documents that were not
/// converted, where every pointer is its own origin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    moved: BTreeMap<String, String>,
}

impl SourceMap {
    /// Records that `converted` and everything under it came from `original` (and the
    /// same relative places under it).
    pub(crate) fn record(&mut self, converted: &Pointer, original: &Pointer) {
        if converted != original {
            self.moved
                .insert(converted.as_str().to_owned(), original.as_str().to_owned());
        }
    }

    /// The original place of `pointer`: the longest recorded prefix is replaced.
    pub fn original(&self, pointer: &Pointer) -> Pointer {
        if self.moved.is_empty() {
            return pointer.clone();
        }
        let full = pointer.as_str();
        let mut prefix = full;
        loop {
            if let Some(original) = self.moved.get(prefix) {
                let moved = format!("{original}{}", &full[prefix.len()..]);
                return Pointer::from_ref(&moved).unwrap_or_else(Pointer::root);
            }
            match prefix.rfind('/') {
                Some(cut) => prefix = &prefix[..cut],
                None => return pointer.clone(),
            }
        }
    }

    /// `warning`, pointing into the original document.
    pub fn warning(&self, warning: Warning) -> Warning {
        Warning {
            pointer: self.original(&warning.pointer),
            message: warning.message,
        }
    }

    /// `error`, pointing into the original document.
    pub fn error(&self, error: Error) -> Error {
        match error {
            Error::Invalid { pointer, message } => Error::Invalid {
                pointer: self.original(&pointer),
                message,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointer(s: &str) -> Pointer {
        Pointer::from_ref(s).expect("a local pointer")
    }

    #[test]
    fn the_longest_prefix_wins_and_the_rest_is_kept() {
        let mut map = SourceMap::default();
        map.record(&pointer("#/components/schemas"), &pointer("#/definitions"));
        map.record(
            &pointer("#/paths/~1a/get/parameters/0/schema"),
            &pointer("#/paths/~1a/get/parameters/1"),
        );
        map.record(
            &pointer("#/paths/~1a/get/parameters/0"),
            &pointer("#/paths/~1a/get/parameters/1"),
        );
        assert_eq!(
            map.original(&pointer("#/components/schemas/Pet/properties/id"))
                .as_str(),
            "#/definitions/Pet/properties/id"
        );
        assert_eq!(
            map.original(&pointer("#/paths/~1a/get/parameters/0/schema/items"))
                .as_str(),
            "#/paths/~1a/get/parameters/1/items"
        );
        assert_eq!(
            map.original(&pointer("#/paths/~1a/get/parameters/0/name"))
                .as_str(),
            "#/paths/~1a/get/parameters/1/name"
        );
        // A segment that only starts like a recorded one is not under it.
        assert_eq!(
            map.original(&pointer("#/components/schemasX")).as_str(),
            "#/components/schemasX"
        );
        assert_eq!(map.original(&Pointer::root()).as_str(), "#");
    }
}
