//! `cargo xtask spec-diff`: what a change of `spec/` means for code that depends on the
//! generated client, for HTTP clients in general and for users of the Rust crate.
//!
//! Both versions are read through git (no checkout) or from the working tree
//! ([`git`]), lowered by the generator and compared ([`compare`]), every change is judged
//! for both audiences ([`classify`]) and mapped to generated items ([`rust_items`]), and
//! the report is printed as Markdown, JSON or GitHub annotations ([`report`]) with the
//! semver bump the crate needs ([`bump`]).

pub mod bump;
pub mod change;
pub mod classify;
pub mod compare;
pub mod git;
pub mod report;
pub mod rust_items;
mod shape;

use crate::codegen::{CRATE_NAME, SPEC};
use change::{Change, Impact};
use generator::Settings;
use git::Source;
use report::Report;

pub const USAGE: &str = "\
usage: cargo xtask spec-diff [--base <ref>] [--head <ref>|worktree] [--format markdown|json|github]
                             [--fail-on breaking|none] [--bump]

  --base     git ref of the old spec (default: origin/main if it exists, else HEAD)
  --head     git ref of the new spec, or `worktree` (default: the working tree)
  --format   markdown (default; a PR comment or job summary), json, or github (annotations)
  --fail-on  breaking: exit with status 1 when a change breaks HTTP or Rust clients
  --bump     write the version the generated crate needs into spec/postman.yaml's
             info.version (working tree only); then run `cargo xtask codegen`";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Breaking,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `None`: `origin/main` if it exists, else `HEAD`.
    pub base: Option<String>,
    pub head: Source,
    pub format: Format,
    pub fail_on: FailOn,
    pub bump: bool,
}

impl Options {
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            base: None,
            head: Source::WorkTree,
            format: Format::Markdown,
            fail_on: FailOn::None,
            bump: false,
        };
        let mut rest = args.iter();
        while let Some(&arg) = rest.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
                _ => (arg, None),
            };
            let mut value = || {
                inline
                    .or_else(|| rest.next().copied())
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
            };
            match flag {
                "--base" => options.base = Some(value()?.to_owned()),
                "--head" => options.head = Source::parse(value()?),
                "--format" => {
                    options.format = match value()? {
                        "markdown" | "md" => Format::Markdown,
                        "json" => Format::Json,
                        "github" => Format::Github,
                        other => {
                            return Err(format!(
                                "unknown format `{other}`: markdown, json or github"
                            ));
                        }
                    }
                }
                "--fail-on" => {
                    options.fail_on = match value()? {
                        "breaking" => FailOn::Breaking,
                        "none" => FailOn::None,
                        other => {
                            return Err(format!("unknown --fail-on `{other}`: breaking or none"));
                        }
                    }
                }
                "--bump" if inline.is_none() => options.bump = true,
                other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

/// One side of the comparison: the spec's text and what to call it.
pub struct Input<'a> {
    pub text: &'a str,
    pub label: &'a str,
}

/// Compares two versions of the spec's text and classifies every change.
pub fn diff(base: Input, head: Input) -> Result<Report, String> {
    let settings = Settings::new(CRATE_NAME, SPEC);
    let load = |input: &Input| {
        let document = generator::load(input.text, SPEC)
            .map_err(|e| format!("{SPEC} at {}: {e}", input.label))?;
        let lowered = generator::lower::lower(&document, &settings)
            .map_err(|e| format!("{SPEC} at {}: {e}", input.label))?;
        Ok::<_, String>((document, lowered.api))
    };
    let (base_doc, base_api) = load(&base)?;
    let (head_doc, head_api) = load(&head)?;
    let paths = rust_items::Paths::new(settings.lib_name());
    let findings = compare::compare(
        &compare::Version {
            api: &base_api,
            openapi: &base_doc.openapi,
        },
        &compare::Version {
            api: &head_api,
            openapi: &head_doc.openapi,
        },
        &paths,
    );
    let mut changes: Vec<Change> = findings
        .into_iter()
        .map(|f| {
            let (http, rust) = classify::classify(&f);
            Change {
                section: f.section,
                location: f.location,
                summary: report::describe(&f.detail),
                direction: f.direction,
                detail: f.detail,
                http,
                rust,
                rust_items: f.rust_items,
            }
        })
        .collect();
    changes.sort_by(|a, b| {
        (a.section, &a.location, &a.summary).cmp(&(b.section, &b.location, &b.summary))
    });
    let summary = report::Summary::of(&changes);
    let bump = bump::bump(&changes, &base_api.version, &head_api.version);
    Ok(Report {
        base: base.label.to_owned(),
        head: head.label.to_owned(),
        crate_name: CRATE_NAME.to_owned(),
        summary,
        bump,
        changes,
    })
}

/// `--fail-on breaking` fails when any change breaks HTTP clients or the Rust client.
pub fn should_fail(report: &Report, fail_on: FailOn) -> bool {
    fail_on == FailOn::Breaking
        && report
            .changes
            .iter()
            .any(|c| c.http.impact == Impact::Breaking || c.rust.impact == Impact::Breaking)
}

/// Renders a report in a format (`github` needs the head's text to point at lines).
pub fn render(report: &Report, format: Format, head_text: Option<&str>) -> String {
    match format {
        Format::Markdown => report::markdown(report),
        Format::Json => report::json(report),
        Format::Github => report::github(report, SPEC, head_text),
    }
}

pub fn run(options: Options) -> Result<(), String> {
    let root = crate::root();
    let base = Source::Ref(
        options
            .base
            .clone()
            .unwrap_or_else(|| git::default_base(&root)),
    );
    let base_text = git::read(&root, &base, SPEC)?;
    let head_text = git::read(&root, &options.head, SPEC)?;
    let (base_label, head_label) = (base.label(), options.head.label());
    let report = diff(
        Input {
            text: &base_text,
            label: &base_label,
        },
        Input {
            text: &head_text,
            label: &head_label,
        },
    )?;
    let rendered = render(&report, options.format, Some(&head_text));
    let mut stdout = std::io::stdout().lock();
    match std::io::Write::write_all(&mut stdout, rendered.as_bytes()) {
        // The reader stopped early (`| head`): not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| format!("cannot write the report: {e}"))?,
    }
    if options.bump {
        apply_bump(&report, &options.head, &head_text)?;
    }
    if should_fail(&report, options.fail_on) {
        let s = &report.summary;
        return Err(format!(
            "breaking changes (--fail-on breaking): {} for HTTP clients, {} for the Rust client",
            s.http.breaking, s.rust.breaking
        ));
    }
    Ok(())
}

/// `--bump`: writes the needed version into the working tree's spec.
fn apply_bump(report: &Report, head: &Source, head_text: &str) -> Result<(), String> {
    if *head != Source::WorkTree {
        return Err("--bump writes to the working tree: leave --head out".into());
    }
    let bump = &report.bump;
    let Some(target) = &bump.required_version else {
        return Err(format!(
            "cannot bump: info.version `{}` is not semver",
            bump.base_version
        ));
    };
    if bump.satisfied || bump.level == bump::Level::None {
        eprintln!(
            "info.version is {}: no bump needed (needs at least {target})",
            bump.head_version
        );
        return Ok(());
    }
    let text = bump::rewrite_info_version(head_text, target)?;
    let path = crate::root().join(SPEC);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {SPEC}: {e}"))?;
    eprintln!(
        "{SPEC}: info.version {} → {target}; now run `cargo xtask codegen` to update generated/",
        bump.head_version
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arguments() {
        let o = Options::parse(&["--base", "main", "--format=json", "--fail-on", "breaking"]);
        assert_eq!(
            o,
            Ok(Options {
                base: Some("main".into()),
                head: Source::WorkTree,
                format: Format::Json,
                fail_on: FailOn::Breaking,
                bump: false,
            })
        );
        assert!(Options::parse(&["--format", "xml"]).is_err());
        assert!(Options::parse(&["--base"]).is_err());
        assert!(Options::parse(&["--nope"]).is_err());
    }
}
