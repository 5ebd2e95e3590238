//! Rule metadata: code, name, documentation and which fixes a rule offers.

/// Which kinds of fix a rule can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixAvailability {
    pub safe: bool,
    pub unsafe_: bool,
}

impl FixAvailability {
    pub const NONE: Self = Self {
        safe: false,
        unsafe_: false,
    };
    pub const SAFE: Self = Self {
        safe: true,
        unsafe_: false,
    };
    pub const UNSAFE: Self = Self {
        safe: false,
        unsafe_: true,
    };
    pub const BOTH: Self = Self {
        safe: true,
        unsafe_: true,
    };

    pub fn describe(self) -> &'static str {
        match (self.safe, self.unsafe_) {
            (true, true) => "safe, unsafe",
            (true, false) => "safe",
            (false, true) => "unsafe",
            (false, false) => "none",
        }
    }
}

/// Static description of one rule.
#[derive(Debug)]
pub struct RuleInfo {
    /// The code users select and suppress, e.g. `CS003`.
    pub code: &'static str,
    /// A kebab-case name, e.g. `blocking-call-in-async`.
    pub name: &'static str,
    /// One line saying what the rule finds.
    pub summary: &'static str,
    /// The rule's doc comment, as written in its module.
    pub raw_doc: &'static str,
    pub fixes: FixAvailability,
    /// Whether the rule runs without being selected by its own code. A rule
    /// that is off by default runs only when a `select` entry names its
    /// exact code (`--select CS006`, `select = ["CS", "CS006"]`).
    pub default_enabled: bool,
}

impl RuleInfo {
    /// The rule's page in `docs/rules/`, and the text of `codesight explain`.
    pub fn markdown_page(&self) -> String {
        format!(
            "# {} ({})\n\n{}\n\nFixes: {}.{}\n\n{}",
            self.code,
            self.name,
            self.summary,
            self.fixes.describe(),
            if self.default_enabled {
                ""
            } else {
                " Off by default: select it by its code."
            },
            self.documentation()
        )
    }

    /// The documentation as Markdown: the doc comment with the single space
    /// `///` leaves at the start of each line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.raw_doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declares a rule: its doc comment becomes both the rustdoc and the text of
/// `codesight explain`, so there is one source for a rule's documentation.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $rule:ident {
            code: $code:literal,
            name: $name:literal,
            summary: $summary:literal,
            fixes: $fixes:expr
            $(, default_enabled: $default_enabled:expr)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $rule;

        impl $rule {
            pub const INFO: $crate::rules::rule::RuleInfo = $crate::rules::rule::RuleInfo {
                code: $code,
                name: $name,
                summary: $summary,
                raw_doc: concat!($($doc, "\n"),*),
                fixes: $fixes,
                default_enabled: {
                    #[allow(unused_variables)]
                    let enabled = true;
                    $(let enabled = $default_enabled;)?
                    enabled
                },
            };
        }
    };
}
