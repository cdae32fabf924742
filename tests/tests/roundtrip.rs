//! Round trip of real collections through the client's `Collection` type: decode, encode,
//! compare. Measures what a read-modify-write through the client would lose.
//!
//! The collections come from `cargo xtask roundtrip-collections` (Postman's converter run
//! on the 12 corpus specs, plus every collection example of the spec), which also writes
//! what the official JS SDK loses on the same files; this test prints both side by side:
//!
//! ```sh
//! cargo xtask roundtrip-collections
//! cargo test -p tests --test roundtrip -- --ignored --nocapture
//! ```
//!
//! `cargo xtask ci` runs both; the test fails unless every collection decodes and
//! survives without losing or changing a leaf.
//!
//! A leaf is a scalar or an empty array or object, named by its JSON pointer: "lost" is in
//! the input and not in the output, "changed" is at the same pointer with another value.

use postman_client::types::Collection;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn roundtrip_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .join("target")
        .join("roundtrip")
}

/// Every leaf of a JSON value, by JSON pointer.
fn leaves(value: &Value, pointer: String, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                leaves(item, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(members) if !members.is_empty() => {
            for (key, member) in members {
                let key = key.replace('~', "~0").replace('/', "~1");
                leaves(member, format!("{pointer}/{key}"), out);
            }
        }
        leaf => {
            out.insert(pointer, leaf.clone());
        }
    }
}

/// What a round trip did to a document's leaves.
#[derive(Debug, Default)]
struct Diff {
    total: usize,
    lost: Vec<String>,
    changed: Vec<String>,
}

fn diff(before: &Value, after: &Value) -> Diff {
    let mut a = BTreeMap::new();
    let mut b = BTreeMap::new();
    leaves(before, String::new(), &mut a);
    leaves(after, String::new(), &mut b);
    let mut d = Diff {
        total: a.len(),
        ..Diff::default()
    };
    for (pointer, value) in &a {
        match b.get(pointer) {
            None => d.lost.push(pointer.clone()),
            Some(v) if v != value => d.changed.push(pointer.clone()),
            Some(_) => {}
        }
    }
    d
}

fn percent(n: usize, total: usize) -> String {
    if total == 0 {
        "0.0%".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / total as f64)
    }
}

/// The kinds of pointers lost or changed, with their number, for the summary: array
/// indexes are replaced by `*` so that one cause counts once.
fn causes(pointers: &[String]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for p in pointers {
        let shape = p
            .split('/')
            .map(|s| {
                if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                    "*"
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        *out.entry(shape).or_insert(0) += 1;
    }
    out
}

/// The SDK's figures per file, as `tests/roundtrip/sdk.js --report` wrote them.
fn sdk_report() -> BTreeMap<String, Value> {
    let path = roundtrip_dir().join("sdk-report.json");
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<BTreeMap<String, Value>>(&text).ok())
        .unwrap_or_default()
}

#[test]
#[ignore = "needs `cargo xtask roundtrip-collections` first"]
fn real_collections_survive_a_round_trip_through_the_client() {
    let dir = roundtrip_dir().join("collections");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo xtask roundtrip-collections`",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no collections in {}", dir.display());
    let sdk = sdk_report();
    let verbose = std::env::var("ROUNDTRIP_CAUSES").is_ok();
    println!(
        "{:<44} {:>7}  {:>24}  {:>24}",
        "file", "leaves", "client lost / changed", "SDK lost / changed"
    );
    let (mut decoded, mut lossless) = (0, 0);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        let input: Value = serde_json::from_str(&text).unwrap();
        let theirs = match sdk.get(&name) {
            Some(r) if r.get("error").is_some() => "does not load".to_owned(),
            Some(r) => format!(
                "{} ({}) / {}",
                r["lost"],
                percent(
                    r["lost"].as_u64().unwrap_or(0) as usize,
                    r["total"].as_u64().unwrap_or(0) as usize
                ),
                r["changed"]
            ),
            None => "-".to_owned(),
        };
        let collection: Collection = match serde_json::from_value(input.clone()) {
            Ok(c) => c,
            Err(e) => {
                println!("{name:<44} {:>7}  does not decode: {e}", "");
                println!("{:<44} {:>7}  {:>24}  {theirs:>24}", "", "", "");
                continue;
            }
        };
        decoded += 1;
        let output = serde_json::to_value(&collection).unwrap();
        let d = diff(&input, &output);
        if d.lost.is_empty() && d.changed.is_empty() {
            lossless += 1;
        }
        let ours = format!(
            "{} ({}) / {}",
            d.lost.len(),
            percent(d.lost.len(), d.total),
            d.changed.len()
        );
        println!("{name:<44} {:>7}  {ours:>24}  {theirs:>24}", d.total);
        if verbose {
            for (shape, n) in causes(&d.lost) {
                println!("    lost    {n:>6}  {shape}");
            }
            for (shape, n) in causes(&d.changed) {
                println!("    changed {n:>6}  {shape}");
            }
        }
    }
    println!(
        "{decoded} of {} collections decode; {lossless} survive without loss \
         (ROUNDTRIP_CAUSES=1 lists what is lost)",
        files.len()
    );
    assert_eq!(decoded, files.len(), "every collection must decode");
    assert_eq!(
        lossless,
        files.len(),
        "no collection may lose or change a leaf"
    );
}

#[test]
fn leaf_diff_counts_lost_and_changed_leaves() {
    let before = serde_json::json!({"a": [1, {"b": null}], "c": {}, "d": "x"});
    let after = serde_json::json!({"a": [1, {}], "c": {}, "d": "y", "e": 1});
    let d = diff(&before, &after);
    assert_eq!(d.total, 4);
    assert_eq!(d.lost, ["/a/1/b"]);
    assert_eq!(d.changed, ["/d"]);
}
