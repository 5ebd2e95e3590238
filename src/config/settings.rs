//! Resolved settings for a run: which rules, which Python version.

use std::fmt;
use std::str::FromStr;

use crate::rules::rule::RuleInfo;

/// The oldest Python version the checked code must run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TargetVersion {
    pub minor: u8,
}

impl TargetVersion {
    pub const DEFAULT: TargetVersion = TargetVersion { minor: 9 };
    pub const MIN_MINOR: u8 = 8;
    pub const MAX_MINOR: u8 = 14;

    pub fn at_least(self, minor: u8) -> bool {
        self.minor >= minor
    }

    /// The oldest Python 3 minor version a `requires-python` specifier
    /// admits, such as `>=3.10`, `~=3.11`, `>=3.9,<4` or `==3.12.*`, parsed
    /// by PEP 440 (`pep440_rs`, the implementation Ruff and uv use). The
    /// clauses of a comma list all hold, so the bound is the highest of their
    /// lower bounds. `>3.8` admits 3.8.1, so its bound is 3.8, not 3.9.
    /// `None` when the specifier does not parse or sets no lower bound
    /// (`<4`, `!=3.9.*`).
    pub fn from_requires_python(spec: &str) -> Option<Self> {
        use pep440_rs::{Operator, VersionSpecifiers};
        let specifiers = VersionSpecifiers::from_str(spec).ok()?;
        specifiers
            .iter()
            .filter_map(|specifier| {
                let lower_bound = matches!(
                    specifier.operator(),
                    Operator::Equal
                        | Operator::EqualStar
                        | Operator::ExactEqual
                        | Operator::TildeEqual
                        | Operator::GreaterThan
                        | Operator::GreaterThanEqual
                );
                if !lower_bound {
                    return None;
                }
                let release = specifier.version().release();
                let major = release.first().copied().unwrap_or(0);
                let minor = release.get(1).copied().unwrap_or(0);
                // The oldest version admitted is `major.minor.something`
                // for every operator here (`>3.8` admits 3.8.1, `>3`
                // admits 3.0.1), so `major.minor` is the bound.
                Some((major, minor))
            })
            .max()
            .map(|(major, minor)| {
                let minor = match major {
                    0..=2 => Self::MIN_MINOR,
                    3 => u8::try_from(minor).unwrap_or(Self::MAX_MINOR),
                    _ => Self::MAX_MINOR,
                };
                TargetVersion {
                    minor: minor.clamp(Self::MIN_MINOR, Self::MAX_MINOR),
                }
            })
    }
}

impl Default for TargetVersion {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl FromStr for TargetVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let minor = s
            .strip_prefix("py3")
            .and_then(|m| m.parse::<u8>().ok())
            .filter(|m| (Self::MIN_MINOR..=Self::MAX_MINOR).contains(m));
        match minor {
            Some(minor) => Ok(TargetVersion { minor }),
            None => Err(format!(
                "invalid target version `{s}` (expected py38, py39, ... py314)"
            )),
        }
    }
}

impl fmt::Display for TargetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "py3{}", self.minor)
    }
}

/// Which rules run: a rule runs when some `select` entry is a prefix of its
/// code and no longer-or-equal `ignore` entry matches it (like Ruff, the more
/// specific entry wins), and no `ignore_after` entry matches it.
///
/// Configuration comes in layers, resolved the way Ruff resolves them: the
/// file's `select` and `ignore` first, then the command line's. A `--select`
/// starts over (the file's `select` and `ignore` no longer apply); an
/// `--ignore` without `--select` takes rules away from what the file chose,
/// which is what `ignore_after` holds.
#[derive(Debug, Clone)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Rules taken away after `select` and `ignore` were resolved (the
    /// command line's `--ignore` on top of the file's selection).
    pub ignore_after: Vec<String>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        Self {
            select: vec!["CS".to_string()],
            ignore: Vec::new(),
            ignore_after: Vec::new(),
        }
    }
}

impl RuleSelection {
    pub fn is_enabled(&self, rule: &RuleInfo) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| is_prefix_of(p, rule.code))
                .map(|p| p.len())
                .max()
        };
        // A rule off by default is selected only by its own code (which
        // outranks any `ignore` prefix but its own code).
        let select = if rule.default_enabled {
            best(&self.select)
        } else {
            self.select
                .iter()
                .any(|s| s.eq_ignore_ascii_case(rule.code))
                .then_some(rule.code.len())
        };
        let selected = match (select, best(&self.ignore)) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            _ => false,
        };
        selected && best(&self.ignore_after).is_none()
    }
}

fn is_prefix_of(selector: &str, code: &str) -> bool {
    selector == "ALL" || code.starts_with(selector)
}

/// Checks that a selector names at least one rule (`CS`, `CS00`, `CS003`, `ALL`).
pub fn validate_selector(selector: &str, rules: &[&RuleInfo]) -> Result<(), String> {
    if rules.iter().any(|r| is_prefix_of(selector, r.code)) {
        Ok(())
    } else {
        Err(format!("unknown rule selector `{selector}`"))
    }
}

/// Checks a `keep-task-helper` value: `module.path:function`.
pub fn validate_keep_task_helper(spec: &str) -> Result<String, String> {
    let valid_name = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    match spec.split_once(':') {
        Some((module, function)) if module.split('.').all(valid_name) && valid_name(function) => {
            Ok(spec.to_string())
        }
        _ => Err(format!(
            "`{spec}` is not `module:function` (for example \"pkg.tasks:spawn\")"
        )),
    }
}

/// Reads a selector as written by a user: a code or code prefix in any case
/// (`cs003`, `CS00`), a rule name (`blocking-call-in-async`) or `ALL`.
/// Returns its canonical form (`CS003`, `CS00`, `ALL`).
pub fn parse_selector(selector: &str, rules: &[&RuleInfo]) -> Result<String, String> {
    let trimmed = selector.trim();
    if trimmed.is_empty() {
        return Err("empty rule selector (name at least one code, prefix or rule name; `ALL` selects every rule)".to_string());
    }
    if let Some(rule) = rules.iter().find(|r| r.name.eq_ignore_ascii_case(trimmed)) {
        return Ok(rule.code.to_string());
    }
    let canonical = trimmed.to_ascii_uppercase();
    validate_selector(&canonical, rules).map_err(|_| {
        format!("unknown rule selector `{selector}` (see `codesight rules` for codes and names)")
    })?;
    Ok(canonical)
}

/// One layer of rule selection (a configuration file, then the command
/// line), applied in order as Ruff does: a layer with `select` starts over
/// from its own selectors; a layer without one adjusts what the layers
/// before it chose. Within a layer, the more specific selector wins and an
/// `ignore` beats a `select` of the same specificity.
#[derive(Debug, Clone, Default)]
pub struct SelectionLayer {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl RuleSelection {
    /// Resolves `layers` (canonical selectors) into the list of enabled codes.
    // `..Self::default()` keeps fields other parts may add.
    #[allow(clippy::needless_update)]
    pub fn resolve(layers: &[SelectionLayer], rules: &[&RuleInfo]) -> RuleSelection {
        // A rule off by default starts off, and only a selector that is its
        // exact code turns it on.
        let mut enabled: Vec<bool> = rules.iter().map(|r| r.default_enabled).collect();
        for layer in layers {
            for (i, rule) in rules.iter().enumerate() {
                let best = |list: &mut dyn Iterator<Item = &String>| {
                    list.filter(|p| is_prefix_of(p, rule.code))
                        .map(|p| if p == "ALL" { 0 } else { p.len() })
                        .max()
                };
                let mut selectors = layer
                    .select
                    .iter()
                    .flatten()
                    .chain(layer.extend_select.iter())
                    .filter(|p| rule.default_enabled || p.as_str() == rule.code);
                let selected = best(&mut selectors);
                let ignored = best(&mut layer.ignore.iter());
                let decision = match (selected, ignored) {
                    (Some(s), Some(i)) => Some(s > i),
                    (Some(_), None) => Some(true),
                    (None, Some(_)) => Some(false),
                    (None, None) => None,
                };
                enabled[i] = match (decision, layer.select.is_some()) {
                    (Some(d), _) => d,
                    (None, true) => false,
                    (None, false) => enabled[i],
                };
            }
        }
        RuleSelection {
            select: rules
                .iter()
                .zip(enabled)
                .filter(|(_, on)| *on)
                .map(|(r, _)| r.code.to_string())
                .collect(),
            ignore: Vec::new(),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub rules: RuleSelection,
    pub target_version: TargetVersion,
    /// Attribute names that hold an event loop on any object
    /// (`hass.loop`, `self._loop`): `[tool.codesight] loop-attributes`.
    /// A leading `*` matches any start (`*_loop`: `self.thread_loop`).
    /// Empty switches the convention off.
    pub loop_attributes: Vec<String>,
    /// The project's own keep-a-task-alive helper, `module:function`
    /// (`[tool.codesight] keep-task-helper`), used by CS001's fix.
    pub keep_task_helper: Option<String>,
    /// How fixes write new code: line length, import sorting.
    pub style: StyleSettings,
    /// Whether a peer tool's suppression of the same finding (`# noqa:
    /// RUF006` or `# ruff: ignore[asyncio-dangling-task]` for CS001, `# noqa:
    /// ASYNC210` for CS003...) suppresses ours.
    pub honour_peer_noqa: bool,
    /// CS003 also reports coroutines that run alone on their event loop
    /// (CLI commands, a script's `asyncio.run(main())`), which it spares by
    /// default (`[tool.codesight.cs003] report-alone-on-loop`).
    pub report_alone_on_loop: bool,
    /// CS003 also reports test code ([`is_test_file`]), which it skips by
    /// default (`[tool.codesight.cs003] report-tests`).
    pub report_tests: bool,
    /// The project's root folder (that of the configuration file in use, else
    /// the current directory): test folders are looked for below it.
    pub project_root: Option<std::path::PathBuf>,
    /// What the run knows of the project's modules (built once from the
    /// files being checked, before the rules run; empty for standard
    /// input and in tests that build no index).
    pub project: std::sync::Arc<crate::analysis::project::ProjectIndex>,
}

impl Settings {
    /// Whether `path` is test code, by the convention pytest and unittest
    /// discovery share: a file named `test_*.py`, `*_test.py` or
    /// `conftest.py`, or any file in a folder named `tests` or `test`
    /// between the project root and the file, or in a `testing` folder (a
    /// package of test helpers, like `numpy.testing`). Folders above the project
    /// root do not count (a checkout in `~/test/` is not test code); for an
    /// absolute path outside the root only the file name counts.
    pub fn is_test_file(&self, path: &std::path::Path) -> bool {
        is_test_file(path, self.project_root.as_deref())
    }
}

/// See [`Settings::is_test_file`].
pub fn is_test_file(path: &std::path::Path, root: Option<&std::path::Path>) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name
        .strip_suffix(".py")
        .or_else(|| name.strip_suffix(".pyi"))
        .unwrap_or("");
    if stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest" {
        return true;
    }
    let below_root = match root.and_then(|root| path.strip_prefix(root).ok()) {
        Some(relative) => relative,
        None if path.is_absolute() => return false,
        None => path,
    };
    below_root
        .parent()
        .into_iter()
        .flat_map(std::path::Path::components)
        .any(|c| matches!(c.as_os_str().to_str(), Some("tests" | "test" | "testing")))
}

/// The attribute names taken to hold an event loop by default.
pub const DEFAULT_LOOP_ATTRIBUTES: &[&str] = &["loop", "_loop", "*_loop"];

impl Default for Settings {
    fn default() -> Self {
        Self {
            rules: RuleSelection::default(),
            target_version: TargetVersion::DEFAULT,
            loop_attributes: DEFAULT_LOOP_ATTRIBUTES
                .iter()
                .map(ToString::to_string)
                .collect(),
            keep_task_helper: None,
            style: StyleSettings::default(),
            honour_peer_noqa: true,
            report_alone_on_loop: false,
            report_tests: false,
            project_root: None,
            project: Default::default(),
        }
    }
}

/// The project's formatting and import-sorting conventions, read from
/// `[tool.ruff]`, `[tool.black]` and `[tool.isort]`, that new code follows.
#[derive(Debug, Clone)]
pub struct StyleSettings {
    /// `[tool.ruff] line-length`, else `[tool.black] line-length`, else 88.
    pub line_length: usize,
    pub isort: IsortSettings,
}

impl StyleSettings {
    pub const DEFAULT_LINE_LENGTH: usize = 88;
}

impl Default for StyleSettings {
    fn default() -> Self {
        Self {
            line_length: Self::DEFAULT_LINE_LENGTH,
            isort: IsortSettings::default(),
        }
    }
}

/// What decides where an added import goes, as Ruff's `I001` and isort do
/// it (the default profile, plus the options below).
#[derive(Debug, Clone, Default)]
pub struct IsortSettings {
    /// Modules (and their submodules) that are first-party.
    pub known_first_party: Vec<String>,
    /// Modules that are third-party even if a first-party folder matches.
    pub known_third_party: Vec<String>,
    /// One `from x import y` statement per imported name.
    pub force_single_line: bool,
    /// `import x` and `from x import y` sorted together by module.
    pub force_sort_within_sections: bool,
    /// Folders whose top-level packages and modules are first-party:
    /// Ruff's `src` (default: the project root and `src/` under it).
    pub src: Vec<std::path::PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_by_name_and_by_folder_below_the_root() {
        use std::path::Path;
        let root = Some(Path::new("/repo"));
        assert!(is_test_file(Path::new("/repo/pkg/test_store.py"), root));
        assert!(is_test_file(Path::new("/repo/pkg/store_test.py"), root));
        assert!(is_test_file(Path::new("/repo/conftest.py"), root));
        assert!(is_test_file(Path::new("/repo/pkg/tests/helpers.py"), root));
        assert!(is_test_file(Path::new("/repo/test/data.py"), root));
        assert!(is_test_file(Path::new("pkg/tests/helpers.py"), None));
        assert!(!is_test_file(Path::new("/repo/pkg/testing.py"), root));
        assert!(is_test_file(Path::new("/repo/pkg/testing/utils.py"), root));
        assert!(!is_test_file(Path::new("/repo/pkg/contest.py"), root));
        assert!(!is_test_file(Path::new("/repo/pkg/latest/app.py"), root));
        // Above the root, or outside it: only the name counts.
        assert!(!is_test_file(
            Path::new("/tests/repo/app.py"),
            Some(Path::new("/tests/repo"))
        ));
        assert!(!is_test_file(Path::new("/work/tests/data/case.py"), None));
    }

    #[test]
    fn requires_python_lower_bound() {
        let v = |s| TargetVersion::from_requires_python(s).map(|v| v.minor);
        assert_eq!(v(">=3.10"), Some(10));
        assert_eq!(v(">=3.9,<4"), Some(9));
        assert_eq!(v("~=3.11"), Some(11));
        assert_eq!(v("~=3.11.2"), Some(11));
        assert_eq!(v("==3.12.*"), Some(12));
        assert_eq!(v(" >= 3.10 , < 3.13 "), Some(10));
        assert_eq!(v("<4"), None);
        assert_eq!(v("!=3.9.*"), None);
        assert_eq!(v("not a specifier"), None);
        // Every clause holds: the bound is the highest lower bound.
        assert_eq!(v(">=3.8,>=3.10"), Some(10));
        assert_eq!(v(">=2.7,!=3.0.*"), Some(8));
    }

    /// `>3.8` admits 3.8.1, which has no `asyncio.to_thread`; `>3.9`
    /// admits 3.9.1, which breaks on the lock fix that needs 3.10.
    #[test]
    fn greater_than_keeps_its_own_minor_version() {
        let v = |s| TargetVersion::from_requires_python(s).map(|v| v.minor);
        assert_eq!(v(">3.8"), Some(8));
        assert_eq!(v(">3.9"), Some(9));
        assert_eq!(v(">3.11"), Some(11));
        assert_eq!(v(">3.9.0"), Some(9));
    }

    #[test]
    fn selectors_accept_lowercase_codes_and_names() {
        let rules = crate::rules::all_infos();
        assert_eq!(parse_selector("cs003", &rules).unwrap(), "CS003");
        assert_eq!(
            parse_selector("blocking-call-in-async", &rules).unwrap(),
            "CS003"
        );
        assert_eq!(parse_selector("all", &rules).unwrap(), "ALL");
        assert!(parse_selector("", &rules).is_err());
        assert!(parse_selector("XY1", &rules).is_err());
    }

    #[test]
    fn later_layers_win_like_ruff() {
        let rules = crate::rules::all_infos();
        let layer = |select: Option<&[&str]>, extend: &[&str], ignore: &[&str]| SelectionLayer {
            select: select.map(|s| s.iter().map(|s| s.to_string()).collect()),
            extend_select: extend.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
        };
        // The file ignores CS003, the command line selects it: the flag wins.
        let resolved = RuleSelection::resolve(
            &[
                layer(None, &[], &["CS003"]),
                layer(Some(&["CS003"]), &[], &[]),
            ],
            &rules,
        );
        assert_eq!(resolved.select, ["CS003"]);
        // Within a layer the more specific selector wins.
        let resolved = RuleSelection::resolve(&[layer(Some(&["CS"]), &[], &["CS00"])], &rules);
        assert!(resolved.select.is_empty());
        let resolved =
            RuleSelection::resolve(&[layer(Some(&["CS001"]), &["CS002"], &["CS"])], &rules);
        assert_eq!(resolved.select, ["CS001", "CS002"]);
        // A layer without select adjusts the one before.
        let resolved = RuleSelection::resolve(
            &[
                layer(Some(&["CS001"]), &[], &[]),
                layer(None, &["CS005"], &[]),
            ],
            &rules,
        );
        assert_eq!(resolved.select, ["CS001", "CS005"]);
    }

    #[test]
    fn a_rule_off_by_default_runs_only_when_its_code_is_selected() {
        let info = |default_enabled| RuleInfo {
            code: "CS006",
            name: "n",
            summary: "s",
            raw_doc: "",
            fixes: crate::rules::rule::FixAvailability::NONE,
            default_enabled,
        };
        let selection = |select: &[&str], ignore: &[&str]| RuleSelection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            ignore_after: Vec::new(),
        };
        assert!(!RuleSelection::default().is_enabled(&info(false)));
        assert!(!selection(&["ALL"], &[]).is_enabled(&info(false)));
        assert!(!selection(&["CS00"], &[]).is_enabled(&info(false)));
        assert!(selection(&["CS006"], &[]).is_enabled(&info(false)));
        assert!(selection(&["CS", "cs006"], &[]).is_enabled(&info(false)));
        assert!(selection(&["CS006"], &["CS00"]).is_enabled(&info(false)));
        assert!(!selection(&["CS006"], &["CS006"]).is_enabled(&info(false)));
        assert!(RuleSelection::default().is_enabled(&info(true)));
    }

    #[test]
    fn layers_turn_a_rule_off_by_default_on_only_by_its_code() {
        let rules = crate::rules::all_infos();
        let layer = |select: Option<&[&str]>, extend: &[&str]| SelectionLayer {
            select: select.map(|s| s.iter().map(|s| s.to_string()).collect()),
            extend_select: extend.iter().map(|s| s.to_string()).collect(),
            ignore: Vec::new(),
        };
        let on = |layers: &[SelectionLayer]| {
            RuleSelection::resolve(layers, &rules)
                .select
                .contains(&"CS006".to_string())
        };
        assert!(!on(&[]));
        assert!(!on(&[layer(Some(&["CS"]), &[])]));
        assert!(!on(&[layer(Some(&["ALL"]), &[])]));
        assert!(on(&[layer(Some(&["CS", "CS006"]), &[])]));
        assert!(on(&[layer(None, &["CS006"])]));
        assert!(!on(&[
            layer(None, &["CS006"]),
            layer(Some(&["CS003"]), &[])
        ]));
    }

    #[test]
    fn parses_target_version_names() {
        assert_eq!("py311".parse::<TargetVersion>().unwrap().minor, 11);
        assert!("py27".parse::<TargetVersion>().is_err());
        assert!("3.11".parse::<TargetVersion>().is_err());
    }
}
