//! How a run is configured: the `[tool.codesight]` table of `pyproject.toml`
//! ([`pyproject`]) merged with the command line into [`settings::Settings`].

pub mod pyproject;
pub mod settings;
