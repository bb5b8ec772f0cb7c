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
    let (mut list, passages) = match &c.solr {
        Some(target) => crate::solr::query::entities(
            &crate::solr::connect(target)?,
            c.kind,
            c.cooccur.as_deref(),
        )?,
        None => local(config, c)?,
    };
    if let (Some(name), false) = (&c.cooccur, config.quiet) {
        eprintln!("{}", messages::cooccur_passages(passages, name));
    }
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

/// The listing from the local index, and (with `--cooccur`) how many passages name the name.
fn local(
    config: &Config,
    c: &EntitiesConfig,
) -> anyhow::Result<(Vec<search::entities::EntityCount>, usize)> {
    let idx = index::open(&config.index)?;
    Ok(match &c.cooccur {
        Some(name) => search::entities::cooccurring(&idx, name)?,
        None => (search::entities::list(&idx, c.kind)?, 0),
    })
}
