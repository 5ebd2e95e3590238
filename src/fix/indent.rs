//! Re-indenting blocks of source text for fixes that wrap statements in a
//! new block (`try:`/`finally:`, `async with`) or unwrap them from one.
//!
//! Lines that start inside a multi-line token (a triple-quoted string, an
//! f-string) are copied unchanged: their leading whitespace is part of a
//! value, not indentation. Blank lines stay empty.

use ruff_python_ast::token::{TokenAt, TokenKind};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;

/// Whether `offset` (a line start) lies strictly inside a token, so the line
/// continues a multi-line string. A line of a triple-quoted f-string that
/// starts with a replacement field (`{x}`) or the closing quotes is inside
/// the string too: the literal text before it ends with the newline.
pub fn inside_token(checker: &Checker, offset: TextSize) -> bool {
    match checker.parsed.tokens().at_offset(offset) {
        TokenAt::Single(token) => token.start() < offset && offset < token.end(),
        TokenAt::Between(left, _) => {
            matches!(
                left.kind(),
                TokenKind::FStringMiddle | TokenKind::TStringMiddle
            )
        }
        TokenAt::None => false,
    }
}

/// The whole lines from the line of `range.start()` to the end of the line of
/// `range.end()`, newline included.
pub fn full_lines(checker: &Checker, range: TextRange) -> TextRange {
    TextRange::new(
        checker.source.line_start(range.start()),
        checker.source.full_line_end(range.end()),
    )
}

/// The text of `lines` (whole lines, see [`full_lines`]) with each line's
/// indentation changed: `remove` is stripped from its start (as much of it as
/// the line has) and `add` is put in front. Lines in `skip` (whole-line
/// ranges inside `lines`) are left out. Line endings become `\n`.
pub fn reindent(
    checker: &Checker,
    lines: TextRange,
    remove: &str,
    add: &str,
    skip: &[TextRange],
) -> String {
    let mut out = String::new();
    let mut offset = lines.start();
    while offset < lines.end() {
        let line_end = checker.source.line_end(offset);
        let next = checker.source.full_line_end(offset).min(lines.end());
        if skip.iter().any(|r| r.contains(offset)) {
            offset = next;
            continue;
        }
        let line = &checker.source[TextRange::new(offset, line_end)];
        if inside_token(checker, offset) {
            out.push_str(line);
        } else if !line.trim().is_empty() {
            let stripped = strip_indent(line, remove);
            out.push_str(add);
            out.push_str(stripped);
        }
        if next > line_end {
            out.push('\n');
        }
        offset = next;
    }
    out
}

/// `line` without `remove` at its start; when the line is indented less (a
/// comment, say), without the whitespace it has.
fn strip_indent<'s>(line: &'s str, remove: &str) -> &'s str {
    if let Some(rest) = line.strip_prefix(remove) {
        return rest;
    }
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[width.min(remove.len())..]
}
