//! What a change is: where it happened, what happened, and the two verdicts on it.

use serde::Serialize;

/// How a change affects code that depends on the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Code that worked before may stop working (or compiling).
    Breaking,
    /// Something new; existing code keeps working.
    NonBreaking,
    /// Worth knowing; nothing to do.
    Informational,
}

impl Impact {
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::NonBreaking => "non-breaking",
            Impact::Informational => "informational",
        }
    }
}

/// The report's sections, in the order they are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// The client as a whole: its default base URL, crate-root items, auth.
    Client,
    Operations,
    Parameters,
    RequestBodies,
    Responses,
    Schemas,
    /// Public items of the crate no other finding accounts for (a generator change, say).
    Items,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Client,
        Section::Operations,
        Section::Parameters,
        Section::RequestBodies,
        Section::Responses,
        Section::Schemas,
        Section::Items,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Operations => "Operations",
            Section::Parameters => "Parameters",
            Section::RequestBodies => "Request bodies",
            Section::Responses => "Responses",
            Section::Schemas => "Schemas",
            Section::Client => "Client",
            Section::Items => "Other public items of the crate",
        }
    }
}

/// Which way a schema's values travel: sent by the client, received from the server, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Direction {
    pub request: bool,
    pub response: bool,
}

impl Direction {
    pub const REQUEST: Direction = Direction {
        request: true,
        response: false,
    };
    pub const RESPONSE: Direction = Direction {
        request: false,
        response: true,
    };

    pub fn union(self, other: Direction) -> Direction {
        Direction {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    pub fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "request and response",
            (true, false) => "request",
            (false, true) => "response",
            (false, false) => "unused",
        }
    }
}

/// How a value's JSON type changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Same JSON type (only the Rust name or the schema behind it changed).
    Same,
    /// The new type accepts every value of the old one (`int32` → `int64`, enum → string).
    Widened,
    /// The old type accepts every value of the new one.
    Narrowed,
    /// Neither contains the other (`string` → `integer`).
    Incompatible,
}

/// A type before and after, as JSON and as Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeChange {
    pub from_json: String,
    pub to_json: String,
    pub from_rust: String,
    pub to_rust: String,
    pub relation: Relation,
}

/// What happened. Names are as in the spec (operationIds, wire names, schema names) unless
/// they say `rust`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    /// The first server URL, the crate's `Client::DEFAULT_BASE_URL`.
    ServerChanged {
        from: String,
        to: String,
        /// The new URL is one `Client::new()` accepts (absolute, `https`, no query).
        usable: bool,
        /// Why not, when it is not.
        problem: Option<String>,
    },
    /// How the credential travels (`securitySchemes`).
    AuthChanged {
        from: String,
        to: String,
    },
    /// How error bodies are read or which `429`s are final (`x-error-envelope`,
    /// `x-quota-exhausted-words`).
    ErrorPolicyChanged {
        what: String,
    },
    /// Items at the crate root that ship only when the document needs them (`Uid` and
    /// `UidError` with `format: uid`).
    RuntimeItemsAdded {
        items: Vec<String>,
        reason: String,
    },
    RuntimeItemsRemoved {
        items: Vec<String>,
        reason: String,
    },
    OperationAdded {
        operation_id: String,
    },
    OperationRemoved {
        operation_id: String,
    },
    OperationIdChanged {
        from: String,
        to: String,
    },
    OperationDeprecated {
        deprecated: bool,
    },
    /// Same operationId, another HTTP method or path.
    OperationMethodChanged {
        operation_id: String,
        from: String,
        to: String,
    },
    /// `x-pagination`: the builder gains `pages()` and `items()`.
    PaginationAdded {
        item_type: String,
    },
    PaginationRemoved {
        item_type: String,
    },
    PaginationItemChanged {
        change: TypeChange,
    },
    OperationModuleChanged {
        from: String,
        to: String,
    },
    ParameterAdded {
        name: String,
        location: String,
        required: bool,
    },
    ParameterRemoved {
        name: String,
        location: String,
        required: bool,
    },
    ParameterRequiredChanged {
        name: String,
        location: String,
        required: bool,
    },
    ParameterTypeChanged {
        name: String,
        location: String,
        change: TypeChange,
    },
    RequestBodyAdded {
        required: bool,
        rust_type: String,
    },
    RequestBodyRemoved {
        rust_type: String,
    },
    RequestBodyRequiredChanged {
        required: bool,
    },
    RequestBodyTypeChanged {
        change: TypeChange,
    },
    RequestBodyMediaTypeChanged {
        from: String,
        to: String,
    },
    ResponseStatusAdded {
        status: String,
        success: bool,
        /// The new variant of the operation's status enum, when it has one.
        rust_variant: Option<String>,
        /// That enum is not `#[non_exhaustive]` in the new crate.
        closed: bool,
    },
    ResponseStatusRemoved {
        status: String,
        success: bool,
        rust_variant: Option<String>,
    },
    ResponseTypeChanged {
        change: TypeChange,
    },
    SchemaAdded {
        schema: String,
    },
    SchemaRemoved {
        schema: String,
    },
    SchemaKindChanged {
        schema: String,
        /// Kinds of generated type (`struct`, `string enum`, …).
        from: String,
        to: String,
        /// JSON types (`object`, `string`, …).
        from_json: String,
        to_json: String,
    },
    SchemaDefaultChanged {
        schema: String,
        derives_default: bool,
    },
    AliasTargetChanged {
        schema: String,
        change: TypeChange,
    },
    PropertyAdded {
        schema: String,
        property: String,
        required: bool,
        /// The Rust field is an `Option`.
        rust_option: bool,
        /// The new crate's struct is not `#[non_exhaustive]`, so struct literals must name
        /// every field (set from the emitted crate).
        closed: bool,
    },
    PropertyRemoved {
        schema: String,
        property: String,
    },
    /// The arguments of the struct's constructor `Type::new(..)`: its required members in
    /// spec order.
    ConstructorChanged {
        schema: String,
        from: Vec<String>,
        to: Vec<String>,
    },
    PropertyTypeChanged {
        schema: String,
        property: String,
        change: TypeChange,
    },
    PropertyRequiredChanged {
        schema: String,
        property: String,
        required: bool,
        /// The Rust field's type changed (`Option<T>` ↔ `T`).
        /// The Rust field's type before and after (equal when only the wire changed).
        from_rust: String,
        to_rust: String,
    },
    PropertyNullableChanged {
        schema: String,
        property: String,
        nullable: bool,
        /// The Rust field's type before and after (equal when only the wire changed).
        from_rust: String,
        to_rust: String,
    },
    EnumValueAdded {
        schema: String,
        value: String,
        /// The new crate's enum is not `#[non_exhaustive]`.
        closed: bool,
    },
    EnumValueRemoved {
        schema: String,
        value: String,
    },
    VariantAdded {
        schema: String,
        variant: String,
        /// The new crate's enum is not `#[non_exhaustive]`.
        closed: bool,
    },
    VariantRemoved {
        schema: String,
        variant: String,
    },
    /// A public item of the emitted crate (see `surface`).
    ItemAdded {
        item: String,
        item_kind: ItemKind,
        signature: String,
        /// A field or variant added to a struct or enum that is not `#[non_exhaustive]`.
        owner_is_closed: bool,
    },
    ItemRemoved {
        item: String,
        item_kind: ItemKind,
        signature: String,
    },
    ItemChanged {
        item: String,
        item_kind: ItemKind,
        from: String,
        to: String,
        /// Only a constant's value changed.
        only_value: bool,
    },
}

/// What kind of public item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Struct,
    Enum,
    Alias,
    Trait,
    Field,
    Variant,
    Method,
    Function,
    Constant,
    TraitImpl,
    NonExhaustive,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Struct => "struct",
            ItemKind::Enum => "enum",
            ItemKind::Alias => "type alias",
            ItemKind::Trait => "trait",
            ItemKind::Field => "field",
            ItemKind::Variant => "variant",
            ItemKind::Method => "method",
            ItemKind::Function => "function",
            ItemKind::Constant => "constant",
            ItemKind::TraitImpl => "trait impl",
            ItemKind::NonExhaustive => "#[non_exhaustive]",
        }
    }
}

/// One verdict with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub impact: Impact,
    pub reason: String,
}

/// A change found by comparing two versions of the spec, before classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub section: Section,
    /// `GET /collections/{collectionId}` or `schema Collection`.
    pub location: String,
    pub detail: Detail,
    /// Which way the values concerned travel.
    pub direction: Direction,
    /// The generated items it touches (`postman_client::Client::get_collection`).
    pub rust_items: Vec<String>,
}

/// A classified change, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub section: Section,
    pub location: String,
    pub summary: String,
    pub direction: Direction,
    pub detail: Detail,
    /// For HTTP clients in general.
    pub http: Verdict,
    /// For users of the generated Rust crate.
    pub rust: Verdict,
    pub rust_items: Vec<String>,
}
