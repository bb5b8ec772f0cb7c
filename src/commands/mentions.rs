//! `newsdex mentions`: every passage that mentions a name, in any spelling, in corpus order.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::{found, print_hits};
use crate::config::{Config, MentionsConfig};
use crate::present::{self, messages, Printer};
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
    let plain = !idx.has_entities();
    if plain && !c.exact && !config.quiet {
        eprintln!("{}", messages::plain_index_note(&format!("{:?}", c.name)));
    }
    let opts = search::mentions::MentionOptions {
        exact: c.exact || plain,
        aliases: search::mentions::aliases_for(&idx, c.aliases.as_deref())?,
    };
    if c.count {
        return print_count(search::mentions::count(&idx, &c.name, &opts)?);
    }
    let mut printed = 0;
    let stdout = std::io::stdout().lock();
    let mut printer = Printer::new(
        std::io::BufWriter::new(stdout),
        c.json,
        present::use_color(config.color),
    );
    let summary = search::mentions::each_mention(&idx, &c.name, &opts, |hit| {
        printer.hit(&hit).context("writing results")?;
        printed += 1;
        if printed == 1 {
            // show the first hit at once; later ones go out as the buffer fills
            printer.flush().context("writing results")?;
        }
        Ok(())
    })?;
    printer.flush().context("writing results")?;
    if !config.quiet {
        eprintln!(
            "{}",
            messages::mentions_summary(
                summary.passages,
                summary.articles,
                &c.name,
                &summary.spellings
            )
        );
    }
    Ok(found(summary.passages > 0))
}

fn print_count(n: usize) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{n}").context("writing results")?;
    Ok(found(n > 0))
}

/// Prints the passages a Solr collection returned, and on stderr how many and in which
/// spellings.
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
