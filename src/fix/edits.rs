//! Small operations on the edits fixes are made of.

use ruff_diagnostics::Edit;
use ruff_text_size::Ranged;

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
