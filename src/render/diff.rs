//! Unified diffs that `git apply` accepts (`a/` and `b/` prefixes).

use similar::TextDiff;

/// The unified diff from `old` to `new` for `path` (shown relative to the
/// working directory), or an empty string when they are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    // Myers' algorithm is quadratic when most lines change (thousands of
    // fixes in one file); past the deadline it settles for a diff that is
    // still exact, only less minimal.
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(500))
        .diff_lines(old, new);
    let mut out = String::new();
    out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&hunk.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_git_prefixes_and_hunk() {
        let d = unified_diff("pkg/a.py", "x = 1\ny = 2\n", "x = 1\ny = 3\n");
        assert!(
            d.starts_with("--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1,2 +1,2 @@\n"),
            "{d}"
        );
        assert!(d.contains("-y = 2\n+y = 3\n"), "{d}");
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = unified_diff("a.py", "x = 1", "x = 2");
        assert!(d.contains("\\ No newline at end of file"), "{d}");
    }
}
