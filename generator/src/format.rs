//! Stage 4: tokens to source text, with `prettyplease` (deterministic, no toolchain needed),
//! laid out like written code: a blank line between items and doc comments wrapped at
//! 100 columns ([`layout`], [`wrap`]).

mod layout;
mod wrap;

use crate::error::{Error, Result};
use proc_macro2::TokenStream;

/// Formats one file and puts the banner on top.
pub fn rust_file(tokens: TokenStream, banner: &str, name: &str) -> Result<String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        message: format!("generated tokens for {name} do not parse as Rust: {e}"),
    })?;
    layout::file(&mut file);
    let mut text = String::with_capacity(4096);
    text.push_str(banner);
    text.push('\n');
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::{Delimiter, TokenTree};
    use quote::quote;

    /// The tokens of `text`, each run of doc attributes of one style (as `///` or `//!`
    /// lines make) replaced by its words: equal for two texts that differ only in where
    /// their doc comments break lines and in blank lines.
    fn normalized(text: &str) -> Vec<String> {
        let tokens: TokenStream = text.parse().expect("formatted text lexes");
        let mut out = Vec::new();
        flatten(tokens, &mut out);
        out
    }

    fn flatten(tokens: TokenStream, out: &mut Vec<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut docs: Option<(bool, Vec<String>)> = None;
        let mut index = 0;
        while index < tokens.len() {
            if let Some((inner, words, length)) = doc_at(&tokens[index..]) {
                match &mut docs {
                    Some((style, run)) if *style == inner => run.extend(words),
                    _ => {
                        flush(&mut docs, out);
                        docs = Some((inner, words));
                    }
                }
                index += length;
                continue;
            }
            flush(&mut docs, out);
            match &tokens[index] {
                TokenTree::Group(group) => {
                    out.push(format!("{:?}(", group.delimiter()));
                    flatten(group.stream(), out);
                    out.push(")".into());
                }
                other => out.push(other.to_string()),
            }
            index += 1;
        }
        flush(&mut docs, out);
    }

    fn flush(docs: &mut Option<(bool, Vec<String>)>, out: &mut Vec<String>) {
        if let Some((inner, words)) = docs.take() {
            out.push(format!("doc(inner: {inner}): {}", words.join(" ")));
        }
    }

    /// A doc attribute at the start of `tokens`: its style, its words, its token count.
    fn doc_at(tokens: &[TokenTree]) -> Option<(bool, Vec<String>, usize)> {
        let TokenTree::Punct(pound) = tokens.first()? else {
            return None;
        };
        if pound.as_char() != '#' {
            return None;
        }
        let inner = matches!(tokens.get(1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        let at = 1 + usize::from(inner);
        let TokenTree::Group(group) = tokens.get(at)? else {
            return None;
        };
        if group.delimiter() != Delimiter::Bracket {
            return None;
        }
        let attr: syn::MetaNameValue = syn::parse2(group.stream()).ok()?;
        if !attr.path.is_ident("doc") {
            return None;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) = attr.value
        else {
            return None;
        };
        let words = lit.value().split_whitespace().map(String::from).collect();
        Some((inner, words, at + 1))
    }

    /// Formats `tokens` with and without the layout and checks that they are the same
    /// program with the same docs: the same tokens once doc runs are reduced to their
    /// words, and the same lines of code once blank lines and doc lines are left out.
    /// Returns the laid-out text.
    fn same_program(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens.clone()).expect("test tokens parse");
        let plain = prettyplease::unparse(&file);
        let laid_out = rust_file(tokens, "// banner", "test.rs").expect("formats");
        let laid_out = laid_out
            .strip_prefix("// banner\n")
            .expect("the banner comes first");
        assert_eq!(normalized(&plain), normalized(laid_out), "{laid_out}");
        let code = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|line| {
                    let line = line.trim_start();
                    !line.is_empty() && !line.starts_with("///") && !line.starts_with("//!")
                })
                .map(String::from)
                .collect()
        };
        assert_eq!(code(&plain), code(laid_out), "{laid_out}");
        laid_out.to_owned()
    }

    /// Every file generated from the Postman spec and from each fixture spec is the same
    /// program with the layout as without it, and only unbreakable lines pass 100 columns.
    #[test]
    fn the_layout_keeps_every_generated_file_the_same_program() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs = vec![root.join("spec/postman.yaml")];
        let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
            .expect("the fixtures folder")
            .map(|entry| entry.expect("a folder entry").path())
            .filter(|path| path.extension().is_some_and(|x| x == "yaml"))
            .collect();
        fixtures.sort();
        assert!(!fixtures.is_empty());
        specs.extend(fixtures);
        for spec in specs {
            let name = spec.display().to_string();
            let text = std::fs::read_to_string(&spec).expect("a readable spec");
            let settings = crate::Settings::new("layout-client", &name);
            let document = crate::load(&text, &name).expect("the spec loads");
            let lowered = crate::lower::lower(&document, &settings).expect("the spec lowers");
            for (path, tokens) in crate::emit::token_files(&lowered.api, &settings) {
                let text = same_program(tokens);
                for line in text.lines().filter(|line| line.chars().count() > 100) {
                    let doc = line.trim_start().starts_with("///")
                        || line.trim_start().starts_with("//!");
                    assert!(
                        doc || line.contains('"'),
                        "{name}, {path}: a line of code over 100 columns: {line}"
                    );
                }
            }
        }
    }

    #[test]
    fn items_are_separated_by_blank_lines() {
        let text = same_program(quote! {
            #![doc = " Module docs."]
            use a::b;
            pub use c::d;
            mod x;
            mod y;
            #[cfg(feature = "z")]
            mod z;
            #[cfg(feature = "z")]
            pub use z::*;
            mod w;
            #[doc = " Documented."]
            pub mod v;
            pub mod u;
            const A: u8 = 1;
            const B: u8 = 2;
            #[doc = " Documented."]
            const C: u8 = 3;
            static D: u8 = 4;
            type E1 = u8;
            type E2 = u8;
            pub struct S {
                #[doc = " A field."]
                pub a: u8,
                #[doc = " Another."]
                pub b: u8,
            }
            pub enum E {
                #[doc = " A."]
                A,
                B { x: u8, y: u8 },
            }
            impl S {
                const N: u8 = 1;
                #[doc = " New."]
                pub fn new() -> Self { todo!() }
                fn other(&self) { let a = 1; let b = 2; }
            }
            pub trait T {
                type A;
                type B;
                fn one(&self);
                fn two(&self) {}
            }
            impl T for S {
                type A = u8;
                type B = u8;
                fn one(&self) {}
            }
            mod inline {
                use super::S;
                fn f() {}
                fn g() {}
            }
        });
        assert_eq!(
            text,
            r#"//! Module docs.

use a::b;
pub use c::d;
mod x;
mod y;

#[cfg(feature = "z")]
mod z;
#[cfg(feature = "z")]
pub use z::*;

mod w;

/// Documented.
pub mod v;

pub mod u;

const A: u8 = 1;
const B: u8 = 2;

/// Documented.
const C: u8 = 3;

static D: u8 = 4;

type E1 = u8;
type E2 = u8;

pub struct S {
    /// A field.
    pub a: u8,
    /// Another.
    pub b: u8,
}

pub enum E {
    /// A.
    A,
    B { x: u8, y: u8 },
}

impl S {
    const N: u8 = 1;

    /// New.
    pub fn new() -> Self {
        todo!()
    }

    fn other(&self) {
        let a = 1;
        let b = 2;
    }
}

pub trait T {
    type A;
    type B;

    fn one(&self);

    fn two(&self) {}
}

impl T for S {
    type A = u8;
    type B = u8;

    fn one(&self) {}
}

mod inline {
    use super::S;

    fn f() {}

    fn g() {}
}
"#
        );
    }

    #[test]
    fn inner_attributes_are_followed_by_a_blank_line() {
        let text = same_program(quote! {
            mod inline {
                #![doc = " Inner docs."]
                #![allow(dead_code)]
                fn f() {}
            }
            impl S {
                #![doc = " Inner."]
                fn f() {}
            }
        });
        assert_eq!(
            text,
            "mod inline {\n    //! Inner docs.\n    #![allow(dead_code)]\n\n    fn f() {}\n}\n\n\
             impl S {\n    //! Inner.\n\n    fn f() {}\n}\n"
        );
        // Nothing to separate: no blank line.
        assert_eq!(same_program(quote! { fn f() {} }), "fn f() {}\n");
        assert_eq!(
            same_program(quote! { #![doc = " Only docs."] }),
            "//! Only docs.\n"
        );
    }

    #[test]
    fn doc_comments_wrap_at_100_columns_counting_their_indentation() {
        let words = "word ".repeat(40);
        let long = format!(" {}", words.trim_end());
        let text = same_program(quote! {
            #![doc = #long]
            #[doc = #long]
            pub struct S {
                #[doc = #long]
                pub a: u8,
            }
            pub enum E {
                B {
                    #[doc = #long]
                    x: u8,
                },
            }
            impl S {
                #[doc = #long]
                pub fn new() -> Self { todo!() }
            }
            mod inline {
                #![doc = #long]
                #[doc = #long]
                fn f() {}
            }
        });
        let mut doc_lines = 0;
        for line in text.lines() {
            let chars = line.chars().count();
            assert!(chars <= 100, "{chars} columns: {line:?}");
            if line.trim_start().starts_with("///") || line.trim_start().starts_with("//!") {
                doc_lines += 1;
                // Lines are filled: another word would not have fit.
                let next = text.lines().skip_while(|l| *l != line).nth(1).unwrap_or("");
                if next.trim_start().starts_with(&line.trim_start()[..3]) {
                    assert!(chars + " word".len() > 100, "{line:?} is not filled");
                }
            }
        }
        assert!(doc_lines > 7, "every comment wrapped:\n{text}");
    }

    #[test]
    fn string_literals_and_code_are_never_touched() {
        let multi_line = "first line\n    /// looks like a doc comment, and is much longer than one hundred columns, so it would be wrapped if it were one\n\nmod looks_like_an_item;\nfn f() {}\n";
        let raw: TokenStream = format!("r#\"{multi_line}\"#")
            .parse()
            .expect("a raw string");
        let long = "a string literal with spaces that is much longer than one hundred columns and must stay on one line";
        let text = same_program(quote! {
            #[doc = " Docs."]
            pub const RAW: &str = #raw;
            pub const ESCAPED: &str = #multi_line;
            pub const LONG: &str = #long;
            pub fn f() -> &'static str {
                let _ = '"';
                let _ = "\"";
                #raw
            }
        });
        assert!(text.contains(&format!("r#\"{multi_line}\"#")), "{text}");
        assert!(text.contains(long), "{text}");
    }

    #[test]
    fn docs_that_are_not_lines_are_left_alone() {
        let long = "x ".repeat(60);
        let text = same_program(quote! {
            #[doc = #long]
            #[doc = "\nA block comment"]
            #[doc = "/starts with a slash"]
            #[doc(hidden)]
            #[doc = concat!("a", "b")]
            pub struct S;
        });
        assert!(text.contains("/**\nA block comment*/"), "{text}");
        assert!(text.contains("#[doc = \"/starts with a slash\"]"), "{text}");
        assert!(text.contains("#[doc(hidden)]"), "{text}");
    }
}
