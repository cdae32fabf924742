//! Stand-in for the modules the generator writes for each tag: one operation, written
//! the way the generator writes every operation (a method on [`Client`] returning a
//! request builder whose `send` goes through `request::Request` and `Client::execute`).
//! It gives the runtime's crate-internal API a caller when the crate is built alone.

use crate::{Client, Error, RequestOptions, Response};

impl Client {
    /// `GET /me`: who the API key belongs to, as raw JSON.
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
    pub async fn send(self) -> Result<Response<serde_json::Value>, Error> {
        let request = crate::request::Request::new(reqwest::Method::GET, String::from("/me"))
            .with_options(self.request_options);
        self.client.execute(request).await
    }

    /// Sends the request and waits for the answer (feature `blocking`).
    #[cfg(feature = "blocking")]
    pub fn send_blocking(self) -> Result<Response<serde_json::Value>, Error> {
        crate::blocking::block_on(self.send())
    }
}
