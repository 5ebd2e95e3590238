//! JUnit XML, which CI systems show as test results: one test suite per
//! file, one failing test case per finding, an `<error>` test case per file
//! that could not be read or parsed. A clean run is one passing test case.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Entry, FileError, FileReport, entries};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn render(files: &[FileReport], errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    let all = entries(files, errors);
    let mut by_path: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for entry in &all {
        by_path.entry(entry.path()).or_default().push(entry);
    }
    let failures = all
        .iter()
        .filter(|e| matches!(e, Entry::Finding { .. }))
        .count();
    let error_count = all.len() - failures;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="codesight" tests="{}" failures="{failures}" errors="{error_count}">"#,
        all.len().max(1)
    )?;
    if all.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="codesight" tests="1" failures="0" errors="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="codesight" classname="codesight"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for (path, entries) in by_path {
        let file_failures = entries
            .iter()
            .filter(|e| matches!(e, Entry::Finding { .. }))
            .count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{file_failures}" errors="{}">"#,
            escape(path),
            entries.len(),
            entries.len() - file_failures
        )?;
        for entry in entries {
            let (line, column) = entry.line_column();
            match entry {
                Entry::Finding { diagnostic, .. } => {
                    writeln!(
                        out,
                        r#"    <testcase name="{code} at {line}:{column}" classname="{path}" file="{path}" line="{line}">"#,
                        code = diagnostic.rule.code,
                        path = escape(path),
                    )?;
                    writeln!(
                        out,
                        r#"      <failure message="{}" type="{}">{}:{line}:{column}: {} {}</failure>"#,
                        escape(&diagnostic.message),
                        diagnostic.rule.code,
                        escape(path),
                        diagnostic.rule.code,
                        escape(&diagnostic.message)
                    )?;
                }
                Entry::Error(error) => {
                    writeln!(
                        out,
                        r#"    <testcase name="error at {line}:{column}" classname="{path}" file="{path}" line="{line}">"#,
                        path = escape(path),
                    )?;
                    writeln!(
                        out,
                        r#"      <error message="{}" type="error">{}</error>"#,
                        escape(&error.message),
                        escape(&error.message)
                    )?;
                }
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
