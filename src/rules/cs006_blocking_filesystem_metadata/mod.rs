//! CS006: filesystem metadata calls inside `async def` (off by default).
//!
//! The calls are entries of CS003's catalogue of the
//! [`Family::Metadata`](crate::rules::cs003_blocking_call::catalogue::Family)
//! family; CS003's call finder reports them under this code.

use crate::analysis::prefilter::Prefilter;
use crate::checker::Checker;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::ASYNC_DEF;
use crate::rules::cs003_blocking_call::{catalogue, catalogue::Family, check_family};
use crate::rules::rule::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Finds filesystem metadata calls made inside an `async def`: checking
    /// that a path exists or what it is (`os.path.exists`, `isfile`, `isdir`,
    /// `islink`, `ismount`, `lexists`, `isjunction`, `samefile`,
    /// `sameopenfile`), reading its size and times (`getsize`, `getmtime`,
    /// `getatime`, `getctime`, `os.stat`, `os.lstat`, `os.statvfs`,
    /// `os.access`, `shutil.disk_usage`, `shutil.which`), resolving it
    /// (`os.path.realpath`, `os.readlink`), and changing one entry (`os.mkdir`,
    /// `os.makedirs`, `os.remove`, `os.unlink`, `os.rmdir`, `os.removedirs`,
    /// `os.rename`, `os.renames`, `os.replace`, `os.chmod`, `os.chown`,
    /// `os.utime`, `os.symlink`, `os.link`, `shutil.chown`,
    /// `shutil.copymode`, `shutil.copystat`), and the same operations as
    /// methods of a `pathlib.Path` (`exists`, `is_file`, `is_dir`,
    /// `is_symlink`, `is_mount`, `is_socket`, `is_fifo`, `is_block_device`,
    /// `is_char_device`, `stat`, `lstat`, `owner`, `group`, `samefile`,
    /// `readlink`, `resolve`, `mkdir`, `touch`, `unlink`, `rmdir`, `chmod`,
    /// `rename`, `replace`, `symlink_to`, `hardlink_to`) whose origin is
    /// visible (built with `Path(...)`, annotated `Path`, a `self` attribute
    /// holding one). Names are resolved through imports and aliases. String
    /// functions that never touch the disk (`os.path.join`, `normpath`,
    /// `relpath`, `abspath`, `basename`) are not reported.
    ///
    /// This rule is off by default: select it by its code
    /// (`--select CS006`, or `select = ["CS", "CS006"]` in
    /// `[tool.codesight]`).
    ///
    /// ## Why is this bad?
    /// Each of these calls is a system call that waits for the filesystem.
    /// On a local disk it usually returns in microseconds, which is why
    /// CS003 leaves it out: in most real code it is a one-off check in a
    /// setup step (23 of the 26 places Ruff's ASYNC240 reported in our
    /// review corpus). On a network filesystem, a spun-down disk or a
    /// directory with many entries it can take much longer, and then every
    /// coroutine on the loop waits. Projects that want Ruff's stricter line
    /// (ASYNC240) can keep it with this rule.
    ///
    /// ## Example
    /// ```python
    /// import os
    ///
    /// async def load(path):
    ///     if not os.path.exists(path):
    ///         return None
    ///     ...
    /// ```
    ///
    /// Use instead:
    /// ```python
    /// import asyncio
    /// import os
    ///
    /// async def load(path):
    ///     if not await asyncio.to_thread(os.path.exists, path):
    ///         return None
    ///     ...
    /// ```
    ///
    /// ## Fix safety
    /// The call becomes `await asyncio.to_thread(f, *args)` (with a target
    /// version before Python 3.9, `await loop.run_in_executor(None, f, ...)`).
    /// The fix is unsafe: other coroutines now run while the call waits, and
    /// may change the filesystem between this check and what the coroutine
    /// does next (as another process always could).
    pub struct BlockingFilesystemMetadata {
        code: "CS006",
        name: "blocking-filesystem-metadata",
        summary: "Filesystem metadata call inside `async def` waits on the disk",
        fixes: FixAvailability::UNSAFE,
        default_enabled: false,
    }
}

/// As CS003's, for the catalogue's metadata entries.
pub(crate) const PREFILTER: Prefilter = Prefilter {
    patterns: &[ASYNC_DEF],
    words: Some(|| catalogue::word_groups(Family::Metadata)),
    text: None,
    project_index: false,
};

pub fn check(checker: &Checker, diagnostics: &mut Vec<Diagnostic>) {
    check_family(checker, diagnostics, Family::Metadata);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cs003_blocking_call::catalogue::{CATALOGUE, Target};

    /// `codesight explain CS006` names every metadata call it reports.
    #[test]
    fn documentation_covers_the_metadata_entries() {
        let doc = BlockingFilesystemMetadata::INFO.documentation();
        for entry in CATALOGUE.iter().filter(|e| e.family == Family::Metadata) {
            let name = match entry.target {
                Target::Function(name) => name.rsplit('.').next().unwrap(),
                Target::Method { name, .. } => name,
            };
            assert!(
                doc.contains(&format!("`{name}`")) || doc.contains(&format!(".{name}`")),
                "`{}` is not documented",
                entry.display()
            );
        }
    }
}
