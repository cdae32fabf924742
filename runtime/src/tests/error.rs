//! Tests of `crate::error`.
