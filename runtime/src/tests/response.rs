//! Tests of `crate::response`.
