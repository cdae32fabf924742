//! Markdown-aware wrapping of doc comment lines.
//!
//! A line too long for its width is split at spaces into several lines; lines are never
//! joined (a line break in the spec's prose may carry meaning). Whatever a line break would
//! change or cut apart is left whole: fenced code blocks, table paragraphs, headings, block
//! quotes, HTML blocks, link definitions, indented code, and, within a line, words, URLs
//! and inline code spans. A list item's continuation lines are indented to its text, and a
//! continuation line never starts with something markdown would read as a new block (`-`,
//! `1.`, `#`, `>`, `|`, `<`, a fence, a rule).

use std::ops::Range;

/// Wraps one doc comment, given as the values of its `#[doc]` attributes in order (one
/// line each, usually starting with the space that follows `///`), so that each line fits
/// in `width` characters where it can: the lines that are split, each as its index and
/// the lines it became, in order. Empty when every line stays as it is.
pub fn doc_lines(lines: &[&str], width: usize) -> Vec<(usize, Vec<String>)> {
    // Bytes bound characters from above: most comments stop here.
    if lines.iter().all(|line| line.len() <= width) {
        return Vec::new();
    }
    let whole = whole_lines(lines);
    lines
        .iter()
        .zip(whole)
        .enumerate()
        .filter(|(_, (line, whole))| !whole && line.chars().count() > width)
        .filter_map(|(index, (line, _))| Some((index, wrap_line(line, width)?)))
        .collect()
}

/// Which lines must stay whole, from the markdown structure of the comment.
fn whole_lines(lines: &[&str]) -> Vec<bool> {
    // Rustdoc removes the indentation all lines share; what is left is markdown's.
    let base = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| indentation(line))
        .min()
        .unwrap_or(0);
    let mut whole = vec![false; lines.len()];
    let mut fence: Option<Fence> = None;
    // The paragraph (run of non-blank lines outside fences) being read.
    let mut run: Option<Range<usize>> = None;
    let end_run = |run: &mut Option<Range<usize>>, whole: &mut [bool]| {
        if let Some(run) = run.take() {
            if keeps_paragraph_whole(&lines[run.clone()]) {
                whole[run].fill(true);
            }
        }
    };
    for (index, line) in lines.iter().enumerate() {
        let content = line.trim_start();
        if let Some(open) = &fence {
            whole[index] = true;
            if open.closed_by(content) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = Fence::opened_by(content) {
            end_run(&mut run, &mut whole);
            whole[index] = true;
            fence = Some(open);
            continue;
        }
        if content.is_empty() {
            end_run(&mut run, &mut whole);
            continue;
        }
        match &mut run {
            Some(run) => run.end = index + 1,
            None => run = Some(index..index + 1),
        }
        whole[index] = indentation(line) >= base + 4
            || line.contains('\t')
            || content.starts_with(['#', '|', '>', '<'])
            || (content.starts_with('[') && content.contains("]:"));
    }
    end_run(&mut run, &mut whole);
    whole
}

/// A paragraph that is a table (it has a delimiter row) or an HTML block is left as written.
fn keeps_paragraph_whole(lines: &[&str]) -> bool {
    lines
        .first()
        .is_some_and(|l| l.trim_start().starts_with('<'))
        || lines.iter().any(|line| is_table_delimiter_row(line.trim()))
}

/// `| --- | :-: |`, `---|---`: a GFM table's second row.
fn is_table_delimiter_row(line: &str) -> bool {
    line.contains('|')
        && line.contains('-')
        && line.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
}

/// An open fenced code block: its character and how many of them opened it.
struct Fence {
    mark: char,
    length: usize,
}

impl Fence {
    fn opened_by(content: &str) -> Option<Fence> {
        let mark = content.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = content.chars().take_while(|&c| c == mark).count();
        // An info string with a backtick makes it inline code, not a fence.
        let info = &content[length..];
        (length >= 3 && !(mark == '`' && info.contains('`'))).then_some(Fence { mark, length })
    }

    fn closed_by(&self, content: &str) -> bool {
        let length = content.chars().take_while(|&c| c == self.mark).count();
        length >= self.length && content[length..].trim().is_empty()
    }
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Splits one line (known to be too long and not kept whole) at spaces; `None` when it
/// cannot be split.
fn wrap_line(line: &str, width: usize) -> Option<Vec<String>> {
    let lead = line.len() - line.trim_start_matches(' ').len();
    let marker = list_marker(&line[lead..])?;
    let (prefix, text) = line.split_at(lead + marker);
    let prefix_width = prefix.chars().count();
    let continuation = " ".repeat(prefix_width);
    let units = units(text);
    if units.len() < 2 {
        return None;
    }
    let mut lines = Vec::new();
    let mut current = String::with_capacity(width);
    current.push_str(prefix);
    current.push_str(&text[units[0].text.clone()]);
    let mut current_width = prefix_width + text[units[0].text.clone()].chars().count();
    for unit in &units[1..] {
        let word = &text[unit.text.clone()];
        let word_width = word.chars().count();
        let separator = unit.text.start - unit.start;
        if current_width + separator + word_width <= width {
            current.push_str(&text[unit.start..unit.text.end]);
            current_width += separator + word_width;
        } else {
            lines.push(std::mem::replace(&mut current, continuation.clone()));
            current.push_str(word);
            current_width = prefix_width + word_width;
        }
    }
    lines.push(current);
    (lines.len() > 1).then_some(lines)
}

/// The length of the list item marker at the start of `content` with the spaces after it
/// (`- `, `* `, `+ `, `1. `, `2) `), 0 when it is not a list item, `None` when it is one
/// whose text starts indented like code (then the line is left alone).
fn list_marker(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let mark = match bytes.first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') if digits <= 9 && matches!(bytes.get(digits), Some(b'.' | b')')) => {
            digits + 1
        }
        _ => return Some(0),
    };
    let spaces = bytes[mark..].iter().take_while(|&&b| b == b' ').count();
    match spaces {
        0 => Some(0),
        1..=4 => Some(mark + spaces),
        _ => None,
    }
}

/// What a line may be broken before: a word with the spaces before it.
#[derive(Debug, PartialEq)]
struct Unit {
    /// Where the spaces before the word start.
    start: usize,
    /// The word: no spaces but inside inline code, or several words when a later one
    /// could not start a line.
    text: Range<usize>,
}

/// The units of `text`, in order; spaces at its end are dropped.
fn units(text: &str) -> Vec<Unit> {
    let bytes = text.as_bytes();
    let mut units: Vec<Unit> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        let word_start = at;
        while at < bytes.len() && bytes[at] != b' ' {
            match bytes[at] {
                // An escaped character, a backtick among them, is plain text.
                b'\\' => at = (at + 2).min(bytes.len()),
                b'`' => at = after_code_span(bytes, at),
                _ => at += 1,
            }
        }
        let word = word_start..at;
        match units.last_mut() {
            Some(last) if starts_block(&text[word.clone()]) => last.text.end = word.end,
            _ => units.push(Unit { start, text: word }),
        }
    }
    units
}

/// Where the inline code span opened by the backticks at `open` ends; without a closing
/// run of as many backticks on the line, the rest of the line is taken as one word.
fn after_code_span(bytes: &[u8], open: usize) -> usize {
    let run = |from: usize| bytes[from..].iter().take_while(|&&b| b == b'`').count();
    let length = run(open);
    let mut at = open + length;
    while at < bytes.len() {
        if bytes[at] == b'`' {
            let found = run(at);
            if found == length {
                return at + found;
            }
            at += found;
        } else {
            at += 1;
        }
    }
    bytes.len()
}

/// Whether a line starting with `word` could begin a new markdown block (so that a break
/// before it would end the paragraph): list markers, headings, quotes, tables, HTML,
/// fences, rules and setext underlines.
fn starts_block(word: &str) -> bool {
    let bytes = word.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    word.starts_with(['#', '>', '|', '<'])
        || word.starts_with("```")
        || word.starts_with("~~~")
        || bytes
            .iter()
            .all(|b| matches!(b, b'-' | b'*' | b'+' | b'_' | b'='))
        || (digits > 0 && digits + 1 == bytes.len() && matches!(bytes[digits], b'.' | b')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wraps `text` (lines, each given without the space after `///`) at `width`.
    fn wrap(text: &str, width: usize) -> String {
        let lines: Vec<String> = text
            .lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                }
            })
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut split = doc_lines(&refs, width).into_iter().peekable();
        let mut out = Vec::new();
        for (index, line) in refs.iter().enumerate() {
            match split.next_if(|(at, _)| *at == index) {
                Some((_, became)) => {
                    check_invariants(line, &became);
                    out.extend(became);
                }
                None => out.push((*line).to_owned()),
            }
        }
        assert!(split.next().is_none(), "split lines come in order");
        out.join("\n")
    }

    /// A line split into lines holding the same words in the same order, all but the
    /// first starting with spaces only, the first starting like the line did.
    fn check_invariants(line: &str, became: &[String]) {
        assert!(became.len() > 1, "{line:?} is only listed when split");
        let words: Vec<&str> = line.split_whitespace().collect();
        let after: Vec<&str> = became.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words, after, "{line:?} became {became:?}");
        let first_word = words.first().copied().unwrap_or_default();
        assert!(became[0].starts_with(&line[..line.find(first_word).unwrap_or(0)]));
        for continuation in &became[1..] {
            assert!(continuation.starts_with(' '), "{continuation:?}");
        }
    }

    #[test]
    fn short_lines_stay_as_they_are() {
        assert!(doc_lines(&[" one", "", " two three"], 20).is_empty());
    }

    #[test]
    fn long_lines_split_at_spaces_and_are_never_joined() {
        assert_eq!(
            wrap("aaa bbb ccc ddd eee\nshort\nfff ggg hhh", 12),
            " aaa bbb ccc\n ddd eee\n short\n fff ggg hhh"
        );
    }

    #[test]
    fn the_width_counts_characters_not_bytes() {
        assert_eq!(wrap("ééé ààà ççç", 12), " ééé ààà ççç");
        assert_eq!(wrap("ééé ààà ççç x", 12), " ééé ààà ççç\n x");
    }

    #[test]
    fn a_word_longer_than_the_width_stays_whole_on_its_own_line() {
        assert_eq!(
            wrap(
                "see https://example.com/a/very/long/path/that/does/not/fit here",
                20
            ),
            " see\n https://example.com/a/very/long/path/that/does/not/fit\n here"
        );
        assert_eq!(
            wrap("https://example.com/a/very/long/path/that/does/not/fit", 20),
            " https://example.com/a/very/long/path/that/does/not/fit"
        );
    }

    #[test]
    fn inline_code_is_never_split() {
        assert_eq!(
            wrap("use `Client::new(key, other)` or `a b c` there", 16),
            " use\n `Client::new(key, other)`\n or `a b c`\n there"
        );
        assert_eq!(
            wrap("double ``a ` b`` spans and \\` escapes x", 14),
            " double\n ``a ` b``\n spans and \\`\n escapes x"
        );
        // An unclosed span keeps the rest of the line together.
        assert_eq!(wrap("a b ` c d e f g", 6), " a b\n ` c d e f g");
    }

    #[test]
    fn runs_of_spaces_are_kept_within_a_line_and_dropped_at_a_break() {
        assert_eq!(wrap("a  b   c  d", 7), " a  b\n c  d");
    }

    #[test]
    fn list_items_continue_under_their_text() {
        assert_eq!(
            wrap("- aaa bbb ccc ddd\n* eee fff ggg\n+ hhh iii jjj", 10),
            " - aaa bbb\n   ccc ddd\n * eee fff\n   ggg\n + hhh iii\n   jjj"
        );
        assert_eq!(
            wrap("1. aaa bbb ccc\n10) ddd eee fff\n  - nested item here", 12),
            " 1. aaa bbb\n    ccc\n 10) ddd eee\n     fff\n   - nested\n     item\n     here"
        );
        // Indented text inside an item keeps its indentation.
        assert_eq!(
            wrap("- item\n  more text here", 12),
            " - item\n   more text\n   here"
        );
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let text = "```json\n{ \"a very long line\": \"that would otherwise wrap\" }\n```\n\
                    ~~~~\n```\nlong code line inside a tilde fence stays\n~~~~\n\
                    after the fence it wraps";
        assert_eq!(
            wrap(text, 20),
            " ```json\n { \"a very long line\": \"that would otherwise wrap\" }\n ```\n \
             ~~~~\n ```\n long code line inside a tilde fence stays\n ~~~~\n \
             after the fence it\n wraps"
        );
        // An unclosed fence runs to the end of the comment.
        assert_eq!(
            wrap("```\nlong code line here", 10),
            " ```\n long code line here"
        );
        // Three backticks with another on the line are inline code, not a fence.
        assert_eq!(wrap("```a``` b c d e", 10), " ```a``` b\n c d e");
    }

    #[test]
    fn tables_are_left_alone() {
        let table = "| name | what it is, at some length |\n| --- | --- |\n\
                     | a | a row that is longer than the width |";
        assert_eq!(wrap(table, 20), format!(" {}", table.replace('\n', "\n ")));
        // Without leading pipes the delimiter row still marks the paragraph.
        let table = "name | what it is, at length\n---|---\na | a row that is long";
        assert_eq!(wrap(table, 20), format!(" {}", table.replace('\n', "\n ")));
        // A line starting with a pipe is kept even alone.
        assert_eq!(wrap("| a b c d e f", 8), " | a b c d e f");
    }

    #[test]
    fn headings_quotes_html_and_link_definitions_are_left_alone() {
        for line in [
            "# A heading longer than the width",
            "> a quote longer than the width",
            "<table><tr><td>long html</td></tr></table>",
            "[link]: https://example.com \"A long title\"",
        ] {
            assert_eq!(wrap(line, 16), format!(" {line}"));
        }
        // A paragraph opened by HTML is an HTML block, kept to its end.
        assert_eq!(
            wrap(
                "<details>\nlong text inside the html block\n\nafter it wraps",
                14
            ),
            " <details>\n long text inside the html block\n\n after it\n wraps"
        );
    }

    #[test]
    fn indented_code_is_left_alone() {
        assert_eq!(
            wrap("text\n\n    let code = a long line of code;", 16),
            " text\n\n     let code = a long line of code;"
        );
    }

    #[test]
    fn a_continuation_line_never_starts_a_block() {
        // Each of these words would start a list, heading, quote, table, rule, setext
        // heading or fence at the start of a line, so it stays after the word before.
        for word in [
            "-", "*", "+", "1.", "12)", "#", "##", ">", "|", "<br>", "---", "==", "~~~",
        ] {
            let wrapped = wrap(&format!("aaaa bbbb {word} cccc"), 10);
            assert_eq!(wrapped, format!(" aaaa\n bbbb {word}\n cccc"), "{word}");
        }
        // Backticks without a closing run take the rest of the line with them.
        assert_eq!(wrap("aaaa bbbb ``` cccc", 10), " aaaa\n bbbb ``` cccc");
        // Words that only look alike are fine.
        assert_eq!(wrap("aaaa bbbb -5 cccc", 10), " aaaa bbbb\n -5 cccc");
        assert_eq!(wrap("aaaa bbbb 1.5 cccc", 10), " aaaa bbbb\n 1.5 cccc");
    }

    #[test]
    fn wrapping_is_idempotent() {
        let text = "- `401` ([`Unauthorized`](Error::Unauthorized)): The API key is missing, \
                    malformed or not valid, and a few more words - 5 of them.\n\
                    A paragraph line with https://example.com/some/long/url and `code span` in it.";
        for width in [20, 40, 60, 97] {
            let once = wrap(text, width);
            let lines: Vec<&str> = once.lines().collect();
            assert!(doc_lines(&lines, width).is_empty(), "width {width}: {once}");
        }
    }

    #[test]
    fn the_first_line_keeps_its_exact_start() {
        // Lines without the usual leading space (`#[doc = "x"]`) wrap too.
        let wrapped = doc_lines(&["aaa bbb ccc"], 8);
        assert_eq!(wrapped, [(0, vec!["aaa bbb".to_owned(), "ccc".to_owned()])]);
    }
}
