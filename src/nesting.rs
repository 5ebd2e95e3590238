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

/// Files nesting deeper than this are reported, not analysed.
pub const MAX_DEPTH: usize = 1_000;

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
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => chains.push(0),
            b')' | b']' | b'}' if chains.len() > 1 => {
                chained_total -= chains.pop().unwrap_or(0);
            }
            b',' | b';' | b':' => {
                let last = chains.last_mut().expect("never empty");
                chained_total -= *last;
                *last = 0;
            }
            b'\n' if chains.len() == 1 => {
                chained_total = 0;
                chains[0] = 0;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>' | b'@' => {
                chained_total += 1;
                *chains.last_mut().expect("never empty") += 1;
            }
            b'.' if !(i > 0 && bytes[i - 1].is_ascii_digit()) => {
                chained_total += 1;
                *chains.last_mut().expect("never empty") += 1;
            }
            b'n' | b'a' | b'o' | b'i' | b'l' if is_keyword_operator(bytes, i) => {
                chained_total += 1;
                *chains.last_mut().expect("never empty") += 1;
            }
            _ => {}
        }
        let depth = chains.len() - 1 + chained_total;
        if depth > limit {
            return Some((depth, i));
        }
        i += 1;
    }
    None
}

/// `not`, `and`, `or`, `if`, `lambda`, `await` as whole words.
fn is_keyword_operator(bytes: &[u8], i: usize) -> bool {
    if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
        return false;
    }
    for word in [&b"not"[..], b"and", b"or", b"if", b"lambda", b"await"] {
        if bytes[i..].starts_with(word) {
            let after = bytes.get(i + word.len());
            if !after.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                return true;
            }
        }
    }
    false
}

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
        assert!(exceeds(&chain, MAX_DEPTH).is_some());
        let nots = format!("x = {}a\n", "not ".repeat(2000));
        assert!(exceeds(&nots, MAX_DEPTH).is_some());
        let parens = format!("x = {}1{}\n", "(".repeat(2000), ")".repeat(2000));
        assert!(exceeds(&parens, MAX_DEPTH).is_some());
        let attrs = format!("x = a{}\n", ".b".repeat(2000));
        assert!(exceeds(&attrs, MAX_DEPTH).is_some());
    }
}
