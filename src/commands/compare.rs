//! `newsdex compare A B`: what changed between two versions of one story.
//!
//! Finds both versions (in the index, or as files), compares them and hands the result to
//! [`crate::present::compare`] (text) or prints it as one JSON object,
//! [`crate::compare::Comparison`]: offsets are byte offsets into each version's article
//! text, passage numbers count from 0.
//!
//! Exit status as grep: 0 when the versions differ, 1 when nothing differs, 2 on error.
//!
//! May import: compare, index, names (the aliases file), present, config.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::compare;
use crate::config::{CompareConfig, Config};
use crate::index;
use crate::names::curation::Aliases;
use crate::present;

/// Runs `newsdex compare`.
pub fn run(config: &Config, c: &CompareConfig) -> anyhow::Result<ExitCode> {
    let idx = if config.index.join("meta.json").is_file() {
        Some(index::open(&config.index)?)
    } else {
        None
    };
    let mut warnings = Vec::new();
    let a = compare::load::version(idx.as_ref(), &c.a, &mut warnings)?;
    let b = compare::load::version(idx.as_ref(), &c.b, &mut warnings)?;
    for w in &warnings {
        present::messages::warn(w);
    }
    let aliases = aliases(idx.as_ref(), c.aliases.as_deref())?;
    let comparison = compare::compare(&a, &b, &aliases);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if c.json {
        present::json::line(&mut out, &comparison)?;
    } else {
        let color = present::use_color(config.color);
        present::compare::comparison(&mut out, &comparison, &a, &b, color)
            .context("writing results")?;
    }
    out.flush().context("writing results")?;
    Ok(if comparison.has_differences() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The aliases file: `--aliases`, else `newsdex.toml` in the corpus the index was built from.
fn aliases(idx: Option<&index::NewsIndex>, flag: Option<&Path>) -> anyhow::Result<Aliases> {
    if let Some(path) = flag {
        return Aliases::load(path);
    }
    match idx
        .and_then(|i| i.corpus_root())
        .map(|r| r.join("newsdex.toml"))
    {
        Some(path) if path.is_file() => Aliases::load(&path),
        _ => Ok(Aliases::default()),
    }
}
