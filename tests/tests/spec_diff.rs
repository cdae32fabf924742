//! `cargo xtask spec-diff`: one pair of spec versions per rule family under
//! `tests/spec_diff/<case>/{base,head}.yaml`, the report of each pinned as Markdown (and
//! JSON for the probe), and the probe of the issue checked change by change.

use spec_diff::change::{Change, Detail, Impact};
use spec_diff::report::Report;
use spec_diff::{FailOn, Format, bump::Level};
use std::path::{Path, PathBuf};
use xtask::spec_diff::{Options, Sides};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("spec_diff")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The report `cargo xtask spec-diff --old <case>/base.yaml --new <case>/head.yaml --name
/// postman-client` prints (labels relative to `tests/spec_diff`).
fn diff_case(case: &str) -> Report {
    let dir = cases_dir().join(case);
    let (base, head) = (read(&dir.join("base.yaml")), read(&dir.join("head.yaml")));
    let base_label = format!("{case}/base.yaml");
    let head_label = format!("{case}/head.yaml");
    let settings = generator::Settings::new("postman-client", "spec.yaml");
    spec_diff::diff(
        spec_diff::Side {
            text: &base,
            origin: "base.yaml",
            label: &base_label,
            settings: &settings,
        },
        spec_diff::Side {
            text: &head,
            origin: "head.yaml",
            label: &head_label,
            settings: &settings,
        },
    )
    .unwrap_or_else(|e| panic!("{case} does not diff: {e}"))
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/spec_diff exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_case_has_a_pinned_markdown_report() {
    let cases = cases();
    assert!(cases.len() >= 6, "cases: {cases:?}");
    for case in cases {
        let report = diff_case(&case);
        insta::with_settings!({
            snapshot_path => "snapshots/spec_diff",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{case}.md"), spec_diff::report::markdown(&report));
        });
    }
}

#[test]
fn probe_json_and_github_reports_are_pinned() {
    let report = diff_case("probe");
    let head = read(&cases_dir().join("probe/head.yaml"));
    insta::with_settings!({
        snapshot_path => "snapshots/spec_diff",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("probe.json", spec_diff::render(&report, Format::Json, "", None));
        insta::assert_snapshot!("probe.github", spec_diff::render(&report, Format::Github, "spec/postman.yaml", Some(&head)));
    });
    let parsed: serde_json::Value =
        serde_json::from_str(&spec_diff::render(&report, Format::Json, "", None))
            .expect("valid JSON");
    assert_eq!(parsed["bump"]["level"], "major");
}

/// The one change matching `pred`; fails if there is none or more than one.
fn only<'a>(report: &'a Report, what: &str, pred: impl Fn(&Detail) -> bool) -> &'a Change {
    let found: Vec<&Change> = report.changes.iter().filter(|c| pred(&c.detail)).collect();
    assert_eq!(
        found.len(),
        1,
        "{what}: {found:#?}\nall: {:#?}",
        report.changes
    );
    found[0]
}

fn assert_verdicts(change: &Change, http: Impact, rust: Impact, items: &[&str]) {
    assert_eq!(
        (change.http.impact, change.rust.impact),
        (http, rust),
        "{change:#?}"
    );
    for item in items {
        assert!(
            change.rust_items.iter().any(|i| i == item),
            "{item} not in {:?}",
            change.rust_items
        );
    }
}

#[test]
fn probe_classifies_each_change_for_both_audiences() {
    use Impact::{Breaking, Informational, NonBreaking};
    let report = diff_case("probe");
    assert_eq!(report.changes.len(), 6, "{:#?}", report.changes);

    let removed = only(
        &report,
        "operation removed",
        |d| matches!(d, Detail::OperationRemoved { operation_id } if operation_id == "deleteCollection"),
    );
    assert_verdicts(
        removed,
        Breaking,
        Breaking,
        &[
            "postman_client::Client::delete_collection",
            "postman_client::collections::DeleteCollection",
        ],
    );

    let required_param = only(
        &report,
        "required query parameter",
        |d| matches!(d, Detail::ParameterAdded { name, location, required: true } if name == "owner" && location == "query"),
    );
    assert_verdicts(
        required_param,
        Breaking,
        Breaking,
        &["postman_client::Client::get_collections(owner)"],
    );

    let retyped = only(
        &report,
        "property type",
        |d| matches!(d, Detail::PropertyTypeChanged { schema, property, .. } if schema == "Collection" && property == "size"),
    );
    assert_verdicts(
        retyped,
        Breaking,
        Breaking,
        &["postman_client::types::Collection::size"],
    );

    let renamed = only(
        &report,
        "operationId rename",
        |d| matches!(d, Detail::OperationIdChanged { from, to } if from == "getCollection" && to == "fetchCollection"),
    );
    assert_verdicts(
        renamed,
        Informational,
        Breaking,
        &[
            "postman_client::Client::get_collection",
            "postman_client::Client::fetch_collection",
            "postman_client::collections::FetchCollection",
        ],
    );

    let enum_value = only(
        &report,
        "enum value",
        |d| matches!(d, Detail::EnumValueAdded { schema, value, .. } if schema == "Status" && value == "deleted"),
    );
    assert!(enum_value.direction.response && !enum_value.direction.request);
    assert_verdicts(
        enum_value,
        Breaking,
        NonBreaking,
        &["postman_client::types::Status::Deleted"],
    );

    let optional_field = only(
        &report,
        "optional field",
        |d| matches!(d, Detail::PropertyAdded { schema, property, required: false, .. } if schema == "CollectionSummary" && property == "description"),
    );
    // Breaking for Rust exactly when the emitted struct is not #[non_exhaustive] (struct
    // literals must then name the new field).
    let closed = matches!(
        optional_field.detail,
        Detail::PropertyAdded { closed: true, .. }
    );
    assert_verdicts(
        optional_field,
        NonBreaking,
        if closed { Breaking } else { NonBreaking },
        &["postman_client::types::CollectionSummary::description"],
    );

    assert_eq!(report.bump.level, Level::Major);
    assert_eq!(report.bump.required_version.as_deref(), Some("2.0.0"));
    assert!(!report.bump.satisfied);
}

#[test]
fn fail_on_breaking_decides_the_exit_code() {
    let probe = diff_case("probe");
    assert!(spec_diff::should_fail(&probe, FailOn::Breaking));
    assert!(!spec_diff::should_fail(&probe, FailOn::None));
    let nothing = diff_case("no_changes");
    assert!(nothing.changes.is_empty());
    assert_eq!(nothing.bump.level, Level::None);
    assert!(!spec_diff::should_fail(&nothing, FailOn::Breaking));
}

#[test]
fn versions_below_one_take_a_minor_bump_for_breaking_changes() {
    let report = diff_case("responses");
    assert_eq!(report.bump.level, Level::Major);
    assert_eq!(report.bump.required_version.as_deref(), Some("0.4.0"));
    assert!(report.bump.satisfied, "head.yaml is at 0.4.0 already");
}

#[test]
fn arguments_parse() {
    let parsed = Options::parse(&[
        "--base",
        "origin/main",
        "--head",
        "HEAD",
        "--format",
        "github",
        "--fail-on=breaking",
        "--bump",
    ])
    .expect("valid arguments");
    assert_eq!(
        parsed.sides,
        Sides::Git {
            base: Some("origin/main".to_owned()),
            head: xtask::spec_diff::git::Source::Ref("HEAD".to_owned())
        }
    );
    assert_eq!(parsed.format, Format::Github);
    assert_eq!(parsed.fail_on, FailOn::Breaking);
    assert!(parsed.bump);

    let defaults = Options::parse(&[]).expect("no arguments is fine");
    assert_eq!(
        defaults.sides,
        Sides::Git {
            base: None,
            head: xtask::spec_diff::git::Source::WorkTree
        }
    );
    assert_eq!(defaults.format, Format::Markdown);
    assert_eq!(defaults.fail_on, FailOn::None);

    for bad in [
        &["--format", "xml"][..],
        &["--fail-on", "sometimes"],
        &["--base"],
        &["--bump=yes"],
        &["--what"],
    ] {
        assert!(Options::parse(bad).is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn unparseable_specs_are_errors_not_panics() {
    let good = read(&cases_dir().join("probe/base.yaml"));
    let settings = generator::Settings::new("postman-client", "spec.yaml");
    let error = spec_diff::diff(
        spec_diff::Side {
            text: &good,
            origin: "base.yaml",
            label: "base",
            settings: &settings,
        },
        spec_diff::Side {
            text: "openapi: 3.0.3\ninfo: [",
            origin: "head.yaml",
            label: "head",
            settings: &settings,
        },
    )
    .expect_err("broken YAML");
    assert!(error.contains("at head"), "{error}");
}

/// The crate of a pair's side, generated as `cargo xtask spec-diff-proof` does.
fn crate_of(case: &str, side: &str) -> std::collections::BTreeMap<String, String> {
    let text = read(&cases_dir().join(case).join(side));
    let settings = generator::Settings::new("shop-client", side);
    generator::generate_from_str(&text, side, &settings)
        .unwrap_or_else(|e| panic!("{case}/{side}: {e}"))
        .files
}

#[test]
fn public_items_are_read_from_the_emitted_crate() {
    let files = crate_of("uid_added", "head.yaml");
    let items = spec_diff::surface::items(&files);
    let url = &items["Client::DEFAULT_BASE_URL"];
    assert_eq!(url.value.as_deref(), Some("\"https://api.example.com/v1\""));
    for path in [
        "Uid",
        "types::Order",
        "types::Order::quantity",
        "types::OrderStatus::Unknown",
        "types::OrderStatus #[non_exhaustive]",
        "orders::GetOrderError::NotFound",
        "Client::get_order",
        "orders::ListOrders::cursor",
        "ApiError::status",
    ] {
        assert!(items.contains_key(path), "{path} missing");
    }
    assert_eq!(items["types::Order::quantity"].signature, "i64");
    assert!(
        !items.contains_key("types::Order::new")
            || items.contains_key("types::Order #[non_exhaustive]")
    );
}

/// A generator change seen only in the emitted crates: `--old-crate/--new-crate` and
/// `--generator` report it item by item.
#[test]
fn generator_changes_are_reported_from_the_crates() {
    let new = crate_of("uid_added", "base.yaml");
    let same = spec_diff::diff_crates(("old", &new), ("new", &new), "shop-client");
    assert!(same.changes.is_empty(), "{:#?}", same.changes);

    let mut old = new.clone();
    let (path, text) = old
        .iter_mut()
        .find(|(p, t)| p.starts_with("src/types/") && t.contains("#[non_exhaustive]\npub struct"))
        .expect("a types file");
    let name = text
        .split("pub struct ")
        .nth(1)
        .and_then(|rest| rest.split([' ', '{', '<']).next())
        .expect("a struct")
        .to_owned();
    // As if the generator had made every struct #[non_exhaustive] between the two (as
    // it did): the old crate without the attribute.
    *text = text.replace("#[non_exhaustive]\npub struct ", "pub struct ");
    let path = path.clone();
    let report = spec_diff::diff_crates(("old", &old), ("new", &new), "shop-client");
    let change = report
        .changes
        .iter()
        .find(|c| c.location == format!("item types::{name} #[non_exhaustive]"))
        .unwrap_or_else(|| panic!("{path}: {:#?}", report.changes));
    assert_eq!(change.rust.impact, Impact::Breaking, "{change:#?}");
    assert_eq!(report.bump.level, Level::Major);
}
