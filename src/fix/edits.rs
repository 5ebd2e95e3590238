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
