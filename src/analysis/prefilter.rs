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

use regex::Regex;
use rustc_hash::FxHashMap;

use crate::rules::RULES;

/// What a file's text must hold for a rule to find anything in it.
pub struct Prefilter {
    /// Regular expressions the text must all match.
    pub patterns: &'static [&'static str],
    /// Groups of names: the text's code (not its comments nor its strings)
    /// holds every name of at least one group as a whole word (`time` and
    /// `sleep` for `time.sleep`, however the file imports or aliases it).
    pub words: Option<fn() -> Vec<Vec<&'static str>>>,
    /// A check on the text's code (see [`scan_code`]), for what word groups
    /// cannot say. With `words`, the two are alternatives: the file must
    /// hold one of the groups or pass this check. With neither, the
    /// patterns decide alone.
    pub text: Option<fn(&str) -> bool>,
    /// The rule also applies to a file that names one of the functions
    /// the project index knows ([`super::project::ProjectIndex::is_named_in`]):
    /// a call of another module's task helper spawns a task with none of
    /// the rule's own names in the file.
    pub project_index: bool,
}

impl Prefilter {
    /// A prefilter of regular expressions only.
    pub const fn patterns(patterns: &'static [&'static str]) -> Self {
        Prefilter {
            patterns,
            words: None,
            text: None,
            project_index: false,
        }
    }
}

/// Every rule's prefilter, compiled once: each distinct pattern searched
/// for at most once per text, stopping at its first match (a search for all
/// of them at once would have to read every text to its end), and one scan
/// that blanks comments and strings and looks every identifier of the code
/// up among all the words.
struct Compiled {
    patterns: Vec<Pattern>,
    /// For each rule of [`RULES`], the indices of its patterns.
    rule_patterns: Vec<Vec<usize>>,
    words: Words,
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
            patterns: patterns.iter().map(|p| Pattern::new(p)).collect(),
            rule_patterns,
            words: Words::new(&words),
            rule_words,
        }
    })
}

/// A prefilter pattern, compiled: a plain alternation of words
/// (`create_task|ensure_future`) is searched for with one substring search
/// per word, which beats a regular expression over texts that hold none of
/// them (most of a tree); anything else is a regular expression.
enum Pattern {
    Words(Vec<memchr::memmem::Finder<'static>>),
    Regex(Regex),
}

impl Pattern {
    fn new(pattern: &'static str) -> Self {
        let words: Vec<&str> = pattern.split('|').collect();
        if words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        {
            Pattern::Words(words.into_iter().map(memchr::memmem::Finder::new).collect())
        } else {
            Pattern::Regex(Regex::new(pattern).expect("rule prefilters are valid"))
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Words(finders) => finders.iter().any(|f| f.find(text.as_bytes()).is_some()),
            Pattern::Regex(regex) => regex.is_match(text),
        }
    }
}

/// Whether prefilters are off (`CODESIGHT_NO_PREFILTER=1`): every rule then
/// runs on every file, to check that the prefilters lose nothing.
fn disabled() -> bool {
    static DISABLED: OnceLock<bool> = OnceLock::new();
    *DISABLED.get_or_init(|| std::env::var_os("CODESIGHT_NO_PREFILTER").is_some_and(|v| v == "1"))
}

/// For each rule of [`RULES`], whether it can find anything in `source`;
/// rules `enabled` says are off are not looked at (and are `false`).
pub fn applicable_rules(source: &str, enabled: impl Fn(usize) -> bool) -> Vec<bool> {
    if disabled() {
        return (0..RULES.len()).map(enabled).collect();
    }
    let compiled = compiled();
    // Per pattern: not searched yet, or whether the text matches it.
    let mut matched: Vec<Option<bool>> = vec![None; compiled.patterns.len()];
    let mut matches =
        |i: usize| *matched[i].get_or_insert_with(|| compiled.patterns[i].is_match(source));
    let mut code: Option<(String, Vec<bool>)> = None;
    RULES
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            if !enabled(index) || !compiled.rule_patterns[index].iter().all(|&i| matches(i)) {
                return false;
            }
            if compiled.rule_words[index].is_none() && rule.prefilter.text.is_none() {
                return true;
            }
            let (code, present) = code.get_or_insert_with(|| scan_code(source, &compiled.words));
            compiled.rule_words[index]
                .as_ref()
                .is_some_and(|groups| groups.iter().any(|g| g.iter().all(|&w| present[w])))
                || rule.prefilter.text.is_some_and(|text| text(code))
        })
        .collect()
}

/// The prefilter words, for lookups of each identifier of a file's code.
struct Words {
    ids: FxHashMap<&'static [u8], usize>,
    shortest: usize,
    longest: usize,
    /// For each word's first byte (its low 6 bits), a bit for its last
    /// byte's: most identifiers are ruled out without hashing them.
    ends: [u64; 64],
}

impl Words {
    fn new(words: &[&'static str]) -> Self {
        let mut ends = [0u64; 64];
        for word in words {
            let (first, last) = (word.as_bytes()[0], word.as_bytes()[word.len() - 1]);
            ends[usize::from(first & 63)] |= 1 << (last & 63);
        }
        Words {
            ids: words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.as_bytes(), i))
                .collect(),
            shortest: words.iter().map(|w| w.len()).min().unwrap_or(0),
            longest: words.iter().map(|w| w.len()).max().unwrap_or(0),
            ends,
        }
    }

    /// The word `identifier` is, if it is one.
    fn find(&self, identifier: &[u8]) -> Option<usize> {
        let (&first, &last) = (identifier.first()?, identifier.last()?);
        if !(self.shortest..=self.longest).contains(&identifier.len())
            || self.ends[usize::from(first & 63)] & (1 << (last & 63)) == 0
        {
            return None;
        }
        self.ids.get(identifier).copied()
    }
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

/// [`scan_code`]'s code text alone.
#[cfg(test)]
fn code_only(source: &str) -> String {
    scan_code(source, &Words::new(&[])).0
}

/// `source` with the text of its comments and string literals blanked out
/// (newlines kept, so lines stay where they were): words found in the rest
/// are code, and its brackets balance. The replacement fields of an
/// f-string or t-string are code and are kept. An unterminated string ends
/// at the end of its line (a single-quoted one) or of the text: the file
/// does not parse anyway. With it, in the same pass, which of `words` the
/// code holds as whole identifiers.
fn scan_code(source: &str, words: &Words) -> (String, Vec<bool>) {
    let bytes = source.as_bytes();
    let mut present = vec![false; words.ids.len()];
    let mut out = bytes.to_vec();
    // An unterminated string's closing quotes may be ones already counted
    // as its content (`f\"\"\"{}\"`): then there is nothing to blank.
    let mut blank = |from: usize, to: usize| {
        let to = to.min(bytes.len());
        if from >= to {
            return;
        }
        for byte in &mut out[from..to] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let end = memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                blank(i, end);
                i = end;
            }
            quote @ (b'"' | b'\'') => {
                let formatted = string_prefix(bytes, i).is_some_and(|prefix| {
                    prefix
                        .iter()
                        .any(|b| matches!(b.to_ascii_lowercase(), b'f' | b't'))
                });
                let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
                let open = if triple { 3 } else { 1 };
                if !formatted {
                    // Most strings: jump from one quote or backslash to the
                    // next rather than looking at every byte.
                    let end = plain_string_end(bytes, i + open, quote, triple);
                    let closing = if end >= i + 2 * open && bytes[end - 1] == quote {
                        end - open
                    } else {
                        end
                    };
                    blank(i + open, closing);
                    i = end;
                    continue;
                }
                let mut j = i + open;
                // In an f-string, the depth of replacement fields: text at
                // depth 0 is blanked; a quote inside a field starts a nested
                // string (Python 3.12 allows the same quote there).
                let mut depth = 0usize;
                // Where the literal text being blanked started.
                let mut text_from = j;
                let end = loop {
                    match bytes.get(j) {
                        None => break bytes.len(),
                        Some(b'\\') => j += 2,
                        Some(b'{')
                            if formatted && depth == 0 && bytes.get(j + 1) == Some(&b'{') =>
                        {
                            j += 2;
                        }
                        Some(b'{') if formatted => {
                            if depth == 0 {
                                blank(text_from, j);
                            }
                            depth += 1;
                            j += 1;
                        }
                        Some(b'}') if formatted && depth > 0 => {
                            depth -= 1;
                            j += 1;
                            if depth == 0 {
                                text_from = j;
                            }
                        }
                        Some(&nested @ (b'"' | b'\'')) if depth > 0 => {
                            let from = j + 1;
                            j += 1;
                            while j < bytes.len() && !matches!(bytes[j], b'\n' | b'\r') {
                                if bytes[j] == b'\\' {
                                    j += 2;
                                    continue;
                                }
                                j += 1;
                                if bytes[j - 1] == nested {
                                    blank(from, j - 1);
                                    break;
                                }
                            }
                        }
                        Some(b'\n' | b'\r') if !triple => break j,
                        Some(&b) if b == quote && depth == 0 => {
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
                let closing = if end >= i + 2 * open && bytes[end - 1] == quote {
                    end - open
                } else {
                    end
                };
                if depth == 0 {
                    blank(if formatted { text_from } else { i + open }, closing);
                }
                i = end;
            }
            byte if is_identifier_byte(byte) => {
                let start = i;
                i += 1;
                while i < bytes.len() && is_identifier_byte(bytes[i]) {
                    i += 1;
                }
                // A number's digits and letters (`1e5`) are not a word.
                if !byte.is_ascii_digit()
                    && let Some(id) = words.find(&bytes[start..i])
                {
                    present[id] = true;
                }
            }
            _ => {
                // Spaces and punctuation: skip the whole run.
                i += 1;
                while i < bytes.len() && !SPECIAL_BYTES[usize::from(bytes[i])] {
                    i += 1;
                }
            }
        }
    }
    // Only whole characters were replaced, by spaces, so the text is still
    // UTF-8; checked rather than assumed.
    let code = String::from_utf8(out).unwrap_or_else(|_| source.to_string());
    (code, present)
}

/// Where the string whose text starts at `from` ends (after its closing
/// quotes; at the end of the line for an unterminated single-quoted one).
fn plain_string_end(bytes: &[u8], mut from: usize, quote: u8, triple: bool) -> usize {
    loop {
        let next = if triple {
            memchr::memchr2(quote, b'\\', &bytes[from..])
        } else {
            memchr::memchr3(quote, b'\\', b'\n', &bytes[from..])
        };
        let Some(offset) = next else {
            return bytes.len();
        };
        let at = from + offset;
        match bytes[at] {
            b'\\' => from = (at + 2).min(bytes.len()),
            b'\n' => {
                return if at > 0 && bytes[at - 1] == b'\r' {
                    at - 1
                } else {
                    at
                };
            }
            _ if !triple => return at + 1,
            _ if bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote) => {
                return at + 3;
            }
            _ => from = at + 1,
        }
    }
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
    IDENTIFIER_BYTES[usize::from(byte)]
}

/// The bytes [`scan_code`] stops at: those of identifiers, and the starts
/// of comments and strings.
const SPECIAL_BYTES: [bool; 256] = {
    let mut table = IDENTIFIER_BYTES;
    table[b'#' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table
};

const IDENTIFIER_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        byte += 1;
    }
    table
};

/// Whether some rule can find anything in `source` (it has an `async def`,
/// a `create_task`...). A file no rule applies to is not parsed: this is
/// what lets a run over a large tree skip most files that have nothing to
/// do with asyncio.
pub fn may_have_findings(source: &str) -> bool {
    applicable_rules(source, |_| true)
        .into_iter()
        .any(|applies| applies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applies(code: &str, source: &str) -> bool {
        let index = RULES
            .iter()
            .position(|r| r.info.code == code)
            .expect("a rule code");
        applicable_rules(source, |_| true)[index]
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
    fn unterminated_strings_never_panic() {
        // Found by the long fuzz: the closing quotes assumed for an
        // unterminated triple-quoted f-string overlapped its field.
        for source in ["async def f\"\"\"{}\"", "f'''{x}'", "f\"{", "'''", "f'{'"] {
            assert_eq!(code_only(source).len(), source.len());
        }
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

    /// A measurement, not a check: how many files of the tree named by
    /// `CODESIGHT_COUNT_DIR` each rule's prefilter lets through. Run with
    /// `CODESIGHT_COUNT_DIR=target/corpus-b cargo test --release --lib
    /// prefilter_counts -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement on a corpus"]
    fn prefilter_counts() {
        let dir = std::env::var("CODESIGHT_COUNT_DIR").expect("CODESIGHT_COUNT_DIR");
        let (mut files, mut bytes, mut parsed, mut parsed_bytes) = (0, 0, 0, 0);
        let mut per_rule = vec![0; RULES.len()];
        for entry in ignore::WalkBuilder::new(&dir).build().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "py" && e != "pyi") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            files += 1;
            bytes += text.len();
            let applies = applicable_rules(&text, |_| true);
            for (count, applies) in per_rule.iter_mut().zip(&applies) {
                *count += usize::from(*applies);
            }
            // CS006 is off by default: what a default run parses.
            if applies[..5].iter().any(|a| *a) {
                parsed += 1;
                parsed_bytes += text.len();
            }
        }
        println!(
            "{files} files ({bytes} bytes); parsed by default: {parsed} ({parsed_bytes} bytes)"
        );
        for (rule, count) in RULES.iter().zip(per_rule) {
            println!("{}: {count}", rule.info.code);
        }
        // Where a prefilter's time goes, over the same files (one thread).
        let texts: Vec<String> = ignore::WalkBuilder::new(&dir)
            .build()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        let compiled = compiled();
        let time = |label: &str, f: &dyn Fn(&str) -> usize| {
            let start = std::time::Instant::now();
            let n: usize = texts.iter().map(|t| f(t)).sum();
            println!("{label}: {:?} ({n})", start.elapsed());
        };
        time("patterns", &|t| {
            compiled.patterns.iter().filter(|p| p.is_match(t)).count()
        });
        time("scan_code", &|t| scan_code(t, &compiled.words).1.len());
        time("cs002 text", &|t| {
            usize::from(crate::rules::cs002_shared_state::prefilter_text(t))
        });
        time("all", &|t| applicable_rules(t, |_| true).len());
    }
}
