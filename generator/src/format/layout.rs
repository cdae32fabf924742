//! The layout prettyplease leaves to the author, decided on the syntax tree before printing:
//! blank lines between items, and doc comments wrapped to the line width.
//!
//! Both only touch what cannot change the program: a blank line is an empty verbatim item
//! (no tokens; prettyplease prints it as an empty line), and wrapping only splits the text
//! of `#[doc]` attributes into more of them. Code, string literals and the lines inside
//! them are never looked at as text.

use super::wrap;
use proc_macro2::{Ident, TokenStream};
use syn::token::Bracket;
use syn::{
    AttrStyle, Attribute, Expr, ExprLit, Fields, File, ImplItem, Item, Lit, LitStr, Meta,
    MetaNameValue, Token, TraitItem,
};

/// The longest line, in characters, that doc comments are wrapped to.
pub const WIDTH: usize = 100;
/// prettyplease's indentation per level.
const INDENT: usize = 4;

/// Lays out a whole file.
pub fn file(file: &mut File) {
    // The attributes of a file are all inner ones (`//!`), printed at the left margin.
    wrap_docs(&mut file.attrs, Style::Inner, 0);
    let after_inner = !file.attrs.is_empty();
    items(&mut file.items, 0, after_inner);
}

/// Items at `depth` levels of indentation (in a file or an inline module), a blank line
/// between two of them except within a run (see [`run`]). `after_inner`: the items follow
/// the container's inner attributes, so the first one gets a blank line too.
fn items(items: &mut Vec<Item>, depth: usize, after_inner: bool) {
    for item in items.iter_mut() {
        self::item(item, depth);
    }
    let runs: Vec<Option<String>> = items.iter().map(run).collect();
    separate(
        items,
        |index| blank_before(&runs, index, after_inner),
        || Item::Verbatim(TokenStream::new()),
    );
}

/// Whether the element at `index` of a body whose elements have the run keys `runs`
/// starts after a blank line.
fn blank_before(runs: &[Option<String>], index: usize, after_inner: bool) -> bool {
    match index {
        0 => after_inner,
        _ => runs[index].is_none() || runs[index] != runs[index - 1],
    }
}

/// Items that people write in runs without blank lines: `use` items and `mod name;`
/// declarations, and also constants and statics, and type aliases, when they have no
/// doc comment. The key names the kind and the attributes: a different kind, a doc
/// comment or other attributes than the item before start a new run.
fn run(item: &Item) -> Option<String> {
    match item {
        Item::Use(item) => run_key("declaration", &item.attrs),
        Item::Mod(item) if item.content.is_none() => run_key("declaration", &item.attrs),
        Item::Const(item) => run_key("const", &item.attrs),
        Item::Static(item) => run_key("const", &item.attrs),
        Item::Type(item) => run_key("type", &item.attrs),
        _ => None,
    }
}

/// [`run`] for the items of an `impl`: associated constants and types.
fn impl_run(item: &ImplItem) -> Option<String> {
    match item {
        ImplItem::Const(item) => run_key("const", &item.attrs),
        ImplItem::Type(item) => run_key("type", &item.attrs),
        _ => None,
    }
}

/// [`run`] for the items of a trait: associated constants and types.
fn trait_run(item: &TraitItem) -> Option<String> {
    match item {
        TraitItem::Const(item) => run_key("const", &item.attrs),
        TraitItem::Type(item) => run_key("type", &item.attrs),
        _ => None,
    }
}

fn run_key(kind: &str, attrs: &[Attribute]) -> Option<String> {
    if attrs.iter().any(|attr| attr.path().is_ident("doc")) {
        return None;
    }
    let mut key = String::from(kind);
    for attr in attrs {
        key.push(' ');
        key.push_str(&quote::ToTokens::to_token_stream(attr).to_string());
    }
    Some(key)
}

/// Wraps the docs of one item and of everything inside it, and separates the items of
/// its body.
fn item(item: &mut Item, depth: usize) {
    match item {
        Item::Const(item) => docs(&mut item.attrs, depth),
        Item::Enum(item) => {
            docs(&mut item.attrs, depth);
            for variant in &mut item.variants {
                docs(&mut variant.attrs, depth + 1);
                fields(&mut variant.fields, depth + 2);
            }
        }
        Item::ExternCrate(item) => docs(&mut item.attrs, depth),
        Item::Fn(item) => docs(&mut item.attrs, depth),
        Item::ForeignMod(item) => docs(&mut item.attrs, depth),
        Item::Impl(item) => {
            docs(&mut item.attrs, depth);
            for member in &mut item.items {
                impl_item(member, depth + 1);
            }
            let after_inner = has_inner(&item.attrs);
            let runs: Vec<Option<String>> = item.items.iter().map(impl_run).collect();
            separate(
                &mut item.items,
                |index| blank_before(&runs, index, after_inner),
                || ImplItem::Verbatim(TokenStream::new()),
            );
        }
        Item::Macro(item) => docs(&mut item.attrs, depth),
        Item::Mod(item) => {
            docs(&mut item.attrs, depth);
            let after_inner = has_inner(&item.attrs);
            if let Some((_, content)) = &mut item.content {
                items(content, depth + 1, after_inner);
            }
        }
        Item::Static(item) => docs(&mut item.attrs, depth),
        Item::Struct(item) => {
            docs(&mut item.attrs, depth);
            fields(&mut item.fields, depth + 1);
        }
        Item::Trait(item) => {
            docs(&mut item.attrs, depth);
            for member in &mut item.items {
                trait_item(member, depth + 1);
            }
            let after_inner = has_inner(&item.attrs);
            let runs: Vec<Option<String>> = item.items.iter().map(trait_run).collect();
            separate(
                &mut item.items,
                |index| blank_before(&runs, index, after_inner),
                || TraitItem::Verbatim(TokenStream::new()),
            );
        }
        Item::TraitAlias(item) => docs(&mut item.attrs, depth),
        Item::Type(item) => docs(&mut item.attrs, depth),
        Item::Union(item) => {
            docs(&mut item.attrs, depth);
            for field in &mut item.fields.named {
                docs(&mut field.attrs, depth + 1);
            }
        }
        Item::Use(item) => docs(&mut item.attrs, depth),
        // Verbatim items, and any kind syn adds later, are printed as they are.
        _ => {}
    }
}

fn impl_item(item: &mut ImplItem, depth: usize) {
    match item {
        ImplItem::Const(item) => docs(&mut item.attrs, depth),
        ImplItem::Fn(item) => docs(&mut item.attrs, depth),
        ImplItem::Type(item) => docs(&mut item.attrs, depth),
        ImplItem::Macro(item) => docs(&mut item.attrs, depth),
        _ => {}
    }
}

fn trait_item(item: &mut TraitItem, depth: usize) {
    match item {
        TraitItem::Const(item) => docs(&mut item.attrs, depth),
        TraitItem::Fn(item) => docs(&mut item.attrs, depth),
        TraitItem::Type(item) => docs(&mut item.attrs, depth),
        TraitItem::Macro(item) => docs(&mut item.attrs, depth),
        _ => {}
    }
}

/// Struct and variant fields stay together, as in written code; only their docs wrap.
fn fields(fields: &mut Fields, depth: usize) {
    for field in fields.iter_mut() {
        docs(&mut field.attrs, depth);
    }
}

/// Puts `marker()` (a blank line) before each element for which `blank_before(index)`.
fn separate<T>(list: &mut Vec<T>, blank_before: impl Fn(usize) -> bool, marker: impl Fn() -> T) {
    let blanks: Vec<bool> = (0..list.len()).map(blank_before).collect();
    let count = blanks.iter().filter(|blank| **blank).count();
    if count == 0 {
        return;
    }
    let mut spaced = Vec::with_capacity(list.len() + count);
    for (element, blank) in list.drain(..).zip(blanks) {
        if blank {
            spaced.push(marker());
        }
        spaced.push(element);
    }
    *list = spaced;
}

fn has_inner(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| matches!(attr.style, AttrStyle::Inner(_)))
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Outer,
    Inner,
}

/// Wraps the doc comments of something printed at `depth`: its outer docs (`///`) sit at
/// `depth`, its inner ones (`//!`, inside its braces) one level deeper.
fn docs(attrs: &mut Vec<Attribute>, depth: usize) {
    wrap_docs(attrs, Style::Outer, depth);
    wrap_docs(attrs, Style::Inner, depth + 1);
}

/// Wraps the `style` doc comment lines among `attrs`, printed at `depth`, to [`WIDTH`].
fn wrap_docs(attrs: &mut Vec<Attribute>, style: Style, depth: usize) {
    // `///` or `//!` before the text of each line.
    let width = WIDTH.saturating_sub(INDENT * depth + 3);
    let lines: Vec<(usize, String)> = attrs
        .iter()
        .enumerate()
        .filter_map(|(index, attr)| Some((index, doc_line(attr, style)?)))
        .collect();
    if lines.iter().all(|(_, text)| text.len() <= width) {
        return;
    }
    let texts: Vec<&str> = lines.iter().map(|(_, text)| text.as_str()).collect();
    let split = wrap::doc_lines(&texts, width);
    if split.is_empty() {
        return;
    }
    let added: usize = split.iter().map(|(_, became)| became.len() - 1).sum();
    // Attribute index → the lines its text became.
    let mut split = split
        .into_iter()
        .map(|(line, became)| (lines[line].0, became))
        .peekable();
    let mut laid_out = Vec::with_capacity(attrs.len() + added);
    for (index, attr) in attrs.drain(..).enumerate() {
        let Some((_, became)) = split.next_if(|(at, _)| *at == index) else {
            laid_out.push(attr);
            continue;
        };
        let span = attr.pound_token.span;
        for text in became {
            laid_out.push(Attribute {
                pound_token: Token![#](span),
                style: match style {
                    Style::Outer => AttrStyle::Outer,
                    Style::Inner => AttrStyle::Inner(Token![!](span)),
                },
                bracket_token: Bracket(span),
                meta: Meta::NameValue(MetaNameValue {
                    path: Ident::new("doc", span).into(),
                    eq_token: Token![=](span),
                    value: Expr::Lit(ExprLit {
                        attrs: Vec::new(),
                        lit: Lit::Str(LitStr::new(&text, span)),
                    }),
                }),
            });
        }
    }
    *attrs = laid_out;
}

/// The text of a `#[doc = "…"]` attribute of `style` that prettyplease prints as one
/// `///` or `//!` line; `None` for any other attribute.
fn doc_line(attr: &Attribute, style: Style) -> Option<String> {
    let attr_style = match attr.style {
        AttrStyle::Outer => Style::Outer,
        AttrStyle::Inner(_) => Style::Inner,
    };
    if attr_style != style {
        return None;
    }
    let Meta::NameValue(meta) = &attr.meta else {
        return None;
    };
    if !meta.path.is_ident("doc") {
        return None;
    }
    let Expr::Lit(ExprLit {
        attrs,
        lit: Lit::Str(lit),
    }) = &meta.value
    else {
        return None;
    };
    if !attrs.is_empty() {
        return None;
    }
    // Text with a line break is printed as a block comment, and outer text starting
    // with `/` as an attribute: neither is a line to wrap.
    let text = lit.value();
    let printed_as_line = !text.contains('\n') && (style == Style::Inner || !text.starts_with('/'));
    printed_as_line.then_some(text)
}
