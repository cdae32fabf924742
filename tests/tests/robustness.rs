//! The generator never panics and never emits something that is not Rust, whatever
//! document it is given: mutated versions of every fixture and of the Postman spec, each
//! also rewritten as OpenAPI 3.1.
//! `cargo xtask ci` runs more iterations (`FUZZ_ITERATIONS`) than the quick loop.

use std::panic::{AssertUnwindSafe, catch_unwind};
use tests::fuzz::{Rng, mutate, schema_names, to_openapi31};

fn iterations() -> usize {
    std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn seeds() -> Vec<(String, serde_json::Value)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    let hostile: Vec<_> = std::fs::read_dir(root.join("fixtures/hostile"))
        .expect("tests/fixtures/hostile exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.extend(hostile);
    files.sort();
    files.push(root.join("../spec/postman.yaml"));
    files
        .into_iter()
        .flat_map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            let value: serde_json::Value = yaml_serde::from_str(&text).expect("fixture is YAML");
            let name = path.display().to_string();
            let as_31 = to_openapi31(&value);
            [(format!("{name} (as 3.1)"), as_31), (name, value)]
        })
        .collect()
}

#[test]
fn mutated_documents_never_panic_or_emit_invalid_rust() {
    let settings = generator::Settings::new("fuzz-client", "fuzz.json");
    let seeds = seeds();
    let mut outcomes = [0usize; 3];
    for i in 0..iterations() {
        let mut rng = Rng::new(i as u64);
        let (name, seed) = &seeds[rng.below(seeds.len())];
        let mut doc = seed.clone();
        let names = schema_names(&doc);
        for _ in 0..=rng.below(4) {
            mutate(&mut doc, &mut rng, &names);
        }
        let text = doc.to_string();
        let result = catch_unwind(AssertUnwindSafe(|| {
            generator::generate_from_str(&text, "fuzz.json", &settings)
        }));
        match result {
            Err(_) => panic!("iteration {i} (from {name}) panicked; document:\n{text}"),
            Ok(Err(generator::Error::Internal { message })) => {
                panic!("iteration {i} (from {name}): internal error {message}; document:\n{text}")
            }
            Ok(Err(_)) => outcomes[1] += 1,
            Ok(Ok(_)) => outcomes[0] += 1,
        }
        outcomes[2] += 1;
    }
    println!(
        "{} documents: {} generated, {} clear errors, 0 panics",
        outcomes[2], outcomes[0], outcomes[1]
    );
}
