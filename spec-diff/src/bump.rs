//! The semver bump the generated crate needs, and `--bump`, which writes it into the
//! spec's `info.version` (the generator takes the crate version from there).

use crate::change::{Change, Impact};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    None,
    Patch,
    Minor,
    Major,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::None => "no",
            Level::Patch => "a patch",
            Level::Minor => "a minor",
            Level::Major => "a major",
        }
    }
}

/// Breaking for Rust users → major, something new → minor, anything else → patch.
pub fn level(changes: &[Change]) -> Level {
    changes
        .iter()
        .map(|c| match c.rust.impact {
            Impact::Breaking => Level::Major,
            Impact::NonBreaking => Level::Minor,
            Impact::Informational => Level::Patch,
        })
        .max()
        .unwrap_or(Level::None)
}

fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// The version after `current` for a bump of `level`; below 1.0 a breaking change bumps
/// the minor version and anything else the patch version (Cargo's convention).
pub fn next(current: &str, level: Level) -> Result<String, String> {
    let (major, minor, patch) = parse(current)
        .ok_or_else(|| format!("info.version `{current}` is not a semver version (x.y.z)"))?;
    let (major, minor, patch) = match (level, major) {
        (Level::None, _) => (major, minor, patch),
        (Level::Major, 0) => (0, minor + 1, 0),
        (Level::Major, _) => (major + 1, 0, 0),
        (Level::Minor, 0) | (Level::Patch, _) => (major, minor, patch + 1),
        (Level::Minor, _) => (major, minor + 1, 0),
    };
    Ok(format!("{major}.{minor}.{patch}"))
}

/// `head` is at least `target` (so no bump is needed).
pub fn at_least(head: &str, target: &str) -> bool {
    matches!((parse(head), parse(target)), (Some(h), Some(t)) if h >= t)
}

/// The bump for a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bump {
    pub level: Level,
    /// `info.version` of the base.
    pub base_version: String,
    /// `info.version` of the head.
    pub head_version: String,
    /// The version the head needs (`None` when the base's is not semver).
    pub required_version: Option<String>,
    /// The head's version is already high enough.
    pub satisfied: bool,
}

pub fn bump(changes: &[Change], base_version: &str, head_version: &str) -> Bump {
    let level = level(changes);
    let required_version = next(base_version, level).ok();
    let satisfied = required_version
        .as_deref()
        .is_some_and(|r| at_least(head_version, r));
    Bump {
        level,
        base_version: base_version.to_owned(),
        head_version: head_version.to_owned(),
        required_version,
        satisfied,
    }
}

/// `text` with the `version:` line under the top-level `info:` set to `version`; every
/// other byte stays as it is.
pub fn rewrite_info_version(text: &str, version: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_info = false;
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !done {
            if !line.starts_with([' ', '\t', '#']) && !content.is_empty() {
                in_info = content.trim_end() == "info:";
            } else if in_info {
                let trimmed = content.trim_start();
                let indent = &content[..content.len() - trimmed.len()];
                // Only a direct child of `info` (the first indentation level seen).
                if let Some(rest) = trimmed.strip_prefix("version:")
                    && (indent == "  " || indent == "    " || indent == "\t")
                {
                    let ending = &line[content.len()..];
                    let quote = match rest.trim_start().chars().next() {
                        Some(q @ ('"' | '\'')) => q.to_string(),
                        _ => String::new(),
                    };
                    out.push_str(&format!("{indent}version: {quote}{version}{quote}{ending}"));
                    done = true;
                    continue;
                }
            }
        }
        out.push_str(line);
    }
    if done {
        Ok(out)
    } else {
        Err("no `version:` line under `info:` in the spec".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions() {
        assert_eq!(next("2.0.0", Level::Major).as_deref(), Ok("3.0.0"));
        assert_eq!(next("2.3.4", Level::Minor).as_deref(), Ok("2.4.0"));
        assert_eq!(next("2.3.4", Level::Patch).as_deref(), Ok("2.3.5"));
        assert_eq!(next("0.3.4", Level::Major).as_deref(), Ok("0.4.0"));
        assert_eq!(next("0.3.4", Level::Minor).as_deref(), Ok("0.3.5"));
        assert!(next("v2", Level::Major).is_err());
    }

    #[test]
    fn rewrites_only_the_info_version() {
        let text =
            "openapi: 3.0.3\ninfo:\n  title: X\n  version: 2.0.0\npaths:\n  /a:\n    version: 1\n";
        let out = rewrite_info_version(text, "3.0.0").unwrap_or_default();
        assert_eq!(out, text.replace("version: 2.0.0", "version: 3.0.0"));
        let quoted = "info:\r\n  version: '1.0.0'\r\n";
        assert_eq!(
            rewrite_info_version(quoted, "1.1.0").as_deref(),
            Ok("info:\r\n  version: '1.1.0'\r\n")
        );
        assert!(rewrite_info_version("paths: {}\n", "1.0.0").is_err());
    }
}
