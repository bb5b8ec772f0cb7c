//! `newsdex mentions`: every passage that mentions a name, in any spelling, in corpus order.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::{found, print_hits};
use crate::config::{Config, MentionsConfig};
use crate::present::messages;
use crate::{index, search};

/// Runs `newsdex mentions`.
pub fn run(config: &Config, c: &MentionsConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let opts = search::mentions::MentionOptions {
        exact: c.exact,
        aliases: search::mentions::aliases_for(&idx, c.aliases.as_deref())?,
    };
    if c.count {
        let n = search::mentions::count(&idx, &c.name, &opts)?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{n}").context("writing results")?;
        return Ok(found(n > 0));
    }
    let found_mentions = search::mentions::mentions(&idx, &c.name, &opts)?;
    let hits = &found_mentions.hits;
    print_hits(config, c.json, hits)?;
    if !config.quiet {
        let mut articles: Vec<&str> = hits.iter().map(|h| h.article.as_str()).collect();
        articles.dedup();
        eprintln!(
            "{}",
            messages::mentions_summary(
                hits.len(),
                articles.len(),
                &c.name,
                &found_mentions.spellings
            )
        );
    }
    Ok(found(!hits.is_empty()))
}
