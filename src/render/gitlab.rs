//! GitLab Code Quality reports (`artifacts:reports:codequality`): a JSON
//! array of issues, each with a fingerprint that stays the same while the
//! finding does, so merge requests show new and fixed findings.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Entry, FileError, FileReport, entries};

/// FNV-1a, 64 bits: stable across builds and platforms (unlike std's hasher).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

pub fn render(files: &[FileReport], errors: &[FileError], out: &mut dyn Write) -> io::Result<()> {
    // The fingerprint leaves out the line, so a finding keeps it when code
    // above it moves; equal findings in one file are told apart by their order.
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut issues: Vec<Value> = Vec::new();
    for entry in entries(files, errors) {
        let (line, _) = entry.line_column();
        let (check, message, severity, end_line) = match &entry {
            Entry::Finding { diagnostic, at, .. } => (
                diagnostic.rule.code.to_string(),
                format!("{} {}", diagnostic.rule.code, diagnostic.message),
                "major",
                at.end_line,
            ),
            Entry::Error(error) => ("error".to_string(), error.message.clone(), "critical", line),
        };
        let base = fnv1a(&[entry.path(), &check, &message]);
        let count = seen.entry(base).or_default();
        let fingerprint = format!(
            "{:016x}",
            fnv1a(&[&format!("{base:x}"), &count.to_string()])
        );
        *count += 1;
        issues.push(json!({
            "description": message,
            "check_name": check,
            "fingerprint": fingerprint,
            "severity": severity,
            "location": {
                "path": entry.path(),
                "lines": {"begin": line, "end": end_line},
            },
        }));
    }
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
