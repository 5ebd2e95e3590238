//! The file's layout as fixes need it (indentation unit, line ending,
//! quote, whether a statement has its lines to itself), and re-indenting
//! blocks of source text for fixes that wrap statements in a new block
//! (`try:`/`finally:`, `async with`) or unwrap them from one.
//!
//! Lines that start inside a multi-line token (a triple-quoted string, an
//! f-string) are copied unchanged: their leading whitespace is part of a
//! value, not indentation. Blank lines stay empty.

use ruff_python_ast::Stmt;
use ruff_python_ast::token::{TokenAt, TokenKind};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Fixer;
use crate::checker::Checker;

impl<'c, 'a> Fixer<'c, 'a> {
    /// The file's line ending (`\n` or `\r\n`).
    pub fn line_ending(&self) -> &'static str {
        self.checker.stylist.line_ending().as_str()
    }

    /// The file's preferred quote for new strings (`"` or `'`).
    pub fn quote(&self) -> char {
        self.checker.stylist.quote().as_char()
    }

    /// One level of the file's indentation (four spaces, a tab...).
    pub fn indent_unit(&self) -> &'c str {
        // The stylist takes the text of the first indent token, which spans
        // a backslash continuation when the first indented line is one
        // (`    \\\n    x`): keep its leading blanks only.
        let unit = self.checker.stylist.indentation().as_str();
        let blanks = unit.len() - unit.trim_start_matches([' ', '\t']).len();
        if blanks == 0 { "    " } else { &unit[..blanks] }
    }

    /// The indentation of the line containing `offset`: the blanks before
    /// its first token, after the last form feed among them (a form feed
    /// resets the indentation, see [`indentation_start`]).
    pub fn line_indentation(&self, offset: TextSize) -> &'a str {
        let source = self.checker.source;
        let start = source.line_start(offset);
        let line = &source[TextRange::new(start, source.line_end(offset))];
        let line = &line[indentation_start(line)..];
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        &line[..width]
    }

    /// Where to insert blanks that indent the line starting at `line_start`
    /// further: after its leading form feeds, which would otherwise reset
    /// the added indentation.
    pub fn indent_point(&self, line_start: TextSize) -> TextSize {
        let source = self.checker.source;
        let line = &source[TextRange::new(line_start, source.line_end(line_start))];
        line_start + TextSize::try_from(indentation_start(line)).unwrap_or_default()
    }

    /// Whether `stmt` is alone on its lines (no `;` neighbours), so it can be
    /// replaced or wrapped as whole lines.
    pub fn is_own_lines(&self, stmt: &Stmt) -> bool {
        let source = self.checker.source;
        let before = &source[TextRange::new(source.line_start(stmt.start()), stmt.start())];
        let after = &source[TextRange::new(stmt.end(), source.line_end(stmt.end()))];
        before.trim().is_empty()
            && (after.trim().is_empty() || after.trim_start().starts_with('#'))
            && self.starts_logical_line(stmt.start())
    }

    /// Whether the code in `range` goes on to another line outside its own
    /// brackets: it does so only because brackets around it allow it
    /// (`(t\n())` as an item of a parenthesized `with`, `f(g\r())` as an
    /// argument), so it needs parentheses of its own when it moves out of
    /// them. A line continued with a backslash, or broken inside the code's
    /// own brackets or strings, is valid anywhere.
    pub fn breaks_line_outside_brackets(&self, range: TextRange) -> bool {
        let mut depth = 0u32;
        for token in self.checker.parsed.tokens().in_range(range) {
            match token.kind() {
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => depth += 1,
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                    depth = depth.saturating_sub(1);
                }
                TokenKind::NonLogicalNewline | TokenKind::Comment if depth == 0 => return true,
                _ => {}
            }
        }
        false
    }

    /// Whether the token at `offset` starts a logical line. It may not, with
    /// nothing but blanks before it on its physical line: `def f():\` or
    /// `x = 1; \` continue onto it.
    pub fn starts_logical_line(&self, offset: TextSize) -> bool {
        let previous = self
            .checker
            .parsed
            .tokens()
            .before(offset)
            .iter()
            .rev()
            .find(|t| !matches!(t.kind(), TokenKind::Comment | TokenKind::NonLogicalNewline));
        // An indent token spans a blank line continued with a backslash
        // (`    \\\n    x`): the statement's logical line starts earlier.
        previous.is_none_or(|t| {
            matches!(
                t.kind(),
                TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent
            ) && !self.checker.source[TextRange::new(t.start(), offset)].contains('\\')
        })
    }
}

/// Where the indentation of `line` starts: after the last form feed among
/// its leading blanks, at 0 without one. Python's tokenizer (and Ruff's)
/// resets the indentation column at a form feed, so blanks before it do not
/// count, and blanks added before it would not either.
pub fn indentation_start(line: &str) -> usize {
    let blanks = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
    line[..blanks].rfind('\x0c').map_or(0, |i| i + 1)
}

/// `line` with `add` inserted where its indentation starts (after any
/// leading form feed, see [`indentation_start`]).
pub fn indent_line(line: &str, add: &str) -> String {
    let (form_feeds, rest) = line.split_at(indentation_start(line));
    format!("{form_feeds}{add}{rest}")
}

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
            let (form_feeds, line) = line.split_at(indentation_start(line));
            let stripped = strip_indent(line, remove);
            out.push_str(form_feeds);
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ruff_python_parser::parse_module;
    use ruff_source_file::LineIndex;

    use crate::checker::Checker;
    use crate::config::settings::Settings;
    use ruff_python_ast::Stmt;

    fn indent_unit_of(source: &str) -> String {
        let parsed = parse_module(source).unwrap();
        let lines = LineIndex::from_source_text(source);
        let settings = Settings::default();
        let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, &settings);
        checker.fixer().indent_unit().to_string()
    }

    #[test]
    fn a_statement_continuing_a_header_is_not_on_its_own_lines() {
        let own = |source: &str| {
            let parsed = parse_module(source).unwrap();
            let lines = LineIndex::from_source_text(source);
            let settings = Settings::default();
            let checker = Checker::new(Path::new("t.py"), source, &parsed, &lines, &settings);
            let Stmt::FunctionDef(def) = &checker.body()[0] else {
                panic!("a def first")
            };
            checker.fixer().is_own_lines(&def.body[0])
        };
        assert!(own("def f():\n    # note\n\n    x = 1\n"));
        // Found by fuzzing: CS005 rewrote such a statement onto several
        // lines again and again (the new lines fell outside the def).
        assert!(!own("def f():\\\n    x = 1\n"));
        assert!(!own("def f(): x = 1\n"));
        assert!(!own("def f():\n     \\\n    x = 1\n"));
    }

    #[test]
    fn indentation_starts_after_the_last_form_feed() {
        use super::{indent_line, indentation_start};
        assert_eq!(indentation_start("    x"), 0);
        assert_eq!(indentation_start("\x0c    x"), 1);
        assert_eq!(indentation_start("  \x0c\t\x0c  x"), 5);
        assert_eq!(indentation_start("x\x0c"), 0);
        // Found by the long fuzz: blanks added before the form feed were
        // reset by it, and the line kept its old indentation.
        assert_eq!(
            indent_line("\x0c    return r", "    "),
            "\x0c        return r"
        );
        assert_eq!(indent_line("  return r", "    "), "      return r");
    }

    #[test]
    fn indent_unit_is_blanks_only() {
        assert_eq!(indent_unit_of("def f():\n\tpass\n"), "\t");
        assert_eq!(indent_unit_of("def f():\n  pass\n"), "  ");
        // Found by fuzzing: the first indented line continues with a
        // backslash, and the indent token spans the continuation.
        assert_eq!(indent_unit_of("def f():\n    \\\n    print(1)\n"), "    ");
        assert_eq!(indent_unit_of("x = 1\n"), "    ");
    }
}
