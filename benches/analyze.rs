//! Per-file analysis speed, for profiling: `cargo bench --bench analyze`.
//!
//! Reads every `.py` file under `$CODESIGHT_BENCH_DIR` (default
//! `target/corpus-a`, made by `../shared/corpus/make-corpus.sh
//! ../shared/corpus/corpus-a.txt target/corpus-a`; falls back to `fixes/`),
//! then times, single-threaded, the stages of one file's analysis: the
//! prefilter, parsing, and the full analysis (parse, semantic model, all
//! rules). Reports the median of several rounds as MB/s, and the slowest
//! files, so `perf record cargo bench --bench analyze` shows where time goes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codesight::analysis::{analyze, may_have_findings};
use codesight::checker::Checker;
use codesight::config::settings::Settings;
use codesight::rules::RULES;

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time_rounds(rounds: usize, mut work: impl FnMut()) -> Duration {
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                work();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let dir = std::env::var_os("CODESIGHT_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/corpus-a"));
    let dir = if dir.is_dir() {
        dir
    } else {
        PathBuf::from("fixes")
    };
    let mut paths = Vec::new();
    python_files(&dir, &mut paths);
    paths.sort();
    let files: Vec<(PathBuf, String)> = paths
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let relevant: Vec<&(PathBuf, String)> =
        files.iter().filter(|(_, t)| may_have_findings(t)).collect();
    let relevant_bytes: usize = relevant.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{}: {} files, {:.2} MB; {} files ({:.2} MB) pass the prefilter",
        dir.display(),
        files.len(),
        bytes as f64 / 1e6,
        relevant.len(),
        relevant_bytes as f64 / 1e6
    );
    let settings = Settings::default();
    let rounds = 7;
    let rate = |b: usize, d: Duration| b as f64 / 1e6 / d.as_secs_f64();

    let prefilter = time_rounds(rounds, || {
        for (_, text) in &files {
            std::hint::black_box(may_have_findings(text));
        }
    });
    println!(
        "prefilter, all files:        {:>8.1} ms  {:>7.1} MB/s",
        prefilter.as_secs_f64() * 1e3,
        rate(bytes, prefilter)
    );
    let parse = time_rounds(rounds, || {
        for (_, text) in &relevant {
            std::hint::black_box(ruff_python_parser::parse_module(text).is_ok());
        }
    });
    println!(
        "parse only, relevant files:  {:>8.1} ms  {:>7.1} MB/s",
        parse.as_secs_f64() * 1e3,
        rate(relevant_bytes, parse)
    );
    let full = time_rounds(rounds, || {
        for (path, text) in &files {
            std::hint::black_box(analyze(path, text, &settings).map(|d| d.len()).ok());
        }
    });
    println!(
        "analyze, all files:          {:>8.1} ms  {:>7.1} MB/s of input (one core)",
        full.as_secs_f64() * 1e3,
        rate(bytes, full)
    );

    // Where the analysis time goes: the semantic model and each rule, on
    // files parsed once up front.
    let parsed: Vec<_> = relevant
        .iter()
        .filter_map(|(path, text)| {
            ruff_python_parser::parse_module(text).ok().map(|p| {
                (
                    path,
                    text,
                    p,
                    ruff_source_file::LineIndex::from_source_text(text),
                )
            })
        })
        .collect();
    let model = time_rounds(rounds, || {
        for (path, text, parsed, lines) in &parsed {
            std::hint::black_box(Checker::new(path, text, parsed, lines, &settings));
        }
    });
    println!(
        "semantic model + stylist:    {:>8.1} ms",
        model.as_secs_f64() * 1e3
    );
    let checkers: Vec<Checker> = parsed
        .iter()
        .map(|(path, text, parsed, lines)| Checker::new(path, text, parsed, lines, &settings))
        .collect();
    for rule in RULES {
        let took = time_rounds(rounds, || {
            for checker in &checkers {
                let mut diagnostics = Vec::new();
                (rule.check)(checker, &mut diagnostics);
                std::hint::black_box(diagnostics);
            }
        });
        println!(
            "rule {}:                   {:>8.1} ms",
            rule.info.code,
            took.as_secs_f64() * 1e3
        );
    }

    let mut slowest: Vec<(Duration, &PathBuf, usize)> = relevant
        .iter()
        .map(|(path, text)| {
            let d = time_rounds(3, || {
                std::hint::black_box(analyze(path, text, &settings).ok());
            });
            (d, path, text.len())
        })
        .collect();
    slowest.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    println!("slowest files:");
    for (d, path, len) in slowest.iter().take(5) {
        println!(
            "  {:>7.2} ms  {:>8} bytes  {}",
            d.as_secs_f64() * 1e3,
            len,
            path.display()
        );
    }
}
