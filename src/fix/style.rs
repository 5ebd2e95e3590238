//! New code in the file's style, applied to the lines fixes wrote once the
//! passes are done: strings take the file's quote, and a call that makes a
//! line longer than the project's line length is wrapped the way Ruff's
//! formatter and Black wrap it.
//!
//! Only lines the fixes wrote are touched, and only when their text is new
//! (a line the original had, moved or re-indented, keeps its form).

use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_codegen::Stylist;
use ruff_python_parser::parse_module;
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::config::settings::Settings;

/// `fixed` with the lines that fixes wrote in the style of `original`, or
/// `None` when nothing changes.
pub fn restyle(original: &str, fixed: &str, settings: &Settings) -> Option<String> {
    let original_parsed = parse_module(original).ok()?;
    let quote = Stylist::from_tokens(original_parsed.tokens(), original).quote();
    let quote = quote.as_char();
    let mut text = fixed.to_string();
    let mut changed = false;
    // Each round wraps what the previous one left too long.
    for _ in 0..3 {
        match restyle_once(original, &text, quote, settings) {
            Some(next) if next != text => {
                text = next;
                changed = true;
            }
            _ => break,
        }
    }
    changed.then_some(text)
}

/// The start offsets of the lines of `fixed` that are new: not in
/// `original` (compared without indentation).
fn new_lines(original: &str, fixed: &str) -> Vec<TextSize> {
    let known: std::collections::HashSet<&str> = original.lines().map(str::trim).collect();
    let mut starts = Vec::new();
    let mut offset = TextSize::default();
    for line in fixed.split_inclusive('\n') {
        if !known.contains(line.trim()) {
            starts.push(offset);
        }
        offset += TextSize::of(line);
    }
    starts
}

/// The tokens that overlap `range` (which need not fall on token
/// boundaries, unlike `Tokens::in_range`).
fn overlapping(tokens: &[Token], range: TextRange) -> &[Token] {
    let first = tokens.partition_point(|t| t.end() <= range.start());
    let last = tokens.partition_point(|t| t.start() < range.end());
    &tokens[first..last.max(first)]
}

fn restyle_once(original: &str, fixed: &str, quote: char, settings: &Settings) -> Option<String> {
    let parsed = parse_module(fixed).ok()?;
    let tokens = parsed.tokens();
    let stylist = Stylist::from_tokens(tokens, fixed);
    let unit = {
        let unit = stylist.indentation().as_str();
        let blanks = unit.len() - unit.trim_start_matches([' ', '\t']).len();
        if blanks == 0 { "    " } else { &unit[..blanks] }
    };
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    for start in new_lines(original, fixed) {
        let line = TextRange::new(start, fixed.line_end(start));
        // A line inside a multi-line string is the string's text.
        let all: &[Token] = tokens;
        let inside = overlapping(all, TextRange::empty(start))
            .iter()
            .any(|t| t.start() < start && start < t.end());
        if inside {
            continue;
        }
        let line_tokens: Vec<&Token> =
            overlapping(all, TextRange::new(start, fixed.full_line_end(start)))
                .iter()
                .filter(|t| t.start() >= start)
                .collect();
        edits.extend(requote(fixed, &line_tokens, quote));
        if fixed[line].chars().count() > settings.style.line_length
            && let Some(wrapped) = wrap_call(
                fixed,
                tokens,
                line,
                unit,
                settings.style.line_length,
                stylist.line_ending().as_str(),
            )
        {
            // The wrapped line replaces any quote edit on it.
            edits.retain(|(r, _)| !line.contains_range(*r));
            edits.push((line, wrapped));
        }
    }
    if edits.is_empty() {
        return None;
    }
    let out = apply(fixed, edits);
    parse_module(&out).is_ok().then_some(out)
}

/// `edits` applied to `text`, last first. Disjoint edits (the usual case)
/// are copied in one pass: replacing in place one by one is quadratic in a
/// file with thousands of restyled lines.
fn apply(text: &str, mut edits: Vec<(TextRange, String)>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start()));
    let disjoint = edits
        .windows(2)
        .all(|pair| pair[1].0.end() <= pair[0].0.start() && pair[1].0.start() < pair[0].0.start());
    if !disjoint {
        let mut out = text.to_string();
        for (range, content) in edits {
            out.replace_range(range.start().to_usize()..range.end().to_usize(), &content);
        }
        return out;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, content) in edits.iter().rev() {
        out.push_str(&text[at..range.start().to_usize()]);
        out.push_str(content);
        at = range.end().to_usize();
    }
    out.push_str(&text[at..]);
    out
}

/// Edits giving the strings on a line the file's quote, where that needs no
/// escaping: single-quoted strings and f-strings with no quote of the other
/// kind and no backslash inside.
fn requote(source: &str, tokens: &[&Token], quote: char) -> Vec<(TextRange, String)> {
    let other = if quote == '"' { '\'' } else { '"' };
    let mut edits = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        let range = match token.kind() {
            TokenKind::String => Some(token.range()),
            TokenKind::FStringStart => tokens[i..]
                .iter()
                .find(|t| t.kind() == TokenKind::FStringEnd)
                .map(|end| TextRange::new(token.start(), end.end())),
            _ => None,
        };
        i += 1;
        let Some(range) = range else { continue };
        let text = &source[range];
        let prefix_len = text.find(['"', '\'']).unwrap_or(0);
        let (prefix, body) = text.split_at(prefix_len);
        if !body.starts_with(other)
            || body.starts_with(&other.to_string().repeat(3))
            || body.len() < 2
        {
            continue;
        }
        let inner = &body[1..body.len() - 1];
        if inner.contains(quote) || inner.contains(other) || inner.contains('\\') {
            continue;
        }
        edits.push((range, format!("{prefix}{quote}{inner}{quote}")));
    }
    edits
}

/// Whether `comment` (from its `#`) is a directive for a tool about its
/// line (`# noqa`, `# type: ignore`, `# ruff: ignore[...]`, `# pyright:`,
/// `# pylint:`, `# nosec`...): a line is not split for one, since the
/// comment would then end up on another line than the one it is about.
pub fn is_pragma_comment(comment: &str) -> bool {
    let Some(text) = comment.strip_prefix('#') else {
        return false;
    };
    let text = text.trim_start();
    if text
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("noqa"))
        || text.starts_with("nosec")
    {
        return true;
    }
    text.split_once(':').is_some_and(|(tool, _)| {
        matches!(
            tool.trim_end(),
            "type" | "ruff" | "pyright" | "pylint" | "mypy" | "isort" | "flake8" | "pyrefly" | "ty"
        )
    })
}

/// `text` (a call on one line) wrapped as [`wrap_call`] wraps a line, for
/// a line indented by `indent`: the lines after the first are indented by
/// it too. `None` when `text` is not one call that can be wrapped.
pub fn wrap_call_text(
    text: &str,
    indent: &str,
    unit: &str,
    line_length: usize,
    newline: &str,
) -> Option<String> {
    let source = format!("{text}\n");
    let parsed = parse_module(&source).ok()?;
    // One call, and nothing around it (not `a, f(b)`).
    let [ruff_python_ast::Stmt::Expr(stmt)] = parsed.suite().as_slice() else {
        return None;
    };
    if !stmt.value.is_call_expr() || stmt.value.range().len() != TextSize::of(text) {
        return None;
    }
    let line = TextRange::new(TextSize::default(), source.line_end(TextSize::default()));
    let width = line_length.saturating_sub(indent.chars().count());
    let wrapped = wrap_call(&source, parsed.tokens(), line, unit, width, newline)?;
    Some(wrapped.replace(newline, &format!("{newline}{indent}")))
}

/// `line` (one whole logical line ending with a call's `)`) wrapped the way
/// a formatter would: the arguments on one indented line if they fit, else
/// one per line with a trailing comma.
fn wrap_call(
    source: &str,
    tokens: &ruff_python_ast::token::Tokens,
    line: TextRange,
    unit: &str,
    line_length: usize,
    newline: &str,
) -> Option<String> {
    let all: &[Token] = tokens;
    let on_line: Vec<&Token> = overlapping(
        all,
        TextRange::new(line.start(), source.full_line_end(line.start())),
    )
    .iter()
    .filter(|t| !matches!(t.kind(), TokenKind::Indent | TokenKind::Dedent))
    .collect();
    // Every token of the line ends on it (no multi-line string).
    if on_line
        .iter()
        .any(|t| t.start() < line.start() || t.end() > source.full_line_end(line.start()))
    {
        return None;
    }
    // The line ends with a call's `)`, or with `) from error` (a `raise`)
    // or `):` (a compound statement's header), which stay after it.
    let close_at = on_line.iter().rposition(|t| t.kind() == TokenKind::Rpar)?;
    let trailer: Vec<TokenKind> = on_line[close_at + 1..]
        .iter()
        .map(|t| t.kind())
        .filter(|k| !matches!(k, TokenKind::Newline | TokenKind::NonLogicalNewline))
        .collect();
    let ends_well = matches!(
        trailer.as_slice(),
        [] | [TokenKind::Colon] | [TokenKind::From, TokenKind::Name]
    );
    // The line is a whole logical line: it ends it, and starts it.
    if !ends_well
        || !matches!(
            on_line.last().map(|t| t.kind()),
            Some(TokenKind::Newline | TokenKind::NonLogicalNewline)
        )
        || on_line[..on_line.len() - 1].iter().any(|t| {
            matches!(
                t.kind(),
                TokenKind::Comment | TokenKind::NonLogicalNewline | TokenKind::Lambda
            )
        })
    {
        return None;
    }
    // Blank and comment lines before it are not part of a statement (their
    // newline tokens are non-logical ones, as inside brackets: what comes
    // before them tells).
    let before = all[..all.partition_point(|t| t.end() <= line.start())]
        .iter()
        .rev()
        .find(|t| {
            !matches!(
                t.kind(),
                TokenKind::Indent
                    | TokenKind::Dedent
                    | TokenKind::NonLogicalNewline
                    | TokenKind::Comment
            )
        });
    // Or the line is the one item between brackets of its own lines
    // (`json.loads(\n    item\n)`): the formatter wraps it the same way.
    let sole_item = || {
        before.is_some_and(|t| {
            matches!(
                t.kind(),
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace
            )
        }) && all[all.partition_point(|t| t.end() <= source.full_line_end(line.start()))..]
            .iter()
            .find(|t| !matches!(t.kind(), TokenKind::NonLogicalNewline | TokenKind::Comment))
            .is_some_and(|t| {
                matches!(
                    t.kind(),
                    TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace
                )
            })
    };
    if (before.is_some_and(|t| t.kind() != TokenKind::Newline) && !sole_item())
        || source[TextRange::new(line.start(), on_line.first()?.start())].contains('\\')
    {
        return None;
    }
    // The `(` that the final `)` closes, and the commas between them.
    let mut depth = 0i32;
    let mut open = None;
    for (i, token) in on_line.iter().enumerate().rev() {
        match token.kind() {
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => depth += 1,
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open?;
    // Between brackets, only a call chain (`await a.b(...)`) is wrapped
    // this way: the formatter splits an operator (`x == y(...)`) first.
    if before.is_some_and(|t| t.kind() != TokenKind::Newline)
        && !on_line[..open].iter().all(|t| {
            matches!(
                t.kind(),
                TokenKind::Name | TokenKind::Dot | TokenKind::Await
            )
        })
    {
        return None;
    }
    let close = on_line.iter().rposition(|t| t.kind() == TokenKind::Rpar)?;
    let mut arguments: Vec<TextRange> = Vec::new();
    let mut depth = 0;
    let mut start = on_line[open].end();
    let mut trailing_comma = false;
    for token in &on_line[open + 1..close] {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => depth += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => depth -= 1,
            TokenKind::Comma if depth == 0 => {
                arguments.push(TextRange::new(start, token.start()));
                start = token.end();
            }
            _ => {}
        }
    }
    let rest = TextRange::new(start, on_line[close].start());
    if source[rest].trim().is_empty() {
        trailing_comma = !arguments.is_empty();
    } else {
        arguments.push(rest);
    }
    if arguments.is_empty() {
        return None;
    }
    let indent = {
        let text = &source[line];
        &text[..text.len() - text.trim_start_matches([' ', '\t']).len()]
    };
    let head = &source[TextRange::new(line.start(), on_line[open].end())];
    let tail = &source[TextRange::new(on_line[close].start(), line.end())];
    let items: Vec<&str> = arguments.iter().map(|r| source[*r].trim()).collect();
    let inner = format!("{indent}{unit}");
    let hugged = format!("{inner}{}", items.join(", "));
    if !trailing_comma && hugged.chars().count() <= line_length {
        return Some(format!("{head}{newline}{hugged}{newline}{indent}{tail}"));
    }
    if items.len() == 1 && !trailing_comma {
        return Some(format!("{head}{newline}{hugged}{newline}{indent}{tail}"));
    }
    let exploded: String = items
        .iter()
        .map(|item| format!("{inner}{item},{newline}"))
        .collect();
    Some(format!("{head}{newline}{exploded}{indent}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_length(length: usize) -> Settings {
        let mut settings = Settings::default();
        settings.style.line_length = length;
        settings
    }

    #[test]
    fn long_new_calls_are_wrapped_like_a_formatter() {
        let original = "async def f():\n    r = get(url, timeout=5)\n";
        let fixed = "async def f():\n    r = await asyncio.to_thread(get, url, timeout=5)\n";
        assert_eq!(
            restyle(original, fixed, &with_length(40)).as_deref(),
            Some(
                "async def f():\n    r = await asyncio.to_thread(\n        get, url, timeout=5\n    )\n"
            )
        );
        assert_eq!(
            restyle(original, fixed, &with_length(20)).as_deref(),
            Some(
                "async def f():\n    r = await asyncio.to_thread(\n        get,\n        url,\n        timeout=5,\n    )\n"
            )
        );
        assert_eq!(restyle(original, fixed, &with_length(88)), None);
    }

    #[test]
    fn a_call_before_from_or_a_colon_is_wrapped_like_a_formatter() {
        let original = "for r in rs:\n    if ok(r):\n        pass\n";
        let fixed = "for r in rs:\n    if ok(r):\n        pass\n    elif isinstance(r, Exception) and not isinstance(r, KnownError):\n        raise Failed(f\"the update of the account failed: {r}\") from r\n";
        assert_eq!(
            restyle(original, fixed, &with_length(60)).as_deref(),
            Some(
                "for r in rs:\n    if ok(r):\n        pass\n    elif isinstance(r, Exception) and not isinstance(\n        r, KnownError\n    ):\n        raise Failed(\n            f\"the update of the account failed: {r}\"\n        ) from r\n"
            )
        );
        // Anything else after the `)` is left alone.
        let fixed = "for r in rs:\n    if ok(r):\n        pass\n    x = compute(r, r, r, r, r, r, r, r, r) + offset_value_long\n";
        assert_eq!(restyle(original, fixed, &with_length(60)), None);
    }

    #[test]
    fn a_call_after_a_blank_or_comment_line_is_wrapped() {
        let original = "async def f():\n    x = 1\n\n    # save\n    save(x)\n";
        let fixed = "async def f():\n    x = 1\n\n    # save\n    await run_job(save, x, destination_path_name)\n";
        assert_eq!(
            restyle(original, fixed, &with_length(40)).as_deref(),
            Some(
                "async def f():\n    x = 1\n\n    # save\n    await run_job(\n        save, x, destination_path_name\n    )\n"
            )
        );
        // Inside brackets, a line after a blank one is not a statement.
        let original = "x = [\n    1,\n\n    2,\n]\n";
        let fixed =
            "x = [\n    1,\n\n    compute(first_argument_value, second_argument_value),\n]\n";
        assert_eq!(restyle(original, fixed, &with_length(40)), None);
    }

    #[test]
    fn the_one_item_between_brackets_is_wrapped() {
        let original = "async def f():\n    key = json.loads(\n        read(p)\n    )\n";
        let fixed = "async def f():\n    key = json.loads(\n        await asyncio.to_thread(read_the_key_file, p)\n    )\n";
        assert_eq!(
            restyle(original, fixed, &with_length(44)).as_deref(),
            Some(
                "async def f():\n    key = json.loads(\n        await asyncio.to_thread(\n            read_the_key_file, p\n        )\n    )\n"
            )
        );
    }

    #[test]
    fn one_call_is_wrapped_for_its_indentation() {
        assert_eq!(
            wrap_call_text(
                "f(first_argument, second_argument)",
                "        ",
                "    ",
                50,
                "\n"
            )
            .as_deref(),
            Some("f(\n            first_argument, second_argument\n        )")
        );
        assert_eq!(
            wrap_call_text("a, f(first_argument, second)", "    ", "    ", 20, "\n"),
            None
        );
    }

    #[test]
    fn pragma_comments_are_known() {
        for pragma in [
            "# noqa: F841",
            "# NOQA",
            "# type: ignore[attr-defined]",
            "# ruff: ignore[asyncio-dangling-task]",
            "#pyright: ignore",
            "# nosec B602",
        ] {
            assert!(is_pragma_comment(pragma), "{pragma}");
        }
        for comment in ["# fire and forget", "# note: see close()", "no hash"] {
            assert!(!is_pragma_comment(comment), "{comment}");
        }
    }

    #[test]
    fn new_strings_take_the_file_quote() {
        let original = "x = 'a'\n";
        let fixed = "x = 'a'\ny = \"b\"\nz = \"it's\"\n";
        assert_eq!(
            restyle(original, fixed, &Settings::default()).as_deref(),
            Some("x = 'a'\ny = 'b'\nz = \"it's\"\n")
        );
    }
}
