//! The resolved model the emitters work from.
//!
//! Every `$ref` is resolved and every Rust name is decided (by [`crate::naming`]) before
//! anything lands here; emitters read this model and never look at the OpenAPI document.

pub mod print;
pub mod walk;

use crate::error::Pointer;

/// The `types` submodule of types used by more than one module, or by none.
pub const COMMON_GROUP: &str = "common";

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, used as the client's default base URL.
    pub base_url: String,
    pub auth: Auth,
    /// What the client does that depends on the API rather than on HTTP.
    pub policy: Policy,
    /// One per tag, in the order the tags are declared (then first use).
    pub modules: Vec<Module>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
}

impl Api {
    /// Some operation answers with a stream of items, so the crate ships `ItemStream`.
    pub fn uses_streams(&self) -> bool {
        self.modules.iter().flat_map(|m| &m.operations).any(|op| {
            op.stream.is_some() || matches!(op.response, Success::Single(ResponseBody::Stream(_)))
        })
    }

    /// Some field is a uid (`format: uid`), so the crate ships the `Uid` type.
    pub fn uses_uid(&self) -> bool {
        self.types.iter().any(|ty| match &ty.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.format.as_deref() == Some("uid")),
            _ => false,
        })
    }

    /// The type prints its wire value with `Display` (scalars, enums, unions of those),
    /// so it can be written into a path.
    pub fn displayable(&self, ty: &TypeRef) -> bool {
        displayable(&self.types, ty)
    }
}

/// See [`Api::displayable`].
pub fn displayable(types: &[TypeDef], ty: &TypeRef) -> bool {
    fn within(types: &[TypeDef], ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64 => true,
            TypeRef::Named(id) if depth < 8 => match &types[id.0].kind {
                TypeKind::Enum(_) | TypeKind::IntEnum(_) => true,
                TypeKind::Alias(inner) => within(types, inner, depth + 1),
                TypeKind::Untagged(variants) => {
                    !variants.is_empty() && variants.iter().all(|v| within(types, &v.ty, depth + 1))
                }
                TypeKind::Struct(_) | TypeKind::Tagged { .. } | TypeKind::Newtype(_) => false,
            },
            _ => false,
        }
    }
    within(types, ty, 0)
}

/// API-specific behaviour of the client (see `lower::policy`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Where error bodies keep their name, message and details, tried in order.
    pub error_shapes: Vec<ErrorShape>,
    /// Words (lower case) that, in a `429`'s error name or message, mean a used-up quota
    /// that no wait within a call would fix, so the call is not retried.
    pub quota_words: Vec<String>,
}

/// One layout of an error body: JSON pointers to its name, message and details, each
/// list tried in order. A shape applies to a body when its name or message is found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorShape {
    pub name: Vec<String>,
    pub message: Vec<String>,
    pub details: Vec<String>,
}

/// How the credential travels, from the document's `securitySchemes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auth {
    /// Header name of an `apiKey` scheme `in: header`.
    pub header: Option<String>,
    /// Query parameter name of an `apiKey` scheme `in: query`.
    pub query: Option<String>,
    /// Cookie name of an `apiKey` scheme `in: cookie`.
    pub cookie: Option<String>,
    /// An `http` `bearer` scheme (or OAuth2 / OpenID Connect, whose tokens are bearer tokens).
    pub bearer: bool,
    /// An `http` `basic` scheme.
    pub basic: bool,
}

/// The operations of one tag: a Rust module.
#[derive(Debug, Clone)]
pub struct Module {
    pub name: String,
    pub tag: String,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId` (or the name derived from method and path).
    pub id: String,
    /// The `Client` method.
    pub method_name: String,
    /// The request builder returned by the method.
    pub builder_name: String,
    pub http_method: HttpMethod,
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub pointer: Pointer,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Success,
    /// The `Accept` header to send instead of the runtime's default for the response
    /// kind: set when the JSON success bodies use other JSON media types only (such as
    /// `application/scim+json`), which a server may refuse to answer to
    /// `Accept: application/json`.
    pub accept: Option<String>,
    /// A stream the operation may answer with instead of its decoded body: a success
    /// response that offers JSON and, beside it, a stream of items (`send_stream()`).
    pub stream: Option<ItemStream>,
    /// Documented error responses, typed by status; empty when none has a body.
    pub errors: Option<ErrorEnum>,
    /// How to walk all pages, when the operation declares `x-pagination`.
    pub pagination: Option<Pagination>,
}

/// Paging of an operation (from its `x-pagination` extension).
#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// Where the page's items are in the (success) body.
    pub items: FieldPath,
    pub item_type: TypeRef,
}

#[derive(Debug, Clone)]
pub enum PageStyle {
    /// The body names the next page (`next`); it goes into the query parameter `param`.
    Cursor {
        param: String,
        /// The parameter is a string while the body's cursor is another displayable type.
        to_string: bool,
        next: FieldPath,
    },
    /// Pages by position: `param` is the position of the first item, counting from
    /// `start`; `total`, when known, is the number of items in all.
    Offset {
        param: String,
        param_type: TypeRef,
        start: i64,
        /// The path to the total and its integer type.
        total: Option<(FieldPath, TypeRef)>,
    },
}

/// Rust field accesses from a body to a value: `meta.next_cursor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    pub steps: Vec<FieldStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    pub field: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is boxed.
    pub boxed: bool,
}

/// What a successful call returns.
#[derive(Debug, Clone)]
pub enum Success {
    /// One body shape whatever the 2xx status.
    Single(ResponseBody),
    /// Different bodies for different 2xx statuses: an enum with a variant per status.
    ByStatus {
        name: String,
        variants: Vec<StatusVariant>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
    /// A sequence of items decoded as they arrive (OpenAPI 3.2's `itemSchema`).
    Stream(ItemStream),
}

/// A streamed body: what each item is and how the body is cut into items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemStream {
    /// The media type, sent as `Accept`.
    pub media_type: String,
    pub items: StreamItems,
    /// The type each item decodes into.
    pub item: TypeRef,
}

/// How a streamed body is cut into items, and what an item is (the runtime's
/// `stream::Items`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamItems {
    /// `application/jsonl` and its aliases: a JSON text per line.
    JsonLines,
    /// `application/json-seq`: JSON texts after record separators (RFC 7464).
    JsonSeq,
    /// `text/event-stream`, the item schema an event object (`data`, `event`,
    /// `id`, `retry`); `json_data` when its `data` is not a string but JSON.
    Events { json_data: bool },
    /// `text/event-stream` whose item schema describes the data alone; `json`
    /// when that is not a string.
    EventData { json: bool },
}

/// A per-operation enum of the documented error bodies.
#[derive(Debug, Clone)]
pub struct ErrorEnum {
    pub name: String,
    pub variants: Vec<StatusVariant>,
}

/// One documented status of an operation and its body.
#[derive(Debug, Clone)]
pub struct StatusVariant {
    pub name: String,
    pub status: StatusMatch,
    /// `None` for a response without a JSON body.
    pub ty: Option<TypeRef>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

impl Operation {
    /// Required parameters (and a required body) go in the method signature, in this order.
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required)
    }

    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// `QUERY` (OpenAPI 3.2's `query`): safe and idempotent like `GET`, but with a
    /// request body.
    Query,
    /// A method of OpenAPI 3.2's `additionalOperations` (`COPY`, `LINK`, …) as written:
    /// an HTTP token (checked when lowering), none of the methods above.
    Other(String),
}

impl HttpMethod {
    /// The method's name on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            HttpMethod::Query => "QUERY",
            HttpMethod::Other(name) => name,
            fixed => fixed.constant().unwrap_or_default(),
        }
    }

    /// The name of `reqwest::Method`'s constant for the method, if it has one.
    pub fn constant(&self) -> Option<&'static str> {
        Some(match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Query | HttpMethod::Other(_) => return None,
        })
    }
}

/// A piece of a path template: `/collections/{collectionId}` is
/// `[Literal("/collections/"), Param(index of collectionId)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (argument, field and setter).
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    pub location: ParamLocation,
    /// How a query value is serialized (OpenAPI `style`/`explode`).
    pub style: ParamStyle,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// OpenAPI 3.2's `querystring`: the whole query, an object whose members are written
    /// as form pairs (`application/x-www-form-urlencoded`). The wire name is only the
    /// parameter's name in the document.
    QueryString,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// Arrays as repeated pairs (`form`, `explode: true`), scalars as one pair.
    Exploded,
    /// Arrays as one pair joined by the delimiter (`explode: false`, `spaceDelimited`, …).
    Delimited(&'static str),
    /// `deepObject`: `name[key]=value`.
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub name: String,
    pub kind: BodyKind,
    /// The media type sent as `Content-Type`.
    pub content_type: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// Index into [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A Rust type as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// Any JSON value: schemas without a type, and documented fallbacks.
    Json,
    /// File content (`format: binary`): the runtime's `Binary`.
    Binary,
    Named(TypeId),
    List(Box<TypeRef>),
    /// A JSON array of exactly these items, in this order (`prefixItems`): a Rust tuple.
    /// Its members are scalars (strings, numbers, booleans), so it holds no named type.
    Tuple(Vec<TypeRef>),
    /// A JSON object with arbitrary keys (`additionalProperties`).
    Map(Box<TypeRef>),
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Where the schema is defined.
    pub pointer: Pointer,
    pub kind: TypeKind,
    /// The `types` submodule it is emitted into (a tag's module name, or `common`).
    pub group: String,
    /// The serde traits the operations need of it.
    pub serde: SerdeUse,
}

/// Which ways a type crosses the wire: request parts are serialized, response bodies
/// deserialized. Only those derives are emitted unconditionally (the generated crate's
/// `full-serde` feature adds the others), which halves the serde code a large client
/// compiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SerdeUse {
    pub serialize: bool,
    pub deserialize: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; unknown values decode into an extra `Unknown(String)` variant.
    Enum(Vec<EnumVariant>),
    /// An integer enum; unknown values decode into an extra `Unknown(i64)` variant.
    IntEnum(Vec<IntVariant>),
    /// One of several shapes, told apart by trying each in order (`oneOf`/`anyOf`).
    Untagged(Vec<UntaggedVariant>),
    /// One of several shapes, told apart by a property (`discriminator`); unknown tags
    /// decode into an extra `Unknown(serde_json::Value)` variant.
    Tagged {
        property: String,
        variants: Vec<TaggedVariant>,
    },
    /// A named schema that is just another type (`type Tags = Vec<String>`).
    Alias(TypeRef),
    /// A named schema that is another type and contains itself through it (a list of
    /// itself, a map of itself: `struct Tree(BTreeMap<String, Tree>)`), which a type
    /// alias cannot express. Encodes as the type it wraps.
    Newtype(TypeRef),
}

/// An object. Its Rust struct is `#[non_exhaustive]`, so that a new member is not a
/// breaking change: it is built with `new` (taking the fields that always hold a value, in
/// the order the description lists them) and one setter per other field.
#[derive(Debug, Clone, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Where members the schema does not name are kept: every object keeps them unless
    /// its schema says `additionalProperties: false`.
    pub extra: Option<ExtraMembers>,
    /// All fields have a `Default`, so the struct derives it.
    pub default: bool,
}

/// The map of an object's members that its schema does not name, so that a decoded value
/// encodes back to what was received.
#[derive(Debug, Clone)]
pub struct ExtraMembers {
    /// The Rust field name (`extra`, unless a property took it).
    pub name: String,
    /// The type of each value: [`TypeRef::Json`], or `additionalProperties`' schema.
    pub ty: TypeRef,
}

/// How a field holds its value in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: always there.
    Required,
    /// `Option<T>`: may be absent (or `null`, which reads as absent).
    Optional,
    /// `Nullable<T>`: may be absent, `null` or a value, and the difference matters.
    Nullable,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// The `with_` method that sets the field, when it may hold no value (`Option` or
    /// `Nullable`); the others are arguments of the struct's constructor.
    pub setter: Option<String>,
    pub wire_name: String,
    pub ty: TypeRef,
    /// Present in every payload (`required`).
    pub required: bool,
    /// May be `null` (`nullable: true`).
    pub nullable: bool,
    /// Boxed to break a cycle of directly nested types.
    pub boxed: bool,
    /// Sent by the server only (`readOnly`): never serialized.
    pub read_only: bool,
    /// Sent by the client only (`writeOnly`): may be absent in responses.
    pub write_only: bool,
    pub description: Option<String>,
    /// The schema's `default`, as JSON, for the docs.
    pub default: Option<String>,
    /// The schema's `format`, for the docs (`date-time`, `uuid`, …).
    pub format: Option<String>,
    pub deprecated: bool,
}

impl Field {
    /// How the field holds its value: an optional member that may be `null` keeps absent
    /// and `null` apart; any other member that may be missing or `null`, or is only sent
    /// in one direction, is an `Option`.
    pub fn presence(&self) -> Presence {
        if !self.required && self.nullable {
            Presence::Nullable
        } else if !self.required || self.nullable || self.read_only || self.write_only {
            Presence::Optional
        } else {
            Presence::Required
        }
    }

    /// The field may hold no value (`Option` or `Nullable`).
    pub fn is_option(&self) -> bool {
        self.presence() != Presence::Required
    }
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub name: String,
    pub wire_name: String,
}

#[derive(Debug, Clone)]
pub struct IntVariant {
    pub name: String,
    pub value: i64,
}

#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    pub name: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone)]
pub struct TaggedVariant {
    pub name: String,
    /// The discriminator value that selects this variant.
    pub tag: String,
    pub ty: TypeRef,
}
