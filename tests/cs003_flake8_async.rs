//! CS003 against flake8-async's own test cases for its blocking-call
//! checks (ASYNC210-251), vendored in `tests/data/flake8-async/` (see the
//! README there): CS003, with CS006 selected for `async240.py`, must report
//! a finding on at least 90% of the lines the cases expect an error on.

mod common;

use std::fs;

use codesight::analysis::analyze;
use codesight::config::settings::Settings;
use common::repo_root;

const FILES: &[&str] = &[
    "async210.py",
    "async211.py",
    "async212.py",
    "async22x.py",
    "async23x.py",
    "async232.py",
    "async240.py",
    "async250.py",
    "async251.py",
];

/// The 1-based lines a case file expects an `ASYNC2xx` error on, leaving out
/// the string functions that do not touch the disk.
fn expected_lines(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            line.split('#').skip(1).any(|comment| {
                let comment = comment.trim_start();
                comment.starts_with("ASYNC2") && comment.get(8..9) == Some(":")
            })
        })
        .filter(|(_, line)| !line.contains("normpath") && !line.contains("relpath"))
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn reports_what_flake8_async_expects() {
    let dir = repo_root().join("tests/data/flake8-async");
    let mut expected_total = 0;
    let mut found_total = 0;
    let mut report = String::new();
    for file in FILES {
        let source = fs::read_to_string(dir.join(file)).unwrap();
        let mut settings = Settings::default();
        settings.rules.select = if *file == "async240.py" {
            vec!["CS003".to_string(), "CS006".to_string()]
        } else {
            vec!["CS003".to_string()]
        };
        let diagnostics = analyze(&dir.join(file), &source, &settings).expect("the case parses");
        let reported: Vec<usize> = diagnostics
            .iter()
            .map(|d| source[..usize::from(d.range.start())].matches('\n').count() + 1)
            .collect();
        let expected = expected_lines(&source);
        let missed: Vec<usize> = expected
            .iter()
            .copied()
            .filter(|line| !reported.contains(line))
            .collect();
        expected_total += expected.len();
        found_total += expected.len() - missed.len();
        report.push_str(&format!(
            "{file}: {}/{} (missed lines {missed:?})\n",
            expected.len() - missed.len(),
            expected.len()
        ));
    }
    let ratio = found_total as f64 / expected_total as f64;
    eprintln!("{report}total: {found_total}/{expected_total} = {ratio:.3}");
    assert!(expected_total > 150, "the cases were not read: {report}");
    assert!(ratio >= 0.9, "only {ratio:.3} reported:\n{report}");
}
