//! Tests of `crate::rate_limit`.
