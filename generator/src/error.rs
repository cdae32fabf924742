//! Errors and warnings, each tied to the place in the document it is about.

use std::fmt;

/// A JSON pointer into the OpenAPI document (RFC 6901), such as
/// `#/paths/~1collections/get/responses/200`.
///
/// Every diagnostic carries one, so a user can find the offending spot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local reference such as `#/components/schemas/Pet`.
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference
            .starts_with("#/")
            .then(|| Pointer(reference.to_owned()))
    }

    /// This pointer with one more segment, escaped as RFC 6901 requires
    /// (`~` becomes `~0`, `/` becomes `~1`).
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string();
        let mut out = String::with_capacity(self.0.len() + segment.len() + 1);
        out.push_str(&self.0);
        out.push('/');
        for c in segment.chars() {
            match c {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                c => out.push(c),
            }
        }
        Pointer(out)
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The text is not valid YAML or JSON.
    Syntax {
        /// Where the text came from (a file name).
        origin: String,
        /// 1-based line and column, when the parser reports them.
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// The text parses, but something in it is wrong or unsupported.
    Invalid { pointer: Pointer, message: String },
    /// The settings are unusable (a crate name cargo would refuse, say).
    Settings { message: String },
    /// A bug in the generator: it produced something that is not Rust.
    Internal { message: String },
}

impl Error {
    pub(crate) fn invalid(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error::Invalid {
            pointer: pointer.clone(),
            message: message.into(),
        }
    }

    /// The JSON pointer this error is about, if it is about a place in the document.
    pub fn pointer(&self) -> Option<&Pointer> {
        match self {
            Error::Syntax { .. } | Error::Settings { .. } | Error::Internal { .. } => None,
            Error::Invalid { pointer, .. } => Some(pointer),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax {
                origin,
                line,
                column,
                message,
            } => {
                write!(f, "{origin}")?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                    if let Some(column) = column {
                        write!(f, ":{column}")?;
                    }
                }
                write!(f, ": {message}")
            }
            Error::Invalid { pointer, message } => write!(f, "{pointer}: {message}"),
            Error::Settings { message } => write!(f, "{message}"),
            Error::Internal { message } => write!(f, "internal error (please report): {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// Something the generator handled by falling back to a less precise Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: Pointer,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slash_and_tilde() {
        let p = Pointer::root()
            .join("paths")
            .join("/collections/{id}")
            .join("a~b");
        assert_eq!(p.as_str(), "#/paths/~1collections~1{id}/a~0b");
        let segments: Vec<_> = p.segments().collect();
        assert_eq!(segments, ["paths", "/collections/{id}", "a~b"]);
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let e = Error::Syntax {
            origin: "spec.yaml".into(),
            line: Some(3),
            column: Some(7),
            message: "did not find expected key".into(),
        };
        assert_eq!(e.to_string(), "spec.yaml:3:7: did not find expected key");
    }
}
