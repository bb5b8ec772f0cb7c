//! `newsdex search`: ranked passages for a query, with optional entity filters.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::process::ExitCode;

use super::{found, print_hits};
use crate::config::{Config, SearchConfig};
use crate::{index, search};

/// Runs `newsdex search`.
pub fn run(config: &Config, c: &SearchConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let parsed = if c.query.trim().is_empty() && !c.filters.is_empty() {
        None
    } else {
        Some(search::parse_query(&idx, &c.query)?)
    };
    let query = search::with_filters(&idx, parsed, &c.filters)?;
    let hits = search::search(&idx, query.as_ref(), c.limit)?;
    print_hits(config, c.json, &hits)?;
    Ok(found(!hits.is_empty()))
}
