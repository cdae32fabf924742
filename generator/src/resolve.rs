//! `$ref` lookup in `#/components`, with the JSON pointer of what was found.

use crate::error::{Error, Pointer, Result};
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// Follow chains of references at most this deep; deeper is a cycle.
const MAX_DEPTH: usize = 32;

/// Resolves references against one document's components.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    components: Option<&'a Components>,
}

/// A kind of component a `$ref` can point to.
pub trait Component: Sized {
    /// `parameters` in `#/components/parameters/...`.
    const SECTION: &'static str;
    fn lookup<'a>(components: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            fn lookup<'a>(c: &'a Components, name: &str) -> Option<&'a ReferenceOr<Self>> {
                c.$field.get(name)
            }
        }
    };
}

component!(Parameter, "parameters", parameters);
component!(RequestBody, "requestBodies", request_bodies);
component!(Response, "responses", responses);
component!(Schema, "schemas", schemas);

impl<'a> Resolver<'a> {
    pub fn new(openapi: &'a OpenAPI) -> Self {
        Resolver {
            components: openapi.components.as_ref(),
        }
    }

    /// The component's name if `reference` is `#/components/<section>/<name>`.
    pub fn component_name<T: Component>(reference: &str) -> Option<&str> {
        let rest = reference.strip_prefix("#/components/")?;
        let name = rest.strip_prefix(T::SECTION)?.strip_prefix('/')?;
        (!name.contains('/')).then_some(name)
    }

    /// The item behind `item`, following references; `pointer` is where `item` sits.
    /// Returns the item and the pointer of its definition.
    pub fn resolve<T: Component>(
        &self,
        item: &'a ReferenceOr<T>,
        pointer: &Pointer,
    ) -> Result<(&'a T, Pointer)> {
        let mut item = item;
        let mut at = pointer.clone();
        let mut chain: Vec<&str> = Vec::new();
        for _ in 0..MAX_DEPTH {
            match item {
                ReferenceOr::Item(value) => return Ok((value, at)),
                ReferenceOr::Reference { reference } => {
                    if chain.contains(&reference.as_str()) {
                        chain.push(reference);
                        return Err(Error::invalid(
                            pointer,
                            format!("$ref cycle: {}", chain.join(" -> ")),
                        ));
                    }
                    chain.push(reference);
                    let (next, next_at) = self.lookup::<T>(reference, &at)?;
                    item = next;
                    at = next_at;
                }
            }
        }
        Err(Error::invalid(
            pointer,
            format!("$ref chain is longer than {MAX_DEPTH} links (a reference cycle?)"),
        ))
    }

    fn lookup<T: Component>(
        &self,
        reference: &str,
        at: &Pointer,
    ) -> Result<(&'a ReferenceOr<T>, Pointer)> {
        let Some(name) = Self::component_name::<T>(reference) else {
            return Err(Error::invalid(
                at,
                format!(
                    "unsupported $ref '{reference}': expected a local reference to #/components/{}/<name>",
                    T::SECTION
                ),
            ));
        };
        let found = self.components.and_then(|c| T::lookup(c, name));
        match found {
            Some(item) => Ok((
                item,
                Pointer::root()
                    .join("components")
                    .join(T::SECTION)
                    .join(name),
            )),
            None => Err(Error::invalid(
                at,
                format!("unresolved $ref '{reference}': no such component"),
            )),
        }
    }
}
