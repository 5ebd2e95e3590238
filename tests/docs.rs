//! `docs/rules/CODE.md` are generated from the rules' doc comments. This
//! test fails when a page is missing or out of date; regenerate them with
//! `UPDATE_DOCS=1 cargo test --test docs`.

mod common;

use std::fs;

use codesight::rules::RULES;
use common::repo_root;

#[test]
fn rule_pages_match_the_doc_comments() {
    let dir = repo_root().join("docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for rule in RULES {
        let path = dir.join(format!("{}.md", rule.info.code));
        let expected = rule.info.markdown_page();
        if update {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &expected).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (run `UPDATE_DOCS=1 cargo test --test docs`): {stale:?}"
    );
}

#[test]
fn readme_rule_table_links_every_rule_page() {
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    for rule in RULES {
        let link = format!("[{}](docs/rules/{}.md)", rule.info.code, rule.info.code);
        assert!(readme.contains(&link), "README.md does not link {link}");
    }
}

#[test]
fn every_rule_doc_has_the_standard_sections() {
    for rule in RULES {
        let doc = rule.info.documentation();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix safety",
        ] {
            assert!(
                doc.contains(section),
                "{} lacks `{section}`",
                rule.info.code
            );
        }
    }
}
