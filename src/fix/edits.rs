//! Small operations on the edits fixes are made of.

use ruff_diagnostics::Edit;
use ruff_text_size::{Ranged, TextRange};

use crate::diagnostic::CodeFix;

/// Joins insertions at the same offset into one, in order, so that several
/// pieces inserted at one place (imports, then a helper) do not count as
/// conflicting edits in the engine.
pub(crate) fn merge_insertions(inserts: Vec<Edit>) -> Vec<Edit> {
    let mut merged: Vec<Edit> = Vec::new();
    for edit in inserts {
        if let Some(previous) = merged
            .iter_mut()
            .find(|e| e.is_insertion() && edit.is_insertion() && e.start() == edit.start())
        {
            let content = format!(
                "{}{}",
                previous.content().unwrap_or(""),
                edit.content().unwrap_or("")
            );
            *previous = Edit::insertion(content, previous.start());
        } else {
            merged.push(edit);
        }
    }
    merged
}

/// `edits`, all inside `range` (the part of `source` a fix rewrites), as
/// the fix's own edits: insertions at one offset joined in the order given
/// (put an indentation first), and line endings as the engine expects them
/// (`\n`; it writes the file's own). `None` when two of them overlap or one
/// falls outside `range`.
pub(crate) fn edits_within(source: &str, range: TextRange, edits: Vec<Edit>) -> Option<Vec<Edit>> {
    let edits: Vec<Edit> = merge_insertions(edits)
        .into_iter()
        .map(|e| match e.content() {
            Some(content) if content.contains("\r\n") => {
                Edit::replacement(content.replace("\r\n", "\n"), e.start(), e.end())
            }
            _ => e,
        })
        .collect();
    if edits.iter().any(|e| !range.contains_range(e.range())) {
        return None;
    }
    let fix = CodeFix::unsafe_(String::new(), edits);
    if super::engine::malformed(source, &fix).is_some() {
        return None;
    }
    Some(fix.edits)
}

/// The text of `range` of `source` with `edits` (all inside it) applied, as
/// the engine would apply them, with `\n` line endings: for a fix that
/// spells a rewritten piece of code again elsewhere. `None` when two edits
/// overlap or one falls outside `range`.
pub(crate) fn edited_text(source: &str, range: TextRange, edits: Vec<Edit>) -> Option<String> {
    let shifted: Vec<Edit> = edits_within(source, range, edits)?
        .into_iter()
        .map(|e| {
            let at = TextRange::new(e.start() - range.start(), e.end() - range.start());
            match e.content() {
                Some(content) => Edit::replacement(content.to_string(), at.start(), at.end()),
                None => Edit::range_deletion(at),
            }
        })
        .collect();
    let text = super::engine::apply_edits(&source[range], shifted.iter().collect());
    Some(text.replace("\r\n", "\n"))
}

/// Edits putting `items` before the arguments of `call`, in the layout the
/// formatter gives the new call: on the first argument's line when the
/// arguments start on the call's line (a line grown too long is wrapped by
/// the engine's clean-up), as new lines of their own when the arguments are
/// one per line, and, for arguments hugged on one line of their own
/// (`f(\n    a, b\n)`), joined to that line while it fits the line length,
/// else every argument on a line of its own with a trailing comma.
/// An item that opens a parenthesis it does not close (`partial(f`) is
/// never split from the arguments it opens onto.
pub(crate) fn prepend_arguments(
    checker: &crate::checker::Checker,
    call: &ruff_python_ast::ExprCall,
    items: &[String],
) -> Vec<Edit> {
    use ruff_text_size::{TextRange, TextSize};
    let source = checker.source;
    let arguments = &call.arguments;
    let after_paren = arguments.start() + TextSize::from(1);
    let mut ranges: Vec<TextRange> = arguments
        .args
        .iter()
        .map(Ranged::range)
        .chain(arguments.keywords.iter().map(Ranged::range))
        .collect();
    ranges.sort_by_key(|r| r.start());
    let (Some(first), Some(last)) = (ranges.first().copied(), ranges.last().copied()) else {
        return vec![Edit::insertion(items.join(", "), after_paren)];
    };
    let gap = &source[TextRange::new(after_paren, first.start())];
    let Some(newline) = gap.rfind('\n') else {
        return vec![Edit::insertion(
            format!("{}, ", items.join(", ")),
            first.start(),
        )];
    };
    let indent = &gap[newline + 1..];
    let between = &source[TextRange::new(first.start(), last.end())];
    let closing = TextRange::new(last.end(), arguments.end() - TextSize::from(1));
    let trailing_comma = source[closing].trim_start().starts_with(',');
    if between.contains('\n') || trailing_comma {
        let text: String = items
            .iter()
            .map(|item| format!("{item},\n{indent}"))
            .collect();
        return vec![Edit::insertion(text, first.start())];
    }
    let balanced = items
        .iter()
        .all(|item| item.matches('(').count() == item.matches(')').count());
    let joined = format!("{indent}{}, {between}", items.join(", "));
    if joined.chars().count() <= checker.settings.style.line_length || !balanced {
        return vec![Edit::insertion(
            format!("{}, ", items.join(", ")),
            first.start(),
        )];
    }
    let mut lines: Vec<String> = items.to_vec();
    lines.extend(ranges.iter().map(|r| source[*r].to_string()));
    vec![Edit::range_replacement(
        lines
            .iter()
            .map(|line| format!("{line},"))
            .collect::<Vec<_>>()
            .join(&format!("\n{indent}")),
        TextRange::new(first.start(), last.end()),
    )]
}
