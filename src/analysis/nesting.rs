//! A cheap estimate of how deeply a source nests, made before parsing.
//!
//! Parsing and walking the tree are recursive. Real code nests a few dozen
//! levels, but a generated or hostile file can chain thousands of operators
//! (`a + a + ... + a`, `not not ... x`, `a.b.b...b`) or brackets, and would
//! exhaust the stack; CPython itself refuses such files ("too many nested
//! parentheses", "maximum recursion depth exceeded during compilation").
//! This scan bounds the depth from above without tokenizing properly: it
//! skips strings and comments, tracks bracket depth, and counts operators
//! chained within one element of a bracket (commas, colons and semicolons
//! end an element; a flat literal `[1, -2, 3.5, ...]` stays shallow).

/// Files nesting deeper than this are reported, not analysed. With the
/// worker threads' stacks (see `workers::WORKER_STACK`, 1 GiB of address
/// space, of which only what is used is ever touched) a debug build was
/// measured to fix 199,000-deep chains of every recursive form (unary and
/// binary operators, `not`, `lambda`, conditional expressions, attributes,
/// subscripts, calls, parentheses, lists). On smaller stacks the limit is
/// lower in proportion (`workers::max_depth`).
pub const MAX_DEPTH: usize = 200_000;

/// Whether a source might nest deeper than `limit` and needs the scan:
/// every level of nesting takes at least one byte, so shorter files cannot
/// (and the scan costs nothing on the vast majority of files).
pub fn needs_scan(source: &str, limit: usize) -> bool {
    source.len() > limit
}

/// The deepest estimated nesting and the byte offset where it is reached,
/// if it exceeds `limit`.
pub fn exceeds(source: &str, limit: usize) -> Option<(usize, usize)> {
    let bytes = source.as_bytes();
    // One operator counter per open bracket, plus the outermost level.
    let mut chains: Vec<usize> = vec![0];
    let mut chained_total = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let deeper = match b {
            b'#' => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | 0x80.. => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                if KEYWORD_OPERATORS.contains(&&bytes[start..i]) {
                    chained_total += 1;
                    *chains.last_mut().expect("never empty") += 1;
                    if chains.len() - 1 + chained_total > limit {
                        return Some((chains.len() - 1 + chained_total, start));
                    }
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                chains.push(0);
                true
            }
            b')' | b']' | b'}' if chains.len() > 1 => {
                chained_total -= chains.pop().unwrap_or(0);
                false
            }
            b',' | b';' | b':' => {
                let last = chains.last_mut().expect("never empty");
                chained_total -= *last;
                *last = 0;
                false
            }
            b'\n' if chains.len() == 1 => {
                // Indentation bounds the block nesting of the next line.
                let indent = bytes[i + 1..]
                    .iter()
                    .take_while(|&&c| c == b' ' || c == b'\t')
                    .count();
                chained_total = indent;
                chains[0] = indent;
                true
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>' | b'@' => {
                chained_total += 1;
                *chains.last_mut().expect("never empty") += 1;
                true
            }
            b'.' if !(i > 0 && bytes[i - 1].is_ascii_digit()) => {
                chained_total += 1;
                *chains.last_mut().expect("never empty") += 1;
                true
            }
            _ => false,
        };
        if deeper && chains.len() - 1 + chained_total > limit {
            return Some((chains.len() - 1 + chained_total, i));
        }
        i += 1;
    }
    None
}

/// Keywords that nest an expression: `not`, `and`, `or`, `if`, `lambda`, `await`.
const KEYWORD_OPERATORS: &[&[u8]] = &[b"not", b"and", b"or", b"if", b"lambda", b"await"];

/// Skips a string literal starting at the quote at `start`; returns the
/// offset after it (or the end of input for an unterminated one).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes[start..].starts_with(&[quote, quote, quote]);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if !triple => return i,
            c if c == quote => {
                if !triple {
                    return i + 1;
                }
                if bytes[i..].starts_with(&[quote, quote, quote]) {
                    return i + 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_code_is_shallow() {
        let source = "def f(a, b):\n    return [x.y + 1 for x in a if not x.z] or {'k': -1.5}\n# (((((\ns = ')))' + \"((\"\n";
        assert_eq!(exceeds(source, 10), None);
    }

    #[test]
    fn flat_literals_stay_shallow() {
        let items: Vec<String> = (0..5000).map(|i| format!("-{i}.5")).collect();
        let source = format!("data = [{}]\n", items.join(", "));
        assert_eq!(exceeds(&source, 10), None);
    }

    #[test]
    fn operator_chains_and_brackets_are_deep() {
        let chain = format!("x = {}\n", vec!["a"; 2000].join(" + "));
        assert!(exceeds(&chain, 1000).is_some());
        let nots = format!("x = {}a\n", "not ".repeat(2000));
        assert!(exceeds(&nots, 1000).is_some());
        let parens = format!("x = {}1{}\n", "(".repeat(2000), ")".repeat(2000));
        assert!(exceeds(&parens, 1000).is_some());
        let attrs = format!("x = a{}\n", ".b".repeat(2000));
        assert!(exceeds(&attrs, 1000).is_some());
        let mut blocks = String::new();
        for level in 0..1200 {
            blocks.push_str(&format!("{}if x:\n", "\t".repeat(level)));
        }
        blocks.push_str(&format!("{}pass\n", "\t".repeat(1200)));
        assert!(exceeds(&blocks, 1000).is_some());
        assert!(exceeds(&blocks, 1300).is_none());
    }
}
