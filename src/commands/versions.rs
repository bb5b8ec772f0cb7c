//! `newsdex versions [NAME|ARTICLE]`: groups of articles in the index that are versions of
//! one story, so that a user finds what to `compare` without knowing it in advance.
//!
//! Without an argument every story of two articles or more is listed, largest first; an
//! argument that is an article id or corpus path in the index lists that article's story;
//! any other argument is a name, and lists the stories with an article naming it. `--json`
//! prints one [`crate::compare::versions::Story`] per line.
//!
//! Exit status as grep: 0 when a story was found, 1 when none, 2 on error.
//!
//! May import: compare, index, present, config.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::compare::versions::{self, Scope};
use crate::config::{Config, VersionsConfig};
use crate::{compare, index, present};

/// Runs `newsdex versions`.
pub fn run(config: &Config, c: &VersionsConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let scope = match &c.target {
        None => Scope::All,
        Some(t) if compare::load::from_index(&idx, t)?.is_some() => Scope::Article(t.clone()),
        Some(t) => Scope::Name(t.clone()),
    };
    let (stories, total) = versions::find(&idx, &scope, c.limit)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if c.json {
        for s in &stories {
            present::json::line(&mut out, s)?;
        }
    } else {
        let color = present::use_color(config.color);
        present::compare::stories(&mut out, &stories, color)?;
    }
    out.flush().context("writing results")?;
    if !config.quiet {
        eprintln!(
            "{}",
            present::messages::versions_summary(total, stories.len(), &scope)
        );
    }
    Ok(if total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
