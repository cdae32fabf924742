//! `generated/` is exactly what the generator makes of `spec/` now. This is the same
//! comparison `cargo xtask codegen --check` runs; it never writes.

#[test]
fn generated_crate_is_fresh() {
    let generated = match xtask::codegen::generate() {
        Ok(g) => g,
        Err(e) => panic!("spec/postman.yaml does not generate: {e}"),
    };
    let dir = xtask::root().join(xtask::codegen::OUT);
    let differences = generator::check::compare(&generated.files, &dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let report: Vec<String> = differences.iter().map(ToString::to_string).collect();
    assert!(
        differences.is_empty(),
        "generated/ is stale: run `cargo xtask codegen` and commit the result.\n{}",
        report.join("\n")
    );
}
