//! The compile proof: a program that uses a generated crate's public API the way its users
//! do, written from the OLD crate's model and compiled against the NEW crate. Each change
//! spec-diff calls breaking for Rust must break it, and no other change may.
//!
//! [`write`] writes the program's `main.rs`. Every line that uses an item ends in a marker
//! comment naming it (`// @types::Order::quantity`), so a compiler error on that line (or
//! below a multi-line construct's first marker) is traced back to the item, and
//! [`attribute`] checks the errors against the report, change by change.
//!
//! What it writes, for the shapes the generator emits:
//! - each struct built as users must: `Type::new(<args>)` and each `with_` setter when
//!   the crate has them (`#[non_exhaustive]` structs), else a literal naming every field;
//!   every public field read into a binding of its type;
//! - each enum (string, integer, union, per-operation status and error enums) matched
//!   with an arm per variant, and a `_` arm exactly when it is `#[non_exhaustive]`;
//! - each operation called with its arguments, every builder setter, `send()` into the
//!   response type, `pages()`/`items()` where paged;
//! - `Client::DEFAULT_BASE_URL` read, `Uid` named when shipped, and, run as a program,
//!   `Client::new(key)`, which must succeed (a base URL that is not absolute breaks at run
//!   time, not at compile time).
//!
//! Values are `v::<T>()` of the exact old type, a function that is never called: the
//! program is compiled, and only `main` runs.

use crate::change::Impact;
use crate::report::Report;
use crate::surface::Items;
use generator::model::print::{TypePaths, rust_type};
use generator::model::{Api, Field, Operation, Presence, ResponseBody, Success, TypeKind, TypeRef};
use std::fmt::Write;

/// How the probe writes types: through the dependency renamed `c`.
const PATHS: TypePaths = TypePaths {
    types: "c::types::",
    runtime: "c::",
    collections: "std::collections::",
};

/// The marker the probe prints (on stderr) when `Client::new` fails at run time.
pub const RUNTIME_MARKER: &str = "@runtime Client::DEFAULT_BASE_URL";

fn ty(api: &Api, t: &TypeRef) -> String {
    rust_type(api, t, PATHS)
}

fn field_type(api: &Api, f: &Field) -> String {
    let mut t = ty(api, &f.ty);
    if f.boxed {
        t = format!("Box<{t}>");
    }
    match f.presence() {
        Presence::Required => t,
        Presence::Optional => format!("Option<{t}>"),
        Presence::Nullable => format!("c::Nullable<{t}>"),
    }
}

/// The probe's `main.rs` for the crate of `api` (whose public items are `items`).
pub fn write(api: &Api, items: &Items) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! The spec-diff probe: the old crate's public API used as its users use it.\n\
         #![allow(dead_code, unused, deprecated, unreachable_code, clippy::all)]\n\n\
         fn v<T>() -> T {{\n    unreachable!()\n}}\n"
    );
    client(items, &mut out);
    for (i, def) in api.types.iter().enumerate() {
        let path = format!("types::{}", def.name);
        if !items.contains_key(&path) {
            continue;
        }
        let full = format!("c::{path}");
        match &def.kind {
            TypeKind::Struct(s) => {
                build(api, items, &def.name, s, &mut out);
                let _ = writeln!(out, "fn read_{i}(x: {full}) {{ // @{path}");
                for f in &s.fields {
                    let _ = writeln!(
                        out,
                        "    let _: {} = x.{}; // @{path}::{}",
                        field_type(api, f),
                        f.name,
                        f.name
                    );
                }
                if let Some(extra) = &s.extra {
                    let _ = writeln!(
                        out,
                        "    let _: std::collections::BTreeMap<String, {}> = x.{}; // @{path}::{}",
                        ty(api, &extra.ty),
                        extra.name,
                        extra.name
                    );
                }
                let _ = writeln!(out, "}}\n");
            }
            TypeKind::Enum(_)
            | TypeKind::IntEnum(_)
            | TypeKind::Untagged(_)
            | TypeKind::Tagged { .. } => {
                matcher(&format!("match_{i}"), &path, items, &mut out);
            }
            TypeKind::Alias(target) => {
                let _ = writeln!(
                    out,
                    "fn alias_{i}(x: {full}) -> {} {{ // @{path}\n    x // @{path}\n}}\n",
                    ty(api, target)
                );
            }
            TypeKind::Newtype(_) => {
                let _ = writeln!(out, "fn named_{i}(x: {full}) {{}} // @{path}\n");
            }
        }
    }
    for module in &api.modules {
        for (j, op) in module.operations.iter().enumerate() {
            operation(
                api,
                items,
                &module.name,
                op,
                &format!("{}_{j}", module.name),
                &mut out,
            );
        }
    }
    out
}

/// `main`, which runs `Client::new`, and the crate-level items.
fn client(items: &Items, out: &mut String) {
    let _ = writeln!(
        out,
        "fn main() {{\n    let _: &str = c::Client::DEFAULT_BASE_URL; // @Client::DEFAULT_BASE_URL\n    \
         if let Err(e) = c::Client::new(\"probe-key\") {{ // @Client::new\n        \
         eprintln!(\"{RUNTIME_MARKER}: {{e}}\");\n        std::process::exit(3);\n    }}\n}}\n"
    );
    if items.contains_key("Uid") {
        let _ = writeln!(
            out,
            "fn uid(x: c::Uid) -> String {{ // @Uid\n    x.to_string() // @Uid\n}}\n"
        );
    }
}

/// `build_<Type>()`: a value built as users must build it.
fn build(api: &Api, items: &Items, name: &str, s: &generator::model::Struct, out: &mut String) {
    let path = format!("types::{name}");
    let full = format!("c::{path}");
    let _ = writeln!(out, "fn build_{name}() -> {full} {{ // @{path}");
    if items.contains_key(&format!("{path}::new")) {
        let _ = writeln!(out, "    let x = {full}::new( // @{path}::new");
        for f in s.fields.iter().filter(|f| !f.is_option()) {
            let _ = writeln!(
                out,
                "        v::<{}>(), // @{path}::{}",
                field_type(api, f),
                f.name
            );
        }
        let _ = writeln!(out, "    ); // @{path}::new");
        for f in s.fields.iter().filter(|f| f.is_option()) {
            let setter = format!("with_{}", f.name.trim_start_matches("r#"));
            if items.contains_key(&format!("{path}::{setter}")) {
                let mut inner = ty(api, &f.ty);
                if f.boxed {
                    inner = format!("Box<{inner}>");
                }
                let _ = writeln!(
                    out,
                    "    let x = x.{setter}(v::<{inner}>()); // @{path}::{setter}"
                );
            }
        }
        let _ = writeln!(out, "    x\n}}\n");
    } else if items.contains_key(&format!("{path} #[non_exhaustive]")) {
        // Neither a constructor nor a literal: users cannot build one.
        let _ = writeln!(out, "    v() // @{path}\n}}\n");
    } else {
        let _ = writeln!(out, "    {full} {{ // @{path}");
        for f in &s.fields {
            let _ = writeln!(
                out,
                "        {}: v::<{}>(), // @{path}::{}",
                f.name,
                field_type(api, f),
                f.name
            );
        }
        if let Some(extra) = &s.extra {
            let _ = writeln!(
                out,
                "        {}: v(), // @{path}::{}",
                extra.name, extra.name
            );
        }
        let _ = writeln!(out, "    }} // @{path}\n}}\n");
    }
}

/// A `match` over the enum at `path` with the arms users must write: one per variant, and
/// `_` when the enum is `#[non_exhaustive]`.
fn matcher(function: &str, path: &str, items: &Items, out: &mut String) {
    let prefix = format!("{path}::");
    // The enum's members sort right after `path::`.
    let variants: Vec<&str> = items
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .filter(|(_, item)| item.kind == crate::change::ItemKind::Variant)
        .filter_map(|(p, _)| p.strip_prefix(&prefix))
        .filter(|rest| !rest.contains("::"))
        .collect();
    let _ = writeln!(
        out,
        "fn {function}(x: c::{path}) {{ // @{path}\n    match x {{ // @{path}"
    );
    for variant in variants {
        let _ = writeln!(
            out,
            "        c::{path}::{variant} {{ .. }} => {{}} // @{path}::{variant}"
        );
    }
    if items.contains_key(&format!("{path} #[non_exhaustive]")) {
        let _ = writeln!(out, "        _ => {{}} // @{path}");
    }
    let _ = writeln!(out, "    }}\n}}\n");
}

/// An argument's type: `impl Into<String>` takes a `String`, anything else is exact.
fn argument(api: &Api, t: &TypeRef) -> String {
    ty(api, t)
}

fn operation(api: &Api, items: &Items, module: &str, op: &Operation, tag: &str, out: &mut String) {
    let method = format!("Client::{}", op.method_name);
    let builder = format!("{module}::{}", op.builder_name);
    let _ = writeln!(
        out,
        "fn builder_{tag}(client: &c::Client) -> c::{builder}<'_> {{ // @{builder}\n    client.{}( // @{method}",
        op.method_name
    );
    for p in op.required_params() {
        let _ = writeln!(
            out,
            "        v::<{}>(), // @{method}({})",
            argument(api, &p.ty),
            p.name
        );
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let _ = writeln!(
            out,
            "        v::<{}>(), // @{method}({})",
            argument(api, &body.ty),
            body.name
        );
    }
    let _ = writeln!(out, "    ) // @{method}\n}}\n");
    // Each setter on a builder of its own: an error in one does not hide the next.
    let _ = writeln!(
        out,
        "async fn call_{tag}(client: &c::Client) {{ // @{builder}"
    );
    for p in op.optional_params() {
        let _ = writeln!(
            out,
            "    let _ = builder_{tag}(client).{}(v::<{}>()); // @{builder}::{}",
            p.name,
            argument(api, &p.ty),
            p.name
        );
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let _ = writeln!(
            out,
            "    let _ = builder_{tag}(client).{}(v::<{}>()); // @{builder}::{}",
            body.name,
            argument(api, &body.ty),
            body.name
        );
    }
    let _ = writeln!(out, "    let b = builder_{tag}(client); // @{builder}");
    let response = match &op.response {
        Success::Single(ResponseBody::Empty) => Some("()".to_owned()),
        Success::Single(ResponseBody::Json(t)) => Some(ty(api, t)),
        Success::Single(ResponseBody::Text) => Some("String".to_owned()),
        Success::Single(ResponseBody::Bytes) => None,
        Success::Single(ResponseBody::Stream(s)) => {
            Some(format!("c::ItemStream<{}>", ty(api, &s.item)))
        }
        Success::ByStatus { name, .. } => Some(format!("c::{module}::{name}")),
    };
    match response {
        Some(r) => {
            let _ = writeln!(
                out,
                "    let r: Result<c::Response<{r}>, c::Error> = b.send().await; // @{builder}::send"
            );
        }
        None => {
            let _ = writeln!(out, "    let r = b.send().await; // @{builder}::send");
        }
    }
    if op.pagination.is_some() {
        let _ = writeln!(
            out,
            "    let _ = builder_{tag}(client).pages(); // @{builder}::pages"
        );
        let _ = writeln!(
            out,
            "    let _ = builder_{tag}(client).items(); // @{builder}::items"
        );
    }
    let _ = writeln!(out, "}}\n");
    if let Success::ByStatus { name, .. } = &op.response {
        matcher(
            &format!("status_{tag}"),
            &format!("{module}::{name}"),
            items,
            out,
        );
    }
    if let Some(errors) = &op.errors {
        let path = format!("{module}::{}", errors.name);
        let _ = writeln!(
            out,
            "fn typed_{tag}(e: &c::ApiError) -> Option<c::{path}> {{ // @{path}\n    e.typed::<c::{path}>()?.ok() // @{path}\n}}\n"
        );
        matcher(&format!("errors_{tag}"), &path, items, out);
    }
}

/// The probe with the lines of `errors` (1-based) disabled, so that a rebuild shows the
/// errors they hid (rustc reports a struct literal's missing fields only when its other
/// fields are fine, and a `match`'s missing arms only when its arms name real variants).
/// A value of the wrong type becomes `v()`, of any type; any other erring line that does
/// not open a block or a call becomes a comment. Line numbers do not change.
///
/// ```
/// let probe = "    let x = c::A::new( // @A::new\n        v::<i64>(), // @A::n\n    );\n";
/// let fixed = spec_diff::probe::disable(probe, &[(2, "the trait bound is not satisfied".into())]);
/// assert_eq!(fixed.lines().nth(1), Some("        v(), // @A::n"));
/// ```
pub fn disable(probe: &str, errors: &[(usize, String)]) -> String {
    let mut lines: Vec<String> = probe.lines().map(str::to_owned).collect();
    for (line, message) in errors {
        let Some(text) = line.checked_sub(1).and_then(|i| lines.get_mut(i)) else {
            continue;
        };
        let code = text.split("// @").next().unwrap_or_default().trim_end();
        if code.ends_with('(') || code.ends_with('{') || code.trim().is_empty() {
            continue;
        }
        // A value of the wrong type (an argument, a field's value) becomes a value of any
        // type, so the call keeps its arity and the literal its field; a field or method
        // that is gone goes.
        let gone = message.contains("no field") || message.contains("no method named");
        if !gone && let Some(start) = text.find("v::<") {
            let end = text[start..].find(">()").map(|e| start + e + 3);
            if let Some(end) = end {
                text.replace_range(start..end, "v()");
                continue;
            }
        }
        *text = format!("// (disabled) {text}");
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// A compiler error (or the run-time failure) traced back to the probe's markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The marked item (`types::Order::quantity`), or `None` when no marker precedes.
    pub item: Option<String>,
    /// The first line of the compiler's message.
    pub message: String,
    pub line: usize,
}

/// The marker of `line` (1-based) of the probe, or of the nearest line above that has one.
pub fn marker_at(probe: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = probe.lines().collect();
    (1..=line.min(lines.len())).rev().find_map(|n| {
        lines[n - 1]
            .rsplit_once("// @")
            .map(|(_, m)| m.trim().to_owned())
    })
}

/// How one change fared in the proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub summary: String,
    pub rust: Impact,
    /// The failures traced to the change's items.
    pub failures: Vec<Failure>,
    /// The probe agrees with spec-diff: breaking exactly when it failed.
    pub agrees: bool,
}

/// The proof of one report: each change with the failures traced to it, and the failures
/// no change accounts for (each of which is a change spec-diff missed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub changes: Vec<Verdict>,
    pub unexplained: Vec<Failure>,
}

impl Proof {
    pub fn holds(&self) -> bool {
        self.unexplained.is_empty() && self.changes.iter().all(|c| c.agrees)
    }
}

/// `Client::get(id)` → `Client::get`.
fn normal(path: &str) -> &str {
    path.split('(').next().unwrap_or(path)
}

/// The failure at marker `marker` concerns the item `item`: the same item, one inside it,
/// or the one it is inside.
fn concerns(marker: &str, item: &str) -> bool {
    let (m, i) = (normal(marker), normal(item));
    m == i || i.starts_with(&format!("{m}::")) || m.starts_with(&format!("{i}::"))
}

/// A failure at `marker` with `message` is one of `item`'s: [`concerns`], and when the
/// item is a member of the marked one (a field of the struct whose literal failed, a
/// variant of the enum whose `match` failed), the message names that member (rustc lists
/// the missing fields and the uncovered variants), unless it left some unnamed.
fn traced(marker: &str, item: &str, message: &str) -> bool {
    if !concerns(marker, item) {
        return false;
    }
    let (m, i) = (normal(marker), normal(item));
    let Some(member) = i.strip_prefix(&format!("{m}::")) else {
        return true;
    };
    let member = member.split("::").next().unwrap_or(member);
    let named = message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == member || word == member.trim_start_matches("r#"));
    named || message.contains("other field") || message.contains("more")
}

/// Checks the failures of the probe against the report.
pub fn attribute(report: &Report, lib: &str, failures: &[Failure]) -> Proof {
    let prefix = format!("{lib}::");
    let mut explained = vec![false; failures.len()];
    let changes = report
        .changes
        .iter()
        .map(|change| {
            let items: Vec<&str> = change
                .rust_items
                .iter()
                .map(|i| i.strip_prefix(&prefix).unwrap_or(i))
                .collect();
            let mut mine = Vec::new();
            for (k, failure) in failures.iter().enumerate() {
                let hit = failure
                    .item
                    .as_deref()
                    .is_some_and(|m| items.iter().any(|i| traced(m, i, &failure.message)));
                if hit {
                    mine.push(failure.clone());
                    if change.rust.impact == Impact::Breaking {
                        explained[k] = true;
                    }
                }
            }
            let broke = !mine.is_empty();
            Verdict {
                summary: change.summary.clone(),
                rust: change.rust.impact,
                agrees: (change.rust.impact == Impact::Breaking) == broke,
                failures: mine,
            }
        })
        .collect();
    let unexplained = failures
        .iter()
        .zip(explained)
        .filter(|(_, e)| !e)
        .map(|(f, _)| f.clone())
        .collect();
    Proof {
        changes,
        unexplained,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_on_the_line_or_above() {
        let probe =
            "fn a() {\n    x( // @Client::a\n        v::<i64>(), // @Client::a(id)\n    )\n}\n";
        assert_eq!(marker_at(probe, 2).as_deref(), Some("Client::a"));
        assert_eq!(marker_at(probe, 3).as_deref(), Some("Client::a(id)"));
        assert_eq!(marker_at(probe, 4).as_deref(), Some("Client::a(id)"));
        assert_eq!(marker_at(probe, 1), None);
    }

    #[test]
    fn a_marker_concerns_its_item_and_what_it_contains() {
        assert!(concerns("types::A::b", "types::A::b"));
        assert!(concerns("types::A", "types::A::b"));
        assert!(concerns("types::A::new", "types::A"));
        assert!(concerns("Client::get(id)", "Client::get(owner)"));
        assert!(!concerns("types::A::new", "types::A::b"));
        assert!(!concerns("types::AB", "types::A"));
    }

    #[test]
    fn a_literal_failure_is_traced_to_the_fields_it_names() {
        let missing = "missing fields `origin` and `size` in initializer of `Thing`";
        assert!(traced("types::Thing", "types::Thing::origin", missing));
        assert!(!traced("types::Thing", "types::Thing::owner", missing));
        assert!(traced(
            "types::Thing::owner",
            "types::Thing::owner",
            "mismatched types"
        ));
        assert!(traced("types::Thing", "types::Thing", missing));
    }
}
