//! Which loads may read the value a binding stores, following the code's
//! paths: def-use chains ([`SemanticModel::reached_loads`]).
//!
//! A [`Binding`](super::Binding)'s `references` are the loads that resolve
//! to it by source order (the last binding before the load wins). After
//! `if c: x = 1` / `else: x = 2`, a later `x` resolves to the `else`
//! binding only, though it reads either. This fact answers the question a
//! fix that moves code asks: does anything after the moved code read what
//! it binds?
//!
//! It is a reaching-definitions analysis over [`SemanticModel::walk_flow`],
//! computed once per function (or class, or module) on first use. It errs
//! on the side of "may read":
//! - both branches of an `if`, every `case`, a loop's next iteration (and a
//!   loop that does not run), `continue` back to the loop and `break` out of
//!   it are followed; `return`, `raise`, `break` and `continue` end a path;
//! - an `except` handler may start from any point of its `try` body, a
//!   `finally` from any point of the body, the handlers or the `else`; a
//!   `with contextlib.suppress(...)` block may end at any point;
//! - a walrus may not run, so it does not replace the value before it;
//! - a load from a nested function, lambda or class body may run at any
//!   time: every binding of the variable reaches it.

use std::rc::Rc;

use ruff_python_ast::{self as ast, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::FxHashMap as HashMap;

use super::flow_walk::{FlowAnalysis, FlowEvent};
use super::statements::{BlockKind, StmtId};
use super::{BindingId, BindingKind, ReferenceId, ScopeId, ScopeKind, SemanticModel};

/// Per binding of a frame, the loads that may read it (sorted, no
/// duplicates).
pub(super) type ReachMap = HashMap<BindingId, Vec<ReferenceId>>;
/// For each load, the bindings whose value it may read.
pub(super) type ReachInverse = HashMap<ReferenceId, Vec<BindingId>>;

impl<'a> SemanticModel<'a> {
    /// The loads that may read the value `binding` stores, on some path of
    /// the code (see the [module documentation](self)), in source order.
    /// Loads from a nested function, lambda or class body count whatever
    /// their position. Empty for a binding no load reads (and for imports
    /// and the like the analysis has no frame for).
    pub fn reached_loads(&self, binding: BindingId) -> Vec<ReferenceId> {
        let frame = self.binding(binding).scope;
        let map = self.reach_map(frame);
        map.get(&binding).cloned().unwrap_or_default()
    }

    /// The bindings of `frame` whose value `load` (a load of `frame`'s
    /// code, or of a function nested in it) may read: the inverse of
    /// [`SemanticModel::reached_loads`], built once per frame.
    pub fn reaching_bindings(&self, frame: ScopeId, load: ReferenceId) -> Vec<BindingId> {
        let inverse = {
            let cached = self.reach_inverse.borrow().get(&frame).cloned();
            match cached {
                Some(inverse) => inverse,
                None => {
                    let mut inverse = ReachInverse::default();
                    for (&binding, loads) in self.reach_map(frame).iter() {
                        for &reference in loads {
                            inverse.entry(reference).or_default().push(binding);
                        }
                    }
                    let inverse = Rc::new(inverse);
                    self.reach_inverse
                        .borrow_mut()
                        .insert(frame, Rc::clone(&inverse));
                    inverse
                }
            }
        };
        inverse.get(&load).cloned().unwrap_or_default()
    }

    fn reach_map(&self, frame: ScopeId) -> Rc<ReachMap> {
        if let Some(map) = self.reach.borrow().get(&frame) {
            return Rc::clone(map);
        }
        let map = Rc::new(self.compute_reach(frame));
        self.reach.borrow_mut().insert(frame, Rc::clone(&map));
        map
    }

    fn compute_reach(&self, frame: ScopeId) -> ReachMap {
        let body: &'a [Stmt] = match self.scope(frame).kind {
            ScopeKind::Function(def) => &def.body,
            ScopeKind::Class(class) => &class.body,
            ScopeKind::Module => self.module_body,
            _ => &[],
        };
        // The frame's variables, numbered.
        let mut vars: HashMap<&'a str, u32> = HashMap::default();
        let mut bindings_of: Vec<Vec<BindingId>> = Vec::new();
        let mut items: Vec<(StmtId, TextSize, u8, Item)> = Vec::new();
        let mut closure_loads: Vec<(u32, ReferenceId)> = Vec::new();
        for id in self.scope_bindings(frame) {
            let binding = self.binding(id);
            if matches!(binding.kind, BindingKind::Global | BindingKind::Nonlocal) {
                continue;
            }
            let next = vars.len() as u32;
            let var = *vars.entry(binding.name).or_insert(next);
            if var == next {
                bindings_of.push(Vec::new());
            }
            bindings_of[var as usize].push(id);
            let definite = !matches!(binding.kind, BindingKind::Walrus { .. });
            let deletion = matches!(binding.kind, BindingKind::Deletion);
            if let Some(stmt) = binding.stmt {
                items.push((
                    stmt,
                    self.bound_from(id),
                    1,
                    Item::Bind {
                        binding: id,
                        var,
                        definite,
                        deletion,
                    },
                ));
            }
            for &r in &binding.references {
                let reference = self.reference(r);
                match reference.stmt {
                    Some(stmt) if reference.scope == frame => {
                        items.push((stmt, reference.range.start(), 0, Item::Load(r, var)));
                    }
                    _ => closure_loads.push((var, r)),
                }
            }
        }
        items.sort_by_key(|(stmt, at, order, _)| (stmt.index(), *at, *order));
        let mut reach = Reach {
            model: self,
            frame,
            items: items
                .into_iter()
                .map(|(s, at, _, item)| (s, at, item))
                .collect(),
            state: Live(Some(vec![Vec::new(); bindings_of.len()])),
            loops: Vec::new(),
            breaks: HashMap::default(),
            tries: Vec::new(),
            reached: HashMap::default(),
        };
        self.walk_flow(body, &mut reach);
        let mut reached = reach.reached;
        for (var, r) in closure_loads {
            for &b in &bindings_of[var as usize] {
                reached.entry(b).or_default().push(r);
            }
        }
        for loads in reached.values_mut() {
            loads.sort_unstable();
            loads.dedup();
        }
        reached
    }

    /// Where a binding takes effect in its statement: after the whole
    /// statement for an assignment, a `def` or a `class` (their values,
    /// decorators and defaults are evaluated first), at the bound name
    /// otherwise (a walrus, a `with` or loop target, an import).
    fn bound_from(&self, id: BindingId) -> TextSize {
        let binding = self.binding(id);
        match (binding.kind, binding.stmt) {
            (
                BindingKind::Assignment { .. }
                | BindingKind::AugmentedAssignment { .. }
                | BindingKind::FunctionDef(_)
                | BindingKind::ClassDef(_),
                Some(stmt),
            ) => {
                let stmt = self.statement(stmt);
                if matches!(
                    stmt,
                    Stmt::Assign(_)
                        | Stmt::AnnAssign(_)
                        | Stmt::AugAssign(_)
                        | Stmt::FunctionDef(_)
                        | Stmt::ClassDef(_)
                ) {
                    stmt.end()
                } else {
                    binding.range.start()
                }
            }
            _ => binding.range.start(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Item {
    Load(ReferenceId, u32),
    Bind {
        binding: BindingId,
        var: u32,
        /// Replaces the values before it (a walrus may not run).
        definite: bool,
        /// `del x`: unbinds.
        deletion: bool,
    },
}

/// Per variable, the bindings whose value it may hold (sorted); `None`
/// where the code cannot run (after a `return`).
#[derive(Debug, Clone, PartialEq)]
struct Live(Option<Vec<Vec<BindingId>>>);

impl Live {
    fn join(&mut self, other: &Live) {
        let Some(other) = &other.0 else {
            return;
        };
        let Some(this) = &mut self.0 else {
            self.0 = Some(other.clone());
            return;
        };
        for (into, from) in this.iter_mut().zip(other) {
            for &b in from {
                if let Err(at) = into.binary_search(&b) {
                    into.insert(at, b);
                }
            }
        }
    }

    fn gen_(&mut self, var: u32, binding: BindingId) {
        if let Some(vars) = &mut self.0 {
            let set = &mut vars[var as usize];
            if let Err(at) = set.binary_search(&binding) {
                set.insert(at, binding);
            }
        }
    }

    fn kill(&mut self, var: u32) {
        if let Some(vars) = &mut self.0 {
            vars[var as usize].clear();
        }
    }
}

struct LoopFrame {
    stmt: StmtId,
    entry: Live,
    continued: Live,
}

struct TryFrame {
    stmt: StmtId,
    /// The state at the start and every value bound since: what a handler
    /// (or the `finally`, or the code after a `suppress`) may start from.
    any_point: Live,
    /// `any_point` at the end of the body: where handlers start.
    handlers_from: Live,
    body_end: Live,
    /// Where the handlers end.
    handlers_end: Live,
}

struct Reach<'m, 'a> {
    model: &'m SemanticModel<'a>,
    frame: ScopeId,
    /// Bindings and loads of the frame, by statement and position.
    items: Vec<(StmtId, TextSize, Item)>,
    state: Live,
    loops: Vec<LoopFrame>,
    breaks: HashMap<StmtId, Live>,
    tries: Vec<TryFrame>,
    reached: ReachMap,
}

impl Reach<'_, '_> {
    /// Runs the bindings and loads of `stmt` (within `range`, if given).
    fn run(&mut self, stmt: StmtId, range: Option<TextRange>) {
        let from = self.items.partition_point(|(s, _, _)| *s < stmt);
        let to = self.items.partition_point(|(s, _, _)| *s <= stmt);
        for index in from..to {
            let (_, at, item) = self.items[index];
            if range.is_some_and(|range| !(range.start() <= at && at < range.end())) {
                continue;
            }
            let Some(vars) = &self.state.0 else {
                return;
            };
            match item {
                Item::Load(r, var) => {
                    for &b in &vars[var as usize] {
                        self.reached.entry(b).or_default().push(r);
                    }
                }
                Item::Bind {
                    binding,
                    var,
                    definite,
                    deletion,
                } => {
                    if definite {
                        self.state.kill(var);
                    }
                    if !deletion {
                        self.state.gen_(var, binding);
                        for frame in &mut self.tries {
                            frame.any_point.gen_(var, binding);
                        }
                    }
                }
            }
        }
    }

    /// Unbinds every variable `stmt` binds within `range` (the name of an
    /// `except ... as e`, deleted at the end of its handler).
    fn unbind(&mut self, stmt: StmtId, range: TextRange) {
        let from = self.items.partition_point(|(s, _, _)| *s < stmt);
        let to = self.items.partition_point(|(s, _, _)| *s <= stmt);
        for index in from..to {
            if let (_, at, Item::Bind { var, .. }) = self.items[index]
                && range.start() <= at
                && at < range.end()
            {
                self.state.kill(var);
            }
        }
    }

    fn handler(&self, stmt: StmtId, index: usize) -> Option<&ast::ExceptHandlerExceptHandler> {
        let Stmt::Try(try_stmt) = self.model.statement(stmt) else {
            return None;
        };
        let ast::ExceptHandler::ExceptHandler(handler) = try_stmt.handlers.get(index)?;
        Some(handler)
    }

    /// A `with` whose context manager may swallow an exception of its body:
    /// `contextlib.suppress(...)`.
    fn suppresses(&self, stmt: StmtId) -> bool {
        let Stmt::With(with) = self.model.statement(stmt) else {
            return false;
        };
        let scope = self.model.scope_at(self.frame, with.start());
        with.items.iter().any(|item| {
            let ast::Expr::Call(call) = &item.context_expr else {
                return false;
            };
            self.model
                .resolve_qualified_name(&call.func, scope)
                .is_some_and(|name| name.segments() == ["contextlib", "suppress"])
        })
    }
}

impl<'a> FlowAnalysis<'a> for Reach<'_, 'a> {
    type State = Live;

    fn state(&mut self) -> &mut Live {
        &mut self.state
    }

    fn join(into: &mut Live, other: Live) {
        into.join(&other);
    }

    fn changed(before: &Live, after: &Live) -> bool {
        before != after
    }

    fn event(&mut self, event: FlowEvent<'a>) {
        match event {
            FlowEvent::Simple(id) => {
                self.run(id, None);
                match self.model.statement(id) {
                    Stmt::Return(_) | Stmt::Raise(_) => self.state.0 = None,
                    Stmt::Continue(_) => {
                        let state = std::mem::replace(&mut self.state, Live(None));
                        if let Some(frame) = self.loops.last_mut() {
                            frame.continued.join(&state);
                        }
                    }
                    Stmt::Break(_) => {
                        let state = std::mem::replace(&mut self.state, Live(None));
                        // The innermost loop whose body holds it (a loop's
                        // `else` is outside its frame already).
                        if let Some(frame) = self.loops.last() {
                            self.breaks
                                .entry(frame.stmt)
                                .or_insert(Live(None))
                                .join(&state);
                        }
                    }
                    _ => {}
                }
            }
            FlowEvent::Header(id, expr) => {
                let range = match self.model.statement(id) {
                    // Each item in turn: its `as` target is bound before
                    // the next item is evaluated.
                    Stmt::With(with) => with
                        .items
                        .iter()
                        .find(|item| item.context_expr.range() == expr.range())
                        .map_or(expr.range(), Ranged::range),
                    _ => expr.range(),
                };
                self.run(id, Some(range));
            }
            FlowEvent::EnterBlock(block) => match block.kind {
                BlockKind::LoopBody => {
                    self.loops.push(LoopFrame {
                        stmt: block.stmt,
                        entry: self.state.clone(),
                        continued: Live(None),
                    });
                    if let Stmt::For(for_stmt) = self.model.statement(block.stmt) {
                        self.run(block.stmt, Some(for_stmt.target.range()));
                    }
                }
                BlockKind::With if self.suppresses(block.stmt) => {
                    self.tries.push(TryFrame {
                        stmt: block.stmt,
                        any_point: self.state.clone(),
                        handlers_from: Live(None),
                        body_end: Live(None),
                        handlers_end: Live(None),
                    });
                }
                BlockKind::TryBody => {
                    self.tries.push(TryFrame {
                        stmt: block.stmt,
                        any_point: self.state.clone(),
                        handlers_from: Live(None),
                        body_end: Live(None),
                        handlers_end: Live(None),
                    });
                }
                BlockKind::Except => {
                    if let Some(frame) = self.tries.last() {
                        self.state = frame.handlers_from.clone();
                    }
                    if let Some(handler) = self.handler(block.stmt, block.index) {
                        let head = TextRange::new(
                            handler.start(),
                            handler.body.first().map_or(handler.end(), Ranged::start),
                        );
                        self.run(block.stmt, Some(head));
                    }
                }
                BlockKind::TryElse => {
                    if let Some(frame) = self.tries.last() {
                        self.state = frame.body_end.clone();
                    }
                }
                BlockKind::Finally => {
                    if !block.block.is_empty()
                        && let Some(frame) = self.tries.last()
                    {
                        let any = frame.any_point.clone();
                        self.state.join(&any);
                    }
                }
                BlockKind::MatchCase => {
                    if let Stmt::Match(match_stmt) = self.model.statement(block.stmt)
                        && let Some(case) = match_stmt.cases.get(block.index)
                    {
                        let end = case
                            .guard
                            .as_ref()
                            .map_or(case.pattern.end(), |guard| guard.end());
                        self.run(block.stmt, Some(TextRange::new(case.pattern.start(), end)));
                    }
                }
                _ => {}
            },
            FlowEvent::LeaveBlock(block) => match block.kind {
                BlockKind::LoopBody => {
                    if let Some(frame) = self.loops.pop() {
                        self.state.join(&frame.continued);
                        self.state.join(&frame.entry);
                    }
                    // The test runs again before each next iteration.
                    if let Stmt::While(while_stmt) = self.model.statement(block.stmt) {
                        self.run(block.stmt, Some(while_stmt.test.range()));
                    }
                }
                BlockKind::With => {
                    if self.tries.last().is_some_and(|f| f.stmt == block.stmt)
                        && let Some(frame) = self.tries.pop()
                    {
                        self.state.join(&frame.any_point);
                    }
                }
                BlockKind::TryBody => {
                    let state = self.state.clone();
                    if let Some(frame) = self.tries.last_mut() {
                        frame.body_end = state;
                        frame.handlers_from = frame.any_point.clone();
                    }
                }
                BlockKind::Except => {
                    if let Some(handler) = self.handler(block.stmt, block.index)
                        && let Some(name) = &handler.name
                    {
                        self.unbind(block.stmt, name.range);
                    }
                    let state = self.state.clone();
                    if let Some(frame) = self.tries.last_mut() {
                        frame.handlers_end.join(&state);
                    }
                }
                BlockKind::TryElse => {
                    if let Some(frame) = self.tries.last() {
                        let end = frame.handlers_end.clone();
                        self.state.join(&end);
                    }
                }
                BlockKind::Finally => {
                    self.tries.pop();
                }
                _ => {}
            },
            FlowEvent::Done(id) => {
                if let Some(broken) = self.breaks.remove(&id) {
                    self.state.join(&broken);
                }
            }
        }
    }
}
