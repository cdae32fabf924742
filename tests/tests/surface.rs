//! The Postman client's public surface (operation → method → types), pinned so that a
//! pull request shows API changes at a glance, without reading generated code.

#[test]
fn postman_client_surface() {
    let generated = match xtask::codegen::generate() {
        Ok(g) => g,
        Err(e) => panic!("spec/postman.yaml does not generate: {e}"),
    };
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("postman_surface", generator::surface::surface(&generated.api));
    });
}
