//! Where the results of a gather go, and whether the code a reader sees
//! checks them on the way.
//!
//! The list is followed through names bound to it, slices and copies,
//! `(*results, *more)` displays, loops and comprehensions over it (directly,
//! through `enumerate`, `zip`, `dict(zip(...))` and `.items()`/`.values()` of
//! a dict built from it), indexing, unpacking, and into the functions of the
//! same module it (or an element) is passed to. Each element use is
//! classified: a check (`isinstance` against `Exception`/`BaseException`,
//! a `raise`, logging it at warning level or above), a partial check
//! (`isinstance` against some exception types only), a filter (`isinstance`
//! against an expected type, `is True`, `is not None` whose branch reports
//! the element), a neutral use (truth tests, formatting, `len`), or a value
//! flowing on (returned, passed on, attributes read, arithmetic...).

use std::collections::HashMap;
use std::rc::Rc;

use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::facts::{FunctionFacts, Site};
use crate::checker::Checker;
use crate::semantic::BindingKind;

/// What following one gather's results found.
#[derive(Default)]
pub(super) struct Outcome<'a> {
    /// An element is tested against `Exception`/`BaseException`, re-raised
    /// or logged as an error.
    pub checked: bool,
    /// Elements are filtered on an expected type or sentinel, so exceptions
    /// never flow on as values.
    pub filtered: bool,
    /// Exception types elements are tested against (when none of them is
    /// `Exception`/`BaseException`), as written.
    pub partial: Vec<String>,
    /// Where values flow on unchecked, in words ("is returned", "has its
    /// elements passed to `f`").
    pub values: Vec<String>,
    /// The `isinstance(element, T)` calls behind `partial`, where the code
    /// handles the failures it expects (the fix extends that handling).
    pub partial_tests: Vec<PartialTest<'a>>,
}

/// One `isinstance(element, T)` test for some exception types only.
#[derive(Clone)]
pub(super) struct PartialTest<'a> {
    /// The function the test is in (the gather's, or a helper's).
    pub scope: crate::semantic::ScopeId,
    /// The `isinstance(...)` call and where it is.
    pub call: Site<'a>,
    /// The element tested.
    pub element: &'a ast::ExprName,
    /// The class (or tuple of classes) tested.
    pub class: &'a Expr,
}

impl Outcome<'_> {
    fn partial(&mut self, name: String) {
        if !self.partial.contains(&name) {
            self.partial.push(name);
        }
    }

    fn value(&mut self, what: String) {
        if !self.values.contains(&what) {
            self.values.push(what);
        }
    }
}

/// What an expression evaluates to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    /// The result list (or a copy, a slice, a display containing it).
    List,
    /// A dict whose values are elements.
    Mapping,
    /// One element.
    Element,
    /// A tuple holding an element at this position (`enumerate`/`zip` items).
    Pair(usize),
}

const MAX_DEPTH: u8 = 4;

pub(super) struct Tracker<'c, 'a> {
    checker: &'c Checker<'a>,
    facts: HashMap<TextSize, Rc<FunctionFacts<'a>>>,
    pub outcome: Outcome<'a>,
    depth: u8,
    /// The function holding the gather.
    root: Option<TextSize>,
    /// Bindings already followed: (name start, kind).
    followed: Vec<(TextSize, u8)>,
}

fn held_code(held: Held) -> u8 {
    match held {
        Held::List => 0,
        Held::Mapping => 1,
        Held::Element => 2,
        Held::Pair(i) => 3 + i as u8,
    }
}

impl<'c, 'a> Tracker<'c, 'a> {
    pub fn new(checker: &'c Checker<'a>) -> Self {
        Self {
            checker,
            facts: HashMap::new(),
            outcome: Outcome::default(),
            depth: 0,
            root: None,
            followed: Vec::new(),
        }
    }

    /// Follows the result list evaluated at `site` in `def`.
    pub fn follow(&mut self, facts: Rc<FunctionFacts<'a>>, site: &Site<'a>) {
        let key = facts.def.start();
        self.facts.insert(key, facts);
        self.root = Some(key);
        self.held_at(key, site, Held::List);
    }

    fn facts(&self, key: TextSize) -> &FunctionFacts<'a> {
        &self.facts[&key]
    }

    fn function_name(&self, key: TextSize) -> &'a str {
        self.facts(key).def.name.id.as_str()
    }

    /// The value at `site` is `held`: look at what encloses it.
    fn held_at(&mut self, f: TextSize, site: &Site<'a>, held: Held) {
        let expr = site.expr;
        // Under `if isinstance(element, T):` (or `isinstance(...) and ...`)
        // the element is known to be a `T`: what the test classified.
        if held == Held::Element
            && let Expr::Name(name) = expr
            && narrowed(site, name.id.as_str())
        {
            return;
        }
        let is = |slot: &Expr| std::ptr::eq(slot, expr);
        let Some(parent) = site.parent() else {
            self.held_by_stmt(f, site, held);
            return;
        };
        match parent {
            Expr::Await(_) => {}
            Expr::Call(call) if is(&call.func) => self.value_use_in(f, held, "called".into()),
            Expr::Call(call) => self.argument(f, site, call, held),
            Expr::Starred(_) => {
                let Some(outer) = site.up(1) else { return };
                match outer.parent() {
                    Some(Expr::Tuple(_) | Expr::List(_) | Expr::Set(_)) if held == Held::List => {
                        if let Some(display) = outer.up(1) {
                            self.held_at(f, &display, Held::List);
                        }
                    }
                    Some(Expr::Call(call)) => self.argument(f, &outer, call, held),
                    _ => self.value_use_in(f, held, "unpacked".into()),
                }
            }
            Expr::Subscript(subscript) if is(&subscript.value) => {
                if subscript.ctx.is_store() || subscript.ctx.is_del() {
                    return;
                }
                let Some(up) = site.up(1) else { return };
                match held {
                    Held::List if subscript.slice.is_slice_expr() => {
                        self.held_at(f, &up, Held::List);
                    }
                    Held::List | Held::Mapping => self.held_at(f, &up, Held::Element),
                    Held::Pair(i) => {
                        if matches!(&*subscript.slice, Expr::NumberLiteral(n)
                            if n.value.as_int().and_then(|v| v.as_usize()) == Some(i))
                        {
                            self.held_at(f, &up, Held::Element);
                        }
                    }
                    Held::Element => self.value_use_in(f, held, "indexed".into()),
                }
            }
            Expr::Attribute(attribute) if is(&attribute.value) => {
                let method = attribute.attr.id.as_str();
                let Some(up) = site.up(1) else { return };
                match (held, method, up.parent()) {
                    (Held::Mapping, "values" | "items" | "get", Some(Expr::Call(call)))
                        if std::ptr::eq(&*call.func, up.expr) =>
                    {
                        let Some(call_site) = up.up(1) else { return };
                        match method {
                            "values" => self.held_at(f, &call_site, Held::List),
                            "items" => self.iterated_pairs(f, &call_site, 1),
                            _ => self.held_at(f, &call_site, Held::Element),
                        }
                    }
                    (Held::Mapping, "keys", _) => {}
                    (Held::List, "count" | "index" | "copy", _) => {}
                    (Held::Element, _, _) => {
                        self.value_use_in(f, held, format!("accessed through `.{method}`"));
                    }
                    _ => self.value_use_in(f, held, format!("accessed through `.{method}`")),
                }
            }
            Expr::ListComp(comp) if is(&comp.elt) => {
                if let Some(up) = site.up(1) {
                    self.held_at(f, &up, held_in_display(held));
                }
            }
            Expr::SetComp(comp) if is(&comp.elt) => {
                if let Some(up) = site.up(1) {
                    self.held_at(f, &up, held_in_display(held));
                }
            }
            Expr::Generator(comp) if is(&comp.elt) => {
                if let Some(up) = site.up(1) {
                    self.held_at(f, &up, held_in_display(held));
                }
            }
            Expr::DictComp(comp) if is(&comp.value) => {
                if held == Held::Element
                    && let Some(up) = site.up(1)
                {
                    self.held_at(f, &up, Held::Mapping);
                }
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                if let Some(generator) = generators.iter().find(|g| is(&g.iter)) {
                    self.iterated(f, &generator.target, parent.range(), held);
                }
            }
            Expr::Compare(compare) => self.compared(f, site, compare, held),
            // `a or results` evaluates to the list: follow the operator.
            Expr::BoolOp(_) => {
                if let Some(up) = site.up(1) {
                    self.held_at(f, &up, held);
                }
            }
            Expr::UnaryOp(_) | Expr::FString(_) | Expr::TString(_) => {}
            Expr::If(ternary) if is(&ternary.test) => {}
            Expr::If(_) => {
                if let Some(up) = site.up(1) {
                    self.held_at(f, &up, held);
                }
            }
            Expr::Named(_) => {
                if let Some(up) = site.up(1) {
                    self.held_at(f, &up, held);
                }
                // The walrus target is read like a name bound to the value.
                if let Expr::Named(named) = parent
                    && let Expr::Name(name) = &*named.target
                {
                    self.bound_name(f, name, held, None);
                }
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => self.value_use_in(f, held, "yielded".into()),
            Expr::BinOp(_) => self.value_use_in(f, held, "used in arithmetic".into()),
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) => {
                let returned = site.up(1).is_some_and(|display| {
                    display.ancestors.is_empty() && matches!(display.stmt(), Stmt::Return(_))
                });
                let how = if returned {
                    "returned"
                } else {
                    "stored in a container"
                };
                self.value_use_in(f, held, how.into());
            }
            _ => self.value_use_in(f, held, "used".into()),
        }
    }

    /// The value is a whole statement's value (or the statement tests it).
    fn held_by_stmt(&mut self, f: TextSize, site: &Site<'a>, held: Held) {
        let expr = site.expr;
        let is = |slot: &Expr| std::ptr::eq(slot, expr);
        match site.stmt() {
            Stmt::Expr(_) => {}
            Stmt::Return(_) => self.value_use_in(f, held, "returned".into()),
            Stmt::Assign(assign) if is(&assign.value) => {
                for target in &assign.targets {
                    self.assigned_to(f, target, held, None);
                }
            }
            Stmt::AnnAssign(assign) if assign.value.as_deref().is_some_and(is) => {
                self.assigned_to(f, &assign.target, held, None);
            }
            Stmt::AugAssign(_) => self.value_use_in(f, held, "added to another value".into()),
            Stmt::For(for_stmt) if is(&for_stmt.iter) => {
                self.iterated(f, &for_stmt.target, for_stmt.range(), held);
            }
            Stmt::Raise(_) => {
                if held == Held::Element {
                    self.outcome.checked = true;
                }
            }
            Stmt::If(_) | Stmt::While(_) | Stmt::Assert(_) | Stmt::Delete(_) => {}
            Stmt::With(_) => self.value_use_in(f, held, "used as a context manager".into()),
            _ => self.value_use_in(f, held, "used".into()),
        }
    }

    fn assigned_to(&mut self, f: TextSize, target: &'a Expr, held: Held, end: Option<TextRange>) {
        match target {
            Expr::Name(name) => self.bound_name(f, name, held, end),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. })
                if held == Held::List =>
            {
                for elt in elts {
                    match elt {
                        Expr::Name(name) => self.bound_name(f, name, Held::Element, end),
                        Expr::Starred(starred) => {
                            if let Expr::Name(name) = &*starred.value {
                                self.bound_name(f, name, Held::List, end);
                            }
                        }
                        _ => self.value_use_in(f, Held::Element, "stored".into()),
                    }
                }
            }
            Expr::Tuple(_) | Expr::List(_) => self.value_use_in(f, held, "unpacked".into()),
            _ => {
                let text = self.checker.text(target);
                self.value_use_in(f, held, format!("stored in `{text}`"));
            }
        }
    }

    /// `target` takes each item of a value that is `held`, within `extent`.
    fn iterated(&mut self, f: TextSize, target: &'a Expr, extent: TextRange, held: Held) {
        let item = match held {
            Held::List => Held::Element,
            // Iterating a dict gives its keys.
            Held::Mapping => return,
            Held::Element | Held::Pair(_) => {
                self.value_use_in(f, held, "iterated".into());
                return;
            }
        };
        match target {
            Expr::Name(name) => self.bound_name(f, name, item, Some(extent)),
            _ => self.value_use_in(f, item, "unpacked".into()),
        }
    }

    /// `site` is a call like `enumerate(x)` or `d.items()` whose items are
    /// tuples with an element at `position`: follow what iterates it.
    fn iterated_pairs(&mut self, f: TextSize, site: &Site<'a>, position: usize) {
        let Some(target) = self.iteration_target(f, site) else {
            match site.parent() {
                // `dict(zip(keys, results))`.
                Some(Expr::Call(call))
                    if position == 1
                        && self.is_builtin(f, &call.func, "dict")
                        && call.arguments.args.len() == 1 =>
                {
                    if let Some(up) = site.up(1) {
                        self.held_at(f, &up, Held::Mapping);
                    }
                }
                Some(Expr::Call(call))
                    if self.is_builtin(f, &call.func, "list")
                        || self.is_builtin(f, &call.func, "tuple") =>
                {
                    self.value_use_in(f, Held::List, "passed to `list`".into());
                }
                _ => self.value_use_in(f, Held::List, "zipped with other values".into()),
            }
            return;
        };
        let (target, extent) = target;
        match target {
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                if let Some(Expr::Name(name)) = elts.get(position) {
                    self.bound_name(f, name, Held::Element, Some(extent));
                }
            }
            Expr::Name(name) => {
                self.bound_name(f, name, Held::Pair(position), Some(extent));
            }
            _ => {}
        }
    }

    /// The loop or comprehension target iterating over `site`, and its extent.
    fn iteration_target(&self, f: TextSize, site: &Site<'a>) -> Option<(&'a Expr, TextRange)> {
        self.facts(f)
            .iterations
            .iter()
            .find(|it| std::ptr::eq(it.iter, site.expr))
            .map(|it| (it.target, it.extent))
    }

    fn is_builtin(&self, f: TextSize, func: &Expr, name: &str) -> bool {
        let scope = self.facts(f).scope;
        self.checker
            .semantic
            .resolve_qualified_name(func, scope)
            .is_some_and(|q| matches!(q.segments(), ["builtins", n] if *n == name))
    }

    /// The value at `site` is an argument of `call`.
    fn argument(&mut self, f: TextSize, site: &Site<'a>, call: &'a ast::ExprCall, held: Held) {
        let scope = self.facts(f).scope;
        let qualified = self
            .checker
            .semantic
            .resolve_qualified_name(&call.func, scope);
        let builtin = match qualified.as_ref().map(|q| q.segments()) {
            Some(["builtins", name]) => Some(*name),
            _ => None,
        };
        let Some(call_site) = site.up(1) else { return };
        let position = call.arguments.args.iter().position(|a| {
            std::ptr::eq(a, site.expr)
                || matches!(a, Expr::Starred(s) if std::ptr::eq(&*s.value, site.expr))
        });
        let keyword = call
            .arguments
            .keywords
            .iter()
            .find(|k| std::ptr::eq(&k.value, site.expr));
        // `exc_info=error`: a failure handed to logging.
        if held == Held::Element
            && keyword.is_some_and(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "exc_info"))
        {
            self.outcome.checked = true;
            return;
        }
        match (builtin, held) {
            (Some("isinstance"), Held::Element) if position == Some(0) => {
                let skips_rest = acts_only_on_matches(&call_site);
                if let Some(class) = call.arguments.args.get(1)
                    && self.classified(f, class, skips_rest)
                    && let Expr::Name(element) = site.expr
                {
                    self.outcome.partial_tests.push(PartialTest {
                        scope,
                        call: call_site,
                        element,
                        class,
                    });
                }
                return;
            }
            (Some("len" | "bool" | "id" | "repr" | "str" | "type" | "print" | "hash"), _) => {
                return;
            }
            (Some("enumerate"), Held::List) if position == Some(0) => {
                self.iterated_pairs(f, &call_site, 1);
                return;
            }
            (Some("zip"), Held::List) => {
                if let Some(position) = position {
                    self.iterated_pairs(f, &call_site, position);
                }
                return;
            }
            (Some("list" | "tuple" | "sorted" | "reversed" | "iter" | "set"), Held::List) => {
                self.held_at(f, &call_site, Held::List);
                return;
            }
            (Some("dict"), Held::Mapping) => {
                self.held_at(f, &call_site, Held::Mapping);
                return;
            }
            (Some("filter"), Held::List) => {
                if let Some(Expr::Lambda(lambda)) = call.arguments.args.first()
                    && self.lambda_checks(lambda)
                {
                    self.outcome.filtered = true;
                } else {
                    self.value_use_in(f, held, "passed to `filter`".into());
                }
                return;
            }
            _ => {}
        }
        match self.log_level(call) {
            // A failure reported at warning level or above.
            Some(true) if held == Held::Element => {
                self.outcome.checked = true;
                return;
            }
            // Logging the list, or an element at a low level, passes
            // nothing on.
            Some(_) => return,
            None => {}
        }
        if let Some((helper_key, parameter)) = self.helper_parameter(f, call, position, keyword) {
            self.follow_parameter(helper_key, parameter, held);
            return;
        }
        let callee = self.checker.text(&*call.func);
        let callee = if callee.len() > 40 { "a call" } else { callee };
        self.value_use_in(f, held, format!("passed to `{callee}`"));
    }

    /// `lambda r: isinstance(r, ...)` (or `not isinstance(...)`).
    fn lambda_checks(&self, lambda: &ast::ExprLambda) -> bool {
        let mut body = &*lambda.body;
        if let Expr::UnaryOp(unary) = body {
            body = &unary.operand;
        }
        matches!(body, Expr::Call(call) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "isinstance"))
    }

    /// For a logging call (`_LOGGER.warning(...)`, `logger.debug(...)`,
    /// `logging.error(...)`): whether it reports at warning level or above.
    fn log_level(&self, call: &ast::ExprCall) -> Option<bool> {
        let Expr::Attribute(attribute) = &*call.func else {
            return None;
        };
        let receiver = self.checker.text(&*attribute.value).to_ascii_lowercase();
        if !receiver.contains("log") {
            return None;
        }
        match attribute.attr.id.as_str() {
            "warning" | "warn" | "error" | "exception" | "critical" | "fatal" => Some(true),
            "debug" | "info" | "log" => Some(false),
            _ => None,
        }
    }

    /// Classifies the class tested by `isinstance(element, class)`; true
    /// when it is a test for some exception types only. A test for an
    /// expected type filters the failures out, unless `skips_rest`: the
    /// test only picks the elements to act on, and the others (the
    /// failures among them) are skipped without a trace.
    fn classified(&mut self, f: TextSize, class: &Expr, skips_rest: bool) -> bool {
        let scope = self.facts(f).scope;
        let classes: Vec<&Expr> = match class {
            Expr::Tuple(tuple) => tuple.elts.iter().collect(),
            other => vec![other],
        };
        let mut partial = Vec::new();
        let mut filter = false;
        for class in classes {
            let qualified = self.checker.semantic.resolve_qualified_name(class, scope);
            if qualified.is_some_and(|q| {
                matches!(q.segments(), ["builtins", "Exception" | "BaseException"])
            }) {
                self.outcome.checked = true;
                return false;
            }
            if is_exception_class(self.checker, class, scope, 0) {
                partial.push(self.checker.text(class).to_string());
            } else {
                filter = true;
            }
        }
        if filter && partial.is_empty() && !skips_rest {
            self.outcome.filtered = true;
        }
        let some_types = !partial.is_empty();
        for name in partial {
            self.outcome.partial(name);
        }
        some_types
    }

    /// `element is None`, `element is True`...
    fn compared(
        &mut self,
        f: TextSize,
        site: &Site<'a>,
        compare: &'a ast::ExprCompare,
        held: Held,
    ) {
        if held != Held::Element {
            return;
        }
        let [op] = &*compare.ops else { return };
        let [right] = &*compare.comparators else {
            return;
        };
        let other = if std::ptr::eq(&*compare.left, site.expr) {
            right
        } else {
            &compare.left
        };
        match (op, other) {
            // Exceptions are never `True`/`False`: only successes pass.
            (CmpOp::Is | CmpOp::Eq, Expr::BooleanLiteral(_)) => self.outcome.filtered = true,
            // `if result is not None: report(result)` when the awaitables
            // return None: the branch sees exactly the failures.
            (CmpOp::IsNot, Expr::NoneLiteral(_)) if self.branch_reports(f, site, compare) => {
                self.outcome.filtered = true;
            }
            _ => {}
        }
    }

    /// Whether the `if` tested by `compare` reports the element in its body
    /// (prints, logs or raises it).
    fn branch_reports(&self, f: TextSize, site: &Site<'a>, compare: &ast::ExprCompare) -> bool {
        let Stmt::If(if_stmt) = site.stmt() else {
            return false;
        };
        if !if_stmt.test.range().contains_range(compare.range()) {
            return false;
        }
        let Expr::Name(name) = site.expr else {
            return false;
        };
        let body = TextRange::new(
            if_stmt.body[0].start(),
            if_stmt.body[if_stmt.body.len() - 1].end(),
        );
        self.facts(f).loads_in(name.id.as_str(), body).any(|load| {
            matches!(load.parent(), Some(Expr::Call(_))) || matches!(load.stmt(), Stmt::Raise(_))
        })
    }

    /// A name bound to a value that is `held`: follow its reads until it is
    /// bound again (or until `end` for loop and comprehension targets).
    fn bound_name(
        &mut self,
        f: TextSize,
        name: &ast::ExprName,
        held: Held,
        within: Option<TextRange>,
    ) {
        self.bound(f, name.id.as_str(), name.range(), held, within);
    }

    /// `within`: the loop or comprehension a target is bound by (its reads
    /// are there, before the target in a comprehension).
    fn bound(
        &mut self,
        f: TextSize,
        id: &str,
        name: TextRange,
        held: Held,
        within: Option<TextRange>,
    ) {
        let code = held_code(held);
        if self.followed.contains(&(name.start(), code)) {
            return;
        }
        self.followed.push((name.start(), code));
        let facts = self.facts(f);
        let semantic = &self.checker.semantic;
        // The model knows which loads read this binding (comprehension
        // scopes included); the facts know what encloses each load. Reads
        // in nested functions run elsewhere and are not followed.
        let scope = semantic.scope_at(facts.scope, name.start());
        let reads: Vec<Site<'a>> = match semantic.binding_spanning(id, scope, name) {
            Some(binding) => {
                let references: Vec<_> = semantic.references_of(binding).collect();
                // Loads in lambdas are among the facts; those in nested
                // `def`s are not.
                let nested = references
                    .iter()
                    .any(|r| r.scope != facts.scope && facts.load_at(r.range.start()).is_none());
                let reads = references
                    .iter()
                    .filter_map(|r| facts.load_at(r.range.start()).cloned())
                    .collect();
                if nested {
                    self.value_use_in(f, held, "read in a nested function".into());
                }
                reads
            }
            None => {
                // The next binding: the first one after the name (by
                // binary search, issue 19).
                let after =
                    TextRange::new(name.start() + TextSize::from(1), TextSize::new(u32::MAX));
                let until = semantic
                    .bindings_in_scope_within(id, facts.scope, after)
                    .map(|b| b.range.start())
                    .next()
                    .map(|next| facts.assign_ends.get(&next).copied().unwrap_or(next));
                let range = match within {
                    Some(within) => TextRange::new(
                        within.start(),
                        until.map_or(within.end(), |u| u.min(within.end()).max(within.start())),
                    ),
                    None => {
                        TextRange::new(name.end(), until.unwrap_or(facts.def.end()).max(name.end()))
                    }
                };
                facts.loads_in(id, range).cloned().collect()
            }
        };
        for read in reads {
            self.held_at(f, &read, held);
        }
    }

    /// A function of this module `call` runs, and the parameter the value at
    /// argument `position` (or `keyword`) lands in.
    fn helper_parameter(
        &mut self,
        f: TextSize,
        call: &'a ast::ExprCall,
        position: Option<usize>,
        keyword: Option<&ast::Keyword>,
    ) -> Option<(TextSize, usize)> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let scope = self.facts(f).scope;
        let semantic = &self.checker.semantic;
        // `f(...)`, `self.m(...)`, `cls.m(...)`, `Foo.m(...)`, `obj.m(...)`.
        let (helper_scope, def) = semantic.resolve_callee(&call.func, scope)?;
        let decorated = |name: &str| {
            def.decorator_list
                .iter()
                .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == name))
        };
        // A method called on an instance, or a classmethod, gets its first
        // parameter from the receiver.
        let skip = match &*call.func {
            Expr::Attribute(attribute) if !decorated("staticmethod") => {
                let on_class = matches!(
                    semantic.type_of(&attribute.value, scope),
                    Some(crate::semantic::TypeFact::LocalClass(_))
                );
                usize::from(!on_class || decorated("classmethod"))
            }
            _ => 0,
        };
        let parameters: Vec<&ast::ParameterWithDefault> = def
            .parameters
            .posonlyargs
            .iter()
            .chain(&def.parameters.args)
            .collect();
        let index = match (position, keyword) {
            (Some(position), _) => position + skip,
            (None, Some(keyword)) => {
                let arg = keyword.arg.as_ref()?;
                parameters
                    .iter()
                    .chain(def.parameters.kwonlyargs.iter().collect::<Vec<_>>().iter())
                    .position(|p| p.parameter.name.id == arg.id)?
            }
            _ => return None,
        };
        let all: Vec<&ast::ParameterWithDefault> = parameters
            .into_iter()
            .chain(&def.parameters.kwonlyargs)
            .collect();
        all.get(index)?;
        let key = def.start();
        if !self.facts.contains_key(&key) {
            let facts = FunctionFacts::collect(self.checker, helper_scope, def);
            self.facts.insert(key, Rc::new(facts));
        }
        Some((key, index))
    }

    fn follow_parameter(&mut self, key: TextSize, index: usize, held: Held) {
        let def = self.facts(key).def;
        let parameter = def
            .parameters
            .posonlyargs
            .iter()
            .chain(&def.parameters.args)
            .chain(&def.parameters.kwonlyargs)
            .nth(index)
            .expect("the index was checked");
        self.depth += 1;
        self.bound(
            key,
            parameter.parameter.name.id.as_str(),
            parameter.parameter.name.range,
            held,
            None,
        );
        self.depth -= 1;
    }

    /// The value flows on in function `f`: `what` says how ("returned").
    fn value_use_in(&mut self, f: TextSize, held: Held, what: String) {
        let what = if Some(f) == self.root {
            what
        } else {
            format!("{what} in `{}`", self.function_name(f))
        };
        self.value_use(held, what);
    }

    fn value_use(&mut self, held: Held, what: String) {
        let what = match held {
            Held::Element | Held::Pair(_) => format!("has its elements {what}"),
            Held::List | Held::Mapping => format!("is {what}"),
        };
        self.outcome.value(what);
    }
}

fn held_in_display(held: Held) -> Held {
    match held {
        // `[r for r in results]` (possibly filtered) is a list of elements.
        Held::Element => Held::List,
        other => other,
    }
}

/// Whether `class` names an exception class: a builtin one, one defined in
/// this module deriving from an exception class, or (for imported names,
/// which cannot be followed) one named like an exception.
pub(super) fn is_exception_class(
    checker: &Checker,
    class: &Expr,
    scope: crate::semantic::ScopeId,
    depth: u8,
) -> bool {
    if depth > 6 {
        return false;
    }
    let last = match class {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.id.as_str(),
        _ => return false,
    };
    if let Expr::Name(name) = class
        && let Some(binding) = checker.semantic.resolve_name(last, scope, name.start())
        && let BindingKind::ClassDef(def) = binding.kind
    {
        return def.arguments.as_ref().is_some_and(|arguments| {
            arguments
                .args
                .iter()
                .any(|base| is_exception_class(checker, base, binding.scope, depth + 1))
        });
    }
    [
        "Error",
        "Exception",
        "Exit",
        "Interrupt",
        "Failed",
        "Failure",
        "Timeout",
        "Cancelled",
        "Warning",
        "Unavailable",
        "Denied",
        "Invalid",
    ]
    .iter()
    .any(|suffix| last.ends_with(suffix))
        || matches!(
            last,
            "StopIteration" | "StopAsyncIteration" | "GeneratorExit"
        )
}

/// Whether the `isinstance(...)` call at `site` is the test of an `if`
/// statement with no `elif` or `else` (alone, or as an operand of an `and`):
/// the statement acts on the elements of the type tested, and skips every
/// other element, the failures among them, without a trace
/// (`for r in results: if isinstance(r, Response): sent.update(r.users)`).
fn acts_only_on_matches(site: &Site) -> bool {
    let Stmt::If(if_stmt) = site.stmt() else {
        return false;
    };
    if !if_stmt.elif_else_clauses.is_empty() {
        return false;
    }
    match &*if_stmt.test {
        test if std::ptr::eq(test, site.expr) => true,
        Expr::BoolOp(bool_op) if bool_op.op == ast::BoolOp::And => {
            bool_op.values.iter().any(|v| std::ptr::eq(v, site.expr))
        }
        _ => false,
    }
}

/// Whether the read of `name` at `site` is guarded by an `isinstance(name,
/// ...)` test: in the body of an `if`/`elif` testing it, or after it in an
/// `and`.
fn narrowed(site: &Site, name: &str) -> bool {
    let read = site.expr.range();
    let enclosing = &site.stmts[..site.stmts.len() - 1];
    let in_if_body = enclosing.iter().any(|stmt| {
        let Stmt::If(if_stmt) = stmt else {
            return false;
        };
        let body_holds = |body: &[Stmt]| {
            body.first().zip(body.last()).is_some_and(|(first, last)| {
                TextRange::new(first.start(), last.end()).contains_range(read)
            })
        };
        (body_holds(&if_stmt.body) && tests_isinstance(&if_stmt.test, name))
            || if_stmt.elif_else_clauses.iter().any(|clause| {
                body_holds(&clause.body)
                    && clause
                        .test
                        .as_ref()
                        .is_some_and(|t| tests_isinstance(t, name))
            })
    });
    in_if_body
        || site.ancestors.iter().any(|ancestor| {
            let Expr::BoolOp(bool_op) = ancestor else {
                return false;
            };
            bool_op.op == ast::BoolOp::And
                && bool_op
                    .values
                    .iter()
                    .take_while(|v| !v.range().contains_range(read))
                    .any(|v| tests_isinstance(v, name))
        })
}

/// Whether `test` holds `isinstance(name, ...)` (not negated).
fn tests_isinstance(test: &Expr, name: &str) -> bool {
    match test {
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(f) if f.id.as_str() == "isinstance")
                && matches!(call.arguments.args.first(), Some(Expr::Name(n)) if n.id.as_str() == name)
        }
        Expr::BoolOp(bool_op) => bool_op.values.iter().any(|v| tests_isinstance(v, name)),
        Expr::Named(named) => tests_isinstance(&named.value, name),
        _ => false,
    }
}
