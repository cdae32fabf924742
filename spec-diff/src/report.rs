//! The report and its three renderings: Markdown (a PR comment or job summary), JSON
//! (stable, for tools) and GitHub Actions annotations.

use crate::bump::{Bump, Level};
use crate::change::{Change, Detail, Impact, Section, TypeChange};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What was compared: a git ref or `working tree`.
    pub base: String,
    pub head: String,
    /// The generated crate (`postman-client`).
    pub crate_name: String,
    pub summary: Summary,
    pub bump: Bump,
    /// Sorted by section, location, then summary.
    pub changes: Vec<Change>,
}

/// How many changes of each impact, per audience.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub non_breaking: usize,
    pub informational: usize,
}

impl Counts {
    fn add(&mut self, impact: Impact) {
        match impact {
            Impact::Breaking => self.breaking += 1,
            Impact::NonBreaking => self.non_breaking += 1,
            Impact::Informational => self.informational += 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub changes: usize,
    pub http: Counts,
    pub rust: Counts,
}

impl Summary {
    pub fn of(changes: &[Change]) -> Summary {
        let mut summary = Summary {
            changes: changes.len(),
            ..Summary::default()
        };
        for c in changes {
            summary.http.add(c.http.impact);
            summary.rust.add(c.rust.impact);
        }
        summary
    }
}

/// One line saying what happened.
pub fn describe(detail: &Detail) -> String {
    match detail {
        Detail::ServerChanged { from, to, .. } => {
            format!("server changed from `{from}` to `{to}`")
        }
        Detail::AuthChanged { from, to } => {
            format!("the credential travels as {to} instead of {from}")
        }
        Detail::ErrorPolicyChanged { what } => format!("changed: {what}"),
        Detail::RuntimeItemsAdded { items, .. } => {
            format!("crate-root items {} added", ticks(items))
        }
        Detail::RuntimeItemsRemoved { items, .. } => {
            format!("crate-root items {} removed", ticks(items))
        }
        Detail::OperationMethodChanged {
            operation_id,
            from,
            to,
        } => format!("operation `{operation_id}` moved from `{from}` to `{to}`"),
        Detail::PaginationAdded { item_type } => {
            format!("x-pagination added: `pages()` and `items()` of `{item_type}`")
        }
        Detail::PaginationRemoved { item_type } => {
            format!("x-pagination removed: no more `pages()` and `items()` of `{item_type}`")
        }
        Detail::PaginationItemChanged { change } => format!(
            "paged items changed from `{}` to `{}`",
            change.from_rust, change.to_rust
        ),
        Detail::ConstructorChanged { schema, from, to } => format!(
            "constructor `{schema}::new({})` becomes `{schema}::new({})`",
            from.join(", "),
            to.join(", ")
        ),
        Detail::ItemAdded {
            item,
            item_kind: kind,
            signature,
            ..
        } if signature.is_empty() => format!("{} `{item}` added", kind.label()),
        Detail::ItemAdded {
            item,
            item_kind: kind,
            signature,
            ..
        } => format!("{} `{item}` added: `{signature}`", kind.label()),
        Detail::ItemRemoved {
            item,
            item_kind: kind,
            ..
        } => format!("{} `{item}` removed", kind.label()),
        Detail::ItemChanged { item, from, to, .. } => {
            format!("`{item}` changed from `{from}` to `{to}`")
        }
        Detail::OperationAdded { operation_id } => format!("operation `{operation_id}` added"),
        Detail::OperationRemoved { operation_id } => format!("operation `{operation_id}` removed"),
        Detail::OperationIdChanged { from, to } => {
            format!("operationId renamed from `{from}` to `{to}`")
        }
        Detail::OperationDeprecated { deprecated: true } => "operation deprecated".into(),
        Detail::OperationDeprecated { deprecated: false } => {
            "operation no longer deprecated".into()
        }
        Detail::OperationModuleChanged { from, to } => {
            format!("operation moved from tag module `{from}` to `{to}`")
        }
        Detail::ParameterAdded {
            name,
            location,
            required,
        } => {
            format!(
                "{} {location} parameter `{name}` added",
                required_word(*required)
            )
        }
        Detail::ParameterRemoved {
            name,
            location,
            required,
        } => {
            format!(
                "{} {location} parameter `{name}` removed",
                required_word(*required)
            )
        }
        Detail::ParameterRequiredChanged {
            name,
            location,
            required,
        } => {
            format!(
                "{location} parameter `{name}` became {}",
                required_word(*required)
            )
        }
        Detail::ParameterTypeChanged {
            name,
            location,
            change,
        } => format!(
            "{location} parameter `{name}` changed type: {}",
            arrow(change)
        ),
        Detail::RequestBodyAdded {
            required,
            rust_type,
        } => {
            format!(
                "{} request body `{rust_type}` added",
                required_word(*required)
            )
        }
        Detail::RequestBodyRemoved { rust_type } => format!("request body `{rust_type}` removed"),
        Detail::RequestBodyRequiredChanged { required } => {
            format!("request body became {}", required_word(*required))
        }
        Detail::RequestBodyTypeChanged { change } => {
            format!("request body changed: {}", arrow(change))
        }
        Detail::RequestBodyMediaTypeChanged { from, to } => {
            format!("request media type changed from `{from}` to `{to}`")
        }
        Detail::ResponseStatusAdded { status, .. } => format!("response status `{status}` added"),
        Detail::ResponseStatusRemoved { status, .. } => {
            format!("response status `{status}` removed")
        }
        Detail::ResponseTypeChanged { change } => {
            format!("success response changed: {}", arrow(change))
        }
        Detail::SchemaAdded { schema } => format!("schema `{schema}` added"),
        Detail::SchemaRemoved { schema } => format!("schema `{schema}` removed"),
        Detail::SchemaKindChanged {
            schema, from, to, ..
        } => {
            format!("schema `{schema}` changed from {from} to {to}")
        }
        Detail::SchemaDefaultChanged {
            schema,
            derives_default,
        } => format!(
            "`{schema}` {} Default",
            if *derives_default {
                "now derives"
            } else {
                "no longer derives"
            }
        ),
        Detail::AliasTargetChanged { schema, change } => {
            format!("schema `{schema}` changed: {}", arrow(change))
        }
        Detail::PropertyAdded {
            schema,
            property,
            required,
            ..
        } => {
            format!(
                "{} property `{schema}.{property}` added",
                required_word(*required)
            )
        }
        Detail::PropertyRemoved { schema, property } => {
            format!("property `{schema}.{property}` removed")
        }
        Detail::PropertyTypeChanged {
            schema,
            property,
            change,
        } => format!(
            "property `{schema}.{property}` changed type: {}",
            arrow(change)
        ),
        Detail::PropertyRequiredChanged {
            schema,
            property,
            required,
            from_rust,
            to_rust,
        } => format!(
            "property `{schema}.{property}` became {}{}",
            required_word(*required),
            field_arrow(from_rust, to_rust)
        ),
        Detail::PropertyNullableChanged {
            schema,
            property,
            nullable,
            from_rust,
            to_rust,
        } => format!(
            "property `{schema}.{property}` became {}{}",
            if *nullable {
                "nullable"
            } else {
                "non-nullable"
            },
            field_arrow(from_rust, to_rust)
        ),
        Detail::EnumValueAdded { schema, value, .. } => {
            format!("enum value `{value}` added to `{schema}`")
        }
        Detail::EnumValueRemoved { schema, value } => {
            format!("enum value `{value}` removed from `{schema}`")
        }
        Detail::VariantAdded {
            schema, variant, ..
        } => {
            format!("variant `{variant}` added to `{schema}`")
        }
        Detail::VariantRemoved { schema, variant } => {
            format!("variant `{variant}` removed from `{schema}`")
        }
    }
}

/// `` `i64` → `String` ``; when the Rust type stays, what changed on the wire.
fn arrow(change: &TypeChange) -> String {
    if change.from_rust == change.to_rust {
        format!(
            "`{}` (on the wire {} → {})",
            change.to_rust, change.from_json, change.to_json
        )
    } else {
        format!("`{}` → `{}`", change.from_rust, change.to_rust)
    }
}

/// `: `i64` → `Option<i64>`` when the field's Rust type changed.
fn field_arrow(from: &str, to: &str) -> String {
    if from == to {
        String::new()
    } else {
        format!(": `{from}` → `{to}`")
    }
}

fn ticks(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// The first line of every rendering.
pub fn headline(report: &Report) -> String {
    let s = &report.summary;
    if s.changes == 0 {
        return format!(
            "No API changes between {} and {}: no version bump needed.",
            report.base, report.head
        );
    }
    let plural = if s.changes == 1 { "" } else { "s" };
    let bump = &report.bump;
    let target = match &bump.required_version {
        Some(v) => format!(" ({} → {v})", bump.base_version),
        None => String::new(),
    };
    format!(
        "{} change{plural}: {} breaking for HTTP clients, {} breaking for the Rust client; `{}` needs {} version bump{target}.",
        s.changes,
        s.http.breaking,
        s.rust.breaking,
        report.crate_name,
        bump.level.label(),
    )
}

fn version_note(report: &Report) -> Option<String> {
    let bump = &report.bump;
    if bump.level == Level::None {
        return None;
    }
    Some(match (&bump.required_version, bump.satisfied) {
        (Some(v), true) => format!(
            "`info.version` is {} (needs at least {v}): OK.",
            bump.head_version
        ),
        (Some(v), false) => format!(
            "`info.version` is {} but needs to be at least {v}: run `cargo xtask spec-diff --bump`, then `cargo xtask codegen`.",
            bump.head_version
        ),
        (None, _) => format!(
            "`info.version` {} is not semver: set the crate version by hand.",
            bump.base_version
        ),
    })
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Spec diff: `{}` → `{}`\n", report.base, report.head);
    let _ = writeln!(out, "**{}**\n", headline(report));
    if let Some(note) = version_note(report) {
        let _ = writeln!(out, "{note}\n");
    }
    if report.changes.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "| | HTTP clients | Rust client |\n| --- | --- | --- |\n| breaking | {} | {} |\n| non-breaking | {} | {} |\n| informational | {} | {} |\n",
        report.summary.http.breaking,
        report.summary.rust.breaking,
        report.summary.http.non_breaking,
        report.summary.rust.non_breaking,
        report.summary.http.informational,
        report.summary.rust.informational,
    );
    for section in Section::ALL {
        let changes: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.section == section)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", section.title());
        for c in changes {
            let _ = writeln!(out, "- **`{}`**: {}", c.location, c.summary);
            if c.section == Section::Schemas {
                let _ = writeln!(out, "  - used in: {}", c.direction.label());
            }
            let _ = writeln!(
                out,
                "  - HTTP clients: **{}**: {}",
                c.http.impact.label(),
                c.http.reason
            );
            let _ = writeln!(
                out,
                "  - Rust client: **{}**: {}",
                c.rust.impact.label(),
                c.rust.reason
            );
            if !c.rust_items.is_empty() {
                let items: Vec<String> = c.rust_items.iter().map(|i| format!("`{i}`")).collect();
                let _ = writeln!(out, "  - Rust items: {}", items.join(", "));
            }
        }
        out.push('\n');
    }
    out
}

pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report)
        .map(|s| s + "\n")
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

/// GitHub Actions workflow commands: one annotation per change (a warning when it breaks
/// either audience, a notice otherwise), on the spec line when it can be found.
pub fn github(report: &Report, spec_path: &str, head_text: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "::notice title=spec-diff::{}",
        escape_data(&headline(report))
    );
    for c in &report.changes {
        let breaking = c.http.impact == Impact::Breaking || c.rust.impact == Impact::Breaking;
        let level = if breaking { "warning" } else { "notice" };
        let line = head_text
            .and_then(|t| find_line(t, c))
            .map(|n| format!(",line={n}"))
            .unwrap_or_default();
        let title = format!(
            "Rust: {}, HTTP: {}",
            c.rust.impact.label(),
            c.http.impact.label()
        );
        let mut message = format!(
            "{}: {}\nRust client: {}\nHTTP clients: {}",
            c.location, c.summary, c.rust.reason, c.http.reason
        );
        if !c.rust_items.is_empty() {
            let _ = write!(message, "\nRust items: {}", c.rust_items.join(", "));
        }
        let _ = writeln!(
            out,
            "::{level} file={}{line},title={}::{}",
            escape_property(spec_path),
            escape_property(&title),
            escape_data(&message)
        );
    }
    out
}

/// The 1-based line of the path (`  /collections:`) or schema (`    Collection:`) a change
/// is about, in the head's text.
fn find_line(text: &str, change: &Change) -> Option<usize> {
    let wanted = match change.location.strip_prefix("schema ") {
        Some(schema) => format!("    {schema}:"),
        None => format!("  {}:", change.location.split_once(' ')?.1),
    };
    let mut in_schemas = false;
    for (i, line) in text.lines().enumerate() {
        if line == "  schemas:" {
            in_schemas = true;
        }
        let scope_ok = change.section != Section::Schemas || in_schemas;
        if scope_ok && line.trim_end() == wanted {
            return Some(i + 1);
        }
    }
    None
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
