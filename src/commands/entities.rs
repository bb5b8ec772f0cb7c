//! `newsdex entities`: the people, places and organisations the corpus names, or those
//! that share passages with one name.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::found;
use crate::config::{Config, EntitiesConfig};
use crate::present::{json, messages, text};
use crate::{index, search};

/// Runs `newsdex entities`.
pub fn run(config: &Config, c: &EntitiesConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let mut list = match &c.cooccur {
        Some(name) => {
            let (list, passages) = search::entities::cooccurring(&idx, name)?;
            if !config.quiet {
                eprintln!("{}", messages::cooccur_passages(passages, name));
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
            json::line(&mut out, e)?;
        } else {
            text::entity(&mut out, e, c.explain)?;
        }
    }
    out.flush().context("writing results")?;
    Ok(found(!list.is_empty()))
}
