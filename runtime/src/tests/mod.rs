//! Unit tests of the runtime, kept apart from the module files so that the generator,
//! which embeds those files into every generated crate, ships none of them.
//!
//! Each file tests the module of its name; items the tests reach are `pub(crate)`.

mod binary;
#[cfg(feature = "blocking")]
mod blocking;
mod client;
mod error;
mod ids;
mod limiter;
mod nullable;
mod object;
mod options;
mod pagination;
mod rate_limit;
mod request;
mod response;
mod retry;
mod stream;
