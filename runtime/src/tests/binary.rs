//! Tests of `crate::binary`.
