//! The threads that parse and analyse files, and how deep code may nest on
//! their stacks.
//!
//! Parsing and walking are recursive, so the threads get large stacks
//! ([`WORKER_STACK`], 1 GiB of address space, of which only what is used is
//! ever touched) and code nesting deeper than the stack can take is
//! reported, not analysed (see [`super::nesting`]). Reserving that much
//! address space can fail (`ulimit -v`, small 32-bit address spaces): then
//! smaller stacks are tried, then fewer threads, with a nesting limit
//! lowered in proportion, and a warning says so. If no thread can be
//! started at all, files are analysed one after another on the calling
//! thread.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::nesting;

/// The stack the main thread and the workers ask for first.
pub const WORKER_STACK: usize = 1024 * 1024 * 1024;

/// Stacks tried in turn when a larger one cannot be reserved.
pub const FALLBACK_STACKS: &[usize] = &[
    WORKER_STACK,
    256 * 1024 * 1024,
    64 * 1024 * 1024,
    16 * 1024 * 1024,
];

/// A main thread's stack when no thread could be started (the usual 8 MiB
/// of `ulimit -s`).
pub const DEFAULT_MAIN_STACK: usize = 8 * 1024 * 1024;

/// The smallest stack of the threads that analyse (main and workers); the
/// nesting limit follows from it.
static SMALLEST_STACK: AtomicUsize = AtomicUsize::new(WORKER_STACK);

static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();

/// How deep code may nest on a stack of `stack` bytes: [`nesting::MAX_DEPTH`]
/// on the full [`WORKER_STACK`], proportionally less on a smaller one (less
/// a megabyte for what the thread uses besides).
pub fn depth_for_stack(stack: usize) -> usize {
    if stack >= WORKER_STACK {
        return nesting::MAX_DEPTH;
    }
    let per_level = WORKER_STACK / nesting::MAX_DEPTH;
    (stack.saturating_sub(1024 * 1024) / per_level).max(100)
}

/// The nesting limit for this run.
pub fn max_depth() -> usize {
    depth_for_stack(SMALLEST_STACK.load(Ordering::Relaxed))
}

/// Records the stack of a thread that analyses files (the limit follows
/// the smallest).
pub fn note_stack(stack: usize) {
    SMALLEST_STACK.fetch_min(stack, Ordering::Relaxed);
}

fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// What was given up to start a thread with a smaller stack than asked, if
/// anything: a warning for stderr.
pub fn fallback_warning(what: &str, stack: usize) -> Option<String> {
    (stack < WORKER_STACK).then(|| {
        format!(
            "cannot reserve {} stacks for {what} (is the address space limited, `ulimit -v`?); \
             using {}: code nesting deeper than {} levels is reported as an error",
            mib(WORKER_STACK),
            mib(stack),
            depth_for_stack(stack)
        )
    })
}

/// Builds the worker pool: the largest stack that can be reserved, for as
/// many threads as there are cores, else fewer threads. Returns warnings
/// for stderr.
pub fn configure_workers() -> Vec<String> {
    let mut warnings = Vec::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut threads: Vec<usize> = vec![cores];
        if cores > 1 {
            threads.push(1);
        }
        for &count in &threads {
            for &stack in FALLBACK_STACKS {
                let built = rayon::ThreadPoolBuilder::new()
                    .num_threads(count)
                    .stack_size(stack)
                    .build();
                if let Ok(pool) = built {
                    note_stack(stack);
                    warnings.extend(fallback_warning("the worker threads", stack));
                    if count < cores {
                        warnings.push(format!(
                            "cannot start {cores} worker threads; using {count}"
                        ));
                    }
                    return Some(pool);
                }
            }
        }
        note_stack(DEFAULT_MAIN_STACK);
        warnings.push(format!(
            "cannot start worker threads; analysing one file at a time: code nesting deeper than {} levels is reported as an error",
            depth_for_stack(DEFAULT_MAIN_STACK)
        ));
        None
    });
    warnings
}

/// Maps `f` over `items` on the worker pool (in parallel), or on this
/// thread when there is no pool. `tick` is called once per item done.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
    tick: impl Fn() + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    match POOL.get().and_then(Option::as_ref) {
        Some(pool) => pool.install(|| {
            items
                .par_iter()
                // One item per job: a few files (the ones parsed) cost far
                // more than the rest, and with rayon's default halving one
                // thread was left with most of them (on corpus B the other
                // stopped 0.23 s before it).
                .with_max_len(1)
                .map(|item| {
                    let result = f(item);
                    tick();
                    result
                })
                .collect()
        }),
        None => items
            .iter()
            .map(|item| {
                let result = f(item);
                tick();
                result
            })
            .collect(),
    }
}
