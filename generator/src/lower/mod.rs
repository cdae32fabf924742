//! Stage 2: the OpenAPI document in, the resolved [`Api`] model out.
//!
//! Component schemas are registered first (so `$ref`s and recursion resolve to stable ids
//! and component names win over names made up for inline schemas), then operations are
//! lowered in document order, then [`finish`] decides what depends on the whole graph
//! (boxing of recursive fields, `Default` derives, which module a type lives in).

mod cycles;
mod finish;
mod operation;
mod pagination;
mod policy;
mod prune;

mod schema;
mod serde_use;
mod stream;

use crate::error::{Pointer, Result, Warning};
use crate::load::Document;
use crate::model::{Api, Auth, Module, TypeDef, TypeId, TypeKind};
use crate::naming::{self, NameTable};
use crate::resolve::Resolver;
use crate::settings::Settings;
use indexmap::IndexMap;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

/// The lowered API and what had to fall back on the way.
pub struct Lowered {
    pub api: Api,
    pub warnings: Vec<Warning>,
}

pub fn lower(document: &Document, settings: &Settings) -> Result<Lowered> {
    // Diagnostics point into the document as its author wrote it, not as it was
    // converted (Swagger 2.0) or normalised (3.1); what loading reported joins them.
    let sources = &document.sources;
    let Lowered { api, warnings } = lower_here(document, settings).map_err(|e| sources.error(e))?;
    let mut warnings: Vec<Warning> = warnings
        .into_iter()
        .map(|w| sources.warning(w))
        .chain(document.warnings.iter().cloned())
        .collect();
    warnings.sort();
    Ok(Lowered { api, warnings })
}

fn lower_here(document: &Document, settings: &Settings) -> Result<Lowered> {
    let openapi = &document.openapi;
    let mut cx = Context {
        openapi,
        extra_operations: &document.extra_operations,
        querystring: &document.querystring_parameters,
        resolver: Resolver::new(openapi),
        types: Vec::new(),
        type_names: NameTable::default(),
        components: IndexMap::new(),
        deep_refs: std::collections::BTreeMap::new(),
        property_names: std::collections::HashMap::new(),
        // The loader's warnings already point into the document as written; they join
        // the lowering's after those are mapped (see `lower`).
        warnings: Vec::new(),
    };
    for key in &document.ignored_paths {
        cx.warn(
            &Pointer::root().join("paths").join(key),
            "a path must start with '/': its operations are left out",
        );
    }
    cx.register_components()?;
    cx.define_components()?;
    let mut modules = cx.lower_operations()?;
    // Webhook payloads: no operation sends them, but users receive them.
    let payloads: Vec<TypeId> = document
        .webhook_payloads
        .iter()
        .filter_map(|name| cx.components.get(name.as_str()).copied())
        .collect();
    let Context {
        mut types,
        mut warnings,
        ..
    } = cx;
    cycles::break_alias_cycles(&mut types)?;
    if !settings.all_schemas {
        types = prune::unused_types(types, &mut modules, &payloads);
    }
    serde_use::decide(&mut types, &modules);
    finish::finish(&mut types, &modules);
    warnings.sort();
    let policy = policy::policy(&openapi.extensions)?;
    if modules.iter().all(|m| m.operations.is_empty()) && payloads.is_empty() {
        return Err(crate::error::Error::invalid(
            &Pointer::root().join("paths"),
            "the document has no operations: there is no client to generate",
        ));
    }
    let api = Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        base_url: base_url(openapi, &mut warnings),
        auth: auth(openapi, &mut warnings),
        policy,
        modules,
        types,
    };
    Ok(Lowered { api, warnings })
}

/// State shared by the lowering of schemas and operations.
struct Context<'a> {
    openapi: &'a OpenAPI,
    /// The operations the 3.0 model has no field for (3.2's QUERY and
    /// `additionalOperations`), lowered with their path item's.
    extra_operations: &'a [crate::load::ExtraOperation],
    /// The parameters written `in: querystring` (read as `in: query` by openapiv3).
    querystring: &'a std::collections::BTreeSet<Pointer>,
    resolver: Resolver<'a>,
    types: Vec<TypeDef>,
    type_names: NameTable,
    /// `#/components/schemas/<name>` → its type.
    components: IndexMap<&'a str, TypeId>,
    /// References into component schemas (`#/components/schemas/A/properties/b`) → type.
    deep_refs: std::collections::BTreeMap<String, crate::model::TypeRef>,
    /// Property name → its field name and its `naming::type_name` (which suggests
    /// the name of an inline type), computed once per name: they repeat across a
    /// large spec (`id`, `url`, …).
    property_names: std::collections::HashMap<&'a str, PropertyNames>,
    warnings: Vec<Warning>,
}

/// See `Context::property_names`.
struct PropertyNames {
    field: String,
    type_name: String,
}

impl<'a> Context<'a> {
    /// Reserves a type (name and id) whose kind is decided later.
    fn reserve_type(&mut self, suggested: &str, pointer: Pointer) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: self.type_names.claim(naming::type_name(suggested)),
            description: None,
            deprecated: false,
            pointer,
            kind: TypeKind::Alias(crate::model::TypeRef::Json),
            group: String::new(),
            serde: crate::model::SerdeUse::default(),
        });
        id
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.clone(),
            message: message.into(),
        });
    }

    fn register_components(&mut self) -> Result<()> {
        let Some(components) = self.openapi.components.as_ref() else {
            return Ok(());
        };
        let base = Pointer::root().join("components").join("schemas");
        for name in components.schemas.keys() {
            let id = self.reserve_type(name, base.join(name));
            self.components.insert(name.as_str(), id);
        }
        Ok(())
    }

    fn define_components(&mut self) -> Result<()> {
        let Some(components) = self.openapi.components.as_ref() else {
            return Ok(());
        };
        for (name, schema) in &components.schemas {
            let id = self.components[name.as_str()];
            let pointer = self.types[id.0].pointer.clone();
            self.define_component(id, schema, &pointer)?;
        }
        Ok(())
    }
}

fn base_url(openapi: &OpenAPI, warnings: &mut Vec<Warning>) -> String {
    let Some(server) = openapi.servers.first() else {
        warnings.push(Warning {
            pointer: Pointer::root().join("servers"),
            message: "no servers: the client has no default base URL and must be given one".into(),
        });
        return String::new();
    };
    // Substitute each `{variable}` with its default.
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    let missing: Vec<&str> = url
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    if !missing.is_empty() {
        warnings.push(Warning {
            pointer: Pointer::root().join("servers").join(0).join("url"),
            message: format!(
                "server URL variables without a default: {}; pass the base URL to the client",
                missing.join(", ")
            ),
        });
        return String::new();
    }
    url.trim_end_matches('/').to_owned()
}

fn auth(openapi: &OpenAPI, warnings: &mut Vec<Warning>) -> Auth {
    let mut auth = Auth::default();
    let Some(components) = &openapi.components else {
        return auth;
    };
    let base = Pointer::root().join("components").join("securitySchemes");
    for (name, scheme) in &components.security_schemes {
        let pointer = base.join(name);
        let mut warn = |message: &str| {
            warnings.push(Warning {
                pointer: pointer.clone(),
                message: message.to_owned(),
            })
        };
        let slot = match scheme {
            ReferenceOr::Item(SecurityScheme::APIKey { location, name, .. }) => {
                let slot = match location {
                    APIKeyLocation::Header => &mut auth.header,
                    APIKeyLocation::Query => &mut auth.query,
                    APIKeyLocation::Cookie => &mut auth.cookie,
                };
                if slot.is_none() {
                    *slot = Some(name.clone());
                    continue;
                }
                "only the first apiKey scheme per location is used"
            }
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
                match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => auth.bearer = true,
                    "basic" => auth.basic = true,
                    _ => {
                        warn(
                            "only the http schemes bearer and basic are supported; this one is ignored",
                        );
                    }
                }
                continue;
            }
            ReferenceOr::Item(
                SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. },
            ) => {
                auth.bearer = true;
                "OAuth2/OpenID Connect flows are not run by the client: pass an access token, which is sent as a bearer token"
            }
            ReferenceOr::Reference { .. } => "$ref security schemes are not supported; ignored",
        };
        warn(slot);
    }
    auth
}

/// The tags' modules, in declaration order, then in order of first use.
fn new_modules(openapi: &OpenAPI) -> IndexMap<String, Module> {
    let mut modules = IndexMap::new();
    for tag in &openapi.tags {
        modules.insert(
            tag.name.clone(),
            Module {
                name: String::new(),
                tag: tag.name.clone(),
                description: tag.description.clone(),
                operations: Vec::new(),
            },
        );
    }
    modules
}
