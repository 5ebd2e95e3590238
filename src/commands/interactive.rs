//! `codesight fix --interactive`: review fixes one at a time.

use super::{EXIT_ERROR, Run};

pub fn run(_run: &Run, _unsafe_fixes: bool) -> u8 {
    eprintln!("error: interactive mode is not available yet");
    EXIT_ERROR
}
