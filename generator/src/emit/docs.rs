//! Doc comments from spec text.
//!
//! Spec prose is Markdown written for people, and rustdoc runs every code block in it as a
//! doctest. So the prose is made safe first ([`prose`]): fenced blocks without a language
//! or with another language than Rust become `text`, Rust ones `ignore`; indented code
//! blocks become fenced `text` blocks; a fence left open is closed at the end of its text
//! (so it cannot swallow what follows); tabs become spaces; lazy list continuation lines
//! are indented under their item.

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

/// Like [`inner`], then `code`: the generator's own Markdown (a doctest meant to run),
/// which is not made safe like spec prose.
pub fn inner_then<'t>(paragraphs: impl IntoIterator<Item = &'t str>, code: &str) -> TokenStream {
    let mut lines = lines(paragraphs);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(code.lines().map(doc_line));
    quote! { #( #![doc = #lines] )* }
}

fn doc_line(line: &str) -> String {
    let line = line.trim_end();
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
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
        out.extend(prose(paragraph).iter().map(|l| doc_line(l)));
    }
    out
}

/// An open fenced code block: its character, its length and its indentation.
struct Fence {
    marker: char,
    len: usize,
}

/// Spec Markdown, line by line, with no code block rustdoc would compile (see the module
/// docs).
pub fn prose(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<Fence> = None;
    // Inside an indented code block (turned into a fenced one).
    let mut indented_code = false;
    let mut previous_blank = true;
    // The content column of the list item the last lines belong to.
    let mut list_item: Option<usize> = None;
    // The last line was in a block quote: a line that follows without `>` continues it
    // lazily, and gets the `>` it implies.
    let mut quote: Option<usize> = None;
    // A lone CR is a line break too; other control characters are not allowed in docs.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for raw in text.lines() {
        let line = expand_tabs(raw)
            .replace(|c: char| c.is_control(), " ")
            .trim_end()
            .to_owned();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(open) = &fence {
            if indent < 4 && closes(trimmed, open) {
                out.push(format!("{}{}", " ".repeat(indent), trimmed));
                fence = None;
                previous_blank = false;
            } else {
                out.push(line);
            }
            continue;
        }
        if indented_code {
            if trimmed.is_empty() || indent >= 4 {
                out.push(line);
                continue;
            }
            close_indented(&mut out);
            indented_code = false;
            previous_blank = true;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            previous_blank = true;
            quote = None;
            continue;
        }
        if trimmed.starts_with('>') {
            quote = Some(indent);
        } else if let Some(column) = quote.take() {
            // Only paragraph text continues a quote; a fence, list item or heading ends it.
            let paragraph = indent < 4
                && opens(trimmed).is_none()
                && list_marker(trimmed).is_none()
                && !trimmed.starts_with('#');
            if paragraph {
                out.push(format!("{}> {trimmed}", " ".repeat(column)));
                quote = Some(column);
                previous_blank = false;
                continue;
            }
        }
        if indent < 4
            && let Some((open, info)) = opens(trimmed)
        {
            out.push(format!(
                "{}{}{}",
                " ".repeat(indent),
                open.marker.to_string().repeat(open.len),
                safe_info(info)
            ));
            fence = Some(open);
            list_item = None;
            previous_blank = false;
            continue;
        }
        if indent >= 4 && previous_blank && list_item.is_none() {
            out.push("```text".to_owned());
            out.push(line);
            indented_code = true;
            continue;
        }
        if let Some(content) = list_marker(trimmed) {
            list_item = Some(indent + content);
            out.push(line);
        } else if let Some(column) = list_item {
            if previous_blank && indent < column {
                // A paragraph after the list.
                list_item = None;
                out.push(line);
            } else if !previous_blank {
                // A continuation of the item (lazy or over-indented): indent it under
                // the item's text.
                out.push(format!("{}{}", " ".repeat(column), trimmed));
            } else {
                out.push(line);
            }
        } else {
            out.push(line);
        }
        previous_blank = false;
    }
    if indented_code {
        close_indented(&mut out);
    }
    if let Some(open) = fence {
        out.push(open.marker.to_string().repeat(open.len));
    }
    out
}

/// Ends an indented code block turned fenced, before its trailing blank lines.
fn close_indented(out: &mut Vec<String>) {
    let blanks = out.iter().rev().take_while(|l| l.is_empty()).count();
    let at = out.len() - blanks;
    out.insert(at, "```".to_owned());
}

/// The fence a line opens and its info string, if it opens one.
fn opens(trimmed: &str) -> Option<(Fence, &str)> {
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == marker).count();
    if len < 3 {
        return None;
    }
    let info = &trimmed[len..];
    // A backtick fence's info string has no backtick (```` ```a``` ```` is inline code).
    if marker == '`' && info.contains('`') {
        return None;
    }
    Some((Fence { marker, len }, info.trim()))
}

fn closes(trimmed: &str, open: &Fence) -> bool {
    let len = trimmed.chars().take_while(|c| *c == open.marker).count();
    len >= open.len && trimmed[len..].trim().is_empty()
}

/// The info string that keeps a code block from running: `ignore` for Rust (still
/// highlighted as Rust), `text` for everything else.
fn safe_info(info: &str) -> &'static str {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
        "standalone_crate",
    ];
    let words: Vec<&str> = info
        .split([',', ' ', '\t', '{', '}', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let rust = !words.is_empty()
        && words
            .iter()
            .all(|w| RUSTDOC.contains(w) || w.starts_with("edition"));
    if rust { "ignore" } else { "text" }
}

/// Where the text of a list item starting at `trimmed` begins: after its marker (`-`, `*`,
/// `+`, `1.`, `1)`) and the one to four spaces that follow it (with five or more, the
/// text starts after one space and the rest is indented code, as in CommonMark).
fn list_marker(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) => {
            digits + 1
        }
        _ => return None,
    };
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Tabs to spaces, to the next multiple of 4 columns.
fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', n));
            column += n;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prose;

    fn safe(text: &str) -> String {
        prose(text).join("\n")
    }

    #[test]
    fn code_blocks_never_run() {
        assert_eq!(safe("a\n```\nx\n```"), "a\n```text\nx\n```");
        assert_eq!(safe("```rust\nx\n```"), "```ignore\nx\n```");
        assert_eq!(safe("```rust,no_run\nx\n```"), "```ignore\nx\n```");
        assert_eq!(safe("~~~json\n{}\n~~~"), "~~~text\n{}\n~~~");
        assert_eq!(safe("```python\nx"), "```text\nx\n```");
        assert_eq!(
            safe("a\n\n    code\n    more\n\nb"),
            "a\n\n```text\n    code\n    more\n```\n\nb"
        );
        assert_eq!(safe("````\n```\nx\n````"), "````text\n```\nx\n````");
        assert_eq!(safe("use ```x``` inline"), "use ```x``` inline");
    }

    #[test]
    fn tabs_and_lists() {
        assert_eq!(safe("a\tb"), "a   b");
        assert_eq!(safe("a\rb\r\nc\u{7}"), "a\nb\nc");
        assert_eq!(safe("- item\nlazy"), "- item\n  lazy");
        // Discourse's description: a quote continued lazily.
        assert_eq!(
            safe("> Note: see the\n[guide](x)\nfor more.\n\nAfter."),
            "> Note: see the\n> [guide](x)\n> for more.\n\nAfter."
        );
        // A fence ends the quote and is still made safe.
        assert_eq!(
            safe("> quoted\n```rust\nx\n```"),
            "> quoted\n```ignore\nx\n```"
        );
        // GitHub's style: the text of the item starts four columns in.
        assert_eq!(
            safe("*   item\nlazy\n *  next\n  lazy"),
            "*   item\n    lazy\n *  next\n    lazy"
        );
        assert_eq!(safe("- item\n\nafter"), "- item\n\nafter");
        assert_eq!(safe("1. item\n    more"), "1. item\n   more");
    }
}
