//! The same API written in OpenAPI 3.0 and in 3.1 generates the same crate: every 3.0
//! fixture, rewritten the way 3.1 says the same things (`tests::fuzz::to_openapi31`:
//! `"null"` in `type` for `nullable`, `examples`, `const`, numeric exclusive bounds),
//! gives byte-identical files. (`cargo xtask versions` does the same for the real-world
//! corpus with an independent converter, openapi-format.)

use tests::fuzz::to_openapi31;

#[test]
fn fixtures_rewritten_as_openapi_31_generate_the_same_files() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut compared = 0;
    let mut specs: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("readable fixture");
        let original: serde_json::Value = yaml_serde::from_str(&text).expect("fixture is YAML");
        if !original["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.0"))
        {
            continue;
        }
        let name = spec.file_name().unwrap_or_default().to_string_lossy();
        let settings =
            generator::Settings::new("versions-client", format!("tests/fixtures/{name}"));
        let generate = |doc: &serde_json::Value| {
            generator::generate_from_str(&doc.to_string(), &name, &settings)
                .map(|g| (g.files, g.warnings))
                .map_err(|e| e.to_string())
        };
        let (files_30, warnings_30) = generate(&original).expect("the 3.0 fixture generates");
        let (files_31, warnings_31) = generate(&to_openapi31(&original))
            .unwrap_or_else(|e| panic!("{name} as 3.1 does not generate: {e}"));
        for (path, text) in &files_30 {
            assert_eq!(
                Some(text),
                files_31.get(path),
                "{name}: {path} differs when the document is written in 3.1"
            );
        }
        assert_eq!(files_30.len(), files_31.len(), "{name}: other files in 3.1");
        assert_eq!(warnings_30, warnings_31, "{name}: other warnings in 3.1");
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} fixtures compared");
}
