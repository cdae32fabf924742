//! Stage 3: the model to token streams, one per file of the generated crate, then text.

mod construct;
mod crate_root;
mod docs;
mod manifest;
mod object;
mod operations;
mod pagination;
mod types;
mod union;

use crate::error::Result;
use crate::format;
use crate::model::print::{self, TypePaths};
use crate::model::{Api, TypeRef};
use crate::runtime;
use crate::settings::Settings;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use types::Scope;

/// Every file of the generated crate: relative path → contents.
pub fn files(api: &Api, settings: &Settings) -> Result<BTreeMap<String, String>> {
    let banner = settings.banner();
    let groups = groups(api);
    let jobs = jobs(api, settings, &groups);
    let mut files = Files::default();
    for ((path, _), text) in jobs.iter().zip(run_jobs(&jobs, &banner)) {
        files.add(path.clone(), text?)?;
    }
    for file in runtime::files_for(api) {
        files.add(
            format!("src/{}", file.path),
            format!(
                "{banner}\n// Copied from runtime/src/{}.\n{}",
                file.path, file.source
            ),
        )?;
    }
    files.add("Cargo.toml".into(), manifest::cargo_toml(api, settings))?;
    Ok(files.0)
}

/// The token streams [`files`] formats, by path, unformatted (to test the formatter on).
#[cfg(test)]
pub(crate) fn token_files(api: &Api, settings: &Settings) -> Vec<(String, TokenStream)> {
    let groups = groups(api);
    jobs(api, settings, &groups)
        .into_iter()
        .map(|(path, emit)| (path, emit()))
        .collect()
}

/// The groups of types, one file each.
fn groups(api: &Api) -> BTreeSet<&str> {
    api.types.iter().map(|t| t.group.as_str()).collect()
}

/// The Rust files to emit, biggest first.
fn jobs<'a>(
    api: &'a Api,
    settings: &'a Settings,
    groups: &'a BTreeSet<&'a str>,
) -> Vec<(String, Job<'a>)> {
    let mut jobs: Vec<(String, Job<'a>)> = vec![
        (
            "src/lib.rs".into(),
            Box::new(|| crate_root::lib_rs(api, settings)),
        ),
        (
            "src/meta.rs".into(),
            Box::new(|| crate_root::meta_rs(api, settings)),
        ),
        (
            "src/types/mod.rs".into(),
            Box::new(|| crate_root::types_mod_rs(groups)),
        ),
    ];
    for group in groups {
        jobs.push((
            format!("src/types/{group}.rs"),
            Box::new(move || types::group(api, group)),
        ));
    }
    for module in &api.modules {
        jobs.push((
            format!("src/{}.rs", module.name),
            Box::new(move || operations::module(api, module)),
        ));
    }
    // The biggest files first, so that no thread is left with one at the end.
    let weight = |path: &str| -> usize {
        if let Some(module) = api
            .modules
            .iter()
            .find(|m| path == format!("src/{}.rs", m.name))
        {
            4 * module.operations.len()
        } else if let Some(group) = path
            .strip_prefix("src/types/")
            .and_then(|p| p.strip_suffix(".rs"))
        {
            api.types.iter().filter(|t| t.group == group).count()
        } else {
            0
        }
    };
    jobs.sort_by_cached_key(|(path, _)| std::cmp::Reverse(weight(path)));
    jobs
}

/// The files of the crate, each written once: two writers of one path mean two items
/// were given the same name, a bug to report rather than a file to lose.
#[derive(Default)]
struct Files(BTreeMap<String, String>);

impl Files {
    fn add(&mut self, path: String, text: String) -> Result<()> {
        if self.0.contains_key(&path) {
            return Err(crate::Error::Internal {
                message: format!("two files of the generated crate would be written to {path}"),
            });
        }
        self.0.insert(path, text);
        Ok(())
    }
}

/// Emits the tokens of one file.
type Job<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// Emits and formats every file, on as many threads as there are cores (token
/// streams cannot cross threads, so each file is built and formatted where it
/// is picked up); the texts come back in the order of `jobs`.
fn run_jobs(jobs: &[(String, Job<'_>)], banner: &str) -> Vec<Result<String>> {
    let run = |index: usize| {
        let (path, emit) = &jobs[index];
        format::rust_file(emit(), banner, path)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if threads <= 1 {
        return (0..jobs.len()).map(run).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                // Deeply nested types recurse in the formatter: give it room.
                std::thread::Builder::new()
                    .stack_size(32 << 20)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            if index >= jobs.len() {
                                break done;
                            }
                            done.push((index, run(index)));
                        }
                    })
                    .expect("a thread can be started")
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(done) => done,
                // A panic in emit is a bug; pass it on unchanged.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, text)| text).collect()
}

/// The Rust type for `ty`, written from `scope` (spelled by [`print::rust_type`]).
fn type_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    let paths = match scope {
        Scope::Types => TypePaths::TYPES,
        Scope::Crate => TypePaths::CRATE,
    };
    let text = print::rust_type(api, ty, paths);
    text.parse().unwrap_or_else(|e| {
        let message = format!("generator bug: the type `{text}` does not lex: {e}");
        quote!(compile_error!(#message))
    })
}
