//! What a file's text must hold for CS002 to find anything in it, without
//! parsing it: a `global` statement, a call that runs coroutines
//! concurrently, or a module-level container that is written somewhere.
//!
//! The scan over-approximates on purpose: a line whose indentation it cannot
//! place is taken as module level, anything that might store into a name or
//! call a mutating method on it counts as a write.

use super::{MUTABLE_FACTORIES, MUTATING_METHODS, SPAWN_METHODS, SPAWNERS};
use crate::analysis::prefilter::is_identifier_byte;

/// The names that let a file through on their own: `global` (a function
/// rebinding module state) and every call that runs coroutines
/// concurrently (the instance-attribute hazards need one).
pub(crate) fn concurrency_words() -> Vec<Vec<&'static str>> {
    SPAWNERS
        .iter()
        .map(|qualified| crate::analysis::prefilter::name_words(qualified))
        .chain(
            SPAWN_METHODS
                .iter()
                .chain(&["global", "TaskGroup"])
                .map(|word| vec![*word]),
        )
        .collect()
}

/// Whether `code` binds a module-level container that it also writes.
pub(crate) fn writes_module_container(code: &str) -> bool {
    module_containers(code)
        .iter()
        .any(|name| is_written(code, name))
}

/// Whether `value` starts like a mutable container: a literal or
/// comprehension, a call of a container factory (`dict(`, also reached
/// through a dotted chain: `collections.deque(`, `dict.fromkeys(`), or
/// something the line does not finish (a parenthesis, a continuation).
fn is_container_value(value: &str) -> bool {
    let bytes = value.as_bytes();
    match bytes.first() {
        None | Some(b'[' | b'{' | b'(' | b'\\') => return true,
        Some(_) => {}
    }
    let mut at = 0;
    loop {
        let rest = &bytes[at..];
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(rest.len());
        if end == 0 || rest[0].is_ascii_digit() {
            return false;
        }
        let name = &rest[..end];
        match rest.get(end) {
            // A non-ASCII letter would continue the name.
            Some(&b) if b >= 0x80 => return false,
            next => {
                if MUTABLE_FACTORIES
                    .iter()
                    .any(|q| q.rsplit('.').next().is_some_and(|f| f.as_bytes() == name))
                {
                    return true;
                }
                if next != Some(&b'.') {
                    return false;
                }
            }
        }
        at += end + 1;
    }
}

/// Names bound to a possible container outside every function and class
/// body (`CACHE = {}`, `seen: set[str] = set()`, `a = b = []`, also inside a
/// module-level `if` or `try`).
///
/// Only statements that start in column 0 and the blocks of module-level
/// compound statements are looked at: a function's or a class's lines are
/// skipped by their first byte alone.
fn module_containers(source: &str) -> Vec<&str> {
    let mut names = Vec::new();
    // The statement being continued from an earlier line (open brackets or
    // a backslash), and whether it opens a function or class body.
    let mut open_brackets = 0usize;
    let mut continued = false;
    let mut statement_is_body = false;
    // Inside the block of a module-level compound statement: the scan of
    // its lines.
    let mut block: Option<BlockScan> = None;
    let mut line_start = 0;
    let line_ends = memchr::memchr_iter(b'\n', source.as_bytes()).chain([source.len()]);
    for line_end in line_ends {
        let line = &source[line_start..line_end];
        line_start = line_end + 1;
        if open_brackets > 0 || continued {
            open_brackets = count_brackets(line, open_brackets);
            continued = line.trim_end().ends_with('\\');
            if open_brackets == 0 && !continued && !statement_is_body && ends_header(line) {
                block = Some(BlockScan::default());
            }
            continue;
        }
        match line.as_bytes().first() {
            None | Some(b'\r') => {}
            Some(b' ' | b'\t' | b'\x0c') => {
                if let Some(scan) = &mut block {
                    scan.line(line, &mut names);
                }
            }
            Some(_) => {
                open_brackets = count_brackets(line, 0);
                continued = line.trim_end().ends_with('\\');
                statement_is_body = starts_body(line) || line.starts_with('@');
                block = None;
                if statement_is_body {
                    continue;
                }
                if open_brackets > 0 || continued {
                    // A binding's value may open here (`CACHE = {`).
                    bound_containers(line, &mut names);
                } else if ends_header(line) {
                    block = Some(BlockScan::default());
                } else {
                    bound_containers(line, &mut names);
                }
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether a line ends a compound statement's header (`if x:`, `try:`).
fn ends_header(line: &str) -> bool {
    line.trim_end().ends_with(':')
}

/// The brackets still open after `line`, `open` being open before it. A
/// line that closes more than was open counts as closing all of them.
fn count_brackets(line: &str, open: usize) -> usize {
    // A sum over a table, which the compiler vectorises: the long
    // module-level tables of constants are counted line by line.
    const DELTA: [i8; 256] = {
        let mut table = [0i8; 256];
        table[b'(' as usize] = 1;
        table[b'[' as usize] = 1;
        table[b'{' as usize] = 1;
        table[b')' as usize] = -1;
        table[b']' as usize] = -1;
        table[b'}' as usize] = -1;
        table
    };
    let delta: isize = line
        .bytes()
        .map(|b| isize::from(DELTA[usize::from(b)]))
        .sum();
    usize::try_from(open.cast_signed() + delta).unwrap_or(0)
}

/// The lines of a module-level compound statement's block: bindings there
/// are module level too, unless inside a `def` or `class` of the block.
#[derive(Default)]
struct BlockScan {
    /// Indentations of the enclosing `def`/`class` headers.
    bodies: Vec<usize>,
    open_brackets: usize,
    continued: bool,
}

impl BlockScan {
    fn line<'s>(&mut self, line: &'s str, names: &mut Vec<&'s str>) {
        let continuation = self.open_brackets > 0 || self.continued;
        self.open_brackets = count_brackets(line, self.open_brackets);
        self.continued = line.trim_end().ends_with('\\');
        let content = line.trim_start_matches([' ', '\t', '\x0c']);
        if continuation || content.trim_end().is_empty() {
            return;
        }
        let indent = line.len() - content.len();
        while self.bodies.last().is_some_and(|&open| open >= indent) {
            self.bodies.pop();
        }
        if starts_body(content) {
            self.bodies.push(indent);
        } else if self.bodies.is_empty() {
            bound_containers(content, names);
        }
    }
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
        if is_container_value(rest) {
            names.extend(targets);
            return;
        }
    }
}

/// Whether some line stores into `name` (an item or an attribute of it),
/// deletes from it, or calls a mutating method on it (`name.append(`,
/// `name[k].add(`).
fn is_written(source: &str, name: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|start| {
        let end = start + name.len();
        if start > 0 && is_identifier_byte(bytes[start - 1])
            || bytes.get(end).is_some_and(|&b| is_identifier_byte(b))
        {
            return false;
        }
        let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i);
        let before = &source[line_start..start];
        before.trim_start().starts_with("del ") || writes_through(&source[end..line_end])
    })
}

/// Whether the text after a name writes through it: subscripts and
/// attributes, then `=` (not `==`), an augmented assignment, a comma or an
/// annotation of a target list, or a call of a mutating method. Rebinding
/// the name itself is not a write here: in a function it needs a `global`
/// statement, which lets the file through on its own.
fn writes_through(after: &str) -> bool {
    let mut rest = after;
    let mut into = false;
    let mut last_attribute = None;
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
            last_attribute = None;
        } else if let Some(attr) = rest.strip_prefix('.') {
            let attr = attr.trim_start();
            let end = attr
                .bytes()
                .position(|b| !is_identifier_byte(b))
                .unwrap_or(attr.len());
            if end == 0 {
                return false;
            }
            last_attribute = Some(&attr[..end]);
            rest = &attr[end..];
            into = true;
        } else {
            break;
        }
    }
    if rest.starts_with('\\') {
        // A line continuation: the chain may go on.
        return true;
    }
    if rest.starts_with('(') {
        return last_attribute.is_some_and(|method| MUTATING_METHODS.contains(&method));
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
        let source = "import x\nA = {}\nB: dict[str, int] = dict()\nc = d = []\nN = 3\nif x:\n    E = collections.deque()\n\ndef f():\n    F = []\nclass K:\n    G = {}\nH = (\n    1,\n)\nasync def g(\n    a,\n) -> None:\n    I = []\n";
        assert_eq!(
            module_containers(source),
            vec!["A", "B", "E", "H", "c", "d"]
        );
    }

    #[test]
    fn container_values() {
        for value in [
            "",
            "[]",
            "{k: v for k, v in x}",
            "(",
            "\\",
            "dict()",
            "set(x)",
            "collections.deque(maxlen=3)",
            "dict.fromkeys(keys)",
            "a.b.OrderedDict()",
        ] {
            assert!(is_container_value(value), "{value:?}");
        }
        for value in [
            "3",
            "None",
            "foo()",
            "dicts()",
            "x.dictionary",
            "\"s\"",
            "1.dict()",
            "dict\u{e9}()",
        ] {
            assert!(!is_container_value(value), "{value:?}");
        }
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
            "for x in A: out.append(x)",
            "A.get(k).append(x)",
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
