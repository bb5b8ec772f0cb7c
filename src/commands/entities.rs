//! `newsdex entities`: the people, places and organisations the corpus names, or those
//! that share passages with one name.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::found;
use crate::config::{Config, EntitiesConfig};
use crate::{index, search};

/// Runs `newsdex entities`.
pub fn run(config: &Config, c: &EntitiesConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let mut list = match &c.cooccur {
        Some(name) => {
            let (list, passages) = search::entities::cooccurring(&idx, name)?;
            if !config.quiet {
                eprintln!("{passages} passages name {name:?}");
            }
            list
        }
        None => search::entities::list(&idx, c.kind)?,
    };
    if let Some(kind) = c.kind {
        list.retain(|e| e.kind == kind.field_name());
    }
    if c.limit > 0 {
        list.truncate(c.limit);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in &list {
        if c.json {
            serde_json::to_writer(&mut out, e)?;
            writeln!(out)?;
        } else {
            let also = if e.variants.is_empty() {
                String::new()
            } else {
                format!(" (also: {})", e.variants.join(", "))
            };
            writeln!(
                out,
                "{:<7}{:>7}{:>7}  {}{also}",
                e.kind, e.passages, e.articles, e.name
            )?;
        }
    }
    out.flush().context("writing results")?;
    Ok(found(!list.is_empty()))
}
