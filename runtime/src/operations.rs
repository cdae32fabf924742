//! Stand-in for the modules the generator writes for each tag and for `types`: one
//! operation and one response type, written the way the generator writes them (a method
//! on [`Client`] returning a request builder whose `send` goes through
//! `request::Request` and `Client::execute`; a `#[non_exhaustive]` struct built with `new`
//! and `with_` setters that keeps unknown members and decodes through
//! `object::MemberName`). It gives the runtime's crate-internal API a
//! caller when the crate is built alone.

use crate::{Client, Error, RequestOptions, Response};

impl Client {
    /// `GET /me`: who the API key belongs to.
    pub fn get_me(&self) -> GetMe<'_> {
        GetMe {
            client: self,
            request_options: RequestOptions::new(),
        }
    }
}

/// Request builder for [`Client::get_me`].
#[derive(Debug, Clone)]
#[must_use = "a request builder does nothing until `.send().await`"]
pub struct GetMe<'a> {
    client: &'a Client,
    request_options: RequestOptions,
}

impl GetMe<'_> {
    /// Overrides the client's timeout and retry policy for this call.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.request_options = options;
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Response<Me>, Error> {
        let request = crate::request::Request::new(reqwest::Method::GET, String::from("/me"))
            .with_options(self.request_options);
        self.client.execute(request).await
    }

    /// Sends the request and waits for the answer (feature `blocking`).
    #[cfg(feature = "blocking")]
    pub fn send_blocking(self) -> Result<Response<Me>, Error> {
        crate::blocking::block_on(self.send())
    }
}

/// Who the API key belongs to.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[non_exhaustive]
pub struct Me {
    /// The user's id.
    pub id: i64,
    /// The user's display name, if they set one; `null` clears it.
    #[serde(default, skip_serializing_if = "crate::Nullable::is_absent")]
    pub name: crate::Nullable<String>,
    /// Members the API description does not name, kept as received and sent back
    /// unchanged.
    #[serde(flatten)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Me {
    /// A `Me` from the member every value has: [`id`](Self::id). Set the others with the
    /// `with_` methods.
    pub fn new(id: i64) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    /// Sets [`name`](Self::name) to a value; to send `null`, set the field to
    /// [`Nullable::Null`](crate::Nullable::Null).
    pub fn with_name(mut self, value: impl Into<String>) -> Self {
        self.name = crate::Nullable::Value(value.into());
        self
    }
}

impl<'de> serde::Deserialize<'de> for Me {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MeVisitor;

        impl<'de> serde::de::Visitor<'de> for MeVisitor {
            type Value = Me;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a Me object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut members: A,
            ) -> Result<Me, A::Error> {
                let mut id = None;
                let mut name = crate::Nullable::Absent;
                let mut extra = std::collections::BTreeMap::new();
                while let Some(member) = members.next_key::<crate::object::MemberName<'de>>()? {
                    match member.as_str() {
                        "id" => id = Some(members.next_value()?),
                        "name" => name = members.next_value()?,
                        _ => {
                            extra.insert(member.into_string(), members.next_value()?);
                        }
                    }
                }
                Ok(Me {
                    id: id.ok_or_else(|| serde::de::Error::missing_field("id"))?,
                    name,
                    extra,
                })
            }
        }

        deserializer.deserialize_map(MeVisitor)
    }
}
