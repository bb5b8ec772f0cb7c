//! newsdex on SolrCloud: pushing a corpus's passages into a collection, and asking the
//! collection what a local index answers.
//!
//! newsdex keeps the parts no search engine has — reading articles, recognising names and
//! keying their spellings — and hands storage, sharding and replication to Solr. A push
//! makes each passage exactly as a local build does ([`crate::index::record`]) and sends it
//! pre-analysed ([`documents`]); `mentions --solr` asks for the same candidates and checks
//! them with the same code ([`query`]). The collection's schema is the file users get,
//! `src/solr/configset/` ([`schema`]).
//!
//! Rooms: [`client`] (HTTP, retries, node failover), [`schema`], [`documents`], [`push`],
//! [`query`]. Imports config, corpus, entities, names, index and search; only commands
//! import it.

pub mod client;
pub mod documents;
pub mod push;
pub mod query;
pub mod schema;

pub use client::Solr;
pub use push::{push, PushOptions, PushSummary, Slice};

use crate::config::SolrTarget;

/// Connects to a command's collection.
pub fn connect(target: &SolrTarget) -> anyhow::Result<Solr> {
    Solr::connect(&target.url, &target.collection)
}
