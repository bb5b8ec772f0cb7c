//! `newsdex search`: ranked passages for a query, with optional entity filters.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::process::ExitCode;

use super::{found, print_hits};
use crate::config::{Config, SearchConfig};
use crate::present::messages;
use crate::{index, search};

/// Runs `newsdex search`.
pub fn run(config: &Config, c: &SearchConfig) -> anyhow::Result<ExitCode> {
    if let Some(url) = &c.solr {
        anyhow::bail!(
            "search --solr {url}: ranked search is not offered on a SolrCloud collection, \
             because Solr's query parser and scores would match and rank differently from \
             this index; `mentions --solr` and `entities --solr` give the same answers as \
             the local index, and search runs on a local index"
        );
    }
    let idx = index::open(&config.index)?;
    if !idx.has_entities() && !config.quiet && (!c.filters.is_empty() || names_entities(&c.query)) {
        eprintln!(
            "{}",
            messages::plain_index_note("a person, place or org filter")
        );
    }
    let parsed = if c.query.trim().is_empty() && !c.filters.is_empty() {
        None
    } else {
        Some(search::parse_query(&idx, &c.query)?)
    };
    let query = search::with_filters(&idx, parsed, &c.filters, None)?;
    let hits = search::search(&idx, query.as_ref(), c.limit)?;
    print_hits(config, c.json, &hits)?;
    Ok(found(!hits.is_empty()))
}

/// Whether a query names an entity field (`person:`, `place:`, `org:`).
fn names_entities(query: &str) -> bool {
    ["person:", "place:", "org:"]
        .iter()
        .any(|field| query.contains(field))
}
