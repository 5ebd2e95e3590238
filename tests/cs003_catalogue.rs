//! Every blocking entry of CS003's catalogue is found in real code: for each
//! one a small module is generated that imports the library, builds the
//! object the method belongs to through the catalogue's own factories, and
//! makes the call inside an `async def`; the finding must be on that call.

use std::path::Path;

use codesight::analysis::analyze;
use codesight::config::settings::Settings;
use codesight::rules::cs003_blocking_call::catalogue::{CATALOGUE, Family, INPUT, Target, When};

/// An expression that evaluates to an object of `kind`, built from
/// catalogue factories (`psycopg2.connect(dsn).cursor()`), if there is one.
fn expression_for(kind: &str, depth: u8) -> Option<String> {
    if depth > 4 {
        return None;
    }
    for entry in CATALOGUE.iter().filter(|e| e.returns == Some(kind)) {
        match entry.target {
            Target::Function(name) => {
                // `queue.Queue(maxsize)`: a queue made with a maximum size.
                if let Some(base) = name.strip_suffix("(maxsize)") {
                    return Some(format!("{base}(1)"));
                }
                return Some(format!("{}(arg)", name.trim_start_matches("builtins.")));
            }
            Target::Method { kind: owner, name } => {
                if let Some(owner) = expression_for(owner, depth + 1) {
                    return Some(format!("{owner}.{name}()"));
                }
            }
        }
    }
    None
}

/// `import` lines for every dotted module prefix used in `code`.
fn imports(code: &str) -> String {
    let mut modules: Vec<String> = Vec::new();
    for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() < 2 || parts[0] == "builtins" || parts[0] == "obj" {
            continue;
        }
        // Everything but the called name is the module (`http.client` of
        // `http.client.HTTPConnection`).
        let module = parts[..parts.len() - 1].join(".");
        if !module.is_empty() && !modules.contains(&module) {
            modules.push(module);
        }
    }
    modules.iter().map(|m| format!("import {m}\n")).collect()
}

#[test]
fn every_blocking_entry_is_found() {
    let mut missed = Vec::new();
    let mut checked = 0;
    for entry in CATALOGUE.iter().filter(|e| e.blocks) {
        let code = match entry.family {
            Family::Blocking => "CS003",
            Family::Metadata => "CS006",
        };
        let mut settings = Settings::default();
        settings.rules.select = vec![code.to_string()];
        let arguments = match entry.when {
            When::Keyword(names) => format!("{}=arg", names[0]),
            _ => "arg".to_string(),
        };
        // The object a method belongs to is made at module level: a file
        // opened in the function itself is reported where it is opened.
        let (setup, call) = match entry.target {
            Target::Function(name) => (
                String::new(),
                format!("{}({arguments})", name.trim_start_matches("builtins.")),
            ),
            Target::Method { kind, name } => {
                let Some(object) = expression_for(kind, 0) else {
                    missed.push(format!("{}: no way to build a `{kind}`", entry.display()));
                    continue;
                };
                let name = if name == "*" { "anything" } else { name };
                (
                    format!("obj = {object}\n"),
                    format!("obj.{name}({arguments})"),
                )
            }
        };
        // The block uses what it entered: a file nothing reads or writes
        // is not the blocking work.
        let body = if entry.when == When::WithItem {
            format!("    with {call} as entered:\n        print(entered)\n")
        } else {
            format!("    {call}\n")
        };
        // A prompt in a module that runs nothing beside it is an
        // interactive command's question: the module starts a task too.
        let beside = if entry.instead == INPUT {
            "\n\ndef beside(loop, coro):\n    return loop.create_task(coro)\n"
        } else {
            ""
        };
        let source = format!(
            "{}\n{setup}\n\nasync def handler(arg):\n{body}{beside}",
            imports(&format!("{setup}{body}"))
        );
        let diagnostics =
            analyze(Path::new("case.py"), &source, &settings).expect("the generated module parses");
        let call_offset = source.rfind(&call).unwrap();
        let found = diagnostics
            .iter()
            .any(|d| d.rule.code == code && usize::from(d.range.start()) == call_offset);
        if !found {
            missed.push(format!("{}:\n{source}", entry.display()));
        }
        checked += 1;
    }
    assert!(checked > 150, "only {checked} entries checked");
    assert!(missed.is_empty(), "not found:\n{}", missed.join("\n"));
}
