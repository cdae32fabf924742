//! Tests of `crate::request`.
