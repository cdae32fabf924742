//! An OpenAPI 3.1 or 3.2 document, as a JSON value, rewritten into the shape of 3.0, so
//! that one typed model (`openapiv3`'s) serves every version.
//!
//! Each step has its own module and runs on the document as written, so what it reports
//! names the pointer a user finds in their file:
//!
//! 1. [`root`]: the JSON Schema dialect (another one is refused), `paths` when absent,
//!    `info.summary`, `mutualTLS` security schemes.
//! 2. [`operations`]: 3.1's optional `responses` filled in.
//! 3. [`schema`], through [`walk`]: every schema into the 3.0 dialect.
//!    On the way, [`streams`] notes each `itemSchema` (3.2's streamed bodies).
//! 4. [`defs`]: `$defs`, and schemas a `$ref` finds outside the components (a
//!    parameter's, say), hoisted into `#/components/schemas`; then the item schemas
//!    take the place of their media types' `schema`, marked ([`streams`]).
//! 5. [`path_items`]: `$ref` path items (to `#/components/pathItems`) inlined, then
//!    [`refs`]: other references outside the components (percent-decoded first).
//! 6. [`webhooks`]: the payload schemas of `webhooks` made components, listed so their
//!    types are generated.
//! 7. [`operations`] again: 3.2's `querystring` parameters made `query` ones (their
//!    pointers noted), and the operations 3.0 has no field for (3.2's `query` and
//!    `additionalOperations`), rewritten like the others by the steps above, taken out of
//!    `paths` to be read beside the 3.0 model.

mod defs;
mod operations;
mod path_items;
mod refs;
mod root;
mod schema;
mod streams;
mod walk;
mod webhooks;

pub(super) use operations::Taken;

use crate::error::{Pointer, Result, Warning};
use serde_json::Value;

/// What normalising learned beside the rewritten document.
#[derive(Debug, Default)]
pub(super) struct Notes {
    pub warnings: Vec<Warning>,
    /// Schemas moved into `#/components/schemas`: new pointer → pointer as written.
    pub moved: Vec<(Pointer, Pointer)>,
    /// Component schemas that are webhook payloads.
    pub webhook_payloads: Vec<String>,
    /// Operations taken out of `paths` (see [`operations::take_extra`]).
    pub taken: Vec<Taken>,
    /// The parameters that were `in: querystring` (see [`operations::mark_querystrings`]).
    pub querystring: Vec<Pointer>,
}

impl Notes {
    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.clone(),
            message: message.into(),
        });
    }
}

/// Rewrites `doc` (a 3.1 or 3.2 document) in place into 3.0 shape.
pub(super) fn normalise(doc: &mut Value) -> Result<Notes> {
    let mut notes = Notes::default();
    root::normalise(doc, &mut notes)?;
    refs::decode(doc);
    operations::prepare(doc);
    let mut item_schemas = Vec::new();
    walk::document_schemas(doc, &mut |schema, at| {
        if at.as_str().ends_with("/itemSchema") {
            streams::found(schema, at, &mut item_schemas, &mut notes);
        }
        schema::normalise(schema, at, &mut notes)
    })?;
    if let Some(Value::Object(defs)) = doc.get_mut("$defs") {
        let at = Pointer::root().join("$defs");
        for (name, schema) in defs.iter_mut() {
            schema::normalise(schema, &at.join(name), &mut notes)?;
        }
    }
    defs::hoist(doc, &mut notes)?;
    streams::mark(doc, &item_schemas);
    path_items::inline_refs(doc)?;
    refs::inline_foreign(doc);
    webhooks::hoist_payloads(doc, &mut notes)?;
    operations::mark_querystrings(doc, &mut notes);
    operations::take_extra(doc, &mut notes);
    Ok(notes)
}
