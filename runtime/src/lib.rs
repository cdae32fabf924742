//! The runtime of every generated client crate: the client, requests, responses, errors,
//! retries, the rate limiter and pagination.
//!
//! This crate is compiled, linted and tested here, and embedded as source into each
//! generated crate: the generator copies the module files (not this `lib.rs`, and not the
//! stand-ins `meta` and `operations`, nor `tests`) and writes the crate root itself from `generator::runtime::MODULES`,
//! which a test there keeps in step with the declarations below. The files depend on the
//! spec only through the constants of `meta`, which the generator writes for each API;
//! here `meta` is a stand-in with the values of a typical API.

mod binary;
#[cfg(feature = "blocking")]
mod blocking;
mod client;
mod error;
mod ids;
mod limiter;
mod meta;
mod nullable;
mod object;
mod operations;
mod options;
mod pagination;
mod rate_limit;
mod request;
mod response;
mod retry;
mod stream;

#[cfg(test)]
mod tests;

pub use binary::Binary;
pub use client::{ApiKey, AuthMode, Client, ClientBuilder};
pub use error::{
    ApiError, BodyTooLargeError, DecodeError, Error, ErrorBody, TimeLimit, TimeoutError,
    TimeoutPhase,
};
pub use ids::{Uid, UidError};
pub use nullable::Nullable;
pub use operations::{GetMe, Me};
pub use options::RequestOptions;
pub use pagination::{Items, Pages, Paginated};
pub use rate_limit::RateLimit;
pub use response::Response;
pub use retry::RetryPolicy;
pub use stream::ItemStream;
