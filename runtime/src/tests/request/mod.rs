//! Tests of `crate::request`, one file per part of the module (the URL,
//! parameters, bodies, the `reqwest` request, sending, reading answers'
//! bodies), sharing the fixtures below.

mod bodies;
mod body;
mod http;
mod methods;
mod params;
mod send;
mod url;

use std::time::Duration;

use serde::Serialize;

use crate::client::{AuthMode, Client, Schemes};

pub(super) const KEY: &str = "PMAK-0123456789abcdef-secret";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    PublicApi,
    #[serde(rename = "private-api")]
    Private,
}

#[derive(Serialize)]
struct Id(u32);

fn test_client(mode: AuthMode, base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .auth_mode(mode)
        .base_url(base_url)
        .allow_insecure_http(true)
        .timeout(Duration::from_secs(10))
        .build_with(&Schemes::TEST)
        .unwrap()
}

fn client_with(mode: AuthMode, base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .auth_mode(mode)
        .base_url(base_url)
        .allow_insecure_http(true)
        .build_with(&Schemes::TEST)
        .unwrap()
}
