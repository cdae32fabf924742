//! Tests of `crate::blocking`.
