//! Which rules can find anything in a file, decided from its text alone.
//!
//! Parsing is most of a run's cost, and most files of a large tree cannot
//! hold a finding: no `async def`, or none of the names a rule looks for. A
//! rule declares, next to its code, what a file must contain for the rule to
//! find anything ([`Prefilter`]); a file no enabled rule applies to is never
//! parsed. A prefilter may let through a file the rule then finds nothing
//! in, never the reverse: each one is derived from the same data the rule
//! matches against (its catalogue), and `CODESIGHT_NO_PREFILTER=1` turns them
//! all off so the tests and the bench can check that nothing is lost.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::RegexSet;

use crate::rules::RULES;

/// What a file's text must hold for a rule to find anything in it.
pub struct Prefilter {
    /// Regular expressions the text must all match.
    pub patterns: &'static [&'static str],
    /// Groups of names: when given, the text's code (not its comments nor
    /// its strings) must hold every name of at least one group as a whole
    /// word (`time` and `sleep` for `time.sleep`, however the file imports
    /// or aliases it).
    pub words: Option<fn() -> Vec<Vec<&'static str>>>,
    /// A last check, on the text's code (see [`code_only`]), for conditions
    /// neither of the above says.
    pub text: Option<fn(&str) -> bool>,
}

impl Prefilter {
    /// A prefilter of regular expressions only.
    pub const fn patterns(patterns: &'static [&'static str]) -> Self {
        Prefilter {
            patterns,
            words: None,
            text: None,
        }
    }
}

/// Every rule's prefilter, compiled once: one scan of the text for all the
/// patterns and one for all the words.
struct Compiled {
    patterns: RegexSet,
    /// For each rule of [`RULES`], the indices of its patterns.
    rule_patterns: Vec<Vec<usize>>,
    words: AhoCorasick,
    word_count: usize,
    /// For each rule, its word groups as indices into `words`' patterns.
    rule_words: Vec<Option<Vec<Vec<usize>>>>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let mut patterns: Vec<&str> = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        let intern = |list: &mut Vec<&'static str>, item: &'static str| match list
            .iter()
            .position(|p| *p == item)
        {
            Some(i) => i,
            None => {
                list.push(item);
                list.len() - 1
            }
        };
        let mut rule_patterns = Vec::new();
        let mut rule_words = Vec::new();
        for rule in RULES {
            let filter = &rule.prefilter;
            rule_patterns.push(
                filter
                    .patterns
                    .iter()
                    .map(|p| intern(&mut patterns, p))
                    .collect(),
            );
            rule_words.push(filter.words.map(|groups| {
                let mut groups: Vec<Vec<usize>> = groups()
                    .into_iter()
                    .map(|group| {
                        let mut ids: Vec<usize> =
                            group.into_iter().map(|w| intern(&mut words, w)).collect();
                        ids.sort_unstable();
                        ids.dedup();
                        ids
                    })
                    .collect();
                groups.sort();
                groups.dedup();
                groups
            }));
        }
        Compiled {
            patterns: RegexSet::new(&patterns).expect("rule prefilters are valid"),
            rule_patterns,
            words: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&words)
                .expect("prefilter words build an automaton"),
            word_count: words.len(),
            rule_words,
        }
    })
}

/// Whether prefilters are off (`CODESIGHT_NO_PREFILTER=1`): every rule then
/// runs on every file, to check that the prefilters lose nothing.
fn disabled() -> bool {
    static DISABLED: OnceLock<bool> = OnceLock::new();
    *DISABLED.get_or_init(|| std::env::var_os("CODESIGHT_NO_PREFILTER").is_some_and(|v| v == "1"))
}

/// For each rule of [`RULES`], whether it can find anything in `source`.
pub fn applicable_rules(source: &str) -> Vec<bool> {
    if disabled() {
        return vec![true; RULES.len()];
    }
    let compiled = compiled();
    let matched = compiled.patterns.matches(source);
    let mut code: Option<String> = None;
    let mut present: Option<Vec<bool>> = None;
    RULES
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            if !compiled.rule_patterns[index]
                .iter()
                .all(|&i| matched.matched(i))
            {
                return false;
            }
            if compiled.rule_words[index].is_none() && rule.prefilter.text.is_none() {
                return true;
            }
            let code = code.get_or_insert_with(|| code_only(source));
            if let Some(groups) = &compiled.rule_words[index] {
                let present = present.get_or_insert_with(|| words_present(compiled, code));
                if !groups.iter().any(|g| g.iter().all(|&w| present[w])) {
                    return false;
                }
            }
            rule.prefilter.text.is_none_or(|text| text(code))
        })
        .collect()
}

/// The words a file must hold for a name to resolve to `qualified`: its
/// module's first segment (imported under any alias, the module's name is
/// still written in the import) and its last one (`time` and `sleep` for
/// `time.sleep`); a builtin's own name alone. A pseudo entry's suffix in
/// parentheses (`queue.Queue(maxsize)`) is not part of the name.
pub fn name_words(qualified: &'static str) -> Vec<&'static str> {
    let name = qualified.split('(').next().unwrap_or(qualified);
    let first = name.split('.').next().unwrap_or(name);
    let last = name.rsplit('.').next().unwrap_or(name);
    if first == "builtins" || first == last {
        vec![last]
    } else {
        vec![first, last]
    }
}

/// Which of the prefilter words `source` holds as whole words.
fn words_present(compiled: &Compiled, source: &str) -> Vec<bool> {
    let mut present = vec![false; compiled.word_count];
    let bytes = source.as_bytes();
    // With leftmost-longest matching, a match that is part of a longer
    // identifier can only hide other matches inside that same identifier,
    // which are not whole words either.
    for found in compiled.words.find_iter(source) {
        let before = found.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(found.end()).copied();
        if !before.is_some_and(is_identifier_byte) && !after.is_some_and(is_identifier_byte) {
            present[found.pattern().as_usize()] = true;
        }
    }
    present
}

/// `source` with the text of its comments and string literals blanked out
/// (newlines kept, so lines stay where they were): words found in the rest
/// are code. An f-string or t-string is kept whole, as its replacement
/// fields are code. An unterminated string ends at the end of its line (a
/// single-quoted one) or of the text: the file does not parse anyway.
pub fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                let keep = string_prefix(bytes, i).is_some_and(|prefix| {
                    prefix
                        .iter()
                        .any(|b| matches!(b.to_ascii_lowercase(), b'f' | b't'))
                });
                let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
                let open = if triple { 3 } else { 1 };
                let mut j = i + open;
                // In an f-string, the depth of replacement fields: a quote
                // inside one starts a nested string (Python 3.12 allows the
                // same quote there).
                let mut depth = 0usize;
                let end = loop {
                    match bytes.get(j) {
                        None => break bytes.len(),
                        Some(b'\\') => j += 2,
                        Some(b'{') if keep && depth == 0 && bytes.get(j + 1) == Some(&b'{') => {
                            j += 2;
                        }
                        Some(b'{') if keep => {
                            depth += 1;
                            j += 1;
                        }
                        Some(b'}') if keep && depth > 0 => {
                            depth -= 1;
                            j += 1;
                        }
                        Some(&nested @ (b'"' | b'\'')) if depth > 0 => {
                            j += 1;
                            while j < bytes.len() && !matches!(bytes[j], b'\n' | b'\r') {
                                if bytes[j] == b'\\' {
                                    j += 2;
                                    continue;
                                }
                                j += 1;
                                if bytes[j - 1] == nested {
                                    break;
                                }
                            }
                        }
                        Some(b'\n' | b'\r') if !triple => break j,
                        Some(&b) if b == quote => {
                            if !triple {
                                break j + 1;
                            }
                            if bytes.get(j + 1) == Some(&quote) && bytes.get(j + 2) == Some(&quote)
                            {
                                break j + 3;
                            }
                            j += 1;
                        }
                        Some(_) => j += 1,
                    }
                };
                let end = end.min(bytes.len());
                if !keep {
                    for byte in &mut out[i + open..end.saturating_sub(open).max(i + open)] {
                        if *byte != b'\n' && *byte != b'\r' {
                            *byte = b' ';
                        }
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced, and only whole strings' and comments'
    // contents, so the text is still UTF-8; checked rather than assumed.
    String::from_utf8(out).unwrap_or_else(|_| source.to_string())
}

/// The prefix letters of the string literal whose opening quote is at
/// `quote` (`rb`, `f`...), or `None` when the quote follows other
/// identifier characters (it is then not a string's start in valid code).
fn string_prefix(bytes: &[u8], quote: usize) -> Option<&[u8]> {
    let start = bytes[..quote]
        .iter()
        .rposition(|&b| !is_identifier_byte(b))
        .map_or(0, |p| p + 1);
    let prefix = &bytes[start..quote];
    (prefix.len() <= 2
        && prefix
            .iter()
            .all(|b| matches!(b.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f' | b't')))
    .then_some(prefix)
}

/// A byte that can continue a Python identifier (any byte of a non-ASCII
/// character counts: such identifiers are not the ASCII names looked for).
pub fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// Whether some rule can find anything in `source` (it has an `async def`,
/// a `create_task`...). A file no rule applies to is not parsed: this is
/// what lets a run over a large tree skip most files that have nothing to
/// do with asyncio.
pub fn may_have_findings(source: &str) -> bool {
    applicable_rules(source).into_iter().any(|applies| applies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applies(code: &str, source: &str) -> bool {
        let index = RULES
            .iter()
            .position(|r| r.info.code == code)
            .expect("a rule code");
        applicable_rules(source)[index]
    }

    #[test]
    fn prefilter_finds_every_way_a_rule_can_apply() {
        assert!(may_have_findings(
            "async def f():\n    import time; time.sleep(1)\n"
        ));
        assert!(may_have_findings("loop.create_task(main())\n"));
        assert!(may_have_findings("asyncio.ensure_future(x)\n"));
        assert!(may_have_findings(
            "loop.run_until_complete(gather(a, return_exceptions=True))\n"
        ));
        assert!(!may_have_findings(
            "import asyncio\n\ndef f():\n    return asyncio.run(g())\n"
        ));
        assert!(!may_have_findings("x = 1\n"));
    }

    #[test]
    fn blocking_calls_need_their_names_as_whole_words() {
        let aliased = "from time import sleep as nap\n\nasync  \\\n  def f():\n    nap(1)\n";
        assert!(applies("CS003", aliased));
        assert!(applies(
            "CS003",
            "import os\nasync def f(p):\n    os.listdir(p)\n"
        ));
        assert!(applies(
            "CS006",
            "import os\nasync def f(p):\n    os.remove(p)\n"
        ));
        // A method of a kind: the kind's maker and the method's name.
        assert!(applies(
            "CS003",
            "import requests\ns = requests.Session()\nasync def f():\n    s.get('u')\n"
        ));
        assert!(applies(
            "CS003",
            "async def f(p):\n    with open(p) as fh:\n        return fh.read()\n"
        ));
        // The names inside longer identifiers do not count.
        assert!(!applies(
            "CS003",
            "import timeout\nasync def f():\n    timeout.asleep(1)\n"
        ));
        assert!(!applies("CS003", "async def f():\n    await g()\n"));
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let source = "x = 'open(p)'  # time.sleep\ny = \"\"\"a\n'b'\ninput()\"\"\" + f'{open(p)}' + r\"\\\"\" + z\n";
        let code = code_only(source);
        assert_eq!(code.len(), source.len());
        assert_eq!(code.lines().count(), source.lines().count());
        assert!(!code.contains("sleep") && !code.contains("input"), "{code}");
        // An f-string's fields are code; what follows a string still is.
        assert!(
            code.contains("{open(p)}") && code.ends_with("+ z\n"),
            "{code}"
        );
        // A nested string with the f-string's own quote (Python 3.12).
        let nested = "x = f\"{d[\"k\"]}{open(p)}\" + 'time.sleep'\n";
        let code = code_only(nested);
        assert!(
            code.contains("{open(p)}") && !code.contains("sleep"),
            "{code}"
        );
        assert!(!applies(
            "CS003",
            "async def f():\n    \"\"\"Like time.sleep.\"\"\"\n    await g()  # not open()\n"
        ));
    }

    #[test]
    fn sessions_need_a_constructor_name() {
        assert!(applies(
            "CS004",
            "import aiohttp\nasync def f():\n    s = aiohttp.ClientSession()\n"
        ));
        assert!(!applies(
            "CS004",
            "from aiohttp import web\nasync def f(r):\n    return web.Response()\n"
        ));
    }

    #[test]
    fn shared_state_needs_state_written_or_concurrency() {
        let written = "CACHE = {}\n\nasync def f(k):\n    CACHE[k] = await g(k)\n";
        assert!(applies("CS002", written));
        let method = "ITEMS: list[int] = []\nasync def f():\n    ITEMS.append(await g())\n";
        assert!(applies("CS002", method));
        let rebound = "client = None\nasync def f():\n    global client\n    client = await g()\n";
        assert!(applies("CS002", rebound));
        let spawned = "async def f(self):\n    await asyncio.gather(self.a(), self.a())\n";
        assert!(applies("CS002", spawned));
        let constant = "NAMES = ['a', 'b']\n\nasync def f(k):\n    return NAMES[k] == await g()\n";
        assert!(!applies("CS002", constant));
    }
}
