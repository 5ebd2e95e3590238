//! The fix for results the code already handles in part (it tests some
//! exception types): extend that handling to the other failures, where the
//! code tests the elements, instead of adding a loop of its own.
//!
//! - A chain of `if isinstance(result, T):` statements (in the loop over the
//!   results, or on an element taken from them): when the last tested branch
//!   treats the element as a whole (logs it, wraps it in another exception)
//!   its test is widened to `Exception`; otherwise an
//!   `elif isinstance(result, Exception):` (an `if` after separate tests)
//!   follows the chain and does what the chain does: raises the way its last
//!   raising branch does (`from result`), or logs with the logger and at the
//!   level the chain uses, and marks the failure where a branch marks one
//!   (`status[key] = False` in a loop over `status.items()`).
//! - An `isinstance(result, T)` test in an expression (`sum(isinstance(r,
//!   (A, B)) for r in results)`, an `or` of tests): the test is widened to
//!   `Exception`, or, when some types count only under a condition
//!   (`isinstance(r, C) and r.code != 1`), the other failures are added as
//!   one more operand that leaves those types to their condition.
//!
//! Types whose branch lets the element go on to the tests after it are left
//! out of the new test (`and not isinstance(result, T)`), so nothing the
//! code handles already is handled twice.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_source_file::LineRanges;
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::flow::PartialTest;
use crate::checker::Checker;
use crate::diagnostic::CodeFix;
use crate::semantic::ScopeId;
use crate::semantic::uses::{NameUse, NameUseKind, uses_in};

/// The line length the inserted lines try to keep to (Black's and Ruff's
/// default).
const MAX_WIDTH: usize = 88;

/// `values_flow`: the results also flow on as values (the fix then changes
/// what they hold, so it is never safe).
pub(super) fn fix(checker: &Checker, tests: &[PartialTest], values_flow: bool) -> Option<CodeFix> {
    // The tests, by the place that handles the results: one block of `if`
    // statements, or one expression. Each place is extended.
    let mut places: Vec<(usize, Vec<PartialTest>)> = Vec::new();
    for test in tests {
        let key = place_key(checker, test)?;
        match places.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(test.clone()),
            None => places.push((key, vec![test.clone()])),
        }
    }
    let mut edits = Vec::new();
    let mut safe = true;
    let mut title = None;
    for (_, group) in &places {
        let fix = extend(checker, group, values_flow)?;
        safe &= fix.is_safe();
        title.get_or_insert(fix.title.clone());
        edits.extend(fix.edits);
    }
    let title = if places.len() > 1 {
        "Handle the other failures where the expected ones are handled".to_string()
    } else {
        title?
    };
    Some(if safe {
        CodeFix::safe(title, edits)
    } else {
        CodeFix::unsafe_(title, edits)
    })
}

/// An address for the place a test belongs to: the block of its `if`, or
/// the `or` it is an operand of (or the test itself).
fn place_key(checker: &Checker, test: &PartialTest) -> Option<usize> {
    if statement_test(test).is_some() {
        let id = checker.semantic.statement_id(test.call.stmt())?;
        return Some(checker.semantic.block_of(id).0.as_ptr() as usize);
    }
    let or = test
        .call
        .ancestors
        .iter()
        .rev()
        .take(2)
        .find_map(|a| match a {
            Expr::BoolOp(op) if op.op == ast::BoolOp::Or => Some(*a),
            _ => None,
        });
    Some(or.unwrap_or(test.call.expr) as *const Expr as usize)
}

/// Extends one place.
fn extend(checker: &Checker, tests: &[PartialTest], values_flow: bool) -> Option<CodeFix> {
    let first = tests.first()?;
    let element = first.element.id.as_str();
    if tests
        .iter()
        .any(|t| t.element.id.as_str() != element || t.scope != first.scope)
    {
        return None;
    }
    // The fix relies on the builtins where the tests are.
    if ["isinstance", "Exception"].iter().any(|b| {
        checker
            .semantic
            .resolve_name(b, first.scope, first.call.expr.start())
            .is_some()
    }) {
        return None;
    }
    if tests.iter().all(|t| statement_test(t).is_some()) {
        in_statements(checker, tests, values_flow)
    } else {
        in_expression(checker, tests)
    }
}

/// The `if` whose test (or `elif` test number `clause`, from 1) the test is:
/// `isinstance(...)` alone, or the first operand of an `and`.
fn statement_test<'a>(test: &PartialTest<'a>) -> Option<(&'a ast::StmtIf, usize)> {
    let top = match test.call.ancestors.as_slice() {
        [] => test.call.expr,
        [Expr::BoolOp(and)]
            if and.op == ast::BoolOp::And
                && and
                    .values
                    .first()
                    .is_some_and(|v| std::ptr::eq(v, test.call.expr)) =>
        {
            test.call.ancestors[0]
        }
        _ => return None,
    };
    let Stmt::If(if_stmt) = test.call.stmt() else {
        return None;
    };
    if std::ptr::eq(&*if_stmt.test, top) {
        return Some((if_stmt, 0));
    }
    if_stmt
        .elif_else_clauses
        .iter()
        .position(|c| c.test.as_ref().is_some_and(|t| std::ptr::eq(t, top)))
        .map(|i| (if_stmt, i + 1))
}

fn clause_body(if_stmt: &ast::StmtIf, clause: usize) -> &[Stmt] {
    if clause == 0 {
        &if_stmt.body
    } else {
        &if_stmt.elif_else_clauses[clause - 1].body
    }
}

/// Whether a branch ends by leaving (the element goes to no later test).
fn jumps(body: &[Stmt]) -> bool {
    matches!(
        body.last(),
        Some(Stmt::Raise(_) | Stmt::Return(_) | Stmt::Continue(_) | Stmt::Break(_))
    )
}

/// `isinstance(element, Exception)`, leaving out `excluded` types.
fn exception_test(element: &str, excluded: &[&str]) -> String {
    match excluded {
        [] => format!("isinstance({element}, Exception)"),
        [one] => format!("isinstance({element}, Exception) and not isinstance({element}, {one})"),
        many => format!(
            "isinstance({element}, Exception) and not isinstance({element}, ({}))",
            many.join(", ")
        ),
    }
}

/// The tests are `if` statements of one block.
fn in_statements(checker: &Checker, tests: &[PartialTest], values_flow: bool) -> Option<CodeFix> {
    let semantic = &checker.semantic;
    let element = tests[0].element.id.as_str();
    let uses = element_uses(checker, &tests[0]);
    let mut branches: Vec<(&ast::StmtIf, usize, &PartialTest)> = tests
        .iter()
        .filter_map(|t| statement_test(t).map(|(s, c)| (s, c, t)))
        .collect();
    branches.sort_by_key(|(s, c, _)| (s.start(), *c));
    branches.dedup_by(|a, b| std::ptr::eq(a.0, b.0) && a.1 == b.1);
    let (last_if, last_clause, last_test) = *branches.last()?;
    // One block holds every tested `if`.
    let block_of = |test: &PartialTest| -> Option<(*const Stmt, usize)> {
        let id = semantic.statement_id(test.call.stmt())?;
        let (stmts, _) = semantic.block_of(id);
        Some((stmts.as_ptr(), stmts.len()))
    };
    let home = block_of(last_test)?;
    if branches.iter().any(|(_, _, t)| block_of(t) != Some(home)) {
        return None;
    }
    // Nothing after the last tested branch in its chain (an `else:` gets
    // the other results already).
    if last_if.elif_else_clauses.len() != last_clause {
        return None;
    }
    // Types tested by separate `if`s before the chain whose branch lets the
    // element through to the new test.
    let mut excluded: Vec<&str> = Vec::new();
    for (stmt, clause, test) in &branches {
        if !std::ptr::eq(*stmt, last_if) && !jumps(clause_body(stmt, *clause)) {
            let class = checker.text(test.class);
            let class = class
                .strip_prefix('(')
                .and_then(|c| c.strip_suffix(')'))
                .unwrap_or(class);
            excluded.push(class);
        }
    }
    let bodies: Vec<&[Stmt]> = branches
        .iter()
        .map(|(s, c, _)| clause_body(s, *c))
        .collect();
    let last_body = clause_body(last_if, last_clause);
    // Widen the last test when its branch takes the element as a whole.
    if excluded.is_empty()
        && last_test.call.ancestors.is_empty()
        && !type_specific(checker, last_body, element, &uses)
    {
        let only_logs = last_body.iter().all(|s| log_call_of(s).is_some());
        let edits = vec![ruff_diagnostics::Edit::range_replacement(
            "Exception".to_string(),
            last_test.class.range(),
        )];
        let title = "Handle every failure in the last branch that handles some: its test widened to `Exception`".to_string();
        return Some(if only_logs && !values_flow {
            CodeFix::safe(title, edits)
        } else {
            CodeFix::unsafe_(title, edits)
        });
    }

    // A new branch after the chain.
    let fixer = checker.fixer();
    let indent = fixer.line_indentation(last_if.start());
    let unit = fixer.indent_unit();
    // `elif`: right after the chain's last branch, the types it tests are
    // left to it.
    let mut lines = vec![format!(
        "{indent}elif {}:",
        exception_test(element, &excluded)
    )];
    // Raise like the last branch that raises a failure as it is (not one
    // raising a type-specific error: an authentication error for a
    // timeout would be wrong).
    let raising = bodies
        .iter()
        .rev()
        .filter(|body| !type_specific(checker, body, element, &uses))
        .find_map(|body| match body.last() {
            Some(Stmt::Raise(raise)) if raise.exc.is_some() => Some(raise),
            _ => None,
        });
    let mut changes_values = false;
    if let Some(raise) = raising {
        let mut text = checker.text(raise).to_string();
        if raise.cause.is_none()
            && !matches!(raise.exc.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == element)
        {
            text.push_str(&format!(" from {element}"));
        }
        lines.push(format!("{indent}{unit}{text}"));
    } else {
        let function = enclosing_function_name(checker, tests[0].scope);
        lines.push(format!(
            "{indent}{unit}{}",
            log_line(
                checker,
                &bodies,
                tests[0].scope,
                last_if,
                element,
                &function
            )?
        ));
        if let Some(mark) = mark(checker, &bodies, last_if, element) {
            lines.push(format!("{indent}{unit}{mark}"));
            changes_values = true;
        }
    }
    let at = checker.source.line_end(last_if.end());
    let edit = ruff_diagnostics::Edit::insertion(format!("\n{}", lines.join("\n")), at);
    let title =
        "Handle the other failures in a branch after the tests for the expected ones".to_string();
    Some(if raising.is_none() && !changes_values && !values_flow {
        CodeFix::safe(title, vec![edit])
    } else {
        CodeFix::unsafe_(title, vec![edit])
    })
}

/// The name of the function holding `offset` in `scope`.
fn enclosing_function_name(checker: &Checker, scope: ScopeId) -> String {
    match checker.semantic.scope(scope).kind {
        crate::semantic::ScopeKind::Function(def) => def.name.id.to_string(),
        _ => "the module".to_string(),
    }
}

/// `receiver.level(...)` of a logger, as a statement.
fn log_call_of(stmt: &Stmt) -> Option<&ast::ExprCall> {
    let Stmt::Expr(ast::StmtExpr { value, .. }) = stmt else {
        return None;
    };
    let Expr::Call(call) = &**value else {
        return None;
    };
    let Expr::Attribute(attribute) = &*call.func else {
        return None;
    };
    let receiver = match &*attribute.value {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.id.as_str(),
        _ => return None,
    };
    (receiver.to_ascii_lowercase().contains("log")
        && matches!(
            attribute.attr.id.as_str(),
            "debug" | "info" | "warning" | "error" | "exception" | "critical"
        ))
    .then_some(call)
}

/// The log call of the new branch: the logger and level a tested branch
/// uses (its message too, when it is a plain sentence), else the module's
/// logger at error level.
fn log_line(
    checker: &Checker,
    bodies: &[&[Stmt]],
    scope: ScopeId,
    last_if: &ast::StmtIf,
    element: &str,
    function: &str,
) -> Option<String> {
    let existing = bodies.iter().flat_map(|b| b.iter()).find_map(log_call_of);
    let companions = companions(checker, last_if, element);
    if let Some(call) = existing {
        let Expr::Attribute(attribute) = &*call.func else {
            return None;
        };
        let logger = super::movable_text(checker, &attribute.value);
        let level = match attribute.attr.id.as_str() {
            // `exception` logs the exception being handled: there is none.
            "exception" => "error",
            level => level,
        };
        let plain = match call.arguments.args.as_ref() {
            [Expr::StringLiteral(s)] if !s.value.to_str().contains('%') => {
                Some(checker.text(&call.arguments.args[0]))
            }
            _ => None,
        };
        let message = match plain {
            Some(literal) => format!("{literal}, exc_info={element}"),
            None => generated_message(checker, function, &companions, element),
        };
        return Some(format!("{logger}.{level}({message})"));
    }
    let logger = checker.fixer().module_logger().filter(|name| {
        checker
            .semantic
            .resolve_name(name, scope, last_if.start())
            .is_some_and(|b| b.scope == ScopeId::MODULE)
    })?;
    Some(format!(
        "{logger}.error({})",
        generated_message(checker, function, &companions, element)
    ))
}

fn generated_message(
    checker: &Checker,
    function: &str,
    companions: &[&str],
    element: &str,
) -> String {
    let q = checker.fixer().quote();
    match companions {
        [] => format!("{q}Unexpected error in {function}{q}, exc_info={element}"),
        names => format!(
            "{q}Unexpected error in {function} for {}{q}, {}, exc_info={element}",
            vec!["%s"; names.len()].join(", "),
            names.join(", ")
        ),
    }
}

/// The loop directly around `stmt` whose target binds `element` with other
/// names (`for target, result in zip(...)`): the other names.
fn companions<'a>(checker: &Checker<'a>, stmt: &ast::StmtIf, element: &str) -> Vec<&'a str> {
    let Some(Stmt::For(for_stmt)) = enclosing_for(checker, stmt) else {
        return Vec::new();
    };
    let Expr::Tuple(tuple) = &*for_stmt.target else {
        return Vec::new();
    };
    if !tuple
        .elts
        .iter()
        .any(|e| matches!(e, Expr::Name(n) if n.id.as_str() == element))
    {
        return Vec::new();
    }
    tuple
        .elts
        .iter()
        .filter_map(|e| match e {
            Expr::Name(n) if n.id.as_str() != element && n.id.as_str() != "_" => {
                Some(n.id.as_str())
            }
            _ => None,
        })
        .collect()
}

fn enclosing_for<'a>(checker: &Checker<'a>, stmt: &ast::StmtIf) -> Option<&'a Stmt> {
    let semantic = &checker.semantic;
    let id = semantic.statement_at(stmt.start())?;
    let parent = semantic.parent_statement(id)?;
    let parent = semantic.statement(parent);
    match parent {
        Stmt::For(for_stmt) if for_stmt.body.iter().any(|s| s.range() == stmt.range()) => {
            Some(parent)
        }
        _ => None,
    }
}

/// Where a tested branch records the failure in the mapping the loop walks
/// (`for key, result in status.items(): ... status[other] = False`), the
/// same record for the current key.
fn mark(
    checker: &Checker,
    bodies: &[&[Stmt]],
    last_if: &ast::StmtIf,
    element: &str,
) -> Option<String> {
    let Some(Stmt::For(for_stmt)) = enclosing_for(checker, last_if) else {
        return None;
    };
    let Expr::Tuple(tuple) = &*for_stmt.target else {
        return None;
    };
    let [Expr::Name(key), Expr::Name(value)] = tuple.elts.as_slice() else {
        return None;
    };
    if value.id.as_str() != element {
        return None;
    }
    let Expr::Call(call) = &*for_stmt.iter else {
        return None;
    };
    let Expr::Attribute(items) = &*call.func else {
        return None;
    };
    let Expr::Name(mapping) = &*items.value else {
        return None;
    };
    if items.attr.id.as_str() != "items" || !call.arguments.is_empty() {
        return None;
    }
    bodies.iter().flat_map(|b| b.iter()).find_map(|stmt| {
        let Stmt::Assign(assign) = stmt else {
            return None;
        };
        let [Expr::Subscript(target)] = assign.targets.as_slice() else {
            return None;
        };
        let literal = matches!(
            &*assign.value,
            Expr::BooleanLiteral(_)
                | Expr::NoneLiteral(_)
                | Expr::NumberLiteral(_)
                | Expr::StringLiteral(_)
        );
        (literal && matches!(&*target.value, Expr::Name(n) if n.id == mapping.id)).then(|| {
            format!(
                "{}[{}] = {}",
                mapping.id,
                key.id,
                super::movable_text(checker, &assign.value)
            )
        })
    })
}

/// Every occurrence of the tested element's variable (see
/// [`SemanticModel::name_uses`](crate::semantic::SemanticModel::name_uses)).
fn element_uses(checker: &Checker, test: &PartialTest) -> Vec<NameUse> {
    let semantic = &checker.semantic;
    semantic
        .reference_at(test.element.start())
        .and_then(|r| r.binding)
        .map(|id| semantic.binding(id))
        .map_or_else(Vec::new, |b| semantic.name_uses(b.name, b.scope))
}

/// Whether a branch handles its type in a way that fits no other failure:
/// it reads something of the element (an attribute, an item), or raises an
/// error that does not carry the element (`raise AuthFailed("log in
/// again") from error`: its message is about that type). `uses`: the
/// element's ([`element_uses`]).
fn type_specific(checker: &Checker, body: &[Stmt], element: &str, uses: &[NameUse]) -> bool {
    if reads_inside(checker, body, uses) {
        return true;
    }
    body.iter().any(|stmt| {
        let Stmt::Raise(raise) = stmt else {
            return false;
        };
        match raise.exc.as_deref() {
            Some(Expr::Name(name)) => name.id.as_str() != element,
            // Whether the arguments read the element (as an argument, in an
            // f-string...).
            Some(Expr::Call(call)) => uses_in(uses, call.arguments.range()).is_empty(),
            _ => true,
        }
    })
}

/// Whether `body` reads something of the element (an attribute, an item,
/// or calls it) rather than passing it as a whole.
fn reads_inside(checker: &Checker, body: &[Stmt], uses: &[NameUse]) -> bool {
    let (Some(first), Some(last)) = (body.first(), body.last()) else {
        return false;
    };
    let semantic = &checker.semantic;
    uses_in(uses, TextRange::new(first.start(), last.end()))
        .iter()
        .filter_map(|u| match u.kind {
            NameUseKind::Load(r) => semantic.load_context(semantic.reference(r)),
            NameUseKind::Binding(_) => None,
        })
        .any(|load| {
            let inner = match load.parent() {
                Some(Expr::Attribute(a)) => &*a.value,
                Some(Expr::Subscript(s)) => &*s.value,
                Some(Expr::Call(c)) => &*c.func,
                _ => return false,
            };
            std::ptr::eq(inner, load.expr)
        })
}

/// The tests are operands of one boolean expression (or one test alone).
fn in_expression(checker: &Checker, tests: &[PartialTest]) -> Option<CodeFix> {
    let element = tests[0].element.id.as_str();
    // (the `or` holding the test, whether the test is under a condition)
    let mut placed: Vec<(Option<&ast::ExprBoolOp>, bool, &PartialTest)> = Vec::new();
    for test in tests {
        if test
            .call
            .ancestors
            .iter()
            .any(|a| matches!(a, Expr::UnaryOp(_)))
        {
            return None;
        }
        let ancestors = &test.call.ancestors;
        let n = ancestors.len();
        let is_first = |op: &ast::ExprBoolOp, of: &Expr| {
            op.values.first().is_some_and(|v| std::ptr::eq(v, of))
        };
        match (n.checked_sub(2).map(|i| ancestors[i]), ancestors.last()) {
            (_, Some(Expr::BoolOp(or))) if or.op == ast::BoolOp::Or => {
                placed.push((Some(or), false, test));
            }
            (Some(Expr::BoolOp(or)), Some(Expr::BoolOp(and)))
                if or.op == ast::BoolOp::Or
                    && and.op == ast::BoolOp::And
                    && is_first(and, test.call.expr) =>
            {
                placed.push((Some(or), true, test));
            }
            (_, Some(Expr::BoolOp(_))) => return None,
            _ => placed.push((None, false, test)),
        }
    }
    let or = placed[0].0;
    if placed
        .iter()
        .any(|(o, _, _)| o.map(|o| o as *const _) != or.map(|o| o as *const _))
    {
        return None;
    }
    let conditional: Vec<&str> = placed
        .iter()
        .filter(|(_, c, _)| *c)
        .map(|(_, _, t)| {
            let class = checker.text(t.class);
            class
                .strip_prefix('(')
                .and_then(|c| c.strip_suffix(')'))
                .unwrap_or(class)
        })
        .collect();
    let title = "Count the other failures where the expected ones are counted".to_string();
    if conditional.is_empty() {
        let (_, _, last) = placed.iter().max_by_key(|(_, _, t)| t.call.expr.start())?;
        return Some(CodeFix::unsafe_(
            title,
            vec![ruff_diagnostics::Edit::range_replacement(
                "Exception".to_string(),
                last.class.range(),
            )],
        ));
    }
    let or = or?;
    let last = or.values.last()?;
    let source = checker.source;
    // The end of the last operand with its own parentheses.
    let before = &source[TextRange::new(or.values[or.values.len() - 2].end(), last.start())];
    let opened = before.chars().filter(|c| *c == '(').count();
    let mut end = last.end();
    let mut closed = 0;
    for (i, c) in source[end.to_usize()..].char_indices() {
        if closed == opened {
            break;
        }
        match c {
            ')' => {
                closed += 1;
                end = last.end() + TextSize::try_from(i + 1).ok()?;
            }
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    let operand = exception_test(element, &conditional);
    let multiline = source.contains_line_break(or.range());
    let text = if multiline {
        // The indentation of the line the last `or` starts (Black and Ruff
        // put each operand of a split `or` on a line of its own).
        let or_at = before.rfind("or")?;
        let or_offset = or.values[or.values.len() - 2].end() + TextSize::try_from(or_at).ok()?;
        let line_start = source.line_start(or_offset);
        if !source[TextRange::new(line_start, or_offset)]
            .trim()
            .is_empty()
        {
            return None;
        }
        let indent = checker.fixer().line_indentation(or_offset);
        let one = format!("{indent}or ({operand})");
        if one.len() <= MAX_WIDTH {
            format!("\n{one}")
        } else {
            let unit = checker.fixer().indent_unit();
            let (first, rest) = operand.split_once(" and ").expect("an `and` of two tests");
            format!("\n{indent}or (\n{indent}{unit}{first}\n{indent}{unit}and {rest}\n{indent})")
        }
    } else {
        format!(" or ({operand})")
    };
    Some(CodeFix::unsafe_(
        title,
        vec![ruff_diagnostics::Edit::insertion(text, end)],
    ))
}
