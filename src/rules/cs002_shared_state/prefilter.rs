//! What a file's text must hold for CS002 to find anything in it, without
//! parsing it: a `global` statement, a call that runs coroutines
//! concurrently, or a module-level container that is written somewhere.
//!
//! The scan over-approximates on purpose: a line whose indentation it cannot
//! place is taken as module level, anything that might store into a name or
//! call a mutating method on it counts as a write.

use std::sync::OnceLock;

use regex::Regex;

use super::{MUTABLE_FACTORIES, MUTATING_METHODS, SPAWN_METHODS, SPAWNERS};
use crate::analysis::prefilter::is_identifier_byte;

/// Whether CS002 can find anything in `source` (which has an `async def`).
pub(crate) fn may_share_state(source: &str) -> bool {
    if global_or_spawn().is_match(source) {
        return true;
    }
    module_containers(source)
        .iter()
        .any(|name| is_written(source, name))
}

/// `global`, or the name of a call that runs coroutines concurrently.
fn global_or_spawn() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let mut words: Vec<&str> = SPAWNERS
            .iter()
            .map(|q| q.rsplit('.').next().unwrap_or(q))
            .chain(SPAWN_METHODS.iter().copied())
            .chain(["global", "TaskGroup"])
            .collect();
        words.sort_unstable();
        words.dedup();
        Regex::new(&format!(r"(?-u:\b)(?:{})(?-u:\b)", words.join("|"))).expect("valid pattern")
    })
}

/// The start of a value that may be a mutable container: a literal or
/// comprehension, a call of a container factory, or something the line does
/// not finish (a parenthesis, a continuation).
fn container_value() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let factories: Vec<&str> = MUTABLE_FACTORIES
            .iter()
            .map(|q| q.rsplit('.').next().unwrap_or(q))
            .collect();
        Regex::new(&format!(
            r"^(?:[\[{{(\\]|$|(?:[A-Za-z_][A-Za-z0-9_]*\.)*(?:{})\b)",
            factories.join("|")
        ))
        .expect("valid pattern")
    })
}

/// Names bound to a possible container outside every function and class
/// body (`CACHE = {}`, `seen: set[str] = set()`, `a = b = []`, also inside a
/// module-level `if` or `try`).
fn module_containers(source: &str) -> Vec<&str> {
    let mut names = Vec::new();
    // Indentations of the enclosing `def`/`class` headers.
    let mut bodies: Vec<usize> = Vec::new();
    for line in source.lines() {
        let content = line.trim_start_matches([' ', '\t']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        while bodies.last().is_some_and(|&open| open >= indent) {
            bodies.pop();
        }
        if starts_body(content) {
            bodies.push(indent);
            continue;
        }
        if bodies.is_empty() {
            bound_containers(content, &mut names);
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

fn starts_body(content: &str) -> bool {
    let rest = content
        .strip_prefix("async")
        .map_or(content, str::trim_start);
    ["def", "class"].iter().any(|keyword| {
        rest.strip_prefix(keyword)
            .is_some_and(|after| after.starts_with([' ', '\t', '(', ':', '\\']))
    })
}

/// The targets of `content` when it assigns a possible container to names.
fn bound_containers<'s>(content: &'s str, names: &mut Vec<&'s str>) {
    let mut targets = Vec::new();
    let mut rest = content;
    loop {
        let end = rest
            .bytes()
            .position(|b| !is_identifier_byte(b))
            .unwrap_or(rest.len());
        if end == 0 || rest.as_bytes()[0].is_ascii_digit() {
            return;
        }
        let name = &rest[..end];
        let mut after = rest[end..].trim_start();
        if let Some(annotated) = after.strip_prefix(':') {
            // `name: annotation = value`
            match annotated.find('=') {
                Some(i) => after = &annotated[i..],
                None => return,
            }
        }
        let Some(value) = after.strip_prefix('=').filter(|v| !v.starts_with('=')) else {
            return;
        };
        targets.push(name);
        rest = value.trim_start();
        if container_value().is_match(rest) {
            names.extend(targets);
            return;
        }
    }
}

/// Whether some line stores into `name` (an item, an attribute, the name
/// itself), deletes from it, or calls a mutating method on it.
fn is_written(source: &str, name: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|start| {
        let end = start + name.len();
        if start > 0 && is_identifier_byte(bytes[start - 1])
            || bytes.get(end).is_some_and(|&b| is_identifier_byte(b))
        {
            return false;
        }
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
        let before = &source[line_start..start];
        let after = &source[end..line_end];
        stores_after(after) || before.trim_start().starts_with("del ") || calls_mutating(after)
    })
}

/// Whether `text` calls a mutating method (`.append(`, `. add (`...).
fn calls_mutating(text: &str) -> bool {
    text.match_indices('.').any(|(dot, _)| {
        let rest = text[dot + 1..].trim_start();
        let end = rest
            .bytes()
            .position(|b| !is_identifier_byte(b))
            .unwrap_or(rest.len());
        MUTATING_METHODS.contains(&&rest[..end]) && rest[end..].trim_start().starts_with('(')
    })
}

/// Whether the text after a name stores into it: subscripts and attributes,
/// then `=` (not `==`), an augmented assignment, or a comma of a target list.
/// Rebinding the name itself is not a write here: in a function it needs a
/// `global` statement, which lets the file through on its own.
fn stores_after(after: &str) -> bool {
    let mut rest = after;
    let mut into = false;
    loop {
        rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('[') {
            let mut depth = 1;
            let Some(close) = inner.char_indices().find_map(|(i, c)| {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            }) else {
                // The subscript goes on to the next line: it may be a target.
                return true;
            };
            rest = &inner[close + 1..];
            into = true;
        } else if let Some(attr) = rest.strip_prefix('.') {
            let attr = attr.trim_start();
            let end = attr
                .bytes()
                .position(|b| !is_identifier_byte(b))
                .unwrap_or(attr.len());
            if end == 0 {
                return false;
            }
            rest = &attr[end..];
            into = true;
        } else {
            break;
        }
    }
    let augmented = [
        "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^=", "<<=", ">>=",
    ];
    into && ((rest.starts_with('=') && !rest.starts_with("=="))
        || augmented.iter().any(|op| rest.starts_with(op))
        || ((rest.starts_with(',') || rest.starts_with(':')) && rest.contains('=')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_bound_at_module_level() {
        let source = "import x\nA = {}\nB: dict[str, int] = dict()\nc = d = []\nN = 3\nif x:\n    E = collections.deque()\n\ndef f():\n    F = []\nclass K:\n    G = {}\nH = (\n    1,\n)\n";
        assert_eq!(
            module_containers(source),
            vec!["A", "B", "E", "H", "c", "d"]
        );
    }

    #[test]
    fn writes() {
        for line in [
            "A[k] = 1",
            "A[k][j] += 1",
            "A.x = 2",
            "A.append(1)",
            "A[k].add(1)",
            "del A[k]",
            "A[0], b = f()",
        ] {
            assert!(is_written(&format!("x\n    {line}\n"), "A"), "{line}");
        }
        // Rebinding the name needs `global`, which is looked for on its own.
        for line in [
            "return A[k]",
            "A == B",
            "AA[k] = 1",
            "f(A)",
            "x = A.get(k)",
            "A = await g()",
            "A, b = f()",
        ] {
            assert!(!is_written(&format!("x\n    {line}\n"), "A"), "{line}");
        }
    }
}
