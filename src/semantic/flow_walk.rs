//! A walk of a function's code in execution order for forward flow
//! analyses: the model goes through the blocks, forks the analysis's state
//! at branches and joins it where they meet, and runs a loop body a second
//! time when its first pass changed the state; the analysis reacts to each
//! step ([`FlowEvent`]) and says how its states join
//! ([`FlowAnalysis`]).
//!
//! How each statement runs:
//! - `if`/`elif`/`else`: the test, then each branch from the state after
//!   the test (each `elif` test at the start of its branch); the branches
//!   are joined, with the state before them when there is no `else`. The
//!   body of an `if TYPE_CHECKING:` never runs (its test is not reported).
//! - `match`: the subject, then each case from the state after it; the
//!   cases are joined with that state (no case may match).
//! - `for`/`while`: the iterable or test once, the body (twice, see above),
//!   then the `else`.
//! - `with`: each item's context expression, then the body.
//! - `try`: the body, each handler, the `else` and the `finally` one after
//!   the other (what may have happened flows on; not what must have).
//! - Any other statement, `def` and `class` included (their bodies are
//!   other functions' code), is one [`FlowEvent::Simple`] step.

use ruff_python_ast::{self as ast, Expr, Stmt};

use super::SemanticModel;
use super::statements::{BlockKind, StmtId};

/// One step of [`SemanticModel::walk_flow`].
#[derive(Debug, Clone, Copy)]
pub enum FlowEvent<'a> {
    /// A statement without blocks runs.
    Simple(StmtId),
    /// A header expression of a compound statement is evaluated: an `if`
    /// or `elif` test, a `while` test, a `for` iterable, a `with` item's
    /// context expression, a `match` subject.
    Header(StmtId, &'a Expr),
    /// A block of the compound statement `stmt` starts running. `index`
    /// tells the blocks of one kind apart: 0 for an `if` body and `i + 1`
    /// for its `i`th `elif`/`else` clause, the position of an `except`
    /// handler or a `case`, 0 for the others.
    EnterBlock(FlowBlock<'a>),
    /// That block has run to its end.
    LeaveBlock(FlowBlock<'a>),
    /// A compound statement has run (its paths joined).
    Done(StmtId),
}

#[derive(Debug, Clone, Copy)]
pub struct FlowBlock<'a> {
    pub stmt: StmtId,
    pub kind: BlockKind,
    pub index: usize,
    pub block: &'a [Stmt],
}

/// A forward analysis of a function's code driven by
/// [`SemanticModel::walk_flow`].
pub trait FlowAnalysis<'a> {
    /// What the analysis knows at a point of the code.
    type State: Clone;
    /// The state at the current point (the analysis updates it on each
    /// event; the walk replaces it at branches and joins).
    fn state(&mut self) -> &mut Self::State;
    /// Two paths meet: fold `other` into `into`.
    fn join(into: &mut Self::State, other: Self::State);
    /// Whether a loop body's first pass, which started from `before` and
    /// ended with `after`, carries something into a next iteration: the
    /// body then runs again from the join of the two.
    fn changed(before: &Self::State, after: &Self::State) -> bool;
    fn event(&mut self, event: FlowEvent<'a>);
}

impl<'a> SemanticModel<'a> {
    /// Walks the statements of `body` (a function's) in execution order,
    /// driving `analysis` (see the module documentation).
    pub fn walk_flow<A: FlowAnalysis<'a>>(&self, body: &'a [Stmt], analysis: &mut A) {
        for stmt in body {
            self.flow_stmt(stmt, analysis);
        }
    }

    fn flow_block<A: FlowAnalysis<'a>>(&self, block: FlowBlock<'a>, analysis: &mut A) {
        analysis.event(FlowEvent::EnterBlock(block));
        self.walk_flow(block.block, analysis);
        analysis.event(FlowEvent::LeaveBlock(block));
    }

    fn flow_loop<A: FlowAnalysis<'a>>(&self, stmt: StmtId, body: &'a [Stmt], analysis: &mut A) {
        let block = FlowBlock {
            stmt,
            kind: BlockKind::LoopBody,
            index: 0,
            block: body,
        };
        let before = analysis.state().clone();
        self.flow_block(block, analysis);
        if A::changed(&before, analysis.state()) {
            let mut merged = before;
            A::join(&mut merged, analysis.state().clone());
            *analysis.state() = merged;
            self.flow_block(block, analysis);
        }
    }

    /// Runs each branch from `before`, then leaves the join of their
    /// states (with `before` too when `fall_through`).
    fn flow_branches<A: FlowAnalysis<'a>>(
        &self,
        branches: impl Iterator<Item = (Option<&'a Expr>, FlowBlock<'a>)>,
        fall_through: bool,
        analysis: &mut A,
    ) {
        let before = analysis.state().clone();
        let mut merged: Option<A::State> = None;
        for (test, block) in branches {
            if let Some(test) = test {
                analysis.event(FlowEvent::Header(block.stmt, test));
            }
            self.flow_block(block, analysis);
            let out = std::mem::replace(analysis.state(), before.clone());
            match &mut merged {
                Some(merged) => A::join(merged, out),
                None => merged = Some(out),
            }
        }
        *analysis.state() = match merged {
            Some(mut merged) => {
                if fall_through {
                    A::join(&mut merged, before);
                }
                merged
            }
            None => before,
        };
    }

    fn flow_stmt<A: FlowAnalysis<'a>>(&self, stmt: &'a Stmt, analysis: &mut A) {
        let Some(id) = self.statement_id(stmt) else {
            return;
        };
        let block = |kind, index, block| FlowBlock {
            stmt: id,
            kind,
            index,
            block,
        };
        match stmt {
            Stmt::If(if_stmt) => {
                let runs = !self.is_type_checking_block(stmt);
                if runs {
                    analysis.event(FlowEvent::Header(id, &if_stmt.test));
                }
                let body = runs.then(|| (None, block(BlockKind::If, 0, &if_stmt.body[..])));
                let clauses = if_stmt
                    .elif_else_clauses
                    .iter()
                    .enumerate()
                    .map(|(i, clause)| {
                        (
                            clause.test.as_ref(),
                            block(BlockKind::If, i + 1, &clause.body[..]),
                        )
                    });
                let has_else = if_stmt
                    .elif_else_clauses
                    .last()
                    .is_some_and(|c| c.test.is_none());
                self.flow_branches(body.into_iter().chain(clauses), !has_else, analysis);
            }
            Stmt::Match(match_stmt) => {
                analysis.event(FlowEvent::Header(id, &match_stmt.subject));
                let cases = match_stmt
                    .cases
                    .iter()
                    .enumerate()
                    .map(|(i, case)| (None, block(BlockKind::MatchCase, i, &case.body[..])));
                self.flow_branches(cases, true, analysis);
            }
            Stmt::For(for_stmt) => {
                analysis.event(FlowEvent::Header(id, &for_stmt.iter));
                self.flow_loop(id, &for_stmt.body, analysis);
                self.flow_block(block(BlockKind::LoopElse, 0, &for_stmt.orelse), analysis);
            }
            Stmt::While(while_stmt) => {
                analysis.event(FlowEvent::Header(id, &while_stmt.test));
                self.flow_loop(id, &while_stmt.body, analysis);
                self.flow_block(block(BlockKind::LoopElse, 0, &while_stmt.orelse), analysis);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    analysis.event(FlowEvent::Header(id, &item.context_expr));
                }
                self.flow_block(block(BlockKind::With, 0, &with.body), analysis);
            }
            Stmt::Try(try_stmt) => {
                self.flow_block(block(BlockKind::TryBody, 0, &try_stmt.body), analysis);
                for (i, handler) in try_stmt.handlers.iter().enumerate() {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    self.flow_block(block(BlockKind::Except, i, &handler.body), analysis);
                }
                self.flow_block(block(BlockKind::TryElse, 0, &try_stmt.orelse), analysis);
                self.flow_block(block(BlockKind::Finally, 0, &try_stmt.finalbody), analysis);
            }
            _ => {
                analysis.event(FlowEvent::Simple(id));
                return;
            }
        }
        analysis.event(FlowEvent::Done(id));
    }
}
