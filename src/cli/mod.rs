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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report findings (exit 0: none, 1: some, 2: an error).
    Check(CheckArgs),
    /// Apply fixes: safe ones by default, unsafe ones with --unsafe-fixes.
    Fix(FixArgs),
    /// List the rules with their fixes.
    Rules,
    /// Show a rule's documentation.
    Explain {
        /// A rule code (CS003) or name (blocking-call-in-async).
        rule: String,
    },
    /// Print a shell completion script (e.g. `codesight completions bash > /etc/bash_completion.d/codesight`).
    Completions { shell: clap_complete::Shell },
}

/// Options shared by `check` and `fix`.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to check (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rule codes or prefixes to enable, comma-separated (replaces the config's `select` and `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Option<Vec<String>>,
    /// Rule codes or prefixes to disable, comma-separated (taken away from what is selected).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// The oldest Python the code must run on (py38..py314); default from
    /// `requires-python` in pyproject.toml, else py39.
    #[arg(long, value_name = "VERSION")]
    pub target_version: Option<TargetVersion>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Show unsafe fixes as available.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print how many findings each rule produced (and how many are fixable) instead of the findings.
    #[arg(long)]
    pub statistics: bool,
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
    /// Write a Markdown pull-request body describing the fixes to FILE.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Exit 1 when any fix was applied, even if nothing remains (for bots).
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
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
        Command::Rules => commands::rules::list(),
        Command::Explain { rule } => commands::rules::explain(&rule),
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
