//! Applying fixes: the [`engine`] (conflicts, convergence, re-parse check)
//! and the text helpers fixes share ([`indent`], [`shared_session`]).

pub mod engine;
pub mod indent;
pub mod shared_session;
