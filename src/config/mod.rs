//! How a run is configured: configuration files ([`pyproject`]: the
//! `[tool.codesight]` table of `pyproject.toml`, or `codesight.toml`),
//! resolved per folder and merged with the command line ([`resolver`]) into
//! [`settings::Settings`].

pub mod pyproject;
pub mod resolver;
pub mod settings;
