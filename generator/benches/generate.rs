//! How long generation takes (parse alone, lower alone, and the whole pipeline) for the Postman spec
//! and (when `cargo xtask corpus` has fetched it) GitHub's 845-operation spec.
//!
//! `cargo bench -p generator --bench generate`

use divan::{Bencher, black_box};
use generator::Settings;
use std::path::PathBuf;

fn main() {
    divan::main();
}

fn path(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    match name {
        "postman" => root.join("spec/postman.yaml"),
        _ => root.join("target/corpus/src/package/api/github.com/api.github.com.json"),
    }
}

/// The specs present on this machine (GitHub's needs `cargo xtask corpus` first).
fn specs() -> Vec<&'static str> {
    let specs: Vec<&'static str> = ["postman", "github"]
        .into_iter()
        .filter(|name| path(name).exists())
        .collect();
    if specs.len() < 2 {
        eprintln!("note: run `cargo xtask corpus` once to benchmark GitHub's spec too");
    }
    specs
}

fn text(name: &str) -> String {
    std::fs::read_to_string(path(name)).unwrap_or_default()
}

#[divan::bench(args = specs(), sample_count = 10)]
fn parse(bencher: Bencher, name: &str) {
    let text = text(name);
    bencher.bench(|| generator::load(black_box(&text), name).map(|d| d.openapi.paths.paths.len()));
}

#[divan::bench(args = specs(), sample_count = 10)]
fn generate(bencher: Bencher, name: &str) {
    let text = text(name);
    let settings = Settings::new("bench-client", name);
    bencher.bench(|| {
        generator::generate_from_str(black_box(&text), name, &settings).map(|g| g.files.len())
    });
}

/// The lower stage alone (parsed document in, model out), to see where generation
/// time goes beyond parsing.
#[divan::bench(args = specs(), sample_count = 10)]
fn lower(bencher: Bencher, name: &str) {
    let text = text(name);
    let settings = Settings::new("bench-client", name);
    bencher
        .with_inputs(|| generator::load(&text, name).expect("the spec loads"))
        .bench_local_refs(|document| {
            generator::lower::lower(document, &settings).map(|lowered| lowered.api.types.len())
        });
}
