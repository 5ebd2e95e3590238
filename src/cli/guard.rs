//! One file's failure is that file's error, never the end of the run.
//!
//! A panic while analysing or fixing a file (a rule bug) is caught, and
//! becomes an error naming the file; the other files are still checked and
//! written, and the run exits 2. The panic's message and location go into
//! the error, for the bug report, instead of the usual panic output.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch`] (its panics are reported as
    /// file errors, not printed).
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook that records panics inside [`catch`]; panics
/// elsewhere print as usual.
pub fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".to_string());
                let location = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{message}{location}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `work` for the file shown as `shown`; a panic becomes the message
/// "internal error while checking PATH; please report (...)".
pub fn catch<T>(shown: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(was));
    result.map_err(|_| {
        let cause = LAST_PANIC
            .with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| "unknown cause".to_string());
        internal_error(shown, &cause)
    })
}

/// The message for a bug found while checking `shown`.
pub fn internal_error(shown: &str, cause: &str) -> String {
    format!("internal error while checking {shown}; please report ({cause})")
}
