//! Reading `spec/` at a git ref (without checking it out) or from the working tree.

use std::path::Path;
use std::process::Command;

/// Where one side of the comparison comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The files on disk, committed or not.
    WorkTree,
    /// A commit, branch or tag, read with `git show <ref>:<path>`.
    Ref(String),
}

impl Source {
    /// `--head worktree` (or `.`) is the working tree; anything else is a ref.
    pub fn parse(value: &str) -> Source {
        match value {
            "worktree" | "working-tree" | "." => Source::WorkTree,
            other => Source::Ref(other.to_owned()),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Source::WorkTree => "working tree".to_owned(),
            Source::Ref(r) => r.clone(),
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

/// `origin/main` when the repository has it, `HEAD` otherwise.
pub fn default_base(root: &Path) -> String {
    match git(
        root,
        &["rev-parse", "--verify", "--quiet", "origin/main^{commit}"],
    ) {
        Ok(out) if out.status.success() => "origin/main".to_owned(),
        _ => "HEAD".to_owned(),
    }
}

/// The text of `path` (relative to the repository root) in `source`.
pub fn read(root: &Path, source: &Source, path: &str) -> Result<String, String> {
    match source {
        Source::WorkTree => std::fs::read_to_string(root.join(path))
            .map_err(|e| format!("cannot read {path} in the working tree: {e}")),
        Source::Ref(reference) => {
            if reference.starts_with('-') {
                return Err(format!("`{reference}` is not a git ref"));
            }
            let commit = format!("{reference}^{{commit}}");
            let found = git(root, &["rev-parse", "--verify", "--quiet", &commit])?;
            if !found.status.success() {
                return Err(format!(
                    "unknown git ref `{reference}` (fetch it, or pass another --base/--head)"
                ));
            }
            let object = format!("{reference}:{path}");
            let shown = git(root, &["show", &object])?;
            if !shown.status.success() {
                return Err(format!("{path} does not exist at `{reference}`"));
            }
            String::from_utf8(shown.stdout)
                .map_err(|_| format!("{path} at `{reference}` is not UTF-8"))
        }
    }
}

/// Every file under the directory `dir` at `reference`, by path relative to `dir`.
pub fn read_tree(
    root: &Path,
    reference: &str,
    dir: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    if reference.starts_with('-') {
        return Err(format!("`{reference}` is not a git ref"));
    }
    let tree = format!("{reference}:{dir}");
    let listed = git(root, &["ls-tree", "-r", "--name-only", &tree])?;
    if !listed.status.success() {
        return Err(format!("{dir}/ does not exist at `{reference}`"));
    }
    let mut files = std::collections::BTreeMap::new();
    for path in String::from_utf8_lossy(&listed.stdout).lines() {
        let text = read(
            root,
            &Source::Ref(reference.to_owned()),
            &format!("{dir}/{path}"),
        )?;
        files.insert(path.to_owned(), text);
    }
    Ok(files)
}
