//! Comparing and writing a generated crate on disk. Shared by `cargo xtask codegen`
//! and the freshness test, so the two cannot disagree about what "stale" means.

use similar::TextDiff;
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::Path;

/// How a file on disk differs from what the generator produces now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Generated now, absent on disk.
    Missing(String),
    /// On disk, no longer generated.
    Extra(String),
    /// On disk with other contents; carries a unified diff (disk → generated).
    Changed { path: String, diff: String },
}

impl Difference {
    pub fn path(&self) -> &str {
        match self {
            Difference::Missing(p) | Difference::Extra(p) => p,
            Difference::Changed { path, .. } => path,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Missing(p) => write!(f, "missing: {p}"),
            Difference::Extra(p) => write!(f, "no longer generated: {p}"),
            Difference::Changed { path, diff } => write!(f, "changed: {path}\n{diff}"),
        }
    }
}

/// Every difference between `expected` and the files under `dir`.
pub fn compare(expected: &BTreeMap<String, String>, dir: &Path) -> io::Result<Vec<Difference>> {
    let actual = read_tree(dir)?;
    let mut differences = Vec::new();
    for (path, want) in expected {
        match actual.get(path) {
            None => differences.push(Difference::Missing(path.clone())),
            Some(have) if normalize(have) != *want => differences.push(Difference::Changed {
                path: path.clone(),
                diff: TextDiff::from_lines(normalize(have).as_str(), want.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path}"))
                    .to_string(),
            }),
            Some(_) => {}
        }
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        differences.push(Difference::Extra(path.clone()));
    }
    Ok(differences)
}

/// Makes `dir` hold exactly `expected`: writes what differs, removes what is no longer
/// generated (and directories left empty). Returns what it changed.
pub fn write(expected: &BTreeMap<String, String>, dir: &Path) -> io::Result<Vec<Difference>> {
    let differences = compare(expected, dir)?;
    for difference in &differences {
        let path = dir.join(difference.path());
        match difference {
            Difference::Missing(p) | Difference::Changed { path: p, .. } => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &expected[p])?;
            }
            Difference::Extra(_) => {
                std::fs::remove_file(&path)?;
                let mut parent = path.parent();
                while let Some(p) = parent.filter(|p| *p != dir) {
                    if std::fs::read_dir(p)?.next().is_some() {
                        break;
                    }
                    std::fs::remove_dir(p)?;
                    parent = p.parent();
                }
            }
        }
    }
    Ok(differences)
}

/// Git may check files out with CRLF on some machines; compare on LF.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Every file under `dir` (relative, `/`-separated), skipping build output.
fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name == "Cargo.lock" {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .map_err(io::Error::other)?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let text = std::fs::read(&path)?;
                files.insert(relative, String::from_utf8_lossy(&text).into_owned());
            }
        }
    }
    Ok(files)
}
