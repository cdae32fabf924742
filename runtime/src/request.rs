//! The description of one HTTP call, built by generated code, and the
//! `Client::execute*` methods, which send it.
//!
//! Generated operations only call what the `const _` block below names (it
//! pins those signatures): [`Request::new`], [`Request::with_method`],
//! [`Request::with_options`], the
//! parameter methods
//! ([`Request::query`], [`Request::query_delimited`],
//! [`Request::query_deep_object`], [`Request::query_string`],
//! [`Request::header`], [`Request::cookie`]),
//! the body methods ([`Request::json`], [`Request::form`],
//! [`Request::multipart`], [`Request::bytes`], [`Request::text`]),
//! [`encode_path`], [`json`], and [`Client::execute`],
//! [`Client::execute_text`], [`Client::execute_bytes`] and
//! [`Client::execute_with`].
//!
//! The submodules do the encoding and sending: [`node`] turns a value into
//! what the encoders work on, [`params`] writes query, header and cookie
//! parameters, [`form`] and [`multipart`] the bodies of those media types,
//! [`url`] the URL, [`send`] sends the call, and [`body`] reads the answer's
//! body within its size limit.

pub(crate) mod body;
pub(crate) mod form;
pub(crate) mod multipart;
pub(crate) mod node;
pub(crate) mod params;
pub(crate) mod send;
pub(crate) mod url;

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub(crate) use self::url::encode_path;
use crate::client::{Client, is_token_byte};
use crate::error::{Error, json_or_null};
use crate::options::RequestOptions;

// The interface generated code relies on. Referencing the items here also keeps
// them "used" when an API happens not to need one of them (say, no header
// parameter anywhere), so the crate stays free of dead-code warnings.
const _: () = {
    type Decode = fn(StatusCode, &[u8]) -> Option<Result<Value, serde_json::Error>>;
    let _: fn(Method, String) -> Request = Request::new;
    let _: fn(&'static str, String) -> Request = Request::with_method;
    let _: fn(Request, RequestOptions) -> Request = Request::with_options;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::query::<Option<String>>;
    let _: fn(&mut Request, &'static str, &Option<Vec<String>>, &'static str) =
        Request::query_delimited::<Option<Vec<String>>>;
    let _: fn(&mut Request, &'static str, &Value) = Request::query_deep_object::<Value>;
    let _: fn(&mut Request, &Option<Value>) = Request::query_string::<Option<Value>>;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::header::<Option<String>>;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::cookie::<Option<String>>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::json::<Value>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::form::<Value>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::multipart::<Value>;
    let _: fn(&mut Request, Bytes, &'static str) = Request::bytes;
    let _: fn(&mut Request, String, &'static str) = Request::text;
    let _: fn(&str) -> Cow<'_, str> = encode_path;
    let _: fn(&[u8]) -> Result<Value, serde_json::Error> = json::<Value>;
    let _ = Client::execute::<Value>;
    let _ = Client::execute_text;
    let _ = Client::execute_bytes;
    let _ = Client::execute_with::<Value, Decode>;
    // What `Client::execute_stream` builds on, in crates whose API streams.
    let _ = send::fetch_open;
};

/// One HTTP call: method, path relative to the base URL, parameters and body.
///
/// Parameter values are serialized with serde as they are added:
///
/// * `None` / `null` / `()` add nothing;
/// * strings are used as they are, numbers in their usual decimal form, booleans
///   as `true` / `false`, unit enum variants by their serde name (so
///   `#[serde(rename = "...")]` is honoured), bytes (such as a [`Binary`](crate::Binary)) as
///   their UTF-8 text;
/// * a sequence gives one value per element: repeated `name=value` pairs in the
///   query (`form` style, `explode=true`) and cookies, one pair with the values
///   joined by a delimiter with [`query_delimited`](Self::query_delimited), and
///   the values joined with `,` in a header (`simple` style); `null` elements
///   are skipped;
/// * anything else (a map, a struct, a non-unit enum variant, an element that
///   is itself compound) falls back to its compact JSON text, except with
///   [`query_deep_object`](Self::query_deep_object) and
///   [`query_delimited`](Self::query_delimited), which spread objects out.
///
/// A value that cannot be serialized, or a header that is not valid HTTP, does
/// not fail here: the first such problem is kept and returned by
/// [`Client::execute`] (and the other `execute_*`) as [`Error::Encode`], so
/// generated code stays linear.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: HeaderMap,
    /// Cookie parameters, values already encoded for the `Cookie` header.
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<Bytes>,
    pub(crate) error: Option<String>,
    options: RequestOptions,
}

impl Request {
    /// A request for `path`, which is relative to the client's base URL, starts
    /// with `/` and has its parameters already encoded with [`encode_path`].
    pub(crate) fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            error: None,
            options: RequestOptions::new(),
        }
    }

    /// A request with a method `reqwest` has no constant for: `QUERY` (OpenAPI
    /// 3.2's `query`) or one of an operation's `additionalOperations` (`COPY`,
    /// `LINK`, …), by its name. The generator only writes HTTP tokens here; a
    /// name that is not one is still no panic: the call fails with
    /// [`Error::Encode`] before anything is sent.
    pub(crate) fn with_method(method: &'static str, path: String) -> Self {
        match Method::from_bytes(method.as_bytes()) {
            Ok(method) => Self::new(method, path),
            Err(_) => {
                let mut request = Self::new(Method::GET, path);
                request.fail(format!(
                    "`{}` is not a valid HTTP method",
                    method.escape_debug()
                ));
                request
            }
        }
    }

    /// Applies the caller's settings for this call.
    pub(crate) fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Adds query parameter `name` (see [`Request`] for how values are
    /// written).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match params::texts(value) {
            Ok(texts) => self
                .query
                .extend(texts.into_iter().map(|text| (Cow::Borrowed(name), text))),
            Err(message) => self.fail(format!("query parameter `{name}`: {message}")),
        }
    }

    /// Adds query parameter `name` in a non-exploded style (OpenAPI
    /// `explode: false`): the elements of a sequence go into one pair, joined
    /// by `delimiter` (`,` for `form`, `" "` for `spaceDelimited`, `|` for
    /// `pipeDelimited`), as do the keys and values of an object
    /// (`name=k1,v1,k2,v2`). An empty sequence adds nothing; anything else is
    /// written as by [`query`](Self::query).
    pub(crate) fn query_delimited<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        delimiter: &'static str,
    ) {
        match params::delimited(value, delimiter) {
            Ok(text) => self
                .query
                .extend(text.map(|text| (Cow::Borrowed(name), text))),
            Err(message) => self.fail(format!("query parameter `{name}`: {message}")),
        }
    }

    /// Adds query parameter `name` in OpenAPI's `deepObject` style: one pair
    /// per entry of an object, `name[key]=value`; nested objects and arrays
    /// continue the brackets (`name[a][b]=v`, `name[list][0]=v`), `null`s are
    /// left out. A value that is not an object is written as by
    /// [`query`](Self::query).
    pub(crate) fn query_deep_object<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) {
        match params::deep_object(name, value) {
            Ok(pairs) => self.query.extend(pairs),
            Err(message) => self.fail(format!("query parameter `{name}`: {message}")),
        }
    }

    /// Adds the members of `value` as the query's pairs: OpenAPI 3.2's
    /// `querystring` parameter, the whole query as one object in
    /// `application/x-www-form-urlencoded`. Members are written as by
    /// [`form`](Self::form) (arrays of scalars repeat the key, objects nest with
    /// brackets, `null`s are left out); `None` adds nothing. A value that is
    /// not an object is an encoding error.
    pub(crate) fn query_string<T: Serialize + ?Sized>(&mut self, value: &T) {
        match form::pairs(value) {
            Ok(pairs) => self
                .query
                .extend(pairs.into_iter().map(|(key, text)| (Cow::Owned(key), text))),
            Err(message) => self.fail(format!("the query string: {message}")),
        }
    }

    /// Sets header `name`, replacing an earlier value (see [`Request`] for how
    /// values are written).
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let texts = match params::texts(value) {
            Ok(texts) if texts.is_empty() => return,
            Ok(texts) => texts,
            Err(message) => {
                self.fail(format!("header `{name}`: {message}"));
                return;
            }
        };
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid HTTP header name"));
            return;
        };
        match HeaderValue::try_from(texts.join(",")) {
            Ok(value) => {
                self.headers.insert(header_name, value);
            }
            // The value itself stays out of the message: it may be a secret.
            Err(_) => self.fail(format!(
                "header `{name}`: the value contains characters not allowed in an HTTP header"
            )),
        }
    }

    /// Adds cookie parameter `name` (see [`Request`] for how values are
    /// written; a sequence gives one cookie per element). All cookies of a
    /// request go into one `Cookie` header, `a=1; b=2`; in values, the bytes
    /// RFC 6265 does not allow there (control characters, space, `"`, `,`,
    /// `;`, `\` and non-ASCII) are percent-encoded.
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let texts = match params::texts(value) {
            Ok(texts) if texts.is_empty() => return,
            Ok(texts) => texts,
            Err(message) => {
                self.fail(format!("cookie `{name}`: {message}"));
                return;
            }
        };
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            self.fail(format!("`{name}` is not a valid cookie name"));
            return;
        }
        self.cookies.extend(
            texts
                .iter()
                .map(|text| (name, params::encode_cookie_value(text))),
        );
    }

    /// Serializes `body` as the JSON request body now, and sets
    /// `Content-Type: application/json`.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` cannot be serialized to JSON.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::Encode(format!("request body: {e}")))?;
        self.set_body(Bytes::from(bytes), "application/json");
        Ok(())
    }

    /// Serializes `body`, which must serialize as an object (a struct or a
    /// map), as an `application/x-www-form-urlencoded` request body now, and
    /// sets that `Content-Type`.
    ///
    /// Each field gives `key=value` pairs: scalars as in [`Request`], arrays of
    /// scalars repeat the key (`k=v1&k=v2`), objects nest with brackets
    /// (`k[sub]=v`, recursively), and arrays with compound elements are
    /// indexed (`k[0][sub]=v`); `null`s are left out.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` is not an object or cannot be serialized.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let text = form::encode(body)?;
        self.set_body(Bytes::from(text), form::MEDIA_TYPE);
        Ok(())
    }

    /// Serializes `body`, which must serialize as an object (a struct or a
    /// map), as a `multipart/form-data` request body now, and sets that
    /// `Content-Type` with the boundary.
    ///
    /// Each field gives one part named after it: a [`Binary`](crate::Binary) a file part
    /// (`filename` its file name, else the field name; `Content-Type` its media
    /// type, else `application/octet-stream`), a string, number or boolean a
    /// text part, an object a part with `Content-Type: application/json`
    /// holding its compact JSON; an array gives one such part per element,
    /// all with the field's name; `null`s are left out.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] if `body` is not an object or cannot be serialized,
    /// or a media type of a [`Binary`](crate::Binary) is not a valid header value.
    pub(crate) fn multipart<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let (content_type, bytes) = multipart::encode(body)?;
        self.body = Some(bytes);
        self.headers.insert(CONTENT_TYPE, content_type);
        Ok(())
    }

    /// Uses `body` as the request body, with `Content-Type: content_type`
    /// (binary bodies: `application/octet-stream`, `image/png`, …).
    pub(crate) fn bytes(&mut self, body: Bytes, content_type: &'static str) {
        self.set_body(body, content_type);
    }

    /// Uses `body` as the request body, with `Content-Type: content_type`
    /// (text bodies: `text/plain`, `text/csv`, …).
    pub(crate) fn text(&mut self, body: String, content_type: &'static str) {
        self.set_body(Bytes::from(body), content_type);
    }

    fn set_body(&mut self, body: Bytes, content_type: &str) {
        self.body = Some(body);
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.headers.insert(CONTENT_TYPE, value);
            }
            Err(_) => self.fail(format!(
                "the content type `{}` is not a valid header value",
                content_type.escape_debug()
            )),
        }
    }

    /// Keeps the first encoding problem, for [`Client::execute`] to report.
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
}

/// Decodes a JSON body into `T`; an empty (or blank) body decodes as `null`,
/// so `()` and `Option<_>` accept `204 No Content`. Generated decoders of
/// [`Client::execute_with`] and [`ErrorBody`](crate::ErrorBody) call this.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(json_or_null(body))
}

/// [`json`], and on failure the path in the body where it failed
/// (`collection.item[3].request`, or `.` at the top). The path is found by
/// decoding a second time, with path tracking, only when the first decode
/// fails: a body that decodes pays nothing for it.
pub(crate) fn json_at<T: DeserializeOwned>(body: &[u8]) -> Result<T, (serde_json::Error, String)> {
    json(body).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(json_or_null(body));
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(tracked) => tracked.path().to_string(),
            Ok(_) => ".".to_owned(),
        };
        (error, path)
    })
}
