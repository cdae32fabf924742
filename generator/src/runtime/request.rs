//! The description of one HTTP call, built by generated code, and
//! [`Client::execute`], which sends it.
//!
//! Generated operations only call [`Request::new`], [`Request::query`],
//! [`Request::header`], [`Request::json`], [`encode_path`] and
//! [`Client::execute`]; the `const _` block below pins those signatures.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::ser::{self, Impossible};
use serde_json::Value;

use crate::client::{Auth, Client, Inner};
use crate::error::{ApiError, DecodeError, Error, json_or_null};
use crate::rate_limit::RateLimit;
use crate::response::Response;

// The interface generated code relies on. Referencing the items here also keeps
// them "used" when an API happens not to need one of them (say, no header
// parameter anywhere), so the crate stays free of dead-code warnings.
const _: () = {
    let _: fn(Method, String) -> Request = Request::new;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::query::<Option<String>>;
    let _: fn(&mut Request, &'static str, &Option<String>) = Request::header::<Option<String>>;
    let _: fn(&mut Request, &Value) -> Result<(), Error> = Request::json::<Value>;
    let _: fn(&str) -> Cow<'_, str> = encode_path;
    let _ = Client::execute::<Value>;
};

/// One HTTP call: method, path relative to the base URL, parameters and body.
///
/// Parameter values are serialized with serde as they are added:
///
/// * `None` / `null` / `()` add nothing;
/// * strings are used as they are, numbers in their usual decimal form, booleans
///   as `true` / `false`, unit enum variants by their serde name (so
///   `#[serde(rename = "...")]` is honoured);
/// * a sequence gives one value per element: repeated `name=value` pairs in the
///   query (`form` style, `explode=true`), and the values joined with `,` in a
///   header (`simple` style); `null` elements are skipped;
/// * anything else (a map, a struct, a non-unit enum variant, an element that
///   is itself compound) falls back to its compact JSON text.
///
/// A value that cannot be serialized, or a header that is not valid HTTP, does
/// not fail here: the first such problem is kept and returned by
/// [`Client::execute`] as [`Error::Encode`], so generated code stays linear.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    error: Option<String>,
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
            body: None,
            error: None,
        }
    }

    /// Adds query parameter `name` (see [`Request`] for how values are
    /// written).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Err(message) = write_param(name, value, &mut self.query) {
            self.fail(format!("query parameter `{name}`: {message}"));
        }
    }

    /// Sets header `name`, replacing an earlier value (see [`Request`] for how
    /// values are written).
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let mut values = Vec::new();
        if let Err(message) = write_param(name, value, &mut values) {
            self.fail(format!("header `{name}`: {message}"));
            return;
        }
        if values.is_empty() {
            return;
        }
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid HTTP header name"));
            return;
        };
        let text = if values.len() == 1 {
            values.swap_remove(0).1
        } else {
            let texts: Vec<String> = values.into_iter().map(|(_, text)| text).collect();
            texts.join(",")
        };
        match HeaderValue::try_from(text) {
            Ok(value) => {
                self.headers.insert(header_name, value);
            }
            // The value itself stays out of the message: it may be a secret.
            Err(_) => self.fail(format!(
                "header `{name}`: the value contains characters not allowed in an HTTP header"
            )),
        }
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
        self.body = Some(Bytes::from(bytes));
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(())
    }

    /// Keeps the first encoding problem, for [`Client::execute`] to report.
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// The `reqwest` request for this call, with `Accept`, `User-Agent`,
    /// authentication and timeout.
    fn into_http(self, inner: &Inner) -> Result<reqwest::Request, Error> {
        if let Some(message) = self.error {
            return Err(Error::Encode(message));
        }
        let url = build_url(&inner.base_url, &self.path, &self.query, &inner.auth)?;
        let mut request = reqwest::Request::new(self.method, url);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(agent) = &inner.user_agent {
            headers.insert(USER_AGENT, agent.clone());
        }
        // Parameters may replace the defaults above, but not the credentials below.
        headers.extend(self.headers);
        if let Auth::Header { name, value } = &inner.auth {
            headers.insert(name.clone(), value.clone());
        }
        *request.body_mut() = self.body.map(reqwest::Body::from);
        *request.timeout_mut() = inner.timeout;
        Ok(request)
    }
}

impl Client {
    /// Sends `request` and decodes a `2xx` JSON body into `T` (an empty body
    /// decodes as `null`, so `()` and `Option<_>` accept `204 No Content`).
    ///
    /// # Errors
    ///
    /// * [`Error::Encode`] if a parameter or the path could not be encoded;
    /// * [`Error::Transport`] if the request could not be sent or the body not
    ///   read (the error's URL never holds the API key);
    /// * [`Error::Api`] for any status other than `2xx`;
    /// * [`Error::Decode`] if a `2xx` body is not valid JSON for `T`.
    pub(crate) async fn execute<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error> {
        let inner = self.inner();
        let request = request.into_http(inner)?;
        let mut response = inner
            .http
            .execute(request)
            .await
            .map_err(|e| transport_error(inner, e))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(inner, e))?;
        let rate_limit = RateLimit::from_headers(&headers);
        if !status.is_success() {
            return Err(ApiError::new(status, headers, rate_limit, body).into());
        }
        match serde_json::from_slice(json_or_null(&body)) {
            Ok(value) => Ok(Response::new(status, headers, rate_limit, value)),
            Err(error) => Err(DecodeError::new(
                status,
                headers,
                rate_limit,
                body,
                std::any::type_name::<T>(),
                error,
            )
            .into()),
        }
    }
}

/// Removes the API key from the URL of a `reqwest` error.
fn transport_error(inner: &Inner, mut error: reqwest::Error) -> Error {
    let target = match &inner.auth {
        Auth::Query { name, .. } => error.url_mut().map(|url| (url, *name)),
        Auth::Header { .. } => None,
    };
    if let Some((url, name)) = target {
        remove_query_pair(url, name);
    }
    Error::Transport(error)
}

/// Removes every `name=...` pair from the query of `url`.
fn remove_query_pair(url: &mut Url, name: &str) {
    if !url.query_pairs().any(|(key, _)| key == name) {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// `base` (no trailing slash) + `path` + query pairs + the API key pair in
/// query mode.
fn build_url(
    base: &str,
    path: &str,
    query: &[(&'static str, String)],
    auth: &Auth,
) -> Result<Url, Error> {
    if path.split('/').any(is_dot_segment) {
        // The URL parser would resolve it and send the call to another endpoint.
        return Err(Error::Encode(
            "the request path has a `.` or `..` segment (from a path parameter), \
             which would change the endpoint"
                .to_owned(),
        ));
    }
    let mut text = String::with_capacity(base.len() + path.len() + 1);
    text.push_str(base);
    if !path.starts_with('/') {
        text.push('/');
    }
    text.push_str(path);
    let mut url =
        Url::parse(&text).map_err(|e| Error::Encode(format!("invalid request URL: {e}")))?;
    let key = match auth {
        Auth::Query { name, key } => Some((*name, key.expose())),
        Auth::Header { .. } => None,
    };
    if !query.is_empty() || key.is_some() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
        if let Some((name, key)) = key {
            pairs.append_pair(name, key);
        }
    }
    Ok(url)
}

/// `.` or `..`, also percent-encoded (the URL parser treats `%2e` as `.`).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | "%2e" | ".." | ".%2e" | "%2e." | "%2e%2e"
    )
}

/// Percent-encodes a path parameter so it stays one path segment: every byte
/// of its UTF-8 form except the RFC 3986 unreserved characters (`A-Z a-z 0-9 -
/// . _ ~`) becomes `%XX`, so `a/b c` becomes `a%2Fb%20c`. Borrows when nothing
/// needs encoding.
///
/// A parameter that is exactly `.` or `..` cannot be sent as a segment (URL
/// parsers resolve it, encoded or not); [`Client::execute`] rejects such a path
/// with [`Error::Encode`].
pub(crate) fn encode_path(segment: &str) -> Cow<'_, str> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = segment.as_bytes();
    let Some(first) = bytes.iter().position(|b| !is_unreserved(*b)) else {
        return Cow::Borrowed(segment);
    };
    let mut out = String::with_capacity(segment.len() + 2 * (segment.len() - first));
    out.push_str(&segment[..first]);
    for &byte in &bytes[first..] {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    Cow::Owned(out)
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Appends the text values of parameter `name` to `out` (see [`Request`]).
fn write_param<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    let start = out.len();
    let result = value.serialize(ParamSerializer {
        name,
        out: &mut *out,
    });
    match result {
        Ok(()) => Ok(()),
        Err(ParamError::NotScalar) => {
            out.truncate(start);
            let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
            let values = match json {
                Value::Array(items) => items,
                other => vec![other],
            };
            out.extend(
                values
                    .into_iter()
                    .filter_map(json_text)
                    .map(|text| (name, text)),
            );
            Ok(())
        }
        Err(ParamError::Message(message)) => {
            out.truncate(start);
            Err(message)
        }
    }
}

/// The text of a JSON value as a parameter: `None` for `null`, strings
/// unquoted, anything else as compact JSON.
fn json_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

/// Why the fast scalar path of [`write_param`] gave up.
#[derive(Debug)]
enum ParamError {
    /// A compound value: take the JSON fallback.
    NotScalar,
    /// The value cannot be written at all.
    Message(String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotScalar => f.write_str("not a scalar value"),
            Self::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ParamError {}

impl ser::Error for ParamError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self::Message(message.to_string())
    }
}

/// Serializes one scalar to its text, without going through
/// [`serde_json::Value`]; `None` for null-like values.
struct ScalarSerializer;

macro_rules! display_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Self::Ok, Self::Error> {
                Ok(Some(value.to_string()))
            }
        )*
    };
}

macro_rules! float_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Self::Ok, Self::Error> {
                if value.is_finite() {
                    Ok(Some(value.to_string()))
                } else {
                    Err(ParamError::Message(format!("{value} is not a finite number")))
                }
            }
        )*
    };
}

impl ser::Serializer for ScalarSerializer {
    type Ok = Option<String>;
    type Error = ParamError;
    type SerializeSeq = Impossible<Self::Ok, Self::Error>;
    type SerializeTuple = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Self::Error>;
    type SerializeMap = Impossible<Self::Ok, Self::Error>;
    type SerializeStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeStructVariant = Impossible<Self::Ok, Self::Error>;

    display_scalars!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_char: char,
    );

    float_scalars!(serialize_f32: f32, serialize_f64: f64);

    fn serialize_bool(self, value: bool) -> Result<Self::Ok, Self::Error> {
        Ok(Some(if value { "true" } else { "false" }.to_owned()))
    }

    fn serialize_str(self, value: &str) -> Result<Self::Ok, Self::Error> {
        Ok(Some(value.to_owned()))
    }

    fn serialize_bytes(self, _value: &[u8]) -> Result<Self::Ok, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_none(self) -> Result<Self::Ok, Self::Error> {
        Ok(None)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Self::Ok, Self::Error> {
        Ok(None)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok, Self::Error> {
        Ok(None)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Self::Error> {
        Ok(Some(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(ParamError::NotScalar)
    }
}

/// Serializes a whole parameter value: a scalar, or a sequence of scalars,
/// into `(name, text)` pairs.
struct ParamSerializer<'a> {
    name: &'static str,
    out: &'a mut Vec<(&'static str, String)>,
}

impl ParamSerializer<'_> {
    fn push(self, text: Option<String>) -> Result<(), ParamError> {
        if let Some(text) = text {
            self.out.push((self.name, text));
        }
        Ok(())
    }
}

macro_rules! forward_scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<(), ParamError> {
                let text = ser::Serializer::$method(ScalarSerializer, value)?;
                self.push(text)
            }
        )*
    };
}

impl<'a> ser::Serializer for ParamSerializer<'a> {
    type Ok = ();
    type Error = ParamError;
    type SerializeSeq = SeqSerializer<'a>;
    type SerializeTuple = SeqSerializer<'a>;
    type SerializeTupleStruct = Impossible<(), ParamError>;
    type SerializeTupleVariant = Impossible<(), ParamError>;
    type SerializeMap = Impossible<(), ParamError>;
    type SerializeStruct = Impossible<(), ParamError>;
    type SerializeStructVariant = Impossible<(), ParamError>;

    forward_scalars!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_char: char,
        serialize_str: &str,
    );

    fn serialize_bytes(self, _value: &[u8]) -> Result<(), ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_none(self) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), ParamError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), ParamError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), ParamError> {
        self.push(Some(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), ParamError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ParamError> {
        Ok(SeqSerializer {
            name: self.name,
            out: self.out,
        })
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ParamError> {
        Ok(SeqSerializer {
            name: self.name,
            out: self.out,
        })
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ParamError> {
        Err(ParamError::NotScalar)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ParamError> {
        Err(ParamError::NotScalar)
    }
}

/// The elements of a sequence parameter, one text value each.
struct SeqSerializer<'a> {
    name: &'static str,
    out: &'a mut Vec<(&'static str, String)>,
}

impl SeqSerializer<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        if let Some(text) = value.serialize(ScalarSerializer)? {
            self.out.push((self.name, text));
        }
        Ok(())
    }
}

impl ser::SerializeSeq for SeqSerializer<'_> {
    type Ok = ();
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.element(value)
    }

    fn end(self) -> Result<(), ParamError> {
        Ok(())
    }
}

impl ser::SerializeTuple for SeqSerializer<'_> {
    type Ok = ();
    type Error = ParamError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ParamError> {
        self.element(value)
    }

    fn end(self) -> Result<(), ParamError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use reqwest::StatusCode;
    use serde::Deserialize;

    use crate::client::{ApiKey, AuthMode};

    const KEY: &str = "PMAK-0123456789abcdef-secret";

    fn query_of<T: Serialize + ?Sized>(value: &T) -> Vec<(&'static str, String)> {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query("p", value);
        assert_eq!(request.error, None);
        request.query
    }

    fn texts<T: Serialize + ?Sized>(value: &T) -> Vec<String> {
        query_of(value).into_iter().map(|(_, text)| text).collect()
    }

    fn query_error<T: Serialize + ?Sized>(value: &T) -> String {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query("p", value);
        assert!(request.query.is_empty(), "nothing kept on error");
        request.error.expect("an encoding error")
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        PublicApi,
        #[serde(rename = "private-api")]
        Private,
    }

    #[derive(Serialize)]
    struct Id(u32);

    #[derive(Serialize)]
    struct Filter {
        name: &'static str,
        tags: Vec<&'static str>,
    }

    #[derive(Serialize)]
    enum Shape {
        Circle(f64),
    }

    #[test]
    fn encode_path_keeps_unreserved_and_encodes_the_rest() {
        assert!(matches!(
            encode_path("abc-XYZ_0.9~"),
            Cow::Borrowed("abc-XYZ_0.9~")
        ));
        assert!(matches!(encode_path(""), Cow::Borrowed("")));
        assert_eq!(encode_path("a/b c"), "a%2Fb%20c");
        assert_eq!(
            encode_path("12345-abc?x=1&y#z%"),
            "12345-abc%3Fx%3D1%26y%23z%25"
        );
        assert_eq!(encode_path("é/€"), "%C3%A9%2F%E2%82%AC");
        assert_eq!(
            encode_path("+:@!$'()*,;="),
            "%2B%3A%40%21%24%27%28%29%2A%2C%3B%3D"
        );
        assert_eq!(encode_path("\0\x7f"), "%00%7F");
    }

    #[test]
    fn query_scalars() {
        assert_eq!(query_of("a b&c=d"), [("p", "a b&c=d".to_owned())]);
        assert_eq!(texts(&String::from("s")), ["s"]);
        assert_eq!(texts(&42u32), ["42"]);
        assert_eq!(texts(&-7i64), ["-7"]);
        assert_eq!(texts(&u128::MAX), [u128::MAX.to_string()]);
        assert_eq!(texts(&1.5f64), ["1.5"]);
        assert_eq!(texts(&0.1f32), ["0.1"]);
        assert_eq!(texts(&true), ["true"]);
        assert_eq!(texts(&false), ["false"]);
        assert_eq!(texts(&'x'), ["x"]);
        assert_eq!(texts(&Id(7)), ["7"]);
        assert_eq!(texts(&Some(3u8)), ["3"]);
    }

    #[test]
    fn query_enums_use_serde_names() {
        assert_eq!(texts(&Kind::PublicApi), ["publicApi"]);
        assert_eq!(texts(&Some(Kind::Private)), ["private-api"]);
    }

    #[test]
    fn query_nothing_for_none_and_unit() {
        assert!(texts(&None::<String>).is_empty());
        assert!(texts(&()).is_empty());
        assert!(texts(&Value::Null).is_empty());
        assert!(texts(&Some(None::<u8>)).is_empty());
    }

    #[test]
    fn query_arrays_repeat_the_pair() {
        assert_eq!(
            query_of(&["a", "b c"]),
            [("p", "a".to_owned()), ("p", "b c".to_owned())]
        );
        assert_eq!(
            texts(&vec![Kind::PublicApi, Kind::Private]),
            ["publicApi", "private-api"]
        );
        assert_eq!(texts(&Some(vec![1, 2, 3])), ["1", "2", "3"]);
        assert_eq!(texts(&vec![Some(1), None, Some(3)]), ["1", "3"]);
        assert_eq!(texts(&(1, "two")), ["1", "two"]);
        assert!(texts(&Vec::<u8>::new()).is_empty());
    }

    #[test]
    fn query_compound_values_fall_back_to_json() {
        let filter = Filter {
            name: "n",
            tags: vec!["a", "b"],
        };
        assert_eq!(texts(&filter), [r#"{"name":"n","tags":["a","b"]}"#]);
        let map: BTreeMap<&str, u8> = [("b", 2), ("a", 1)].into();
        assert_eq!(texts(&map), [r#"{"a":1,"b":2}"#]);
        assert_eq!(texts(&Shape::Circle(1.5)), [r#"{"Circle":1.5}"#]);
        // Arrays with compound elements: one JSON text per compound element,
        // and no half-written pairs from the fast path.
        assert_eq!(
            texts(&serde_json::json!([1, {"a": [true]}, null, "s", [2]])),
            ["1", r#"{"a":[true]}"#, "s", "[2]"]
        );
        assert_eq!(texts(&vec![vec![1, 2], vec![3]]), ["[1,2]", "[3]"]);
        assert_eq!(texts(&serde_json::json!({"k": "v"})), [r#"{"k":"v"}"#]);
        assert_eq!(texts(&serde_json::json!("s")), ["s"]);
        assert_eq!(texts(&serde_json::json!(1.25)), ["1.25"]);
    }

    #[test]
    fn query_errors_are_recorded_not_raised() {
        let bad: HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let message = query_error(&bad);
        assert!(message.starts_with("query parameter `p`: "), "{message}");
        assert!(query_error(&f64::NAN).contains("not a finite number"));
        assert!(query_error(&vec![1.0, f64::INFINITY]).contains("not a finite number"));

        // Only the first problem is kept, later parameters still work.
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.query("a", &f64::NAN);
        request.query("b", &bad);
        request.query("c", &1);
        assert!(request.error.as_deref().unwrap().contains("`a`"));
        assert_eq!(request.query, [("c", "1".to_owned())]);
    }

    #[test]
    fn headers_follow_the_same_rules() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("X-Request-Id", &Some("abc"));
        request.header("X-Count", &3);
        request.header("X-Flag", &true);
        request.header("X-Kind", &Kind::PublicApi);
        request.header("X-List", &["a", "b", "c"]);
        request.header("X-None", &None::<String>);
        request.header("X-Empty", &Vec::<String>::new());
        request.header("X-Object", &serde_json::json!({"a": 1}));
        assert_eq!(request.error, None);
        let h = &request.headers;
        assert_eq!(h["x-request-id"], "abc");
        assert_eq!(h["x-count"], "3");
        assert_eq!(h["x-flag"], "true");
        assert_eq!(h["x-kind"], "publicApi");
        assert_eq!(h["x-list"], "a,b,c");
        assert_eq!(h["x-object"], r#"{"a":1}"#);
        assert!(!h.contains_key("x-none") && !h.contains_key("x-empty"));
        // Setting a header again replaces it.
        request.header("X-Count", &4);
        assert_eq!(request.headers.get_all("x-count").iter().count(), 1);
        assert_eq!(request.headers["x-count"], "4");
    }

    #[test]
    fn invalid_headers_are_encode_errors() {
        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("X-Id", "line\nbreak-secret");
        let message = request.error.clone().unwrap();
        assert!(message.contains("`X-Id`"), "{message}");
        assert!(!message.contains("secret"), "{message}");
        assert!(request.headers.is_empty());

        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("Bad Name", "v");
        assert!(request.error.unwrap().contains("`Bad Name`"));

        let mut request = Request::new(Method::GET, "/x".to_owned());
        request.header("X-Bad", &f32::NAN);
        assert!(request.error.unwrap().contains("`X-Bad`"));
    }

    #[test]
    fn json_body() {
        let mut request = Request::new(Method::POST, "/x".to_owned());
        request
            .json(&serde_json::json!({"collection": {"info": {"name": "n"}}}))
            .unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some(&br#"{"collection":{"info":{"name":"n"}}}"#[..])
        );
        assert_eq!(request.headers[CONTENT_TYPE], "application/json");

        let bad: HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let err = request.json(&bad).unwrap_err();
        assert!(
            matches!(&err, Error::Encode(m) if m.starts_with("request body: ")),
            "{err:?}"
        );
    }

    fn test_client(mode: AuthMode, base_url: &str) -> Client {
        Client::builder()
            .api_key(KEY)
            .auth_mode(mode)
            .base_url(base_url)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    }

    fn header_auth() -> Auth {
        Auth::Header {
            name: HeaderName::from_static("x-api-key"),
            value: HeaderValue::from_static("k"),
        }
    }

    #[test]
    fn url_joining() {
        let auth = header_auth();
        let url = |base: &str, path: &str| build_url(base, path, &[], &auth).unwrap().to_string();
        assert_eq!(
            url("https://api.example.com", "/me"),
            "https://api.example.com/me"
        );
        assert_eq!(
            url("https://api.example.com", "me"),
            "https://api.example.com/me"
        );
        assert_eq!(
            url("http://127.0.0.1:1234/v1", "/collections/a%2Fb"),
            "http://127.0.0.1:1234/v1/collections/a%2Fb"
        );
        assert_eq!(
            url("http://127.0.0.1:1234/v1", "/"),
            "http://127.0.0.1:1234/v1/"
        );
        assert_eq!(
            url("http://127.0.0.1:1234/v1", ""),
            "http://127.0.0.1:1234/v1/"
        );
        // The base URL as the client stores it.
        let client = test_client(AuthMode::Header, "http://127.0.0.1:1234/v1/");
        let request = Request::new(Method::GET, "/workspaces".to_owned())
            .into_http(client.inner())
            .unwrap();
        assert_eq!(
            request.url().as_str(),
            "http://127.0.0.1:1234/v1/workspaces"
        );
    }

    #[test]
    fn query_pairs_are_form_encoded() {
        let query = [
            ("q", "a b&c=d/é".to_owned()),
            ("tag", "x".to_owned()),
            ("tag", "y".to_owned()),
        ];
        let url = build_url("http://h", "/s", &query, &header_auth()).unwrap();
        assert_eq!(
            url.as_str(),
            "http://h/s?q=a+b%26c%3Dd%2F%C3%A9&tag=x&tag=y"
        );
        let pairs: Vec<_> = url.query_pairs().collect();
        assert_eq!(pairs[0].1, "a b&c=d/é");
    }

    #[test]
    fn dot_segments_are_rejected() {
        for id in [".", "..", "%2e", "%2E%2e", ".%2E", "%2e."] {
            let path = format!("/collections/{id}/forks");
            let err = build_url("http://h/v1", &path, &[], &header_auth()).unwrap_err();
            assert!(matches!(err, Error::Encode(_)), "{id}: {err:?}");
        }
        // What it prevents: the URL parser resolving the segment.
        assert_eq!(
            Url::parse("http://h/v1/a/%2e%2E/b").unwrap().as_str(),
            "http://h/v1/b"
        );
        // Dots inside a segment are fine.
        for id in ["a.b", "...", ".x", "x.."] {
            let path = format!("/collections/{}", encode_path(id));
            let url = build_url("http://h", &path, &[], &header_auth()).unwrap();
            assert_eq!(url.path(), format!("/collections/{id}"));
        }
    }

    #[test]
    fn http_request_in_header_mode() {
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::POST, "/collections".to_owned());
        request.query("workspace", &Some("w 1"));
        request.header("X-Request-Id", "r-1");
        request.json(&serde_json::json!({"a": 1})).unwrap();
        let http = request.into_http(client.inner()).unwrap();
        assert_eq!(http.method(), Method::POST);
        assert_eq!(
            http.url().as_str(),
            "https://api.example.com/collections?workspace=w+1"
        );
        assert!(!http.url().as_str().contains(KEY));
        let headers = http.headers();
        assert_eq!(headers[ACCEPT], "application/json");
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        assert_eq!(headers[USER_AGENT], crate::meta::USER_AGENT);
        assert_eq!(headers["x-request-id"], "r-1");
        let auth = &headers[crate::meta::API_KEY_HEADER.unwrap()];
        assert_eq!(auth, KEY);
        assert!(auth.is_sensitive());
        assert!(!format!("{headers:?}").contains(KEY));
        assert_eq!(http.timeout(), Some(&Duration::from_secs(10)));
        assert_eq!(
            http.body().and_then(reqwest::Body::as_bytes),
            Some(&br#"{"a":1}"#[..])
        );
    }

    #[test]
    fn parameters_cannot_replace_the_key() {
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.header(crate::meta::API_KEY_HEADER.unwrap(), "other");
        request.header("Accept", "application/vnd.x+json");
        let http = request.into_http(client.inner()).unwrap();
        assert_eq!(http.headers()[crate::meta::API_KEY_HEADER.unwrap()], KEY);
        assert_eq!(http.headers()[ACCEPT], "application/vnd.x+json");
    }

    #[test]
    fn http_request_in_query_mode() {
        let client = test_client(AuthMode::Query, "https://api.example.com/v1");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.query("tag", &["a", "b"]);
        let http = request.into_http(client.inner()).unwrap();
        let name = crate::meta::API_KEY_QUERY.unwrap();
        assert_eq!(
            http.url().as_str(),
            format!("https://api.example.com/v1/me?tag=a&tag=b&{name}={KEY}")
        );
        assert!(
            !http
                .headers()
                .contains_key(crate::meta::API_KEY_HEADER.unwrap())
        );
        let http = Request::new(Method::GET, "/me".to_owned())
            .into_http(client.inner())
            .unwrap();
        assert_eq!(http.url().query(), Some(format!("{name}={KEY}").as_str()));
    }

    #[test]
    fn recorded_errors_surface_as_encode_errors() {
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.header("X-Id", "a\rb");
        let err = request.into_http(client.inner()).unwrap_err();
        assert!(matches!(err, Error::Encode(_)), "{err:?}");
    }

    #[test]
    fn remove_query_pair_strips_only_the_key() {
        let mut url = Url::parse("http://h/p?a=1&apikey=SECRET&b=x+y&apikey=2").unwrap();
        remove_query_pair(&mut url, "apikey");
        assert_eq!(url.as_str(), "http://h/p?a=1&b=x+y");
        let mut url = Url::parse("http://h/p?apikey=SECRET").unwrap();
        remove_query_pair(&mut url, "apikey");
        assert_eq!(url.as_str(), "http://h/p");
        let mut url = Url::parse("http://h/p?a=%2F").unwrap();
        remove_query_pair(&mut url, "apikey");
        assert_eq!(
            url.as_str(),
            "http://h/p?a=%2F",
            "untouched without the key"
        );
    }

    #[test]
    fn execute_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = test_client(AuthMode::Header, "https://api.example.com");
        let future = client.execute::<Value>(Request::new(Method::GET, "/me".to_owned()));
        assert_send(&future);
    }

    // ---- End to end against a one-shot HTTP server on 127.0.0.1 ----

    /// A listener on a free port of 127.0.0.1, and its `http://` origin.
    fn listen() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        (listener, origin)
    }

    /// Answers one connection with `response`; returns the raw request.
    fn answer(listener: &TcpListener, response: &str) -> String {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let content_length = line
                .split_once(':')
                .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"));
            if let Some((_, value)) = content_length {
                length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        reader.get_mut().write_all(response.as_bytes()).unwrap();
        head + &String::from_utf8(body).unwrap()
    }

    /// Answers connections with `responses`, in order, on a background thread.
    fn serve(
        listener: TcpListener,
        responses: Vec<String>,
    ) -> std::thread::JoinHandle<Vec<String>> {
        std::thread::spawn(move || {
            responses
                .iter()
                .map(|response| answer(&listener, response))
                .collect()
        })
    }

    /// Serves one response; returns the base URL (with a `/v1` prefix) and the
    /// handle that yields the raw request.
    fn serve_once(response: String) -> (String, std::thread::JoinHandle<String>) {
        let (listener, origin) = listen();
        let handle = std::thread::spawn(move || answer(&listener, &response));
        (format!("{origin}/v1"), handle)
    }

    fn http_response(status: &str, extra_headers: &str, body: &str) -> String {
        format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n{body}",
            body.len()
        )
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Me {
        user: User,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct User {
        id: u64,
    }

    #[tokio::test]
    async fn execute_decodes_a_success() {
        let (base, server) = serve_once(http_response(
            "200 OK",
            "Content-Type: application/json\r\nX-RateLimit-Remaining: 299\r\n",
            r#"{"user":{"id":12}}"#,
        ));
        let client = test_client(AuthMode::Header, &base);
        let mut request = Request::new(Method::POST, format!("/users/{}", encode_path("a b")));
        request.query("tag", &["x", "y"]);
        request.json(&serde_json::json!({"k": true})).unwrap();
        let response = client.execute::<Me>(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.user.id, 12);
        assert_eq!(response.rate_limit().remaining(), Some(299));
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");

        let raw = server.join().unwrap();
        let lower = raw.to_ascii_lowercase();
        assert!(
            raw.starts_with("POST /v1/users/a%20b?tag=x&tag=y HTTP/1.1\r\n"),
            "{raw}"
        );
        assert!(
            lower.contains(&format!("x-api-key: {}\r\n", KEY.to_ascii_lowercase())),
            "{raw}"
        );
        assert!(lower.contains("accept: application/json\r\n"), "{raw}");
        assert!(
            lower.contains("content-type: application/json\r\n"),
            "{raw}"
        );
        assert!(
            lower.contains(&format!("user-agent: {}\r\n", crate::meta::USER_AGENT)),
            "{raw}"
        );
        assert!(raw.ends_with(r#"{"k":true}"#), "{raw}");
    }

    #[tokio::test]
    async fn execute_treats_an_empty_body_as_null() {
        let (base, server) = serve_once(http_response("204 No Content", "", ""));
        let client = test_client(AuthMode::Query, &base);
        let response = client
            .execute::<()>(Request::new(Method::DELETE, "/things/1".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let raw = server.join().unwrap();
        let name = crate::meta::API_KEY_QUERY.unwrap();
        assert!(
            raw.starts_with(&format!("DELETE /v1/things/1?{name}={KEY} HTTP/1.1")),
            "{raw}"
        );

        let (base, server) = serve_once(http_response("200 OK", "", ""));
        let client = test_client(AuthMode::Header, &base);
        let response = client
            .execute::<Option<Me>>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.into_body(), None);
        server.join().unwrap();
    }

    #[tokio::test]
    async fn execute_reports_api_errors() {
        let (base, server) = serve_once(http_response(
            "401 Unauthorized",
            "X-RateLimit-Limit: 300\r\nX-RateLimit-Reset: 1700000000\r\n",
            r#"{"error":{"name":"AuthenticationError","message":"Invalid API Key. Every request requires a valid API Key to be sent."}}"#,
        ));
        let client = test_client(AuthMode::Query, &base);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(err.rate_limit().unwrap().limit(), Some(300));
        assert_eq!(err.rate_limit().unwrap().reset(), Some(1_700_000_000));
        let Error::Api(api) = &err else {
            panic!("expected an API error: {err:?}")
        };
        assert_eq!(api.name(), Some("AuthenticationError"));
        assert_eq!(
            err.to_string(),
            "401 Unauthorized: AuthenticationError: Invalid API Key. Every request requires a valid API Key to be sent."
        );
        assert!(!format!("{err} {err:?}").contains(KEY));
    }

    #[tokio::test]
    async fn execute_reports_decode_errors() {
        let body = r#"{"user":{"id":"not a number"}}"#;
        let (base, server) = serve_once(http_response(
            "200 OK",
            "X-RateLimit-Remaining: 1\r\n",
            body,
        ));
        let client = test_client(AuthMode::Header, &base);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error: {err:?}")
        };
        assert_eq!(decode.status(), StatusCode::OK);
        assert_eq!(decode.text(), body);
        assert_eq!(decode.body().as_ref(), body.as_bytes());
        assert_eq!(decode.rate_limit().remaining(), Some(1));
        assert_eq!(decode.json_error().line(), 1);
        assert!(
            decode.target_type().ends_with("Me"),
            "{}",
            decode.target_type()
        );
        assert!(err.to_string().contains("invalid type: string"), "{err}");
    }

    #[tokio::test]
    async fn execute_surfaces_encode_errors_before_sending() {
        let client = test_client(AuthMode::Header, "http://127.0.0.1:9");
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.query("p", &f64::NAN);
        let err = client.execute::<Value>(request).await.unwrap_err();
        assert!(matches!(err, Error::Encode(_)), "{err:?}");
    }

    #[tokio::test]
    async fn transport_errors_never_contain_the_key() {
        // Accepts connections (the kernel backlog does) but never answers, so
        // the request times out with its URL in the error.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let client = Client::builder()
            .api_key(ApiKey::from(KEY))
            .auth_mode(AuthMode::Query)
            .base_url(&base)
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let mut request = Request::new(Method::GET, "/me".to_owned());
        request.query("a", "1");
        let err = client.execute::<Value>(request).await.unwrap_err();
        let Error::Transport(inner) = &err else {
            panic!("expected a transport error: {err:?}")
        };
        assert!(inner.is_timeout(), "{err:?}");
        assert_eq!(
            inner.url().map(Url::as_str),
            Some(format!("{base}/me?a=1").as_str())
        );
        let mut shown = format!("{err} | {err:?} | {inner}");
        let mut source = std::error::Error::source(&err);
        while let Some(e) = source {
            shown += &format!(" | {e} | {e:?}");
            source = e.source();
        }
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
        drop(listener);
    }

    #[tokio::test]
    async fn follows_same_origin_redirects() {
        let (listener, origin) = listen();
        let server = serve(
            listener,
            vec![
                http_response("302 Found", "Location: /v1/other\r\n", ""),
                http_response("200 OK", "", r#"{"user":{"id":1}}"#),
            ],
        );
        let client = test_client(AuthMode::Header, &format!("{origin}/v1"));
        let response = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap();
        assert_eq!(response.user.id, 1);
        let requests = server.join().unwrap();
        assert!(
            requests[1].starts_with("GET /v1/other HTTP/1.1"),
            "{requests:?}"
        );
        assert!(
            requests[1].to_ascii_lowercase().contains("x-api-key: "),
            "{requests:?}"
        );
    }

    #[tokio::test]
    async fn stops_at_redirects_to_another_origin() {
        let (elsewhere, elsewhere_origin) = listen();
        elsewhere.set_nonblocking(true).unwrap();
        for mode in [AuthMode::Header, AuthMode::Query] {
            let (listener, origin) = listen();
            let location = format!("Location: {elsewhere_origin}/steal\r\n");
            let server = serve(
                listener,
                vec![http_response("301 Moved Permanently", &location, "")],
            );
            let client = test_client(mode, &origin);
            let err = client
                .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
                .await
                .unwrap_err();
            server.join().unwrap();
            assert_eq!(err.status(), Some(StatusCode::MOVED_PERMANENTLY), "{err:?}");
            assert!(matches!(err, Error::Api(_)), "{err:?}");
        }
        let never = elsewhere.accept().map(|_| ()).unwrap_err();
        assert_eq!(
            never.kind(),
            std::io::ErrorKind::WouldBlock,
            "the key went elsewhere"
        );
    }

    #[tokio::test]
    async fn redirect_loops_end_without_leaking_the_key() {
        let (listener, origin) = listen();
        let name = crate::meta::API_KEY_QUERY.unwrap();
        let location = format!("Location: /loop?{name}={KEY}&n=1\r\n");
        let server = serve(
            listener,
            vec![http_response("302 Found", &location, ""); crate::client::MAX_REDIRECTS + 1],
        );
        let client = test_client(AuthMode::Query, &origin);
        let err = client
            .execute::<Me>(Request::new(Method::GET, "/me".to_owned()))
            .await
            .unwrap_err();
        server.join().unwrap();
        let Error::Transport(inner) = &err else {
            panic!("expected a transport error: {err:?}")
        };
        assert!(inner.is_redirect(), "{err:?}");
        assert_eq!(
            inner.url().map(Url::as_str),
            Some(format!("{origin}/loop?n=1").as_str())
        );
        assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
    }
}
