//! Bad specs give one clear error naming the JSON pointer (or the line) and the problem.
//! The messages are pinned per fixture in `tests/fixtures/errors/`.

use insta::{assert_snapshot, glob, with_settings};
use tests::generate_fixture;

#[test]
fn bad_specs_give_clear_errors() {
    glob!("../fixtures/errors", "*.yaml", |path| {
        let error = match generate_fixture(path) {
            Ok(_) => panic!("{} generated, but should have failed", path.display()),
            Err(e) => e,
        };
        with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            assert_snapshot!("error", error.to_string());
        });
    });
}

#[test]
fn every_semantic_error_names_a_pointer() {
    glob!("../fixtures/errors", "*.yaml", |path| {
        let error = generate_fixture(path).err();
        match error {
            Some(generator::Error::Syntax { line, .. }) => assert!(line.is_some(), "{path:?}"),
            Some(generator::Error::Invalid { pointer, .. }) => {
                assert!(pointer.as_str().starts_with('#'), "{path:?}");
            }
            other => panic!("{path:?}: unexpected {other:?}"),
        }
    });
}
