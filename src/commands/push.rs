//! `newsdex push`: send the corpus's passages to a SolrCloud collection, incrementally.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::process::ExitCode;

use crate::config::{Config, PushConfig};
use crate::entities::{NoEntities, Recognizer, ShippedRecognizer};
use crate::present::{json, messages, Reporter};
use crate::solr::{self, PushOptions, Slice};

/// Runs `newsdex push`.
pub fn run(config: &Config, c: &PushConfig) -> anyhow::Result<ExitCode> {
    let reporter = Reporter::new(config.quiet);
    let solr = solr::connect(&c.target)?;
    let recognizer: Box<dyn Recognizer> = if c.entities {
        Box::new(ShippedRecognizer)
    } else {
        Box::new(NoEntities)
    };
    let (index, count) = c.shard;
    let opts = PushOptions {
        corpus: &c.corpus,
        slice: Slice { index, count },
        batch_docs: c.batch,
        verify: c.verify,
    };
    let summary = solr::push(&solr, recognizer.as_ref(), &opts, &reporter);
    reporter.finish();
    let summary = summary?;
    if c.json {
        json::line(&mut std::io::stdout().lock(), &summary)?;
    }
    reporter.info(&messages::push_summary(
        &c.corpus,
        &c.target.collection,
        c.shard,
        &summary,
    ));
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
