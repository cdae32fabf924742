//! One fixture spec per generator feature (`tests/fixtures/*.yaml`), one named snapshot
//! per generated file. Review changes with `cargo insta review`.

use insta::{assert_snapshot, glob, with_settings};
use tests::{generate_fixture, spec_dependent_files};

#[test]
fn fixtures_generate_the_pinned_crates() {
    glob!("../fixtures", "*.yaml", |path| {
        let generated = generate_fixture(path)
            .unwrap_or_else(|e| panic!("{} does not generate: {e}", path.display()));
        for (file, contents) in spec_dependent_files(&generated.files) {
            let name = file.replace('/', "__");
            with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
                assert_snapshot!(name, contents);
            });
        }
        let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            assert_snapshot!("warnings", warnings.join("\n"));
        });
    });
}

/// Swagger 2.0 documents (`tests/fixtures/swagger2/`), converted in-process: one snapshot
/// per generated file and one of the warnings (what did not carry over, at its place in
/// the 2.0 document), under `snapshots/swagger2/`.
#[test]
fn swagger2_fixtures_generate_the_pinned_crates() {
    glob!("../fixtures/swagger2", "*.yaml", |path| {
        let generated = generate_fixture(path)
            .unwrap_or_else(|e| panic!("{} does not generate: {e}", path.display()));
        with_settings!({
            omit_expression => true,
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots/swagger2",
        }, {
            for (file, contents) in spec_dependent_files(&generated.files) {
                assert_snapshot!(file.replace('/', "__"), contents);
            }
            let warnings: Vec<String> =
                generated.warnings.iter().map(ToString::to_string).collect();
            assert_snapshot!("warnings", warnings.join("\n"));
        });
    });
}

/// Hostile documents (cycles, keywords, code in prose, odd titles, paths and statuses, deep
/// nesting): each is refused with an error naming where, or generates a crate (which
/// `cargo xtask fixtures` checks with clippy and `cargo test --doc`). One snapshot each:
/// the error, or the files and the warnings.
#[test]
fn hostile_documents_give_a_crate_or_a_clear_error() {
    glob!("../fixtures/hostile", "*.yaml", |path| {
        let outcome = std::panic::catch_unwind(|| generate_fixture(path))
            .unwrap_or_else(|_| panic!("{} panicked", path.display()));
        let pinned = match outcome {
            Err(generator::Error::Internal { message }) => {
                panic!("{}: internal error {message}", path.display())
            }
            Err(e) => format!("error: {e}"),
            Ok(generated) => {
                let files: Vec<&str> = spec_dependent_files(&generated.files)
                    .into_iter()
                    .map(|(file, _)| file.as_str())
                    .collect();
                let warnings: Vec<String> =
                    generated.warnings.iter().map(ToString::to_string).collect();
                format!(
                    "files:\n{}\nwarnings:\n{}",
                    files.join("\n"),
                    warnings.join("\n")
                )
            }
        };
        with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            assert_snapshot!("hostile", pinned);
        });
    });
}

#[test]
fn generation_is_deterministic() {
    glob!("../fixtures", "*.yaml", |path| {
        let first = generate_fixture(path).map(|g| g.files);
        let second = generate_fixture(path).map(|g| g.files);
        assert_eq!(
            first,
            second,
            "{} generated differently twice",
            path.display()
        );
    });
}

/// A snapshot left behind by a file the generator no longer writes (or a fixture that is
/// gone) would pass silently forever; this makes it fail instead.
#[test]
fn every_generated_file_snapshot_still_has_its_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (fixtures, snapshots) in [
        (root.join("fixtures"), root.join("tests/snapshots")),
        (
            root.join("fixtures/swagger2"),
            root.join("tests/snapshots/swagger2"),
        ),
    ] {
        stale.extend(stale_snapshots(&fixtures, &snapshots));
    }
    assert!(stale.is_empty(), "stale snapshots, delete them: {stale:?}");
}

fn stale_snapshots(fixtures: &std::path::Path, snapshots: &std::path::Path) -> Vec<String> {
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(snapshots).expect("the snapshot folder exists") {
        let name = entry.expect("a readable folder entry").file_name();
        let name = name.to_string_lossy();
        let Some((file, fixture)) = name
            .strip_suffix(".snap")
            .and_then(|stem| stem.split_once('@'))
        else {
            continue;
        };
        let still_written = if file == "error" {
            fixtures.join("errors").join(fixture).is_file()
        } else if file == "hostile" {
            fixtures.join("hostile").join(fixture).is_file()
        } else {
            let spec = fixtures.join(fixture);
            spec.is_file()
                && (file == "warnings"
                    || generate_fixture(&spec).is_ok_and(|generated| {
                        spec_dependent_files(&generated.files)
                            .iter()
                            .any(|(path, _)| path.replace('/', "__") == file)
                    }))
        };
        if !still_written {
            stale.push(name.into_owned());
        }
    }
    stale
}
