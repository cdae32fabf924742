//! Tests of `crate::limiter`.
