//! Removing the imports that fixes left unused.
//!
//! After the fix passes, an import that the original file used and the
//! fixed file no longer uses is removed (`requests` after its calls were
//! rewritten to `aiohttp`, `from time import sleep as pause` after the sleep
//! became `asyncio.sleep`). One general rule instead of each fix cleaning up
//! after itself: a name counts as used when any name token outside import
//! statements spells it, or a string mentions it (an annotation, `__all__`).
//! Imports the original did not use are left alone (they may be
//! re-exports, or imported for their side effects), and so are imports in
//! `__init__.py` files, `__future__` imports and explicit re-exports
//! (`import x as x`).

use std::path::Path;

use ruff_diagnostics::Edit;
use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{self as ast, Stmt};
use ruff_python_codegen::Stylist;
use ruff_python_parser::parse_module;
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextLen, TextRange, TextSize};

use super::importer::format_from_import;
use crate::config::settings::Settings;

/// An import statement, and whether the body it is in has other statements.
struct Import<'a> {
    stmt: &'a Stmt,
    alone_in_body: bool,
}

#[derive(Default)]
struct Collector<'a> {
    imports: Vec<Import<'a>>,
}

impl<'a> Collector<'a> {
    fn body(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            if matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
                self.imports.push(Import {
                    stmt,
                    alone_in_body: body.len() == 1,
                });
            }
        }
    }
}

impl<'a> SourceOrderVisitor<'a> for Collector<'a> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        self.body(body);
        source_order::walk_body(self, body);
    }
}

/// The names an import statement binds: (name, whether it is an explicit
/// re-export or otherwise never to be removed).
fn bound_names(stmt: &Stmt) -> Vec<(String, bool)> {
    match stmt {
        Stmt::Import(import) => import
            .names
            .iter()
            .map(|alias| match &alias.asname {
                Some(asname) => (asname.to_string(), asname.id == alias.name.id),
                None => {
                    let name = alias.name.as_str();
                    (name.split('.').next().unwrap_or(name).to_string(), false)
                }
            })
            .collect(),
        Stmt::ImportFrom(from) => {
            let future = from
                .module
                .as_ref()
                .is_some_and(|m| m.as_str() == "__future__");
            from.names
                .iter()
                .map(|alias| match &alias.asname {
                    Some(asname) => (asname.to_string(), future || asname.id == alias.name.id),
                    None => (alias.name.to_string(), future || alias.name.as_str() == "*"),
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether `name` is used in the module: a name token outside the import
/// statements, or a word in a string.
fn is_used(name: &str, source: &str, tokens: &Tokens, imports: &[TextRange]) -> bool {
    tokens.iter().any(|token| match token.kind() {
        TokenKind::Name => {
            &source[token.range()] == name
                && !imports.iter().any(|r| r.contains_range(token.range()))
        }
        TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle => {
            mentions(&source[token.range()], name)
        }
        _ => false,
    })
}

/// Whether `text` contains `name` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(text[..at].chars().next_back()) && !word(text[at + name.len()..].chars().next())
    })
}

/// The names of module-level and nested imports that `source` uses.
fn used_import_names(source: &str) -> Option<Vec<String>> {
    let parsed = parse_module(source).ok()?;
    let mut collector = Collector::default();
    collector.visit_body(&parsed.syntax().body);
    let ranges: Vec<TextRange> = collector.imports.iter().map(|i| i.stmt.range()).collect();
    let mut used = Vec::new();
    for import in &collector.imports {
        for (name, _) in bound_names(import.stmt) {
            if is_used(&name, source, parsed.tokens(), &ranges) {
                used.push(name);
            }
        }
    }
    Some(used)
}

/// `fixed` without the imports that `original` used and `fixed` no longer
/// does, or `None` when there are none.
pub fn remove_newly_unused(
    path: &Path,
    original: &str,
    fixed: &str,
    settings: &Settings,
) -> Option<String> {
    if path.file_name().is_some_and(|n| n == "__init__.py") {
        return None;
    }
    let used_before = used_import_names(original)?;
    let parsed = parse_module(fixed).ok()?;
    let stylist = Stylist::from_tokens(parsed.tokens(), fixed);
    let mut collector = Collector::default();
    collector.visit_body(&parsed.syntax().body);
    let ranges: Vec<TextRange> = collector.imports.iter().map(|i| i.stmt.range()).collect();
    let mut edits: Vec<Edit> = Vec::new();
    for import in &collector.imports {
        let stmt = import.stmt;
        // Only a statement the original had, word for word.
        if !original.contains(&fixed[stmt.range()]) {
            continue;
        }
        let names = bound_names(stmt);
        let unused: Vec<bool> = names
            .iter()
            .map(|(name, keep)| {
                !keep
                    && used_before.contains(name)
                    && !is_used(name, fixed, parsed.tokens(), &ranges)
            })
            .collect();
        if !unused.contains(&true) {
            continue;
        }
        let own_lines = fixed[TextRange::new(fixed.line_start(stmt.start()), stmt.start())]
            .trim()
            .is_empty()
            && {
                let after = fixed[TextRange::new(stmt.end(), fixed.line_end(stmt.end()))].trim();
                after.is_empty() || after.starts_with('#')
            };
        if !own_lines {
            continue;
        }
        let has_comments = parsed
            .tokens()
            .in_range(stmt.range())
            .iter()
            .any(|t| t.kind() == TokenKind::Comment);
        if unused.iter().all(|u| *u) {
            if import.alone_in_body {
                edits.push(Edit::range_replacement("pass".to_string(), stmt.range()));
            } else {
                edits.push(Edit::range_deletion(removed_lines(fixed, stmt.range())));
            }
            continue;
        }
        if has_comments {
            continue;
        }
        let indent = {
            let line = &fixed[TextRange::new(fixed.line_start(stmt.start()), stmt.start())];
            line.to_string()
        };
        let replacement = match stmt {
            Stmt::Import(ast::StmtImport { names, .. }) => {
                let kept: Vec<&str> = names
                    .iter()
                    .zip(&unused)
                    .filter(|(_, u)| !**u)
                    .map(|(alias, _)| &fixed[alias.range()])
                    .collect();
                format!("import {}", kept.join(", "))
            }
            Stmt::ImportFrom(from) => {
                let kept: Vec<String> = from
                    .names
                    .iter()
                    .zip(&unused)
                    .filter(|(_, u)| !**u)
                    .map(|(alias, _)| fixed[alias.range()].to_string())
                    .collect();
                let module = format!(
                    "{}{}",
                    ".".repeat(from.level as usize),
                    from.module.as_ref().map_or("", |m| m.as_str())
                );
                let text = &fixed[stmt.range()];
                let exploded =
                    text.contains('(') && text.trim_end_matches(')').trim_end().ends_with(',');
                format_from_import(
                    &module,
                    &kept,
                    &indent,
                    stylist.indentation().as_str(),
                    exploded,
                    settings.style.line_length,
                )
            }
            _ => continue,
        };
        edits.push(Edit::range_replacement(replacement, stmt.range()));
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.start()));
    let mut out = fixed.to_string();
    for edit in edits {
        out.replace_range(
            edit.start().to_usize()..edit.end().to_usize(),
            edit.content().unwrap_or(""),
        );
    }
    Some(out)
}

/// The whole lines of `range`, and the blank lines a removal would leave
/// doubled: those before it when blank lines also follow it (a section of
/// the import block that is now empty), or those after it at the start of
/// the file.
fn removed_lines(source: &str, range: TextRange) -> TextRange {
    let start = source.line_start(range.start());
    let end = source.full_line_end(range.end());
    let is_blank = |offset: TextSize| {
        offset < source.text_len()
            && source[TextRange::new(offset, source.line_end(offset))]
                .trim()
                .is_empty()
    };
    let blank_after = end >= source.text_len() || is_blank(end);
    let mut new_start = start;
    if blank_after {
        while new_start > TextSize::default() {
            let previous = previous_line_start(source, new_start);
            if !is_blank(previous) {
                break;
            }
            new_start = previous;
        }
    }
    let mut new_end = end;
    // First in a block (after `def f():`), or first in the file: the blank
    // lines after it go too.
    let opens_block = source[..start.to_usize()].trim_end().ends_with(':');
    if new_start == TextSize::default() || opens_block {
        while new_end < source.text_len() && is_blank(new_end) {
            new_end = source.full_line_end(new_end);
        }
    }
    TextRange::new(new_start, new_end)
}

/// The start of the line before the one starting at `line_start` (which is
/// not the first), for `\n`, `\r\n` and `\r` line endings alike.
pub fn previous_line_start(source: &str, line_start: TextSize) -> TextSize {
    let before = &source[..line_start.to_usize()];
    let before = before.strip_suffix('\n').unwrap_or(before);
    let before = before.strip_suffix('\r').unwrap_or(before);
    source.line_start(TextSize::of(before))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(original: &str, fixed: &str) -> Option<String> {
        remove_newly_unused(Path::new("m.py"), original, fixed, &Settings::default())
    }

    #[test]
    fn removes_imports_whose_last_use_went() {
        assert_eq!(
            clean(
                "import asyncio\nimport time\n\nimport requests\n\n\nasync def f():\n    time.sleep(1)\n    requests.get(u)\n",
                "import asyncio\nimport time\n\nimport requests\n\n\nasync def f():\n    await asyncio.sleep(1)\n    await g(u)\n",
            )
            .as_deref(),
            Some("import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n    await g(u)\n")
        );
        assert_eq!(
            clean(
                "from time import sleep as pause, time\nx = time()\npause(1)\n",
                "from time import sleep as pause, time\nx = time()\nawait_it(1)\n",
            )
            .as_deref(),
            Some("from time import time\nx = time()\nawait_it(1)\n")
        );
    }

    #[test]
    fn crlf_lines_are_removed_whole() {
        assert_eq!(
            clean(
                "import asyncio\r\nimport time\r\n\r\n\r\nasync def a():\r\n    time.sleep(1)\r\n",
                "import asyncio\r\nimport time\r\n\r\n\r\nasync def a():\r\n    await asyncio.sleep(1)\r\n",
            )
            .as_deref(),
            Some("import asyncio\r\n\r\n\r\nasync def a():\r\n    await asyncio.sleep(1)\r\n")
        );
        assert_eq!(
            clean(
                "import os\r\n\r\nimport time\r\n\r\nx = time.time()\r\n",
                "import os\r\n\r\nimport time\r\n\r\nx = os.getpid()\r\n",
            )
            .as_deref(),
            Some("import os\r\n\r\nx = os.getpid()\r\n")
        );
    }

    #[test]
    fn keeps_imports_the_original_did_not_use_or_still_used() {
        // `os` was unused before: a re-export or a side effect, not ours.
        assert_eq!(
            clean(
                "import os\nimport time\ntime.sleep(1)\n",
                "import os\nimport time\nx(1)\n"
            )
            .as_deref(),
            Some("import os\nx(1)\n")
        );
        // Still named in a string annotation.
        assert_eq!(
            clean(
                "import time\ndef f(c: 'time.struct_time'):\n    time.sleep(1)\n",
                "import time\ndef f(c: 'time.struct_time'):\n    pass\n"
            ),
            None
        );
        // A block needs a statement.
        assert_eq!(
            clean(
                "try:\n    import time\nexcept ImportError:\n    pass\ntime.sleep(1)\n",
                "try:\n    import time\nexcept ImportError:\n    pass\nx(1)\n"
            )
            .as_deref(),
            Some("try:\n    pass\nexcept ImportError:\n    pass\nx(1)\n")
        );
    }
}
