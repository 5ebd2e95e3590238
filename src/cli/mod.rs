//! The command line: argument definitions and dispatch.

/// `eprintln!` that never panics: a closed stderr (`2>&1 | head`) is
/// ignored, so the run ends quietly with its exit code.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod commands;
pub mod guard;
pub mod interrupt;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::settings::TargetVersion;
use crate::render::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "codesight",
    version,
    about = "Finds Python asyncio concurrency bugs and fixes them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to use colours (`auto` honours NO_COLOR and whether output is a terminal).
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print findings and diffs only: no summaries, no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Applies the choice to everything printed through `console`.
    fn apply(self) {
        let enabled = match self {
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
            ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
                Some(false)
            }
            ColorChoice::Auto => None,
        };
        if let Some(enabled) = enabled {
            console::set_colors_enabled(enabled);
            console::set_colors_enabled_stderr(enabled);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report findings (exit 0: none, 1: some, 2: an error).
    Check(CheckArgs),
    /// Apply fixes: safe ones by default, unsafe ones with --unsafe-fixes.
    Fix(FixArgs),
    /// List the rules with their fixes.
    Rules {
        /// `text` (a table) or `json` (for tools).
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
    /// Show a rule's documentation.
    Explain {
        /// A rule code (CS003) or name (blocking-call-in-async).
        #[arg(required_unless_present = "all")]
        rule: Option<String>,
        /// Every rule's documentation, one after the other.
        #[arg(long, conflicts_with = "rule")]
        all: bool,
    },
    /// Print a shell completion script (e.g. `codesight completions bash > /etc/bash_completion.d/codesight`).
    Completions { shell: clap_complete::Shell },
}

/// Options shared by `check` and `fix`.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to check (default: the current directory); `-`
    /// reads the source from standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rule codes, prefixes or names to enable, comma-separated (replaces
    /// the configuration's selection; `ALL` for every rule).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Rules to enable on top of the configuration's selection.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules to disable, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The oldest Python the code must run on (py38..py314); default from
    /// the configuration, else `requires-python` in the closest
    /// pyproject.toml, else py39.
    #[arg(long, value_name = "VERSION")]
    pub target_version: Option<TargetVersion>,
    /// Use this configuration file for every path (a pyproject.toml or a
    /// codesight.toml) instead of looking for the closest one.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file: defaults and flags only.
    #[arg(long)]
    pub isolated: bool,
    /// Gitignore-style patterns to exclude, replacing the configured and
    /// default ones (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PATTERNS")]
    pub exclude: Option<Vec<String>>,
    /// Patterns to exclude on top of the configured ones.
    #[arg(long, value_delimiter = ',', value_name = "PATTERNS")]
    pub extend_exclude: Vec<String>,
    /// Apply the excludes to paths named on the command line too (for
    /// pre-commit and editors, which name files).
    #[arg(long, overrides_with = "no_force_exclude")]
    pub force_exclude: bool,
    #[arg(long, hide = true, overrides_with = "force_exclude")]
    pub no_force_exclude: bool,
    /// Honour `.gitignore` (and `.ignore`) files, inside a git repository or
    /// not (the default).
    #[arg(long, overrides_with = "no_respect_gitignore")]
    pub respect_gitignore: bool,
    /// Check files even when a `.gitignore` names them.
    #[arg(long, overrides_with = "respect_gitignore")]
    pub no_respect_gitignore: bool,
    /// The file name to use for source read from standard input (`-`): its
    /// settings, excludes and the name shown in output.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Print the files that would be checked, and stop.
    #[arg(long, conflicts_with = "show_settings")]
    pub show_files: bool,
    /// Print the settings resolved for the first file, and stop.
    #[arg(long)]
    pub show_settings: bool,
    /// Output format.
    #[arg(long, alias = "format", value_enum, default_value = "text")]
    pub output_format: OutputFormat,
    /// Write the findings to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Exit 0 even when findings remain (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many findings each rule produced (and how many are
    /// fixable) instead of the findings; JSON with a JSON output format.
    #[arg(long)]
    pub statistics: bool,
}

impl CommonArgs {
    /// The configuration-related flags, for the resolver.
    pub fn overrides(&self) -> crate::config::resolver::Overrides {
        crate::config::resolver::Overrides {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            target_version: self.target_version,
            exclude: self.exclude.clone(),
            extend_exclude: self.extend_exclude.clone(),
            respect_gitignore: flag_pair(self.respect_gitignore, self.no_respect_gitignore),
            force_exclude: flag_pair(self.force_exclude, self.no_force_exclude),
            config: self.config.clone(),
            isolated: self.isolated,
        }
    }
}

fn flag_pair(yes: bool, no: bool) -> Option<bool> {
    match (yes, no) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Show unsafe fixes as available.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Add a `# noqa: CODE` comment to every line with a finding (to adopt
    /// CodeSight on a large code base); `--add-noqa=REASON` appends a reason.
    #[arg(long, value_name = "REASON", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    pub add_noqa: Option<String>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Apply unsafe fixes too (they may change behaviour: review them).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Write nothing; print the changes as a unified diff (exit 1 if any).
    #[arg(long, conflicts_with = "interactive")]
    pub diff: bool,
    /// Review each fix and choose whether to apply it.
    #[arg(short, long)]
    pub interactive: bool,
    /// Write a pull-request body describing the fixes to FILE.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// The summary's format: Markdown for people, JSON for bots.
    #[arg(long, value_enum, default_value = "markdown", requires = "summary")]
    pub summary_format: SummaryFormat,
    /// Exit 1 when any fix was applied, even if nothing remains (for bots).
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
    /// List the fixes applied, per file.
    #[arg(long)]
    pub show_fixes: bool,
    /// Apply fixes, but neither list nor exit 1 for the findings left (the
    /// `codesight-fix` pre-commit hook: the `codesight` hook reports them).
    #[arg(long)]
    pub fix_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    Markdown,
    Json,
}

/// Options every command sees.
#[derive(Debug, Clone, Copy)]
pub struct GlobalArgs {
    pub quiet: bool,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    cli.color.apply();
    crate::cli::guard::install();
    if matches!(cli.command, Command::Check(_) | Command::Fix(_)) {
        for warning in crate::analysis::configure_workers() {
            say!("warning: {warning}");
        }
    }
    crate::cli::interrupt::install();
    let global = GlobalArgs { quiet: cli.quiet };
    let code = match cli.command {
        Command::Check(args) => commands::check::run(&args, global),
        Command::Fix(args) => commands::fix::run(&args, global),
        Command::Rules { format } => commands::rules::list(format),
        Command::Explain { rule, all } => commands::rules::explain(rule.as_deref(), all),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "codesight", &mut script);
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(&script);
            commands::EXIT_CLEAN
        }
    };
    ExitCode::from(code)
}
