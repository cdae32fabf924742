//! Doc comments from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` per line of each paragraph, paragraphs separated by an empty line.
/// The leading space makes the formatter print `/// line`, not `///line`.
pub fn outer<'t>(paragraphs: impl IntoIterator<Item = &'t str>) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #[doc = #lines] )* }
}

/// Like [`outer`], as inner attributes (`//!`).
pub fn inner<'t>(paragraphs: impl IntoIterator<Item = &'t str>) -> TokenStream {
    let lines = lines(paragraphs);
    quote! { #( #![doc = #lines] )* }
}

fn lines<'t>(paragraphs: impl IntoIterator<Item = &'t str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        for line in paragraph.lines() {
            let line = line.trim_end();
            out.push(if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            });
        }
    }
    out
}
