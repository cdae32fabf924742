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
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(&snapshots).expect("the snapshot folder exists") {
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
    assert!(stale.is_empty(), "stale snapshots, delete them: {stale:?}");
}
