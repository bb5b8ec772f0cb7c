//! `newsdex stats`: where the index's bytes go, beside the size of its corpus.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Config;
use crate::index;
use crate::present::{json, text};

/// Runs `newsdex stats`.
pub fn run(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let s = index::stats(&idx)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        json::line(&mut out, &s)?;
    } else {
        text::stats(&mut out, &s)?;
    }
    out.flush().context("writing results")?;
    Ok(ExitCode::SUCCESS)
}
