use std::io::Write;
use std::process::ExitCode;

use codesight::analysis::workers::{
    DEFAULT_MAIN_STACK, FALLBACK_STACKS, fallback_warning, note_stack,
};

/// Parsing allocates many small nodes; mimalloc serves them faster than the
/// system allocator (measured: about 15% less CPU on corpus A).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the same index in
/// its v2 and v3 headers; the bindings have no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Give memory freed after each file back to the OS at once rather than
    // 10 ms later: worker threads go from one large file to the next, and
    // the delayed purge kept both files' pages. Measured on corpus B: peak
    // RSS 50-73 MiB with the default, 33-36 MiB with 0, same wall time.
    // SAFETY: sets an integer option; called before any other thread runs.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    // Run on a thread with a large stack: parsing and walking are recursive,
    // and the files given may nest deeply (see `codesight::analysis::nesting`).
    // When that much address space cannot be reserved (`ulimit -v`), smaller
    // stacks are tried, with a nesting limit lowered to match; as a last
    // resort the command runs on this thread.
    for &stack in FALLBACK_STACKS {
        let spawned = std::thread::Builder::new()
            .name("codesight".to_string())
            .stack_size(stack)
            .spawn(move || {
                note_stack(stack);
                if let Some(warning) = fallback_warning("the main thread", stack) {
                    let _ = writeln!(std::io::stderr(), "warning: {warning}");
                }
                codesight::cli::run()
            });
        if let Ok(handle) = spawned {
            return match handle.join() {
                Ok(code) => code,
                Err(_) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "error: internal error: codesight stopped unexpectedly; please report"
                    );
                    ExitCode::from(2)
                }
            };
        }
    }
    note_stack(DEFAULT_MAIN_STACK);
    let _ = writeln!(
        std::io::stderr(),
        "warning: cannot start a thread with a large stack; running on the main thread"
    );
    codesight::cli::run()
}
