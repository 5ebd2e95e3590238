//! CodeSight: finds Python asyncio concurrency bugs and fixes them.
//!
//! The flow runs one way, and each folder is one stage of it:
//! [`io`] finds and reads files, [`analysis`] parses one source (after the
//! prefilters) and builds its [`semantic`] model, [`checker`] hands that model
//! to the [`rules`], which produce [`diagnostic`]s carrying fixes, [`fix`]
//! applies them (conflicts, convergence, re-parse check), and [`render`] or
//! [`io::writer`] hands the result to the user. [`cli`] drives the stages
//! and [`config`] says how.

pub mod analysis;
pub mod checker;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod io;
pub mod render;
pub mod rules;
pub mod semantic;
