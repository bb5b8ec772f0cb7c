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
    if let Some(target) = &c.solr {
        // the collection knows no corpus folder: only --aliases gives it aliases
        let opts = search::mentions::MentionOptions {
            exact: c.exact,
            aliases: match &c.aliases {
                Some(path) => crate::names::curation::Aliases::load(path)?,
                None => Default::default(),
            },
        };
        let found_mentions =
            crate::solr::query::mentions(&crate::solr::connect(target)?, &c.name, &opts)?;
        if c.count {
            return print_count(found_mentions.hits.len());
        }
        return report(config, c, &found_mentions);
    }
    let idx = index::open(&config.index)?;
    let opts = search::mentions::MentionOptions {
        exact: c.exact,
        aliases: search::mentions::aliases_for(&idx, c.aliases.as_deref())?,
    };
    if c.count {
        return print_count(search::mentions::count(&idx, &c.name, &opts)?);
    }
    let found_mentions = search::mentions::mentions(&idx, &c.name, &opts)?;
    report(config, c, &found_mentions)
}

fn print_count(n: usize) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{n}").context("writing results")?;
    Ok(found(n > 0))
}

/// Prints the passages, and on stderr how many and in which spellings.
fn report(
    config: &Config,
    c: &MentionsConfig,
    found_mentions: &search::mentions::Mentions,
) -> anyhow::Result<ExitCode> {
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
