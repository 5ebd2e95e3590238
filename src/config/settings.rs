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

    /// Reads the lower bound of a `requires-python` specifier such as
    /// `>=3.10`, `~=3.11`, `>=3.9,<4` or `==3.12.*`.
    pub fn from_requires_python(spec: &str) -> Option<Self> {
        spec.split(',')
            .filter_map(|clause| {
                let clause = clause.trim();
                let version = clause
                    .strip_prefix(">=")
                    .or_else(|| clause.strip_prefix("~="))
                    .or_else(|| clause.strip_prefix("=="))
                    .or_else(|| clause.strip_prefix('>'))?;
                let mut parts = version.trim().split('.');
                let major: u8 = parts.next()?.trim().parse().ok()?;
                let minor: u8 = parts.next()?.trim().parse().ok()?;
                let minor = if clause.starts_with('>') && !clause.starts_with(">=") {
                    minor + 1
                } else {
                    minor
                };
                (major == 3).then_some(minor)
            })
            .min()
            .map(|minor| TargetVersion {
                minor: minor.clamp(Self::MIN_MINOR, Self::MAX_MINOR),
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
/// specific entry wins).
#[derive(Debug, Clone)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Default for RuleSelection {
    fn default() -> Self {
        Self {
            select: vec!["CS".to_string()],
            ignore: Vec::new(),
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
        match (best(&self.select), best(&self.ignore)) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            _ => false,
        }
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

#[derive(Debug, Clone)]
pub struct Settings {
    pub rules: RuleSelection,
    pub target_version: TargetVersion,
    /// Attribute names that hold an event loop on any object
    /// (`hass.loop`, `self._loop`): `[tool.codesight] loop-attributes`.
    /// Empty switches the convention off.
    pub loop_attributes: Vec<String>,
    /// The project's own keep-a-task-alive helper, `module:function`
    /// (`[tool.codesight] keep-task-helper`), used by CS001's fix.
    pub keep_task_helper: Option<String>,
    /// How fixes write new code: line length, import sorting.
    pub style: StyleSettings,
    /// Whether a peer tool's suppression of the same finding (`# noqa:
    /// RUF006` for CS001, `# noqa: ASYNC210` for CS003...) suppresses ours.
    pub honour_peer_noqa: bool,
}

/// The attribute names taken to hold an event loop by default.
pub const DEFAULT_LOOP_ATTRIBUTES: &[&str] = &["loop", "_loop"];

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
    fn requires_python_lower_bound() {
        let v = |s| TargetVersion::from_requires_python(s).map(|v| v.minor);
        assert_eq!(v(">=3.10"), Some(10));
        assert_eq!(v(">=3.9,<4"), Some(9));
        assert_eq!(v("~=3.11"), Some(11));
        assert_eq!(v(">3.11"), Some(12));
        assert_eq!(v("<4"), None);
    }

    #[test]
    fn parses_target_version_names() {
        assert_eq!("py311".parse::<TargetVersion>().unwrap().minor, 11);
        assert!("py27".parse::<TargetVersion>().is_err());
        assert!("3.11".parse::<TargetVersion>().is_err());
    }
}
