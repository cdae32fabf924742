//! Every Rust identifier the generator emits is decided here, once.
//!
//! Rules:
//! - Spec names are split into words at anything that is not an ASCII letter or digit,
//!   then cased by heck's rules: types and variants `UpperCamel`, the rest `snake_case`.
//! - Non-ASCII letters become their code point (`ü` → `u00fc`), so identifiers stay ASCII
//!   (non-ASCII identifiers trip `uncommon_codepoints` and confuse readers).
//! - A leading `+`/`-` before a digit becomes `plus`/`minus` (`-1` → `Minus1`, `minus_1`).
//! - A leading digit gets a prefix: `V` for types and variants, `_` for snake names.
//! - Keywords become raw identifiers (`r#type`); `self`, `super`, `crate`, `Self` cannot be
//!   raw and get a trailing `_`.
//! - Names that would shadow what generated code refers to (`Option`, `String`, …) or clash
//!   with the runtime's modules and `Client` methods get a suffix.
//! - Collisions left after that are resolved by [`NameTable`] with numeric suffixes, in
//!   document order, so the result is deterministic.

use proc_macro2::{Ident, Span};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names generated code relies on; a spec type with one of these names is renamed.
const RESERVED_TYPES: &[&str] = &[
    "Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec",
];

/// Names at a generated crate's root besides the runtime's modules, the modules the
/// generator writes and the dependencies (see [`is_reserved_module`]): the standard
/// library's crates, the crate's own cargo features (a tag's module name is also its cargo
/// feature) and the shared `types::common` module (a tag's name is also its `types`
/// submodule).
const RESERVED_ROOT_NAMES: &[&str] = &["alloc", "core", "std", "common", "default", "full_serde"];

/// Whether a tag's module may not take `name`: a runtime module, a module the generator
/// writes (`meta`, `types`), a dependency of the runtime or one of [`RESERVED_ROOT_NAMES`].
fn is_reserved_module(name: &str) -> bool {
    crate::runtime::MODULES.iter().any(|m| m.name == name)
        || crate::runtime::GENERATED_MODULES.contains(&name)
        || RESERVED_ROOT_NAMES.contains(&name)
        || KEYWORDS.contains(&name)
        || crate::runtime::dependency_crate_names().any(|dependency| dependency == name)
}

/// Members of every request builder (its fields and methods); parameters, which become
/// builder setters, must not take these names.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "request_options",
    "with_options",
    "send",
    "send_blocking",
    "send_stream",
    "send_stream_blocking",
    "into_request",
    "pages",
    "items",
];

/// The constructor of every generated struct, which takes the members every value has.
pub const CONSTRUCTOR: &str = "new";

/// The setter of a struct field that may hold no value: `with_` and the field's name,
/// without the `_` that escapes a keyword or starts a name from a digit (`self_` gives
/// `with_self`, `_0` gives `with_0`: `with__0` would not be snake case). A keyword needs no
/// escape after `with_` (`type` gives `with_type`). Setters of one struct are made unique
/// with a [`NameTable`] that holds [`CONSTRUCTOR`] too.
pub fn setter_name(field: &str) -> String {
    format!("with_{}", field.trim_matches('_'))
}

/// The name of an HTTP status code (`NotFound` for 404), for the codes that have one.
pub fn status_name(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}

/// Inherent methods of the runtime's `Client`.
const RESERVED_METHODS: &[&str] = &[
    "auth_mode",
    "base_url",
    "builder",
    "execute",
    "execute_bytes",
    "execute_stream",
    "execute_text",
    "execute_with",
    "from_env",
    "inner",
    "new",
];

/// A plural acronym (`APIs`, `userIDs`, `URLs`) as one word (`Apis`, `userIds`), which
/// heck would otherwise split before the `s` (`ap_is`).
fn plural_acronyms(raw: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out: Option<Vec<char>> = None;
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_uppercase() {
            i += 1;
        }
        let run = i - start;
        let ends_word = |j: usize| j >= chars.len() || !chars[j].is_ascii_lowercase();
        if run >= 2 && i < chars.len() && chars[i] == 's' && ends_word(i + 1) {
            let fixed = out.get_or_insert_with(|| chars.clone());
            for c in &mut fixed[start + 1..i] {
                *c = c.to_ascii_lowercase();
            }
        }
        if i == start {
            i += 1;
        }
    }
    match out {
        Some(chars) => std::borrow::Cow::Owned(chars.into_iter().collect()),
        None => std::borrow::Cow::Borrowed(raw),
    }
}

fn words(raw: &str) -> String {
    let raw = plural_acronyms(raw);
    let raw = raw.as_ref();
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    if let Some(&sign @ ('+' | '-')) = chars.peek() {
        let mut rest = chars.clone();
        rest.next();
        if rest.peek().is_some_and(char::is_ascii_digit) {
            out.push_str(if sign == '+' { "plus " } else { "minus " });
            chars.next();
        }
    }
    for c in chars {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    UpperCamel,
    Snake,
}

/// `heck`'s `to_upper_camel_case` / `to_snake_case` (0.5) for the ASCII text
/// [`words`] produces: the same word boundaries (non-alphanumerics; lower to
/// upper case; before the last capital of a run followed by a lower-case
/// letter) and casing, without heck's per-character Unicode formatting, which
/// was a tenth of the generation time of a large spec. A test checks that both
/// agree.
fn ascii_case(text: &str, case: Case) -> String {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut push_word = |word: &str| match case {
        Case::UpperCamel => {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            }
        }
        Case::Snake => {
            if !out.is_empty() {
                out.push('_');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
    };
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = word.as_bytes();
        let (mut start, mut mode) = (0, Mode::Boundary);
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                push_word(&word[start..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                push_word(&word[start..=i]);
                (start, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                push_word(&word[start..i]);
                (start, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
    out
}

/// `UpperCamelCase` for types.
pub fn type_name(raw: &str) -> String {
    let mut name = variant_name(raw);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

/// `UpperCamelCase` for enum variants, which live in their enum's namespace and so
/// cannot shadow anything.
pub fn variant_name(raw: &str) -> String {
    let mut name = ascii_case(&words(raw), Case::UpperCamel);
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// `snake_case` for fields, parameters and methods.
pub fn snake_name(raw: &str) -> String {
    let mut name = ascii_case(&words(raw), Case::Snake);
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A method on `Client`.
pub fn method_name(raw: &str) -> String {
    let mut name = snake_name(raw);
    if RESERVED_METHODS.contains(&name.as_str()) {
        name.push_str("_operation");
    }
    name
}

/// A tag's module at the crate root.
pub fn module_name(raw: &str) -> String {
    let mut name = snake_name(raw);
    if is_reserved_module(&name) {
        name.push_str("_api");
    }
    name
}

/// Whether cargo accepts `name` as a package name (and the crate can be published and
/// named in code): ASCII letters, digits, `-` and `_`, starting with a letter, at most 64
/// characters, not a Rust keyword nor a standard library crate.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let problem = if name.is_empty() {
        Some("it is empty".to_owned())
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(format!(
            "{c:?} is not allowed (only ASCII letters, digits, `-` and `_` are)"
        ))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with an ASCII letter".to_owned())
    } else if name.len() > 64 {
        Some("it is longer than 64 characters".to_owned())
    } else if KEYWORDS.contains(&name) || KEYWORDS.contains(&name.replace('-', "_").as_str()) {
        Some("it is a Rust keyword".to_owned())
    } else if ["alloc", "core", "std", "test", "proc_macro", "proc-macro"].contains(&name) {
        Some("it is the name of a standard library crate".to_owned())
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!("invalid crate name {name:?}: {problem}")),
        None => Ok(()),
    }
}

/// The identifier for a name decided above: keywords become raw identifiers.
pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) && !NOT_RAW.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Whether clippy's `disallowed_names` lint flags a binding called `name` by default
/// (placeholder names). Real documents do use them: Slack's `api.test` takes a `foo`
/// parameter.
pub fn is_placeholder(name: &str) -> bool {
    matches!(name, "foo" | "baz" | "quux")
}

/// The identifier of an argument or local binding that holds the value of `name` (a field,
/// parameter or body name): `name` itself, or, for a placeholder name, `name_value` (with
/// `_` appended until it is none of `taken`, the other bindings of the scope).
pub fn binding_ident(name: &str, taken: &[&str]) -> Ident {
    if !is_placeholder(name) {
        return ident(name);
    }
    let mut candidate = format!("{name}_value");
    while taken.contains(&candidate.as_str()) {
        candidate.push('_');
    }
    ident(&candidate)
}

/// Hands out names unique within one scope; the first to ask for a name gets it,
/// later ones get `Name2`, `Name3`, … (`name_2` for snake names).
#[derive(Debug, Default)]
pub struct NameTable {
    taken: BTreeSet<String>,
}

impl NameTable {
    pub fn claim(&mut self, candidate: String) -> String {
        if self.taken.insert(candidate.clone()) {
            return candidate;
        }
        let separator = if candidate.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        // `self_` (a keyword escaped) takes `self_2`, not `self__2`.
        let base = candidate.trim_end_matches('_');
        let base = if base.is_empty() {
            candidate.as_str()
        } else {
            base
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|name| self.taken.insert(name.clone()))
            .unwrap_or(candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_case_agrees_with_heck() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let check = |text: &str| {
            assert_eq!(
                ascii_case(text, Case::UpperCamel),
                text.to_upper_camel_case(),
                "{text:?}"
            );
            assert_eq!(
                ascii_case(text, Case::Snake),
                text.to_snake_case(),
                "{text:?}"
            );
        };
        for text in [
            "",
            " ",
            "a",
            "A",
            "HTTPServer",
            "getHTTPResponseCode",
            "ABC",
            "abcDEF",
            "user_id",
            "X-Api-Key",
            "v2Beta",
            "2fa",
            "a1B2",
            "IPv4Address",
            "  x  y ",
            "_links",
            "ID",
            "Ids",
            "iOS",
            "eTag",
            "plus 1",
            " u00e9 t",
            "OAuth2Client",
        ] {
            check(text);
        }
        // Every string of up to 4 characters from an alphabet that exercises
        // each rule, and a deterministic sample of longer ones.
        const ALPHABET: &[u8] = b"aZb9_ -A";
        let mut stack = vec![String::new()];
        while let Some(text) = stack.pop() {
            check(&text);
            if text.len() < 4 {
                for &c in ALPHABET {
                    stack.push(format!("{text}{}", c as char));
                }
            }
        }
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 24) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push(char::from(b"aAbBzZ09 _-.xYQ"[(state >> 33) as usize % 15]));
            }
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            check(&text);
        }
    }

    #[test]
    fn tricky_names() {
        let cases = [
            ("pet-store", "PetStore", "pet_store"),
            ("_postman_id", "PostmanId", "postman_id"),
            ("X-RateLimit-Limit", "XRateLimitLimit", "x_rate_limit_limit"),
            ("call-logs", "CallLogs", "call_logs"),
            ("1.0", "V10", "_1_0"),
            ("+1", "Plus1", "plus_1"),
            ("-1", "Minus1", "minus_1"),
            ("", "Value", "value"),
            ("@@", "Value", "value"),
            ("größe", "GrU00f6U00dfE", "gr_u00f6_u00df_e"),
            ("self", "Self_", "self_"),
            ("Option", "OptionValue", "option"),
            ("$ref", "Ref", "ref"),
            ("APIs", "Apis", "apis"),
            ("API Versions", "ApiVersions", "api_versions"),
            ("userIDs", "UserIds", "user_ids"),
            ("IDsList", "IdsList", "ids_list"),
            ("HTTPServer", "HttpServer", "http_server"),
            ("SCIM Users", "ScimUsers", "scim_users"),
        ];
        for (raw, ty, snake) in cases {
            assert_eq!(type_name(raw), ty, "type_name({raw:?})");
            assert_eq!(snake_name(raw), snake, "snake_name({raw:?})");
        }
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("async").to_string(), "r#async");
        assert_eq!(ident("name").to_string(), "name");
        assert_eq!(ident(&snake_name("self")).to_string(), "self_");
    }

    #[test]
    fn reserved_module_and_method_names_get_a_suffix() {
        assert_eq!(module_name("Types"), "types_api");
        assert_eq!(module_name("Collections"), "collections");
        assert_eq!(module_name("type"), "type_api");
        assert_eq!(module_name("default"), "default_api");
        assert_eq!(module_name("Common"), "common_api");
        assert_eq!(method_name("new"), "new_operation");
        for module in crate::runtime::MODULES {
            assert_eq!(module_name(module.name), format!("{}_api", module.name));
        }
        for name in ["meta", "tokio", "tracing", "serde_json"] {
            assert_eq!(module_name(name), format!("{name}_api"));
        }
    }

    /// Every inherent method of the runtime's `Client` (in the files shipped to generated
    /// crates) is reserved, so an operation never takes its name.
    #[test]
    fn client_methods_are_reserved() {
        let mut methods = Vec::new();
        for file in crate::runtime::MODULES.iter().flat_map(|m| m.files) {
            let parsed: syn::File = syn::parse_str(file.source).unwrap();
            collect_client_methods(&parsed.items, &mut methods);
        }
        assert!(methods.contains(&"execute".to_owned()), "{methods:?}");
        for method in methods {
            assert!(
                RESERVED_METHODS.contains(&method.as_str()),
                "`Client::{method}` is not in RESERVED_METHODS"
            );
        }
    }

    fn collect_client_methods(items: &[syn::Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let is_client = matches!(&*imp.self_ty, syn::Type::Path(p)
                        if p.path.segments.last().is_some_and(|s| s.ident == "Client"));
                    if is_client {
                        for member in &imp.items {
                            if let syn::ImplItem::Fn(f) = member {
                                out.push(f.sig.ident.to_string());
                            }
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        collect_client_methods(items, out);
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn setters_are_snake_case_and_never_the_constructor() {
        assert_eq!(setter_name("description"), "with_description");
        assert_eq!(setter_name("type"), "with_type");
        assert_eq!(setter_name(&snake_name("self")), "with_self");
        assert_eq!(setter_name(&snake_name("0")), "with_0");
        assert_eq!(setter_name(&snake_name("_postman_id")), "with_postman_id");
        let mut table = NameTable::default();
        table.claim(CONSTRUCTOR.to_owned());
        assert_eq!(table.claim(setter_name("self_")), "with_self");
        assert_eq!(table.claim(setter_name("self")), "with_self_2");
    }

    #[test]
    fn name_table_suffixes_in_order() {
        let mut table = NameTable::default();
        assert_eq!(table.claim("Pet".into()), "Pet");
        assert_eq!(table.claim("Pet".into()), "Pet2");
        assert_eq!(table.claim("Pet".into()), "Pet3");
        assert_eq!(table.claim("pet".into()), "pet");
        assert_eq!(table.claim("pet".into()), "pet_2");
    }
}
