//! Properties of the fix engine, on generated and on real inputs:
//!
//! - applying edits never changes text outside their ranges, and inserted
//!   lines follow the file's line ending;
//! - fixes that overlap are deferred to a later pass, never merged;
//! - every `fixes/` case fixes to its expected output when converted to
//!   CRLF, and keeps a UTF-8 BOM;
//! - fixing is idempotent, and a fixed file differs from its input only
//!   where the chosen fixes' edits say (imports and helpers included: they
//!   are edits too), pass after pass.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use codesight::analysis::{analyze, parses};
use codesight::config::settings::{Settings, TargetVersion};
use codesight::diagnostic::{CodeFix, Diagnostic};
use codesight::fix::engine::{FixChooser, MAX_PASSES, apply_edits, apply_fixes, fix_source_with};
use common::repo_root;
use proptest::prelude::*;
use ruff_diagnostics::Edit;
use ruff_text_size::{Ranged, TextSize};

const BOM: &str = "\u{feff}";

// ------------------------------------------------------------ reference model

/// Whether the file's first line ending is CRLF (a lone `\r` or `\n` first
/// means it is not).
fn first_ending_is_crlf(text: &str) -> bool {
    match text.find(['\r', '\n']) {
        Some(i) => text[i..].starts_with("\r\n"),
        None => false,
    }
}

/// Content as it must land in a file: CRLF files get CRLF line endings.
fn landed(content: &str, crlf: bool) -> String {
    if crlf {
        content.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        content.to_string()
    }
}

/// The text with `edits` (sorted, not overlapping) applied: what the engine
/// must produce, written independently of it.
fn spliced(text: &str, edits: &[&Edit]) -> String {
    let crlf = first_ending_is_crlf(text);
    let mut out = String::new();
    let mut last = 0;
    for edit in edits {
        out += &text[last..edit.start().to_usize()];
        out += &landed(edit.content().unwrap_or(""), crlf);
        last = edit.end().to_usize();
    }
    out + &text[last..]
}

/// The engine's notion of two edits clashing, as specified: overlapping
/// ranges, two different insertions at one point, or an insertion where
/// the other edit's replacement ends; an edit that only indents a line owns
/// the whole line, its end included. Identical edits do not clash.
fn clash(text: &str, a: &Edit, b: &Edit) -> bool {
    let owned = |e: &Edit| {
        let (start, end) = (e.start().to_usize(), e.end().to_usize());
        // Blanks inserted among the line's leading blanks (after any form
        // feed) indent it: they own the line, its end included.
        let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let at_line_start = text[line_start..start]
            .chars()
            .all(|c| matches!(c, ' ' | '\t' | '\x0c'));
        let indents = e.is_insertion()
            && e.content()
                .is_some_and(|c| !c.is_empty() && c.chars().all(|c| c == ' ' || c == '\t'));
        if indents && at_line_start {
            (
                start,
                start
                    + text[start..]
                        .find(['\n', '\r'])
                        .unwrap_or(text.len() - start)
                    + 1,
            )
        } else {
            (start, end)
        }
    };
    let ((a0, a1), (b0, b1)) = (owned(a), owned(b));
    // An insertion right where the other edit's replacement ends.
    let at_end =
        |i: &Edit, r: &Edit| i.is_insertion() && !r.range().is_empty() && i.start() == r.end();
    a != b
        && ((a0 < b1 && b0 < a1)
            || (a.start() == b.start() && (a.is_insertion() || b.is_insertion()))
            || at_end(a, b)
            || at_end(b, a))
}

// ------------------------------------------------------------ generated edits

/// Lines of text with some multi-byte characters, ending in LF or CRLF.
fn text_strategy() -> impl Strategy<Value = (String, bool)> {
    (
        prop::collection::vec("[a-z é𝔘():=]{0,12}", 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_newline)| {
            let ending = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join(ending);
            if final_newline && !lines.is_empty() {
                text.push_str(ending);
            }
            (text, crlf)
        })
}

/// The nearest valid edit boundary at or before `offset`: a character
/// boundary, not between the `\r` and `\n` of a CRLF.
fn boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i)
        || (i > 0 && text[..i].ends_with('\r') && text[i..].starts_with('\n'))
    {
        i -= 1;
    }
    i
}

fn edit(content: &str, start: usize, end: usize) -> Edit {
    let (start, end) = (
        TextSize::try_from(start).unwrap(),
        TextSize::try_from(end).unwrap(),
    );
    if content.is_empty() {
        Edit::deletion(start, end)
    } else if start == end {
        Edit::insertion(content.to_string(), start)
    } else {
        Edit::replacement(content.to_string(), start, end)
    }
}

/// Non-overlapping edits at distinct starts, from raw cut points (fractions
/// of the text) and contents.
fn non_overlapping(text: &str, cuts: &[(u16, u16, String)]) -> Vec<Edit> {
    let mut points: Vec<usize> = cuts
        .iter()
        .flat_map(|(a, b, _)| [*a, *b])
        .map(|p| boundary(text, text.len() * p as usize / u16::MAX as usize))
        .collect();
    points.sort_unstable();
    let mut edits: Vec<Edit> = Vec::new();
    for (pair, (_, _, content)) in points.chunks(2).zip(cuts) {
        let (start, end) = (pair[0], pair[1]);
        if edits.last().is_some_and(|e| e.start().to_usize() == start) {
            continue;
        }
        if start == end && content.is_empty() {
            continue;
        }
        edits.push(edit(content, start, end));
    }
    edits
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Outside the edits' ranges the output is the input, byte for byte:
    /// the prefix, every gap and the suffix, in order, with each edit's
    /// content (in the file's line ending) between them.
    #[test]
    fn text_outside_edits_is_preserved(
        (text, _) in text_strategy(),
        cuts in prop::collection::vec((any::<u16>(), any::<u16>(), "[a-z\n]{0,6}"), 0..6),
    ) {
        let edits = non_overlapping(&text, &cuts);
        let out = apply_edits(&text, edits.iter().collect());
        let crlf = first_ending_is_crlf(&text);
        let mut at = 0; // position in `out`
        let mut last = 0; // position in `text`
        for e in &edits {
            let gap = &text[last..e.start().to_usize()];
            prop_assert_eq!(&out[at..at + gap.len()], gap, "gap before {:?}", e.range());
            at += gap.len();
            let content = landed(e.content().unwrap_or(""), crlf);
            prop_assert_eq!(&out[at..at + content.len()], content.as_str());
            at += content.len();
            last = e.end().to_usize();
        }
        prop_assert_eq!(&out[at..], &text[last..], "suffix");
    }

    /// In a CRLF file every line an edit adds ends in CRLF; in an LF file no
    /// `\r` appears.
    #[test]
    fn inserted_lines_follow_the_file(
        (text, crlf) in text_strategy(),
        cuts in prop::collection::vec((any::<u16>(), any::<u16>(), "[a-z]{0,3}(\n|\r\n)[a-z\n]{0,4}"), 1..5),
    ) {
        prop_assume!(text.contains('\n'));
        let edits = non_overlapping(&text, &cuts);
        let out = apply_edits(&text, edits.iter().collect());
        if crlf {
            prop_assert!(!out.replace("\r\n", "").contains('\n'), "a bare LF in {:?}", out);
            prop_assert!(!out.contains("\r\r"), "a doubled CR in {:?}", out);
        } else {
            prop_assert!(!out.contains('\r') || edits.iter().any(|e| e.content().is_some_and(|c| c.contains('\r'))));
        }
    }

    /// Fixes whose edits clash are not merged: each fix is applied whole or
    /// not at all, the ones left out each clash with one taken, and
    /// identical edits (a shared import) land once.
    #[test]
    fn overlapping_fixes_are_deferred_not_merged(
        (text, _) in text_strategy(),
        raw in prop::collection::vec(
            (prop::collection::vec((any::<u16>(), 0u16..2000), 1..3), any::<bool>(), any::<Option<u16>>()),
            1..6,
        ),
    ) {
        let fixes: Vec<CodeFix> = raw
            .iter()
            .enumerate()
            .map(|(i, (ranges, with_import, indent_at))| {
                // A fix's own edits do not overlap one another.
                let cuts: Vec<(u16, u16, String)> = ranges
                    .iter()
                    .enumerate()
                    .map(|(j, (start, len))| (*start, start.saturating_add(*len), format!("<{i}.{j}>")))
                    .collect();
                let mut edits = non_overlapping(&text, &cuts)
                    .into_iter()
                    .filter(|e| e.start().to_usize() > 0)
                    .collect::<Vec<_>>();
                if *with_import {
                    edits.push(Edit::insertion("IMPORT\n".to_string(), 0.into()));
                }
                // Indenting a line (as wrapping a block does), when no
                // edit of this fix touches that line.
                if let Some(at) = indent_at {
                    let at = boundary(&text, text.len() * *at as usize / u16::MAX as usize);
                    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let end = text[start..].find(['\r', '\n']).map_or(text.len(), |i| start + i);
                    if start > 0 && edits.iter().all(|e| e.end().to_usize() < start || e.start().to_usize() > end) {
                        edits.push(Edit::insertion("    ".to_string(), TextSize::try_from(start).unwrap()));
                    }
                }
                CodeFix::safe(format!("fix {i}"), edits)
            })
            .filter(|f| !f.edits.is_empty())
            .collect();
        let refs: Vec<&CodeFix> = fixes.iter().collect();
        let (out, taken) = apply_fixes(&text, &refs);

        let taken_edits: Vec<&Edit> = taken.iter().flat_map(|&i| fixes[i].edits.iter()).collect();
        // Edits of different taken fixes never clash (a fix's own edits are
        // its rule's business: they are applied in order).
        let owned: Vec<(usize, &Edit)> = taken
            .iter()
            .flat_map(|&i| fixes[i].edits.iter().map(move |e| (i, e)))
            .collect();
        for (k, (i, a)) in owned.iter().enumerate() {
            for (j, b) in &owned[k + 1..] {
                prop_assert!(i == j || !clash(&text, a, b), "taken edits clash: {:?} {:?}", a, b);
            }
        }
        for (i, fix) in fixes.iter().enumerate() {
            let markers: Vec<&str> = fix.edits.iter().filter_map(|e| e.content()).filter(|c| c.starts_with('<')).collect();
            if taken.contains(&i) {
                for m in markers {
                    prop_assert_eq!(out.matches(m).count(), 1, "{} of a taken fix", m);
                }
            } else {
                prop_assert!(
                    fix.edits.iter().any(|e| taken_edits.iter().any(|a| clash(&text, a, e))),
                    "fix {} was left out without a clash", i
                );
                for m in markers {
                    prop_assert!(!out.contains(m), "{} of a deferred fix was applied", m);
                }
            }
        }
        let imports = taken.iter().any(|&i| fixes[i].edits.iter().any(|e| e.content() == Some("IMPORT\n")));
        prop_assert_eq!(out.matches("IMPORT").count(), usize::from(imports));
        let mut unique = taken_edits.clone();
        unique.sort_by_key(|e| (e.start(), e.end()));
        unique.dedup();
        prop_assert_eq!(out, spliced(&text, &unique));
    }
}

// ------------------------------------------------------------ real inputs

struct Case {
    name: String,
    source: String,
    expected: String,
    settings: Settings,
    unsafe_ok: bool,
    pick: usize,
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut rules: Vec<PathBuf> = fs::read_dir(repo_root().join("fixes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    rules.sort();
    for dir in rules {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.to_string_lossy();
                // A case with its own project settings (`NAME.toml`) needs
                // them: tests/fixes.rs runs it.
                name.ends_with(".py")
                    && !name.ends_with(".fixed.py")
                    && !p.with_extension("toml").exists()
            })
            .collect();
        inputs.sort();
        for input in inputs {
            let source = fs::read_to_string(&input).unwrap();
            let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
            let expected = fs::read_to_string(common::expected_output_path(&input)).unwrap();
            let args: Vec<&str> = source
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# fix-args:"))
                .map(|rest| rest.split_whitespace().collect())
                .unwrap_or_default();
            let mut settings = Settings::default();
            settings.rules.select = vec![rule.clone()];
            if let Some(i) = args.iter().position(|a| *a == "--target-version") {
                settings.target_version = args[i + 1].parse::<TargetVersion>().unwrap();
            }
            let pick = source
                .lines()
                .take(2)
                .find_map(|l| l.strip_prefix("# fix-pick:"))
                .map_or(1, |n| n.trim().parse().unwrap());
            cases.push(Case {
                name: format!("{rule}/{stem}"),
                unsafe_ok: args.contains(&"--unsafe-fixes"),
                source,
                expected,
                settings,
                pick,
            });
        }
    }
    assert!(cases.len() > 20, "the fixes/ cases were not found");
    cases
}

/// The fix a finding gets: the `pick`-th allowed (the first when fewer), as
/// bulk fixing and tests/fixes.rs choose.
fn choose(pick: usize, unsafe_ok: bool) -> impl Fn(&Diagnostic) -> Option<&CodeFix> {
    move |d: &Diagnostic| {
        let allowed: Vec<&CodeFix> = d
            .fixes
            .iter()
            .filter(|f| f.is_safe() || unsafe_ok)
            .collect();
        allowed.get(pick - 1).or(allowed.first()).copied()
    }
}

fn to_crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn fix(case: &Case, source: &str) -> String {
    let chooser = choose(case.pick, case.unsafe_ok);
    fix_source_with(Path::new("case.py"), source, &case.settings, &chooser)
        .unwrap_or_else(|e| panic!("{}: {e}", case.name))
        .text
}

/// Replays fixing pass by pass with the public pieces (analyse, choose,
/// apply), checking that each pass's result is exactly the input with the
/// taken fixes' edits spliced in, and returns the final text.
fn replay(
    path: &Path,
    source: &str,
    settings: &Settings,
    choose: &FixChooser<'_>,
) -> Result<String, String> {
    let mut text = source.to_string();
    for pass in 1..=MAX_PASSES {
        let diagnostics = analyze(path, &text, settings).map_err(|e| e.to_string())?;
        let fixes: Vec<&CodeFix> = diagnostics
            .iter()
            .filter_map(choose)
            .filter(|f| !f.edits.is_empty())
            .collect();
        if fixes.is_empty() {
            // Then the documented clean-up: unused imports, style.
            if text != source
                && let Some(finished) =
                    codesight::fix::engine::finish(path, source, &text, settings)
            {
                return Ok(finished);
            }
            return Ok(text);
        }
        let (next, taken) = apply_fixes(&text, &fixes);
        let mut edits: Vec<&Edit> = taken.iter().flat_map(|&i| fixes[i].edits.iter()).collect();
        edits.sort_by_key(|e| (e.start(), e.end()));
        edits.dedup();
        if next != spliced(&text, &edits) {
            return Err(format!(
                "pass {pass} changed text outside its edits {edits:?}"
            ));
        }
        if !parses(&next) {
            return Err(format!("pass {pass} produced a file that does not parse"));
        }
        text = next;
    }
    Err("did not converge".into())
}

fn variants(source: &str) -> [(&'static str, String); 3] {
    [
        ("as is", source.to_string()),
        ("CRLF", to_crlf(source)),
        ("BOM", format!("{BOM}{source}")),
    ]
}

#[test]
fn crlf_cases_fix_to_crlf_expected_output() {
    let mut failures = Vec::new();
    for case in cases() {
        let fixed = fix(&case, &to_crlf(&case.source));
        if fixed != to_crlf(&case.expected) {
            failures.push(format!("{}:\n{fixed:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn bom_cases_keep_the_bom() {
    let mut failures = Vec::new();
    for case in cases() {
        for source in [
            format!("{BOM}{}", case.source),
            format!("{BOM}{}", to_crlf(&case.source)),
        ] {
            let fixed = fix(&case, &source);
            let expected = if source.contains("\r\n") {
                to_crlf(&case.expected)
            } else {
                case.expected.clone()
            };
            if fixed != format!("{BOM}{expected}") {
                failures.push(format!("{}:\n{fixed:?}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn cases_fix_idempotently_and_only_within_edits() {
    let mut failures = Vec::new();
    for case in cases() {
        for (variant, source) in variants(&case.source) {
            let chooser = choose(case.pick, case.unsafe_ok);
            let fixed = fix(&case, &source);
            match replay(Path::new("case.py"), &source, &case.settings, &chooser) {
                Ok(replayed) if replayed == fixed => {}
                Ok(replayed) => failures.push(format!(
                    "{} ({variant}): the engine's output differs from its edits replayed:\n{fixed:?}\n{replayed:?}",
                    case.name
                )),
                Err(err) => failures.push(format!("{} ({variant}): {err}", case.name)),
            }
            if fix(&case, &fixed) != fixed {
                failures.push(format!(
                    "{} ({variant}): a second fix changed the file",
                    case.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ------------------------------------------------------------ generated programs

const HEADERS: &[&str] = &[
    "async def worker(key):",
    "async def main():",
    "def helper(path):",
    "class Service:",
    "async with aiohttp.ClientSession() as session:",
    "async with lock:",
    "for key in keys:",
    "if key:",
];

const STATEMENTS: &[&str] = &[
    "pass",
    "time.sleep(1)",
    "await asyncio.sleep(0)",
    "asyncio.create_task(fetch(key))",
    "task = asyncio.create_task(fetch(key))",
    "asyncio.ensure_future(fetch(key))",
    "results = await asyncio.gather(*tasks, return_exceptions=True)",
    "await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)",
    "total = sum(results)",
    "counter += await fetch(key)",
    "value = counter",
    "counter = value + 1",
    "cache[key] = await fetch(key)",
    "return cache",
    "global counter",
    "session = aiohttp.ClientSession()",
    "await session.close()",
    "requests.get(url)",
    "data = open(path).read()",
    "helper(path)",
    "return key",
];

/// A program from a sequence of (template, dedent) choices: headers open a
/// block, statements may close some.
fn program(
    imports: &[bool],
    steps: &[(usize, usize)],
    tabs: bool,
    ending: &str,
    bom: bool,
) -> String {
    let import_lines = [
        "import asyncio",
        "import time",
        "import aiohttp",
        "import requests",
        "counter = 0",
        "cache = {}",
        "lock = asyncio.Lock()",
    ];
    let unit = if tabs { "\t" } else { "    " };
    let mut lines: Vec<String> = import_lines
        .iter()
        .zip(imports)
        .filter(|(_, on)| **on)
        .map(|(l, _)| l.to_string())
        .collect();
    lines.push(String::new());
    let mut depth = 0usize;
    let mut open = false;
    for &(template, dedent) in steps {
        let indent = unit.repeat(depth);
        if template < HEADERS.len() {
            lines.push(format!("{indent}{}", HEADERS[template]));
            depth += 1;
            open = true;
        } else {
            lines.push(format!("{indent}{}", STATEMENTS[template - HEADERS.len()]));
            open = false;
            depth = depth.saturating_sub(dedent % 3);
        }
    }
    if open {
        lines.push(format!("{}pass", unit.repeat(depth)));
    }
    let mut text = lines.join(ending) + ending;
    if bom {
        text.insert_str(0, BOM);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Generated asyncio programs, with LF or CRLF, spaces or tabs, with or
    /// without a BOM: when they parse, fixing keeps the line endings and the
    /// BOM, changes only what its edits say, gives a file that parses, and
    /// a second fix changes nothing.
    #[test]
    fn generated_programs_fix_cleanly(
        imports in prop::collection::vec(any::<bool>(), 7),
        steps in prop::collection::vec((0..HEADERS.len() + STATEMENTS.len(), 0usize..6), 1..30),
        tabs in any::<bool>(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        minor in prop::sample::select(vec![8u8, 9, 11, 13]),
    ) {
        let source = program(&imports, &steps, tabs, if crlf { "\r\n" } else { "\n" }, bom);
        prop_assume!(parses(&source));
        let settings = Settings { target_version: TargetVersion { minor }, ..Settings::default() };
        let chooser = choose(1, true);
        let path = Path::new("generated.py");
        let outcome = fix_source_with(path, &source, &settings, &chooser)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let fixed = outcome.text;
        prop_assert!(outcome.dropped.is_empty(), "fixes dropped: {:?}", outcome.dropped);
        prop_assert!(parses(&fixed), "does not parse:\n{}", fixed);
        prop_assert_eq!(fixed.starts_with(BOM), bom);
        if crlf {
            prop_assert!(!fixed.replace("\r\n", "").contains('\n'), "a bare LF:\n{:?}", fixed);
        } else {
            prop_assert!(!fixed.contains('\r'), "a CR:\n{:?}", fixed);
        }
        let replayed = replay(path, &source, &settings, &chooser).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&replayed, &fixed);
        let again = fix_source_with(path, &fixed, &settings, &chooser)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again.text, fixed);
    }
}
