//! Inline suppression comments: `# noqa`, `# noqa: CS003`,
//! `# codesight: ignore[CS003]` on a finding's first line;
//! `# codesight: ignore-file` or `# codesight: noqa` anywhere in a file skips
//! it, and `# codesight: noqa: CS003` exempts the whole file from CS003.
//!
//! A peer tool's code for the same finding counts too (unless
//! `honour-peer-noqa = false`): maintainers who marked a deliberate
//! fire-and-forget task `# noqa: RUF006` should not have to mark it again
//! for us. See [`PEERS`]. Ruff's own line-level form, `# ruff:
//! ignore[RUF006]`, counts as a peer comment too, with Ruff's codes or its
//! rule names (`# ruff: ignore[asyncio-dangling-task]`, see [`PEER_NAMES`]).

use std::collections::HashMap;

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_source_file::LineIndex;
use ruff_text_size::Ranged;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Codes {
    All,
    Some(Vec<String>),
}

#[derive(Debug, Default)]
pub struct Suppressions {
    file_ignored: bool,
    /// Codes (or prefixes) exempted in the whole file.
    file_codes: Vec<String>,
    by_line: HashMap<usize, Codes>,
    /// Peer codes from Ruff's `# ruff: ignore[...]` (names turned into
    /// codes): they suppress only through [`PEERS`], never our own codes.
    ruff_by_line: HashMap<usize, Vec<String>>,
}

impl Suppressions {
    pub fn from_tokens(tokens: &Tokens, source: &str, lines: &LineIndex) -> Self {
        let mut suppressions = Suppressions::default();
        for token in tokens.iter().filter(|t| t.kind() == TokenKind::Comment) {
            let comment = &source[token.range()];
            let line = lines.line_index(token.start()).get();
            for directive in comment.split('#').map(str::trim) {
                suppressions.add_directive(directive, line);
            }
        }
        suppressions
    }

    fn add_directive(&mut self, directive: &str, line: usize) {
        let lower = directive.to_ascii_lowercase();
        if let Some(list) = ruff_ignore_list(&lower) {
            self.ruff_by_line
                .entry(line)
                .or_default()
                .extend(parse_ruff_rules(list));
            return;
        }
        let codes = if let Some(rest) = lower.strip_prefix("noqa") {
            match rest.trim_start().strip_prefix(':') {
                Some(list) => Codes::Some(parse_codes(list)),
                None if rest.is_empty() || rest.starts_with(char::is_whitespace) => Codes::All,
                None => return,
            }
        } else if let Some(rest) = lower.strip_prefix("codesight:") {
            let rest = rest.trim();
            if rest == "ignore-file" || rest == "noqa" {
                self.file_ignored = true;
                return;
            }
            if let Some(list) = rest
                .strip_prefix("noqa")
                .and_then(|r| r.trim_start().strip_prefix(':'))
            {
                self.file_codes.extend(parse_codes(list));
                return;
            }
            match rest.strip_prefix("ignore") {
                Some("") => Codes::All,
                Some(list) if list.starts_with('[') => Codes::Some(parse_codes(
                    list.trim_start_matches('[').split(']').next().unwrap_or(""),
                )),
                _ => return,
            }
        } else {
            return;
        };
        let entry = self.by_line.entry(line).or_insert(Codes::Some(Vec::new()));
        match (entry, codes) {
            (entry @ Codes::Some(_), Codes::All) => *entry = Codes::All,
            (Codes::Some(existing), Codes::Some(new)) => existing.extend(new),
            (Codes::All, _) => {}
        }
    }

    pub fn is_file_ignored(&self) -> bool {
        self.file_ignored
    }

    /// Whether a finding of `code` starting on `line` (1-based) is suppressed.
    pub fn is_suppressed(&self, code: &str, line: usize) -> bool {
        self.file_ignored
            || self.file_codes.iter().any(|c| code.starts_with(c.as_str()))
            || match self.by_line.get(&line) {
                Some(Codes::All) => true,
                Some(Codes::Some(codes)) => codes.iter().any(|c| {
                    c.eq_ignore_ascii_case(code)
                        || code.starts_with(c.to_ascii_uppercase().as_str())
                }),
                None => false,
            }
    }
}

/// Rule codes named in suppression comments that no rule has (`CS009`, a
/// typo of `CS003`...), with their 1-based line. Only `CS` codes are
/// checked: other tools' codes (`E501`) share `# noqa` comments.
pub fn unknown_codes(source: &str) -> Vec<(usize, String)> {
    // Most files have no suppression comment: one scan of the whole text
    // says so, instead of looking at every line.
    static DIRECTIVE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let directive =
        DIRECTIVE.get_or_init(|| regex::Regex::new("(?i)noqa|codesight:").expect("valid pattern"));
    if !directive.is_match(source) {
        return Vec::new();
    }
    let rules = crate::rules::all_infos();
    let mut unknown = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let Some(hash) = line.find('#') else {
            continue;
        };
        let lower = line[hash..].to_ascii_lowercase();
        if !lower.contains("noqa") && !lower.contains("codesight:") {
            continue;
        }
        for directive in lower.split('#').map(str::trim) {
            let list = if let Some(rest) = directive.strip_prefix("noqa") {
                rest.trim_start().strip_prefix(':').map(|l| l.to_string())
            } else if let Some(rest) = directive.strip_prefix("codesight:") {
                let rest = rest.trim();
                if let Some(l) = rest.strip_prefix("noqa") {
                    l.trim_start().strip_prefix(':').map(|l| l.to_string())
                } else {
                    rest.strip_prefix("ignore[")
                        .map(|l| l.split(']').next().unwrap_or("").to_string())
                }
            } else {
                None
            };
            for code in list.iter().flat_map(|l| parse_codes(l)) {
                let is_ours =
                    code.starts_with("CS") && code[2..].chars().all(|c| c.is_ascii_digit());
                if is_ours && !rules.iter().any(|r| r.code.starts_with(code.as_str())) {
                    unknown.push((index + 1, code));
                }
            }
        }
    }
    unknown
}

/// For each of our rules, the codes other linters give the same finding:
/// Ruff's `RUF006` (unstored `create_task` result) and flake8-async's
/// `ASYNC300` for CS001; flake8-async's blocking-call codes
/// (`ASYNC210`..`ASYNC251`: HTTP, subprocess, `open`, `os.path`, `input`,
/// `time.sleep`) for CS003, and `ASYNC240` (`os.path` calls) for CS006.
pub const PEERS: &[(&str, &[&str])] = &[
    ("CS001", &["RUF006", "ASYNC300"]),
    (
        "CS003",
        &[
            "ASYNC210", "ASYNC211", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230",
            "ASYNC231", "ASYNC232", "ASYNC240", "ASYNC250", "ASYNC251",
        ],
    ),
    ("CS006", &["ASYNC240"]),
];

/// The Ruff rule names of the peer codes, as `# ruff: ignore[...]` may
/// write them (Ruff 0.15.22+ in preview), with their codes.
pub const PEER_NAMES: &[(&str, &str)] = &[
    ("asyncio-dangling-task", "RUF006"),
    ("blocking-http-call-in-async-function", "ASYNC210"),
    ("blocking-http-call-httpx-in-async-function", "ASYNC212"),
    ("create-subprocess-in-async-function", "ASYNC220"),
    ("run-process-in-async-function", "ASYNC221"),
    ("wait-for-process-in-async-function", "ASYNC222"),
    ("blocking-open-call-in-async-function", "ASYNC230"),
    ("blocking-path-method-in-async-function", "ASYNC240"),
    ("blocking-input-in-async-function", "ASYNC250"),
    ("blocking-sleep-in-async-function", "ASYNC251"),
];

/// The list inside Ruff's line-level `ruff: ignore[...]` (`directive` in
/// lower case, without its `#`).
fn ruff_ignore_list(directive: &str) -> Option<&str> {
    let rest = directive
        .strip_prefix("ruff")?
        .trim_start()
        .strip_prefix(':')?;
    let list = rest
        .trim_start()
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('[')?;
    Some(list.split(']').next().unwrap_or(""))
}

/// The codes of a `ruff: ignore[...]` list: codes as they are, rule names
/// as their codes (names of rules that are no peer of ours are dropped).
fn parse_ruff_rules(list: &str) -> Vec<String> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|item| {
            if item.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && item.chars().any(|c| c.is_ascii_digit())
                && !item.contains('-')
            {
                Some(item.to_ascii_uppercase())
            } else {
                PEER_NAMES
                    .iter()
                    .find(|(name, _)| *name == item)
                    .map(|(_, code)| (*code).to_string())
            }
        })
        .collect()
}

/// The peer codes that suppress `code`.
pub fn peer_codes(code: &str) -> &'static [&'static str] {
    PEERS
        .iter()
        .find(|(ours, _)| *ours == code)
        .map_or(&[], |(_, peers)| peers)
}

impl Suppressions {
    /// [`Suppressions::is_suppressed`], also by a peer tool's code for the
    /// same finding when `peers` is on.
    pub fn is_suppressed_with_peers(&self, code: &str, line: usize, peers: bool) -> bool {
        let peer = |codes: &[String]| codes.iter().any(|c| peer_codes(code).contains(&c.as_str()));
        self.is_suppressed(code, line)
            || (peers
                && (matches!(self.by_line.get(&line), Some(Codes::Some(codes)) if peer(codes))
                    || self
                        .ruff_by_line
                        .get(&line)
                        .is_some_and(|codes| peer(codes))))
    }
}

fn parse_codes(list: &str) -> Vec<String> {
    list.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .take_while(|s| s.is_empty() || s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressions(source: &str) -> Suppressions {
        let parsed = ruff_python_parser::parse_module(source).unwrap();
        Suppressions::from_tokens(
            parsed.tokens(),
            source,
            &LineIndex::from_source_text(source),
        )
    }

    #[test]
    fn noqa_forms() {
        let s = suppressions(
            "a()  # noqa\nb()  # noqa: CS003, CS001\nc()  # codesight: ignore[CS005]\nd()  # noqa:CS001 trailing words\ne()  # noqanope\n",
        );
        assert!(s.is_suppressed("CS002", 1));
        assert!(s.is_suppressed("CS003", 2));
        assert!(s.is_suppressed("CS001", 2));
        assert!(!s.is_suppressed("CS002", 2));
        assert!(s.is_suppressed("CS005", 3));
        assert!(!s.is_suppressed("CS003", 3));
        assert!(s.is_suppressed("CS001", 4));
        assert!(!s.is_suppressed("CS001", 5));
        assert!(!s.is_file_ignored());
    }

    #[test]
    fn file_level_noqa_with_codes() {
        let s = suppressions("# codesight: noqa: CS003\nx = 1\n");
        assert!(!s.is_file_ignored());
        assert!(s.is_suppressed("CS003", 2));
        assert!(!s.is_suppressed("CS001", 2));
        assert!(suppressions("x = 1  # codesight: noqa\n").is_file_ignored());
    }

    #[test]
    fn unknown_codes_are_found_but_other_tools_codes_are_not() {
        let found =
            unknown_codes("a()  # noqa: CS009, E501, CS003\nb()  # codesight: ignore[cs07]\n");
        assert_eq!(
            found,
            vec![(1, "CS009".to_string()), (2, "CS07".to_string())]
        );
    }

    #[test]
    fn peer_codes_suppress_the_same_finding() {
        let s = suppressions(
            "a()  # noqa: RUF006\nb()  # noqa: ASYNC251\nc()  # noqa: E501, ASYNC300\nd()  # noqa: ASYNC2\n",
        );
        assert!(s.is_suppressed_with_peers("CS001", 1, true));
        assert!(!s.is_suppressed_with_peers("CS001", 1, false));
        assert!(!s.is_suppressed_with_peers("CS003", 1, true));
        assert!(s.is_suppressed_with_peers("CS003", 2, true));
        assert!(s.is_suppressed_with_peers("CS001", 3, true));
        // Codes match exactly, not as prefixes.
        assert!(!s.is_suppressed_with_peers("CS003", 4, true));
    }

    #[test]
    fn ruff_ignore_comments_are_peer_comments() {
        let s = suppressions(
            "a()  # ruff: ignore[RUF006]\nb()  # ruff:ignore[E501, asyncio-dangling-task]\nc()  # ruff: ignore[blocking-sleep-in-async-function]\nd()  # ruff: ignore[CS001]\ne()  # ruff: ignore[unused-import]\nf()  # ruff: file-ignore[RUF006]\n",
        );
        assert!(s.is_suppressed_with_peers("CS001", 1, true));
        assert!(!s.is_suppressed_with_peers("CS001", 1, false));
        assert!(s.is_suppressed_with_peers("CS001", 2, true));
        assert!(s.is_suppressed_with_peers("CS003", 3, true));
        assert!(!s.is_suppressed_with_peers("CS001", 3, true));
        // Our own codes are not Ruff's to suppress.
        assert!(!s.is_suppressed_with_peers("CS001", 4, true));
        assert!(!s.is_suppressed_with_peers("CS001", 5, true));
        // Line-level only.
        assert!(!s.is_suppressed_with_peers("CS001", 6, true));
    }

    #[test]
    fn ignore_file() {
        let s = suppressions("x = 1\n# codesight: ignore-file\n");
        assert!(s.is_file_ignored());
        assert!(s.is_suppressed("CS001", 1));
    }
}
