//! Where an index's bytes go: `newsdex stats`.
//!
//! Tantivy can account for every byte of a segment by component and field
//! ([`tantivy::Searcher::space_usage`]); this sums it over the segments, so a
//! user can see why an index is the size it is (stored passages, positions for
//! phrase queries, the spelling-variant fields) and compare it with the corpus
//! it was built from (the file sizes the index itself recorded).
//!
//! May import: `entities` (types), `names`, `passages`, `corpus`.

use std::collections::BTreeMap;

use anyhow::Context;
use serde::Serialize;

use super::{file_states, NewsIndex};

/// Bytes one field takes, by index component.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct FieldBytes {
    /// The field's name in the schema.
    pub field: String,
    /// Term dictionary.
    pub terms: u64,
    /// Posting lists (documents and frequencies).
    pub postings: u64,
    /// Positions, for phrase queries.
    pub positions: u64,
    /// Fast (columnar) values.
    pub fast: u64,
    /// Length norms, for ranking.
    pub norms: u64,
}

impl FieldBytes {
    /// Everything the field takes.
    pub fn total(&self) -> u64 {
        self.terms + self.postings + self.positions + self.fast + self.norms
    }
}

/// The space an index takes and what it was built from.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Segments in the last commit.
    pub segments: usize,
    /// Passages searchable.
    pub passages: u64,
    /// Corpus files indexed.
    pub files: usize,
    /// Their bytes when indexed.
    pub corpus_bytes: u64,
    /// All bytes of the committed segments.
    pub index_bytes: u64,
    /// Stored passages (tantivy's compressed doc store).
    pub stored: u64,
    /// Deleted-document bitsets.
    pub deletes: u64,
    /// Per indexed field, largest first.
    pub fields: Vec<FieldBytes>,
}

/// Measures an open index.
pub fn stats(idx: &NewsIndex) -> anyhow::Result<Stats> {
    let searcher = idx.searcher()?;
    let usage = searcher
        .space_usage()
        .context("measuring the index's segments")?;
    let mut fields: BTreeMap<String, FieldBytes> = BTreeMap::new();
    let mut stored = 0;
    let mut deletes = 0;
    for seg in usage.segments() {
        let parts = [
            seg.termdict(),
            seg.postings(),
            seg.positions(),
            seg.fast_fields(),
            seg.fieldnorms(),
        ];
        for (part, per_field) in parts.into_iter().enumerate() {
            for usage in per_field.fields() {
                let entry = fields
                    .entry(usage.field_name().to_string())
                    .or_insert_with(|| FieldBytes {
                        field: usage.field_name().to_string(),
                        ..FieldBytes::default()
                    });
                let bytes = usage.total().get_bytes();
                match part {
                    0 => entry.terms += bytes,
                    1 => entry.postings += bytes,
                    2 => entry.positions += bytes,
                    3 => entry.fast += bytes,
                    _ => entry.norms += bytes,
                }
            }
        }
        stored += seg.store().total().get_bytes();
        deletes += seg.deletes().get_bytes();
    }
    let mut fields: Vec<FieldBytes> = fields.into_values().filter(|f| f.total() > 0).collect();
    fields.sort_by(|a, b| b.total().cmp(&a.total()).then(a.field.cmp(&b.field)));
    let states = file_states(&searcher)?;
    Ok(Stats {
        segments: searcher.segment_readers().len(),
        passages: searcher.num_docs(),
        files: states.len(),
        corpus_bytes: states.values().map(|s| s.size).sum(),
        index_bytes: usage.total().get_bytes(),
        stored,
        deletes,
        fields,
    })
}
