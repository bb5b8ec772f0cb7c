//! `newsdex push`: send the corpus's passages to a SolrCloud collection, incrementally.

use std::io::Write;
use std::process::ExitCode;

use crate::config::{Config, PushConfig};
use crate::entities::{NoEntities, Recognizer, ShippedRecognizer};
use crate::output::Reporter;
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
    let summary = solr::push(&solr, recognizer.as_ref(), &opts, &|w| {
        crate::index::Observer::warn(&reporter, w)
    });
    reporter.finish();
    let s = summary?;
    if c.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
    }
    let slice = if count > 1 {
        format!(
            " (slice {index}/{count}; {} files in other slices)",
            s.other_slices
        )
    } else {
        String::new()
    };
    let schema = if s.schema_added > 0 {
        format!("added {} fields and types to its schema; ", s.schema_added)
    } else {
        String::new()
    };
    reporter.info(&format!(
        "pushed {}{slice} to collection {}: {schema}{} added, {} changed, {} removed, {} unchanged, \
         {} empty, {} failed; {} passages from {} articles in {} requests ({} retried); \
         {} passages in the collection; {} warnings; {:.2} s",
        c.corpus.display(),
        c.target.collection,
        s.added,
        s.changed,
        s.removed,
        s.unchanged,
        s.empty,
        s.failed,
        s.passages,
        s.articles,
        s.batches,
        s.retries,
        s.total_passages,
        s.warnings,
        s.seconds,
    ));
    Ok(if s.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
