//! What the caller chooses about the generated crate (the document decides the rest).

/// Settings for one generated crate, built with `with_*` setters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Cargo package name, e.g. `postman-client`.
    pub crate_name: String,
    /// Package version; `None` uses the document's `info.version` when it is semver.
    pub crate_version: Option<String>,
    /// The spec's path as shown in the banner of every generated file.
    pub source: String,
    /// The environment variable `Client::from_env` reads the API key from.
    pub api_key_env: String,
    /// Also emit component schemas no operation uses (webhook payloads, say). Off by
    /// default: a client needs only what its operations send and receive, and unused
    /// types cost compile time (GitHub's description has thousands).
    pub all_schemas: bool,
}

impl Settings {
    /// Settings for a crate named `crate_name` generated from `source`.
    pub fn new(crate_name: impl Into<String>, source: impl Into<String>) -> Self {
        let crate_name = crate_name.into();
        let stem = crate_name
            .trim_end_matches("-client")
            .trim_end_matches("_client");
        let api_key_env = format!("{}_API_KEY", heck::AsShoutySnakeCase(stem));
        Settings {
            crate_name,
            crate_version: None,
            source: source.into(),
            api_key_env,
            all_schemas: false,
        }
    }

    pub fn with_crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }

    pub fn with_all_schemas(mut self, all: bool) -> Self {
        self.all_schemas = all;
        self
    }

    pub fn with_api_key_env(mut self, name: impl Into<String>) -> Self {
        self.api_key_env = name.into();
        self
    }

    /// The Rust name of the library (`postman_client`).
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_variable_comes_from_the_crate_name() {
        assert_eq!(
            Settings::new("postman-client", "x").api_key_env,
            "POSTMAN_API_KEY"
        );
        assert_eq!(Settings::new("acme", "x").api_key_env, "ACME_API_KEY");
    }
}
