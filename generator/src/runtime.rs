//! The hand-written runtime shipped into every generated crate.
//!
//! The runtime is the workspace crate `runtime/` (`client-runtime`), compiled, linted and
//! tested there. The generator embeds its module files as source, so a generated crate is
//! self-contained, and writes the crate root from [`MODULES`]: the one list of what the
//! runtime puts at a generated crate's root. [`naming`](crate::naming) reserves those
//! names, and a test below keeps the list in step with `runtime/src/lib.rs`.

use crate::model::Api;

/// One module of the runtime, as the generated crate root declares it.
pub struct RuntimeModule {
    /// The module's name at the crate root.
    pub name: &'static str,
    /// Its source files: paths under `src/` and their contents.
    pub files: &'static [RuntimeFile],
    /// The cargo feature the module is compiled under, if any.
    pub feature: Option<&'static str>,
    /// The items re-exported at the crate root (`pub use name::{…}`).
    pub exports: &'static [&'static str],
    /// Which APIs need the module.
    pub needed: Needed,
}

/// One runtime source file.
pub struct RuntimeFile {
    /// The path under the generated crate's `src/`.
    pub path: &'static str,
    pub source: &'static str,
}

/// Which APIs need a runtime module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    Always,
    /// Only APIs with `format: uid` strings (the `Uid` type).
    WithUids,
    /// Only APIs with objects decoded by a generated `Deserialize` impl.
    WithObjectDecoders,
    /// Only APIs with operations (a document of webhooks alone has none).
    WithOperations,
    /// Only APIs with an operation that answers with a stream of items.
    WithStreams,
}

impl RuntimeModule {
    pub fn is_needed_by(&self, api: &Api) -> bool {
        self.cfg_for(api).is_some()
    }

    /// Whether the crate for `api` ships the module (`None` if not), and under which
    /// cargo feature, if any.
    pub fn cfg_for(&self, api: &Api) -> Option<Option<&'static str>> {
        match self.needed {
            Needed::Always => Some(self.feature),
            Needed::WithUids => api.uses_uid().then_some(self.feature),
            Needed::WithStreams => api.uses_streams().then_some(self.feature),
            Needed::WithOperations => api
                .modules
                .iter()
                .any(|m| !m.operations.is_empty())
                .then_some(self.feature),
            Needed::WithObjectDecoders => {
                let decoded = |ty: &&crate::model::TypeDef| matches!(&ty.kind, crate::model::TypeKind::Struct(s) if s.extra.is_some());
                let mut objects = api.types.iter().filter(decoded).peekable();
                objects.peek()?;
                // A decoder only `full-serde` compiles needs the module only then.
                if objects.any(|ty| ty.serde.deserialize) {
                    Some(self.feature)
                } else {
                    Some(Some("full-serde"))
                }
            }
        }
    }
}

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        &[$(RuntimeFile { path: $path, source: include_str!(concat!("../../runtime/src/", $path)) }),*]
    };
}

const fn module(
    name: &'static str,
    files: &'static [RuntimeFile],
    exports: &'static [&'static str],
) -> RuntimeModule {
    RuntimeModule {
        name,
        files,
        feature: None,
        exports,
        needed: Needed::Always,
    }
}

/// The runtime's modules, in the order the crate root declares them.
pub const MODULES: &[RuntimeModule] = &[
    module("binary", files!["binary.rs"], &["Binary"]),
    RuntimeModule {
        feature: Some("blocking"),
        needed: Needed::WithOperations,
        ..module("blocking", files!["blocking.rs"], &[])
    },
    module(
        "client",
        files!["client.rs"],
        &["ApiKey", "AuthMode", "Client", "ClientBuilder"],
    ),
    module(
        "error",
        files!["error.rs", "error/limits.rs"],
        &[
            "ApiError",
            "BodyTooLargeError",
            "DecodeError",
            "Error",
            "ErrorBody",
            "TimeLimit",
            "TimeoutError",
            "TimeoutPhase",
        ],
    ),
    RuntimeModule {
        needed: Needed::WithUids,
        ..module("ids", files!["ids.rs"], &["Uid", "UidError"])
    },
    module("limiter", files!["limiter.rs"], &[]),
    module("nullable", files!["nullable.rs"], &["Nullable"]),
    RuntimeModule {
        needed: Needed::WithObjectDecoders,
        ..module("object", files!["object.rs"], &[])
    },
    module("options", files!["options.rs"], &["RequestOptions"]),
    module(
        "pagination",
        files!["pagination.rs"],
        &["Items", "Pages", "Paginated"],
    ),
    module("rate_limit", files!["rate_limit.rs"], &["RateLimit"]),
    module(
        "request",
        files![
            "request.rs",
            "request/body.rs",
            "request/form.rs",
            "request/multipart.rs",
            "request/node.rs",
            "request/params.rs",
            "request/send.rs",
            "request/url.rs",
        ],
        &[],
    ),
    module("response", files!["response.rs"], &["Response"]),
    module("retry", files!["retry.rs"], &["RetryPolicy"]),
    RuntimeModule {
        needed: Needed::WithStreams,
        ..module(
            "stream",
            files!["stream.rs", "stream/framing.rs"],
            &["ItemStream"],
        )
    },
];

/// Modules the generator writes at the crate root besides the runtime's and the tags'.
pub const GENERATED_MODULES: &[&str] = &["meta", "types"];

/// The runtime crate's manifest: its dependencies are those of every generated crate.
const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The `[dependencies]` and `[dev-dependencies]` sections of the runtime's manifest, as
/// they are copied into each generated crate's `Cargo.toml`.
pub fn manifest_dependencies() -> &'static str {
    let start = MANIFEST
        .find("\n[dependencies]")
        .map_or(MANIFEST.len(), |i| i + 1);
    let end = MANIFEST[start..]
        .find("\n[features]")
        .map_or(MANIFEST.len(), |i| start + i + 1);
    MANIFEST[start..end].trim_end()
}

/// The names the runtime's dependencies have in Rust code (`serde_json`, `percent_encoding`).
pub fn dependency_crate_names() -> impl Iterator<Item = String> {
    manifest_dependencies()
        .lines()
        .filter(|line| !line.starts_with(['#', '[']) && !line.trim().is_empty())
        .filter_map(|line| {
            line.split_once('=')
                .map(|(name, _)| name.trim().replace('-', "_"))
        })
}

/// Every runtime file the crate for `api` needs.
pub fn files_for(api: &Api) -> impl Iterator<Item = &'static RuntimeFile> + '_ {
    MODULES
        .iter()
        .filter(|m| m.is_needed_by(api))
        .flat_map(|m| m.files)
}

/// Whether `path` (under the crate root, such as `src/client.rs`) is a runtime file.
pub fn is_runtime_path(path: &str) -> bool {
    path.strip_prefix("src/").is_some_and(|path| {
        MODULES
            .iter()
            .flat_map(|m| m.files)
            .any(|file| file.path == path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stand-ins in `runtime/src/lib.rs` for what the generator writes (`meta`, tag modules).
    const STAND_INS: &[&str] = &["meta", "operations"];

    #[test]
    fn dependencies_come_from_the_runtime_manifest() {
        let section = manifest_dependencies();
        assert!(section.starts_with("[dependencies]\n"), "{section}");
        assert!(section.contains("\n[dev-dependencies]\n"), "{section}");
        assert!(!section.contains("workspace"), "{section}");
        let names: Vec<String> = dependency_crate_names().collect();
        for name in ["reqwest", "serde_json", "percent_encoding", "tokio"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
    }

    fn is_stand_in(tree: &syn::UseTree) -> bool {
        matches!(tree, syn::UseTree::Path(p) if STAND_INS.contains(&p.ident.to_string().as_str()))
    }

    /// `runtime/src/lib.rs` declares the runtime's modules for its own build; the
    /// generated crate root is written from [`MODULES`]. They must agree.
    #[test]
    fn modules_match_the_runtime_crate_root() {
        let lib: syn::File = syn::parse_str(include_str!("../../runtime/src/lib.rs")).unwrap();
        let mut declared = Vec::new();
        let mut exported = Vec::new();
        for item in &lib.items {
            match item {
                syn::Item::Mod(m) => {
                    let name = m.ident.to_string();
                    let is_test = m.attrs.iter().any(|a| {
                        a.path().is_ident("cfg")
                            && quote::ToTokens::to_token_stream(&a.meta)
                                .to_string()
                                .contains("test")
                    });
                    if !STAND_INS.contains(&name.as_str()) && !is_test {
                        declared.push(name);
                    }
                }
                syn::Item::Use(u) if !is_stand_in(&u.tree) => {
                    // rustfmt ends a list that spans lines with a comma.
                    let text = quote::ToTokens::to_token_stream(&u.tree)
                        .to_string()
                        .replace(' ', "")
                        .replace(",}", "}");
                    exported.push(text);
                }
                _ => {}
            }
        }
        let listed: Vec<String> = MODULES.iter().map(|m| m.name.to_owned()).collect();
        assert_eq!(declared, listed, "modules of runtime/src/lib.rs");
        let listed: Vec<String> = MODULES
            .iter()
            .filter(|m| !m.exports.is_empty())
            .map(|m| match m.exports {
                [one] => format!("{}::{one}", m.name),
                many => format!("{}::{{{}}}", m.name, many.join(",")),
            })
            .collect();
        assert_eq!(exported, listed, "re-exports of runtime/src/lib.rs");
    }
}
