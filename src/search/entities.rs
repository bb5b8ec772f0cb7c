//! Who and what the corpus is about: entity counts, and the entities that share passages with one.
//!
//! Counts come from the entity key fast fields, one pass over the live
//! passages of each segment: a name's passage count is the number of live
//! passages that carry it, its article count the number of distinct articles
//! among them. Nothing stored is read, so listing stays fast on large indexes.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::entities::EntityKind;
use crate::index::schema::news_tokens;
use crate::index::{Fields, NewsIndex};

/// One entity with how much of the corpus mentions it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EntityCount {
    /// `person`, `place` or `org`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The canonical name.
    pub name: String,
    /// Passages that mention it.
    pub passages: u64,
    /// Articles that mention it.
    pub articles: u64,
}

type Tally = HashMap<(EntityKind, String), (u64, HashSet<u64>)>;

/// Every entity of the given kinds (all when `kind` is `None`), most passages first.
pub fn list(idx: &NewsIndex, kind: Option<EntityKind>) -> anyhow::Result<Vec<EntityCount>> {
    let searcher = idx.searcher()?;
    let kinds: Vec<EntityKind> = kind.map_or(EntityKind::ALL.to_vec(), |k| vec![k]);
    let mut tally = Tally::new();
    for (seg_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let docs: Vec<u32> = segment.doc_ids_alive().collect();
        let addrs = docs.iter().map(|&d| DocAddress::new(seg_ord as u32, d));
        count_docs(&searcher, addrs, &kinds, &mut tally)?;
    }
    Ok(sorted(tally))
}

/// The entities that share at least one passage with `name` (any kind), most shared first.
pub fn cooccurring(idx: &NewsIndex, name: &str) -> anyhow::Result<(Vec<EntityCount>, usize)> {
    let searcher = idx.searcher()?;
    let query = name_query(&idx.fields, name)?;
    let docs = searcher
        .search(&query, &DocSetCollector)
        .context("finding the name's passages")?;
    let n = docs.len();
    let mut tally = Tally::new();
    count_docs(&searcher, docs.into_iter(), &EntityKind::ALL, &mut tally)?;
    let lower = name.to_lowercase();
    tally.retain(|(_, n), _| n.to_lowercase() != lower);
    Ok((sorted(tally), n))
}

/// A query for passages whose person, place or org fields hold `name` as a phrase.
pub fn name_query(f: &Fields, name: &str) -> anyhow::Result<Box<dyn Query>> {
    let words: Vec<String> = news_tokens(name).into_iter().map(|(w, _)| w).collect();
    anyhow::ensure!(
        !words.is_empty(),
        "the name {name:?} has no letters or digits to look for"
    );
    let clauses = EntityKind::ALL
        .iter()
        .map(|&k| (Occur::Should, phrase(f.entity(k), &words)))
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// A phrase (or single-term) query for `words` on `field`.
pub fn phrase(field: tantivy::schema::Field, words: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

fn count_docs(
    searcher: &Searcher,
    docs: impl Iterator<Item = DocAddress>,
    kinds: &[EntityKind],
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for addr in docs {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    let mut buf = String::new();
    for (seg, docs) in by_segment {
        let segment = searcher.segment_reader(seg);
        let fast = segment.fast_fields();
        let article = fast
            .str("article")?
            .context("the index has no article column; rebuild it")?;
        let mut article_hash: HashMap<u64, u64> = HashMap::new();
        for &kind in kinds {
            let Some(col) = fast.str(&format!("{}_key", kind.field_name()))? else {
                continue;
            };
            let mut local: HashMap<u64, (u64, HashSet<u64>)> = HashMap::new();
            for &doc in &docs {
                let Some(a) = article.term_ords(doc).next() else {
                    continue;
                };
                let a = *article_hash.entry(a).or_insert_with(|| {
                    buf.clear();
                    let _ = article.ord_to_str(a, &mut buf);
                    crate::corpus::content_hash(buf.as_bytes())
                });
                for ord in col.term_ords(doc) {
                    let e = local.entry(ord).or_default();
                    e.0 += 1;
                    e.1.insert(a);
                }
            }
            for (ord, (passages, articles)) in local {
                buf.clear();
                col.ord_to_str(ord, &mut buf)?;
                let e = tally.entry((kind, buf.clone())).or_default();
                e.0 += passages;
                e.1.extend(articles);
            }
        }
    }
    Ok(())
}

fn sorted(tally: Tally) -> Vec<EntityCount> {
    let mut out: Vec<EntityCount> = tally
        .into_iter()
        .map(|((kind, name), (passages, articles))| EntityCount {
            kind: kind.field_name(),
            name,
            passages,
            articles: articles.len() as u64,
        })
        .collect();
    out.sort_by(|a, b| {
        b.passages
            .cmp(&a.passages)
            .then(b.articles.cmp(&a.articles))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.kind.cmp(b.kind))
    });
    out
}
