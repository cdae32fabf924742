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
