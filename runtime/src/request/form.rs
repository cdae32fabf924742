//! `application/x-www-form-urlencoded` request bodies.

use serde::Serialize;

use super::node::{body_fields, flatten};
use crate::error::Error;

pub(crate) const MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// The form-encoded text of `body`, which must serialize as an object (see
/// [`Request::form`](super::Request::form) for how fields are written).
pub(crate) fn encode<T: Serialize + ?Sized>(body: &T) -> Result<String, Error> {
    let mut pairs = Vec::new();
    for (key, value) in body_fields(body, MEDIA_TYPE)? {
        flatten(key, value, true, &mut pairs)
            .map_err(|message| Error::Encode(format!("request body: {message}")))?;
    }
    // Alphanumerics and `*-._` as they are, space as `+`, anything else as `%XX`.
    Ok(form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish())
}
