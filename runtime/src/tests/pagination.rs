//! Tests of `crate::pagination`.
