//! Coroutines that run alone on their event loop: a blocking call in them
//! stalls nothing else, so CS003 spares them unless told otherwise.
//!
//! The shapes recognised, all only when nothing they run starts concurrent
//! work (`gather`, `create_task`, a task group, `asyncio.wait`...):
//! - command callbacks of a CLI framework (Typer, Click, asyncclick,
//!   cyclopts, rich-click), registered with a decorator of the framework or
//!   of an application object the module builds (`app = cyclopts.App()`,
//!   `app: typer.Typer`, an instance of a subclass the module defines, a
//!   Click group function), or declared by their parameters
//!   (`Annotated[str, cyclopts.Parameter(...)]`, `typer.Option(...)`
//!   defaults: a callback registered by another module's application);
//! - `run`/`handle` of a class with a base named `...Command`, when no
//!   method of the class starts concurrent work;
//! - coroutines reached only from a script's entry point: `asyncio.run(...)`
//!   (or another loop runner) or `loop.run_until_complete(...)` under
//!   `if __name__ == "__main__":` or as a statement at module level (a
//!   script run on import), also under a module-level `if`/`elif`/`else`
//!   (a dispatch on parsed arguments), `try` or `with`, in a sync `main()`
//!   or in a sync CLI command, through functions of the module that
//!   nothing else refers to. Each entry point runs on a loop of its own, so
//!   the "starts no concurrent work" test is per entry: a Typer command
//!   that gathers leaves its sibling commands alone (what it reaches is
//!   left out, even when a sibling reaches it too);
//! - `async def`s nested in an alone coroutine that it only calls.
//!
//! Only a call reaches a function. One handed over as a value (a server's
//! handler, a callback) runs when and as often as its new owner decides,
//! so it never counts as alone. Signals left out on purpose, as chat bots
//! and servers share them with CLIs: a `commands/` folder, a `commands=[...]`
//! registration (bot frameworks register chat commands the same way), and
//! lifecycle names (start, stop, open, close: real findings run there).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::checker::Checker;
use crate::semantic::names::{NameSet, QualifiedName, QualifiedNameExt};
use crate::semantic::scope_walk::ScopeVisitor;
use crate::semantic::{BindingKind, ScopeId, ScopeKind};

/// Modules whose decorators and application classes register CLI commands.
const CLI_MODULES: &[&str] = &["typer", "click", "asyncclick", "cyclopts", "rich_click"];

/// Methods of an application object that register a command.
const REGISTERS: &[&str] = &["command", "callback", "group", "default", "result_callback"];

/// Calls that run coroutines concurrently.
static SPAWN_SET: LazyLock<NameSet> = LazyLock::new(|| NameSet::of(SPAWNS));

const SPAWNS: &[&str] = &[
    "asyncio.gather",
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.wait",
    "asyncio.as_completed",
    "asyncio.TaskGroup",
    "asyncio.run_coroutine_threadsafe",
    "anyio.create_task_group",
    "trio.open_nursery",
];
/// Methods that start concurrent tasks. A server's handlers run
/// concurrently too, but they are handed to it as values, and a function
/// handed over as a value is never taken to run alone (see `CallUses`).
const SPAWN_METHODS: &[&str] = &["create_task", "start_soon", "gather", "ensure_future"];

/// Functions that run a coroutine on a new event loop until it completes.
const LOOP_RUNNERS: &[&str] = &["asyncio.run", "anyio.run", "trio.run", "uvloop.run"];

/// Methods of command classes that run the command.
const COMMAND_METHODS: &[&str] = &["run", "handle"];

/// The async functions of the module that run alone on their loop.
pub fn alone_on_loop(checker: &Checker) -> HashSet<ScopeId> {
    let finder = Finder { checker };
    let uses = CallUses::of(checker);
    let graph = finder.graph(&uses);
    let mut alone = HashSet::new();
    for (scope, def) in checker.semantic.functions() {
        if !def.is_async {
            continue;
        }
        if finder.is_cli_command(def, scope) && !graph.spawns_from(scope) {
            alone.insert(scope);
        } else if let Some(class_scope) = finder.command_class_of(def, scope)
            && !finder.spawns_under(class_scope, &graph)
        {
            alone.insert(scope);
        }
    }
    alone.extend(graph.entry_only());
    finder.add_nested(&mut alone, &uses);
    alone
}

/// Whether any function of the module (methods and nested functions
/// included) starts concurrent work: `gather`, `create_task`, a task
/// group...
pub fn module_spawns(checker: &Checker) -> bool {
    let finder = Finder { checker };
    checker.semantic.functions().any(|(scope, def)| {
        let mut calls = Calls {
            finder: &finder,
            scope,
            spawns: false,
            runs_loop: false,
        };
        checker.semantic.walk_scope(&def.body, &mut calls);
        calls.spawns
    })
}

/// Where the module calls functions by name, and what it hands to a loop
/// runner (`anyio.run(main)`) or to argparse as a sub-command.
#[derive(Default)]
struct CallUses {
    /// The ranges of names that are the callee of a call: `f` in `f(x)`.
    callees: HashSet<TextRange>,
    /// The ranges of names passed to a loop runner (`main` in
    /// `anyio.run(main)`) or chosen as an argparse sub-command's function
    /// (`parser.set_defaults(func=run_init)`).
    runner_arguments: HashSet<TextRange>,
}

impl CallUses {
    fn of(checker: &Checker) -> Self {
        struct Walk<'c, 'a> {
            checker: &'c Checker<'a>,
            uses: CallUses,
        }
        impl<'a> ruff_python_ast::visitor::Visitor<'a> for Walk<'_, 'a> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                if let Expr::Call(call) = expr {
                    if let Expr::Name(name) = &*call.func {
                        self.uses.callees.insert(name.range);
                    }
                    // argparse's sub-command dispatch: the program calls the
                    // chosen `args.func(...)` once.
                    if matches!(&*call.func, Expr::Attribute(attr) if attr.attr.id.as_str() == "set_defaults")
                    {
                        for keyword in &call.arguments.keywords {
                            if let Expr::Name(name) = &keyword.value {
                                self.uses.runner_arguments.insert(name.range);
                            }
                        }
                    }
                    if let Some(Expr::Name(first)) = call.arguments.args.first()
                        && self
                            .checker
                            .semantic
                            .resolve_qualified_name(&call.func, ScopeId::MODULE)
                            .is_some_and(|q| LOOP_RUNNERS.iter().any(|r| q.is(r)))
                    {
                        self.uses.runner_arguments.insert(first.range);
                    }
                }
                ruff_python_ast::visitor::walk_expr(self, expr);
            }
        }
        let mut walk = Walk {
            checker,
            uses: CallUses::default(),
        };
        ruff_python_ast::visitor::Visitor::visit_body(&mut walk, checker.body());
        walk.uses
    }

    /// Whether a reference to a function runs it here (a call), rather than
    /// handing it to someone else who may run it any number of times, at
    /// once (a callback, a handler registered with a server).
    fn runs(&self, reference: TextRange) -> bool {
        self.callees.contains(&reference) || self.runner_arguments.contains(&reference)
    }
}

struct Finder<'c, 'a> {
    checker: &'c Checker<'a>,
}

/// Module-level functions and who refers to them.
struct Graph {
    /// Module-level function scopes.
    functions: Vec<ScopeId>,
    /// function -> the places that refer to it.
    referrers: HashMap<ScopeId, Vec<Place>>,
    /// function -> the functions it refers to.
    refers_to: HashMap<ScopeId, Vec<ScopeId>>,
    /// Functions that call `asyncio.run(...)` and are entry points.
    roots: Vec<ScopeId>,
    /// Functions that start concurrent work themselves.
    spawning: HashSet<ScopeId>,
    /// Whether the main blocks start concurrent work themselves: then the
    /// functions they run share one loop and count as one entry.
    main_spawns: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Inside a module-level function (or something nested in it).
    In(ScopeId),
    /// Under `if __name__ == "__main__":`.
    MainBlock,
    /// Anywhere else (module level, a class body, a method).
    Elsewhere,
}

impl Graph {
    /// Whether `start`, or a function it refers to (transitively), starts
    /// concurrent work.
    fn spawns_from(&self, start: ScopeId) -> bool {
        let mut seen = HashSet::from([start]);
        let mut stack = vec![start];
        while let Some(current) = stack.pop() {
            if self.spawning.contains(&current) {
                return true;
            }
            for &next in self.refers_to.get(&current).into_iter().flatten() {
                if seen.insert(next) {
                    stack.push(next);
                }
            }
        }
        false
    }

    /// The functions reached only from entry points, when none of them
    /// starts concurrent work.
    fn entry_only(&self) -> Vec<ScopeId> {
        let starts: Vec<ScopeId> = self
            .functions
            .iter()
            .copied()
            .filter(|f| {
                self.roots.contains(f)
                    || self
                        .referrers
                        .get(f)
                        .is_some_and(|r| r.contains(&Place::MainBlock))
            })
            .collect();
        if starts.is_empty() {
            return Vec::new();
        }
        // The largest set whose members are referred to only from members
        // (or the main block); entry points belong to it by definition.
        let mut set: HashSet<ScopeId> = self.functions.iter().copied().collect();
        loop {
            let before = set.len();
            let current = set.clone();
            set.retain(|f| {
                self.roots.contains(f)
                    || self
                        .referrers
                        .get(f)
                        .into_iter()
                        .flatten()
                        .all(|place| match place {
                            Place::In(g) => current.contains(g),
                            Place::MainBlock => true,
                            Place::Elsewhere => false,
                        })
            });
            if set.len() == before {
                break;
            }
        }
        // ...and reachable from an entry point whose run starts no
        // concurrent work. Each entry runs on its own loop (one Typer
        // command per invocation), so a command that gathers does not make
        // its sibling commands share their loop; what a gathering entry
        // reaches may run concurrently and is left out, even when another
        // entry reaches it too.
        let mut entries: Vec<Vec<ScopeId>> = Vec::new();
        let mut from_main: Vec<ScopeId> = Vec::new();
        for start in starts.into_iter().filter(|s| set.contains(s)) {
            if self.main_spawns && !self.roots.contains(&start) {
                from_main.push(start);
            } else {
                entries.push(vec![start]);
            }
        }
        entries.push(from_main);
        let mut alone: HashSet<ScopeId> = HashSet::new();
        let mut shared: HashSet<ScopeId> = HashSet::new();
        for entry in entries {
            let mut reached = HashSet::new();
            for start in entry {
                reached.extend(self.reach_within(start, &set));
            }
            if reached.iter().any(|f| self.spawning.contains(f)) {
                shared.extend(reached);
            } else {
                alone.extend(reached);
            }
        }
        alone.retain(|f| !shared.contains(f));
        alone.into_iter().collect()
    }

    /// The functions of `set` that `start` refers to, transitively, through
    /// functions of `set` (`start` included).
    fn reach_within(&self, start: ScopeId, set: &HashSet<ScopeId>) -> HashSet<ScopeId> {
        let mut reached = HashSet::from([start]);
        let mut stack = vec![start];
        while let Some(current) = stack.pop() {
            for &next in self.refers_to.get(&current).into_iter().flatten() {
                if set.contains(&next) && reached.insert(next) {
                    stack.push(next);
                }
            }
        }
        reached
    }
}

impl<'a> Finder<'_, 'a> {
    fn graph(&self, uses: &CallUses) -> Graph {
        let semantic = &self.checker.semantic;
        let mut main_blocks = main_blocks(self.checker.body());
        // Whether the main blocks start concurrent work themselves
        // (`loop.create_task(a()); loop.run_until_complete(b())`): then
        // what they run shares one loop.
        let main_spawns = self
            .checker
            .body()
            .iter()
            .filter(|stmt| main_blocks.iter().any(|b| b.contains_range(stmt.range())))
            .any(|stmt| {
                let mut calls = Calls {
                    finder: self,
                    scope: ScopeId::MODULE,
                    spawns: false,
                    runs_loop: false,
                };
                semantic.walk_scope(std::slice::from_ref(stmt), &mut calls);
                calls.spawns
            });
        // A loop runner called at module level (`asyncio.run(main())` as a
        // statement of a script, or under a module-level `if` on the
        // parsed arguments): what it runs is the module's entry point.
        let mut runner_statements = Vec::new();
        self.module_runner_statements(self.checker.body(), &mut runner_statements);
        main_blocks.extend(runner_statements);
        let mut functions = Vec::new();
        let mut by_start: HashMap<TextSize, ScopeId> = HashMap::new();
        let mut spawning = HashSet::new();
        let mut roots = Vec::new();
        for (scope, def) in semantic.functions() {
            if semantic.scope(scope).parent != Some(ScopeId::MODULE) {
                continue;
            }
            functions.push(scope);
            by_start.insert(def.start(), scope);
            let mut calls = Calls {
                finder: self,
                scope,
                spawns: false,
                runs_loop: false,
            };
            semantic.walk_scope(&def.body, &mut calls);
            if calls.spawns {
                spawning.insert(scope);
            }
            // A sync `main()` (a console script's entry point) or a sync CLI
            // command that runs the coroutines on a loop of its own.
            if calls.runs_loop
                && !def.is_async
                && (def.name.id.as_str() == "main" || self.is_cli_command(def, scope))
            {
                roots.push(scope);
            }
        }
        // Functions nested in a module-level one spawn on its behalf.
        for (scope, def) in semantic.functions() {
            if let Some(top) = self.top_function(scope)
                && top != scope
            {
                let mut calls = Calls {
                    finder: self,
                    scope,
                    spawns: false,
                    runs_loop: false,
                };
                semantic.walk_scope(&def.body, &mut calls);
                if calls.spawns {
                    spawning.insert(top);
                }
            }
        }
        let mut referrers: HashMap<ScopeId, Vec<Place>> = HashMap::new();
        let mut refers_to: HashMap<ScopeId, Vec<ScopeId>> = HashMap::new();
        for reference in semantic.references() {
            let Some(binding) =
                semantic.resolve_name(reference.name, reference.scope, reference.range.start())
            else {
                continue;
            };
            let BindingKind::FunctionDef(def) = binding.kind else {
                continue;
            };
            let Some(&target) = by_start.get(&def.start()) else {
                continue;
            };
            let place = match self.top_function(reference.scope) {
                // A function handed over as a value (a callback, a handler)
                // runs whenever and as often as its new owner decides.
                _ if !uses.runs(reference.range) => Place::Elsewhere,
                Some(top) => Place::In(top),
                None if main_blocks
                    .iter()
                    .any(|b| b.contains_range(reference.range)) =>
                {
                    Place::MainBlock
                }
                None => Place::Elsewhere,
            };
            referrers.entry(target).or_default().push(place);
            if let Place::In(from) = place {
                refers_to.entry(from).or_default().push(target);
            }
        }
        Graph {
            functions,
            referrers,
            refers_to,
            roots,
            spawning,
            main_spawns,
        }
    }

    /// The statements run once at module level (directly, or under a
    /// module-level `if`/`elif`/`else`, `try` or `with`, which still run
    /// at most once, on import) that run a coroutine on a new loop:
    /// `asyncio.run(main())` or `result = loop.run_until_complete(main())`.
    fn module_runner_statements(&self, body: &'a [Stmt], out: &mut Vec<TextRange>) {
        for stmt in body {
            match stmt {
                Stmt::Expr(ast::StmtExpr { value, .. }) if self.runs_loop(value) => {
                    out.push(stmt.range());
                }
                Stmt::Assign(ast::StmtAssign { value, .. }) if self.runs_loop(value) => {
                    out.push(stmt.range());
                }
                Stmt::If(if_stmt) => {
                    self.module_runner_statements(&if_stmt.body, out);
                    for clause in &if_stmt.elif_else_clauses {
                        self.module_runner_statements(&clause.body, out);
                    }
                }
                Stmt::Try(try_stmt) => {
                    self.module_runner_statements(&try_stmt.body, out);
                    for handler in &try_stmt.handlers {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        self.module_runner_statements(&handler.body, out);
                    }
                    self.module_runner_statements(&try_stmt.orelse, out);
                    self.module_runner_statements(&try_stmt.finalbody, out);
                }
                Stmt::With(with_stmt) => self.module_runner_statements(&with_stmt.body, out),
                _ => {}
            }
        }
    }

    /// Whether an expression is a call of a loop runner (`asyncio.run`,
    /// `anyio.run`...) or of `run_until_complete`.
    fn runs_loop(&self, expr: &Expr) -> bool {
        let Expr::Call(call) = expr else {
            return false;
        };
        self.checker
            .semantic
            .resolve_qualified_name(&call.func, ScopeId::MODULE)
            .is_some_and(|q| LOOP_RUNNERS.iter().any(|r| q.is(r)))
            || matches!(&*call.func, Expr::Attribute(a) if a.attr.id.as_str() == "run_until_complete")
    }

    /// The module-level function a scope is (or is nested in); `None` for
    /// the module itself and for classes and their methods.
    fn top_function(&self, scope: ScopeId) -> Option<ScopeId> {
        let semantic = &self.checker.semantic;
        let mut current = scope;
        loop {
            let s = semantic.scope(current);
            match s.parent {
                None => return None,
                Some(ScopeId::MODULE) => {
                    return matches!(s.kind, ScopeKind::Function(_)).then_some(current);
                }
                Some(parent) => current = parent,
            }
        }
    }

    /// The class of a command method: `run` or `handle` of a class with a
    /// base named `...Command` (faust's `AppCommand`, Django's
    /// `BaseCommand`, cleo's `Command`), which a command-line runner calls
    /// once per invocation.
    fn command_class_of(&self, def: &ast::StmtFunctionDef, scope: ScopeId) -> Option<ScopeId> {
        if !COMMAND_METHODS.contains(&def.name.id.as_str()) {
            return None;
        }
        let semantic = &self.checker.semantic;
        let class_scope = semantic.scope(scope).parent?;
        let ScopeKind::Class(class) = semantic.scope(class_scope).kind else {
            return None;
        };
        let is_command = |base: &Expr| {
            let name = match base {
                Expr::Name(name) => name.id.as_str(),
                Expr::Attribute(attr) => attr.attr.id.as_str(),
                _ => return false,
            };
            name.ends_with("Command")
        };
        class
            .arguments
            .as_ref()?
            .args
            .iter()
            .any(is_command)
            .then_some(class_scope)
    }

    /// Whether code under `scope` (a class's methods and the functions nested
    /// in them), or a module-level function it refers to, starts concurrent
    /// work.
    fn spawns_under(&self, scope: ScopeId, graph: &Graph) -> bool {
        let semantic = &self.checker.semantic;
        let under = |mut s: ScopeId| loop {
            if s == scope {
                return true;
            }
            match semantic.scope(s).parent {
                Some(parent) => s = parent,
                None => return false,
            }
        };
        for (inner, def) in semantic.functions() {
            if !under(inner) {
                continue;
            }
            let mut calls = Calls {
                finder: self,
                scope: inner,
                spawns: false,
                runs_loop: false,
            };
            semantic.walk_scope(&def.body, &mut calls);
            if calls.spawns {
                return true;
            }
        }
        semantic.references().iter().any(|reference| {
            under(reference.scope)
                && semantic
                    .resolve_name(reference.name, reference.scope, reference.range.start())
                    .and_then(|binding| match binding.kind {
                        BindingKind::FunctionDef(def) => semantic.function_scope(def),
                        _ => None,
                    })
                    .is_some_and(|target| {
                        graph.functions.contains(&target) && graph.spawns_from(target)
                    })
        })
    }

    /// Adds the functions nested in an alone function (at any depth) that
    /// are only ever called, by name, in it: they run as part of it.
    /// Decorated ones, and ones handed over as values (a server's handler),
    /// are not added.
    fn add_nested(&self, alone: &mut HashSet<ScopeId>, uses: &CallUses) {
        let semantic = &self.checker.semantic;
        loop {
            let before = alone.len();
            for (scope, def) in semantic.functions() {
                if alone.contains(&scope) || !def.decorator_list.is_empty() {
                    continue;
                }
                let Some(parent) = semantic.scope(scope).parent else {
                    continue;
                };
                if !alone.contains(&parent) {
                    continue;
                }
                let mut references = semantic
                    .references_to(def.name.id.as_str(), parent)
                    .peekable();
                let only_called = references.peek().is_some()
                    && references.all(|r| {
                        uses.runs(r.range)
                            && semantic
                                .resolve_name(r.name, r.scope, r.range.start())
                                .is_some_and(|b| {
                                    matches!(b.kind, BindingKind::FunctionDef(d) if d.range() == def.range())
                                })
                    });
                if only_called {
                    alone.insert(scope);
                }
            }
            if alone.len() == before {
                break;
            }
        }
    }

    /// Whether a decorator of `def` registers it as a CLI command.
    fn is_cli_command(&self, def: &'a ast::StmtFunctionDef, scope: ScopeId) -> bool {
        let outer = self
            .checker
            .semantic
            .scope(scope)
            .parent
            .unwrap_or(ScopeId::MODULE);
        def.decorator_list
            .iter()
            .any(|d| self.is_cli_decorator(&d.expression, outer))
            || self.declares_cli_parameters(def, outer)
    }

    /// Whether a parameter of `def` is declared as a command-line option or
    /// argument of a CLI framework: `Annotated[str, cyclopts.Parameter(...)]`,
    /// `Annotated[int, typer.Option(...)]` or a `typer.Argument(...)`
    /// default. Such a function is a command callback wherever it is
    /// registered (often by the application object of another module).
    fn declares_cli_parameters(&self, def: &'a ast::StmtFunctionDef, outer: ScopeId) -> bool {
        let semantic = &self.checker.semantic;
        let is_cli_call = |expr: &Expr| match expr {
            Expr::Call(call) => semantic
                .resolve_qualified_name(&call.func, outer)
                .is_some_and(|q| is_cli_name(&q)),
            _ => false,
        };
        def.parameters.iter().any(|parameter| {
            let annotated = parameter.annotation().is_some_and(|annotation| {
                let Expr::Subscript(subscript) = annotation else {
                    return false;
                };
                let Expr::Tuple(items) = &*subscript.slice else {
                    return false;
                };
                semantic
                    .resolve_qualified_name(&subscript.value, outer)
                    .is_some_and(|q| {
                        q.is_any_of(&["typing.Annotated", "typing_extensions.Annotated"])
                    })
                    && items.elts.iter().skip(1).any(is_cli_call)
            });
            annotated || parameter.default().is_some_and(is_cli_call)
        })
    }

    fn is_cli_decorator(&self, expr: &'a Expr, scope: ScopeId) -> bool {
        let target = match expr {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        if let Some(qualified) = self.checker.semantic.resolve_qualified_name(target, scope)
            && is_cli_name(&qualified)
        {
            return true;
        }
        match target {
            Expr::Attribute(attr) if REGISTERS.contains(&attr.attr.id.as_str()) => {
                self.is_cli_app(&attr.value, scope, 0)
            }
            _ => false,
        }
    }

    /// Whether an expression is a CLI application object.
    fn is_cli_app(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
        if depth > 6 {
            return false;
        }
        let semantic = &self.checker.semantic;
        match expr {
            // cyclopts: `@app.meta.default`.
            Expr::Attribute(attr) if attr.attr.id.as_str() == "meta" => {
                self.is_cli_app(&attr.value, scope, depth + 1)
            }
            Expr::Call(call) => self.is_cli_class(&call.func, scope, depth + 1),
            Expr::Name(name) => {
                let Some(binding) = semantic.resolve_name(name.id.as_str(), scope, name.start())
                else {
                    return false;
                };
                if let Some(annotation) = binding.annotation
                    && self.is_cli_class(annotation, binding.scope, depth + 1)
                {
                    return true;
                }
                match binding.kind {
                    BindingKind::Assignment { value: Some(value) } => {
                        self.is_cli_app(value, binding.scope, depth + 1)
                    }
                    // A Click group function: `@click.group() def cli(): ...`.
                    BindingKind::FunctionDef(def) => def
                        .decorator_list
                        .iter()
                        .any(|d| self.is_cli_decorator(&d.expression, binding.scope)),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether a class is a CLI framework's, or a subclass of one the module
    /// defines.
    fn is_cli_class(&self, expr: &'a Expr, scope: ScopeId, depth: u8) -> bool {
        if depth > 6 {
            return false;
        }
        let semantic = &self.checker.semantic;
        if let Some(qualified) = semantic.resolve_qualified_name(expr, scope)
            && is_cli_name(&qualified)
        {
            return true;
        }
        let Expr::Name(name) = expr else {
            return false;
        };
        let Some(binding) = semantic.resolve_name(name.id.as_str(), scope, name.start()) else {
            return false;
        };
        let BindingKind::ClassDef(class) = binding.kind else {
            return false;
        };
        class.arguments.as_ref().is_some_and(|arguments| {
            arguments
                .args
                .iter()
                .any(|base| self.is_cli_class(base, binding.scope, depth + 1))
        })
    }
}

fn is_cli_name(qualified: &QualifiedName) -> bool {
    CLI_MODULES.iter().any(|module| qualified.in_module(module))
}

/// The `if __name__ == "__main__":` blocks at module level.
fn main_blocks(body: &[Stmt]) -> Vec<TextRange> {
    body.iter()
        .filter_map(|stmt| {
            let Stmt::If(if_stmt) = stmt else { return None };
            let Expr::Compare(compare) = &*if_stmt.test else {
                return None;
            };
            let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
            let is_main =
                |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "__main__");
            let [right] = &compare.comparators[..] else {
                return None;
            };
            ((is_name(&compare.left) && is_main(right))
                || (is_main(&compare.left) && is_name(right)))
            .then_some(if_stmt.range())
        })
        .collect()
}

/// Finds, in one function, calls that start concurrent work and calls that
/// run an event loop.
struct Calls<'f, 'c, 'a> {
    finder: &'f Finder<'c, 'a>,
    scope: ScopeId,
    spawns: bool,
    runs_loop: bool,
}

impl<'a> ScopeVisitor<'a> for Calls<'_, '_, 'a> {
    fn expr(&mut self, expr: &'a Expr) {
        let Expr::Call(call) = expr else { return };
        let qualified = self
            .finder
            .checker
            .semantic
            .resolve_qualified_name(&call.func, self.scope);
        match qualified.as_ref().map(|q| (q, q.segments())) {
            Some((q, _)) if SPAWN_SET.contains(q) => self.spawns = true,
            Some((q, _)) if LOOP_RUNNERS.iter().any(|r| q.is(r)) => self.runs_loop = true,
            _ => {
                if let Expr::Attribute(attr) = &*call.func {
                    let method = attr.attr.id.as_str();
                    if SPAWN_METHODS.contains(&method) {
                        self.spawns = true;
                    } else if method == "run_until_complete" {
                        self.runs_loop = true;
                    }
                }
            }
        }
    }
}
