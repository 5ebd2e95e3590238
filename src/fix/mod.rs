//! Applying fixes, and the toolbox rules build them with.
//!
//! - [`engine`]: conflicts, passes until nothing is left, re-parse check,
//!   and the clean-up after the passes ([`unused_imports`], [`style`]);
//! - [`Fixer`]: what a rule's fix needs beyond reading the module (the
//!   [`Checker`]): adding imports where isort would put them
//!   ([`importer`]), fresh names ([`names`]), indentation and line layout
//!   ([`indent`]), the module's logger ([`logger`]), the module's own
//!   thread runner ([`thread_runner`]);
//! - [`shared_session`]: the shared HTTP session helper CS003 and CS004 insert;
//! - [`edits`]: operations on the edits fixes are made of.

pub mod edits;
pub mod engine;
pub mod importer;
pub mod indent;
pub mod logger;
pub mod names;
pub mod shared_session;
pub mod style;
pub mod thread_runner;
pub mod unused_imports;

use crate::checker::Checker;

/// The fix toolbox for one module: built on the [`Checker`] a rule reads
/// (`checker.fixer()`), it answers "how do I write this here": which name
/// an import gives, where a new import or definition goes, which names are
/// free, what indentation and line ending the file uses.
#[derive(Clone, Copy)]
pub struct Fixer<'c, 'a> {
    pub checker: &'c Checker<'a>,
}

impl<'a> Checker<'a> {
    /// The fix toolbox for this module.
    pub fn fixer(&self) -> Fixer<'_, 'a> {
        Fixer { checker: self }
    }
}
