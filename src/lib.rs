//! CodeSight: finds Python asyncio concurrency bugs and fixes them.
//!
//! The flow runs one way: [`discovery`] finds files, [`analyze`] parses one
//! source and builds its [`semantic`] model, [`rules`] turn that model into
//! [`diagnostic`]s carrying fixes, [`fix_engine`] applies them, and
//! [`render`] or [`writer`] hands the result to the user.

pub mod analyze;
pub mod checker;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discovery;
pub mod fix_engine;
pub mod indent;
pub mod interrupt;
pub mod nesting;
pub mod render;
pub mod rule;
pub mod rules;
pub mod scope_walk;
pub mod semantic;
pub mod settings;
pub mod shared_session;
pub mod source;
pub mod suppression;
pub mod writer;
