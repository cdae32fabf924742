//! Stage 4: tokens to source text, with `prettyplease` (deterministic, no toolchain needed).

use crate::error::{Error, Result};
use proc_macro2::TokenStream;

/// Formats one file and puts the banner on top.
pub fn rust_file(tokens: TokenStream, banner: &str, name: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        message: format!("generated tokens for {name} do not parse as Rust: {e}"),
    })?;
    let mut text = String::with_capacity(4096);
    text.push_str(banner);
    text.push('\n');
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}
