//! The rules: every change judged twice, for HTTP clients in general and for users of the
//! generated Rust crate.
//!
//! HTTP rules follow oasdiff's spirit, with the direction of the values in mind: what a
//! client sends may only get more permissive, what it receives may only get stricter.
//!
//! Rust rules follow what the generator emits (checked against `generated/`):
//! - every operation is a `Client` method named after its `operationId`, with required
//!   parameters (and a required body) as arguments and optional ones as builder setters;
//! - string and integer enums have an `Unknown(..)` variant, so a released crate decodes
//!   values it does not know, and every generated enum is `#[non_exhaustive]`, so a
//!   `match` already has a `_` arm: a new value or variant is additive.
//! - every generated struct is `#[non_exhaustive]` with public fields, built with
//!   `Type::new(<members that are not optional in Rust, in spec order>)` and
//!   `with_<field>(value)` setters for the rest: a new optional member is additive, and
//!   any change of the constructor's arguments breaks (reported as `ConstructorChanged`);
//! - `Client::DEFAULT_BASE_URL` is the first server URL, and `Client::new()` fails at run
//!   time when it is not an absolute `https` URL;
//! - `x-pagination` gives the builder `pages()` and `items()`; `format: uid` ships the
//!   crate-root types `Uid` and `UidError`.

use crate::change::{Detail, Direction, Finding, Impact, ItemKind, Relation, TypeChange, Verdict};

fn v(impact: Impact, reason: impl Into<String>) -> Verdict {
    Verdict {
        impact,
        reason: reason.into(),
    }
}

use Impact::{Breaking as B, Informational as I, NonBreaking as N};

/// The HTTP and the Rust verdict on a finding.
pub fn classify(finding: &Finding) -> (Verdict, Verdict) {
    let dir = finding.direction;
    match &finding.detail {
        Detail::ServerChanged {
            usable: false,
            problem,
            to,
            ..
        } => (
            v(B, format!("requests go to `{to}` instead")),
            v(
                B,
                format!(
                    "`Client::DEFAULT_BASE_URL` becomes `{to}`, which {}: `Client::new()` and `Client::from_env()` without a base URL fail at run time",
                    problem.as_deref().unwrap_or("the client refuses")
                ),
            ),
        ),
        Detail::ServerChanged { to, .. } => (
            v(
                B,
                format!(
                    "clients configured with the old server keep calling it; the API is at `{to}` now"
                ),
            ),
            v(
                N,
                format!(
                    "`Client::DEFAULT_BASE_URL` becomes `{to}`: clients built without a base URL call the new server"
                ),
            ),
        ),
        Detail::AuthChanged { .. } => (
            v(B, "requests must carry the credential the new way"),
            v(
                I,
                "the client sends the key the new way by itself; no signature changes",
            ),
        ),
        Detail::ErrorPolicyChanged { .. } => (
            v(I, "no change to requests or success bodies"),
            v(
                I,
                "what ApiError's accessors or the retry policy report changes; no signature changes",
            ),
        ),
        Detail::RuntimeItemsAdded { items, reason } => (
            v(I, "no change on the wire"),
            v(
                N,
                format!("new crate-root items {} ({reason})", items.join(", ")),
            ),
        ),
        Detail::RuntimeItemsRemoved { items, reason } => (
            v(I, "no change on the wire"),
            v(
                B,
                format!(
                    "the crate-root items {} are gone (they ship only when {reason})",
                    items.join(", ")
                ),
            ),
        ),
        Detail::OperationMethodChanged { from, to, .. } => (
            v(
                B,
                format!("`{from}` becomes `{to}`: requests sent the old way fail"),
            ),
            v(
                N,
                format!(
                    "the method and its builder keep their names and signatures; the call now sends `{to}`"
                ),
            ),
        ),
        Detail::PaginationAdded { item_type } => (
            v(I, "the paging is documented; nothing changes on the wire"),
            v(
                N,
                format!("the builder gains `pages()` and `items()` (items of type `{item_type}`)"),
            ),
        ),
        Detail::PaginationRemoved { .. } => (
            v(I, "the paging is no longer documented"),
            v(B, "the builder loses `pages()` and `items()`"),
        ),
        Detail::PaginationItemChanged { change } => (
            v(I, "the items of a page are another schema"),
            rust_retyped(change),
        ),
        Detail::ConstructorChanged { from, to, .. } => (
            v(
                I,
                "no change on the wire (the members are reported separately)",
            ),
            v(
                B,
                format!(
                    "the constructor changes from `new({})` to `new({})`",
                    from.join(", "),
                    to.join(", ")
                ),
            ),
        ),
        Detail::ItemAdded {
            item_kind: kind,
            owner_is_closed: true,
            ..
        } => (
            v(I, "a change of the generated crate only"),
            v(
                B,
                format!(
                    "a new {} of a type that is not #[non_exhaustive]: struct literals or exhaustive matches stop compiling",
                    kind.label()
                ),
            ),
        ),
        Detail::ItemAdded {
            item_kind: ItemKind::NonExhaustive,
            ..
        } => (
            v(I, "a change of the generated crate only"),
            v(
                B,
                "the type becomes #[non_exhaustive]: struct literals and exhaustive matches stop compiling",
            ),
        ),
        Detail::ItemAdded {
            item_kind: kind, ..
        } => (
            v(I, "a change of the generated crate only"),
            v(N, format!("a new public {}", kind.label())),
        ),
        Detail::ItemRemoved {
            item_kind: kind, ..
        } => (
            v(I, "a change of the generated crate only"),
            v(B, format!("a public {} is removed", kind.label())),
        ),
        Detail::ItemChanged {
            item_kind: kind,
            only_value: true,
            ..
        } => (
            v(I, "a change of the generated crate only"),
            v(
                N,
                format!("the {}'s value changes; its type does not", kind.label()),
            ),
        ),
        Detail::ItemChanged {
            item_kind: ItemKind::TraitImpl,
            to,
            ..
        } if to.ends_with(": ") => (
            v(I, "a change of the generated crate only"),
            v(N, "the trait impl no longer depends on a cargo feature"),
        ),
        Detail::ItemChanged {
            item_kind: kind, ..
        } => (
            v(I, "a change of the generated crate only"),
            v(B, format!("the {}'s declaration changes", kind.label())),
        ),
        Detail::OperationAdded { .. } => {
            (v(N, "a new operation"), v(N, "a new method and builder"))
        }
        Detail::OperationRemoved { .. } => (
            v(
                B,
                "calls to this operation are no longer documented and may fail",
            ),
            v(
                B,
                "the method, its builder and its response/error enums are removed",
            ),
        ),
        Detail::OperationIdChanged { from, to } => (
            v(
                I,
                "same method and path on the wire; only the operationId changed",
            ),
            v(
                B,
                format!(
                    "the method is renamed (operationId `{from}` → `{to}`): code calling the old name no longer compiles"
                ),
            ),
        ),
        Detail::OperationDeprecated { deprecated: true } => (
            v(I, "the operation is deprecated"),
            v(
                N,
                "the method is now #[deprecated]: a warning, not an error",
            ),
        ),
        Detail::OperationDeprecated { deprecated: false } => (
            v(I, "the operation is no longer deprecated"),
            v(I, "#[deprecated] is removed from the method"),
        ),
        Detail::OperationModuleChanged { from, to } => (
            v(I, "only the tag changed"),
            v(
                B,
                format!(
                    "the builder and the operation's enums move from module `{from}` to `{to}` (and behind its cargo feature)"
                ),
            ),
        ),
        Detail::ParameterAdded { required: true, .. } => (
            v(B, "requests without the new required parameter are invalid"),
            v(B, "a new argument in the method signature"),
        ),
        Detail::ParameterAdded {
            required: false, ..
        } => (
            v(N, "a new optional parameter"),
            v(N, "a new builder setter"),
        ),
        Detail::ParameterRemoved { required, .. } => (
            v(
                B,
                "requests that send it may be rejected or lose its effect",
            ),
            v(
                B,
                if *required {
                    "an argument leaves the method signature"
                } else {
                    "the builder setter is removed"
                },
            ),
        ),
        Detail::ParameterRequiredChanged { required: true, .. } => (
            v(
                B,
                "the parameter became required: requests without it are invalid",
            ),
            v(
                B,
                "the parameter moves from a builder setter into the method signature",
            ),
        ),
        Detail::ParameterRequiredChanged {
            required: false, ..
        } => (
            v(N, "the parameter became optional"),
            v(
                B,
                "the parameter moves from the method signature to a builder setter",
            ),
        ),
        Detail::ParameterTypeChanged { change, .. } => {
            (sent(change, "parameter"), rust_retyped(change))
        }
        Detail::RequestBodyAdded { required: true, .. } => (
            v(B, "a request body is now required"),
            v(B, "a new body argument in the method signature"),
        ),
        Detail::RequestBodyAdded {
            required: false, ..
        } => (
            v(N, "an optional request body"),
            v(N, "a new builder setter for the body"),
        ),
        Detail::RequestBodyRemoved { .. } => (
            v(B, "the operation no longer takes a body"),
            v(B, "the body argument or setter is removed"),
        ),
        Detail::RequestBodyRequiredChanged { required: true } => (
            v(B, "the request body became required"),
            v(
                B,
                "the body moves from a builder setter into the method signature",
            ),
        ),
        Detail::RequestBodyRequiredChanged { required: false } => (
            v(N, "the request body became optional"),
            v(
                B,
                "the body moves from the method signature to a builder setter",
            ),
        ),
        Detail::RequestBodyTypeChanged { change } => {
            (sent(change, "request body"), rust_retyped(change))
        }
        Detail::RequestBodyMediaTypeChanged { from, to } => (
            v(B, format!("the body is sent as `{to}` instead of `{from}`")),
            v(I, "the client sends the new media type by itself"),
        ),
        Detail::ResponseStatusAdded {
            success: true,
            rust_variant,
            closed,
            ..
        } => (
            v(
                B,
                "a new success status: clients written against the documented ones may treat it as an error",
            ),
            match rust_variant {
                Some(_) if *closed => v(
                    B,
                    "a new variant of an enum that is not #[non_exhaustive]: exhaustive matches stop compiling",
                ),
                Some(_) => v(N, "a new variant of the operation's status enum"),
                None => v(I, "any 2xx decodes into the same type"),
            },
        ),
        Detail::ResponseStatusAdded {
            success: false,
            rust_variant,
            closed,
            ..
        } => (
            v(I, "a newly documented error status"),
            match rust_variant {
                Some(_) if *closed => v(
                    B,
                    "a new variant of an enum that is not #[non_exhaustive]: exhaustive matches stop compiling",
                ),
                Some(_) => v(N, "a new variant of the operation's error enum"),
                None => v(I, "no new typed error body"),
            },
        ),
        Detail::ResponseStatusRemoved {
            success,
            rust_variant,
            ..
        } => (
            if *success {
                v(B, "a documented success status is no longer returned")
            } else {
                v(I, "an error status is no longer documented")
            },
            match rust_variant {
                Some(_) => v(
                    B,
                    "a variant of the operation's status or error enum is removed",
                ),
                None => v(I, "no generated item changes"),
            },
        ),
        Detail::ResponseTypeChanged { change } => {
            (received(change, "response body"), rust_retyped(change))
        }
        Detail::SchemaAdded { .. } => (v(I, "a new schema"), v(N, "a new type")),
        Detail::SchemaRemoved { .. } => (
            v(
                I,
                "the schema is no longer used (its uses are listed separately)",
            ),
            v(B, "the type is removed"),
        ),
        Detail::SchemaKindChanged {
            from,
            to,
            from_json,
            to_json,
            ..
        } => (
            if from_json == to_json {
                v(I, format!("still {to_json} on the wire"))
            } else {
                v(
                    B,
                    format!("the schema changed from {from_json} to {to_json}"),
                )
            },
            v(B, format!("the type changed from {from} to {to}")),
        ),
        Detail::SchemaDefaultChanged {
            derives_default: false,
            ..
        } => (
            v(I, "no change on the wire"),
            v(B, "the type no longer implements Default"),
        ),
        Detail::SchemaDefaultChanged {
            derives_default: true,
            ..
        } => (
            v(I, "no change on the wire"),
            v(N, "the type now implements Default"),
        ),
        Detail::AliasTargetChanged { change, .. } => {
            (both_ways(change, dir, "schema"), rust_retyped(change))
        }
        Detail::PropertyAdded {
            required,
            rust_option,
            closed,
            ..
        } => (
            if *required && dir.request {
                v(B, "a new required field that requests must send")
            } else {
                v(
                    N,
                    if dir.request {
                        "a new optional field"
                    } else {
                        "a new field in responses"
                    },
                )
            },
            if *closed {
                v(
                    B,
                    "a new field of a struct that is not #[non_exhaustive]: struct literals must set it",
                )
            } else if *rust_option {
                v(
                    N,
                    "a new optional field of a #[non_exhaustive] struct, set with its `with_` setter; the constructor is unchanged",
                )
            } else {
                v(
                    N,
                    "a new field of a #[non_exhaustive] struct (it joins the constructor's arguments, reported separately)",
                )
            },
        ),
        Detail::PropertyRemoved { .. } => (
            if dir.response {
                v(B, "clients reading the field no longer get it")
            } else {
                v(
                    B,
                    "requests that send the field may be rejected or lose its effect",
                )
            },
            v(B, "the struct field is removed"),
        ),
        Detail::PropertyTypeChanged { change, .. } => {
            (both_ways(change, dir, "field"), rust_retyped(change))
        }
        Detail::PropertyRequiredChanged {
            required,
            from_rust,
            to_rust,
            ..
        } => (
            match (required, dir.request, dir.response) {
                (true, true, _) => v(B, "requests must now send the field"),
                (false, _, true) => v(B, "responses may now leave the field out"),
                (true, false, _) => v(N, "responses now always contain the field"),
                (false, _, false) => v(N, "requests may now leave the field out"),
            },
            rust_option_change(from_rust, to_rust),
        ),
        Detail::PropertyNullableChanged {
            nullable,
            from_rust,
            to_rust,
            ..
        } => (
            match (nullable, dir.request, dir.response) {
                (true, _, true) => v(B, "responses may now contain null"),
                (false, true, _) => v(B, "requests may no longer send null"),
                (true, _, false) => v(N, "requests may now send null"),
                (false, false, _) => v(N, "responses no longer contain null"),
            },
            rust_option_change(from_rust, to_rust),
        ),
        Detail::EnumValueAdded { closed: true, .. } | Detail::VariantAdded { closed: true, .. } => {
            (
                v(I, "see the other audience"),
                v(
                    B,
                    "a new variant of an enum that is not #[non_exhaustive]: exhaustive matches stop compiling",
                ),
            )
        }
        Detail::EnumValueAdded { value, .. } => (
            if dir.response {
                v(
                    B,
                    format!(
                        "responses may contain `{value}`, which clients with a closed list of values reject"
                    ),
                )
            } else {
                v(N, format!("requests may send `{value}`"))
            },
            v(
                N,
                if dir.response {
                    "a new variant of a `#[non_exhaustive]` enum; released versions of the crate decode the value into `Unknown`"
                } else {
                    "a new variant of a `#[non_exhaustive]` enum"
                },
            ),
        ),
        Detail::EnumValueRemoved { value, .. } => (
            if dir.request {
                v(B, format!("requests that send `{value}` are rejected"))
            } else {
                v(N, format!("responses no longer contain `{value}`"))
            },
            v(B, "the enum variant is removed"),
        ),
        Detail::VariantAdded { .. } => (
            if dir.response {
                v(B, "responses may have a new shape")
            } else {
                v(N, "requests may send a new shape")
            },
            v(N, "a new union variant"),
        ),
        Detail::VariantRemoved { .. } => (
            if dir.request {
                v(B, "requests may no longer send this shape")
            } else {
                v(N, "responses no longer have this shape")
            },
            v(B, "the union variant is removed"),
        ),
    }
}

fn rust_retyped(change: &TypeChange) -> Verdict {
    if change.from_rust == change.to_rust {
        return v(
            I,
            format!(
                "still `{}`: the change is in that type (reported separately)",
                change.to_rust
            ),
        );
    }
    v(
        B,
        format!(
            "the type changes from `{}` to `{}`",
            change.from_rust, change.to_rust
        ),
    )
}

fn rust_option_change(from: &str, to: &str) -> Verdict {
    if from == to {
        v(I, format!("the Rust type is still `{to}`"))
    } else {
        v(B, format!("the field changes from `{from}` to `{to}`"))
    }
}

/// A value the client sends: it may only widen.
fn sent(change: &TypeChange, what: &str) -> Verdict {
    let (from, to) = (&change.from_json, &change.to_json);
    match change.relation {
        Relation::Same => v(I, format!("the {what}'s JSON type is still {to}")),
        Relation::Widened => v(N, format!("the {what} widened from {from} to {to}")),
        Relation::Narrowed | Relation::Incompatible => {
            v(B, format!("the {what} changed from {from} to {to}"))
        }
    }
}

/// A value the client receives: it may only narrow.
fn received(change: &TypeChange, what: &str) -> Verdict {
    let (from, to) = (&change.from_json, &change.to_json);
    match change.relation {
        Relation::Same => v(I, format!("the {what}'s JSON type is still {to}")),
        Relation::Narrowed => v(N, format!("the {what} narrowed from {from} to {to}")),
        Relation::Widened | Relation::Incompatible => {
            v(B, format!("the {what} changed from {from} to {to}"))
        }
    }
}

/// A value that travels the ways `dir` says.
fn both_ways(change: &TypeChange, dir: Direction, what: &str) -> Verdict {
    let verdicts = [
        dir.request.then(|| sent(change, what)),
        dir.response.then(|| received(change, what)),
    ];
    verdicts
        .into_iter()
        .flatten()
        .min_by_key(|v| v.impact)
        .unwrap_or_else(|| v(I, format!("the {what} is not used by any operation")))
}

/// Why `Client::new()` would refuse `url` as its base URL (the runtime's rules: absolute,
/// `https` (plain `http` needs `allow_insecure_http`), no credentials, query or fragment),
/// or `None` when it accepts it.
pub fn base_url_problem(url: &str) -> Option<String> {
    let parsed = match url::Url::parse(url.trim()) {
        Ok(parsed) => parsed,
        Err(e) => return Some(format!("is not an absolute URL ({e})")),
    };
    match parsed.scheme() {
        "https" => {}
        "http" => return Some("uses plain http, which the client refuses by default".into()),
        other => return Some(format!("uses the scheme `{other}`, not https")),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Some("contains credentials".into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Some("has a query or fragment".into());
    }
    None
}
