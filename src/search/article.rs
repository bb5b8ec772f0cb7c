//! One whole article read back from the index: every passage, in order, with the
//! entities recorded in it. The index stores each passage's text and byte offset, so
//! the article is rebuilt from its passages without reading the corpus file.
//!
//! May import: `index`, `names`, `entities` (types).

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{load_hit, Hit};
use crate::index::NewsIndex;

/// One recorded entity mention within a passage.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EntitySpan {
    /// `person`, `place` or `org`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The canonical name it was recorded under.
    pub name: String,
    /// Byte offset in the passage text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

/// A passage of an article with its entity spans; serialises as the passage's
/// [`Hit`] fields plus `entities`.
#[derive(Clone, Debug, Serialize)]
pub struct ArticlePassage {
    /// The passage, as search returns it (no score, no highlights).
    #[serde(flatten)]
    pub hit: Hit,
    /// Where each recorded entity stands in the passage text, in text order.
    pub entities: Vec<EntitySpan>,
}

/// Every passage of the article with id `id`, in passage order; empty when no article
/// has that id.
pub fn article(idx: &NewsIndex, id: &str) -> anyhow::Result<Vec<ArticlePassage>> {
    let searcher = idx.searcher()?;
    let term = Term::from_field_text(idx.fields.article, id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let docs = searcher
        .search(&query, &DocSetCollector)
        .context("looking up the article")?;
    let mut docs: Vec<_> = docs.into_iter().collect();
    docs.sort_by_key(|a| (a.segment_ord, a.doc_id));
    let mut passages = docs
        .into_iter()
        .map(|addr| {
            let hit = load_hit(&searcher, &idx.fields, addr)?;
            let entities = entity_spans(&hit);
            Ok(ArticlePassage { hit, entities })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    passages.sort_by_key(|p| p.hit.passage);
    Ok(passages)
}

/// A hit's recorded entity mentions as spans, skipping any that do not fall on
/// character boundaries of its text.
pub fn entity_spans(hit: &Hit) -> Vec<EntitySpan> {
    let mut spans: Vec<EntitySpan> = hit
        .mentions
        .iter()
        .filter(|m| hit.text.get(m.start..m.end).is_some())
        .map(|m| EntitySpan {
            kind: m.kind.field_name(),
            name: m.name.clone(),
            start: m.start,
            end: m.end,
        })
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    spans
}
