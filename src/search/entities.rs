//! Who and what the corpus is about: entity counts, and the entities that share passages with one.
//!
//! Counts come from the entity key fast fields, one pass over the live
//! passages of each segment. Names of one type whose spelling-variant keys are
//! equal are one entity ("Ali Vaez", "Ali Fayez"): its name is the most frequent
//! full form, the others and the short forms used in text ("Faiz") are listed as
//! variants; its passage count is the number of live passages naming it in any
//! form, its article count the number of distinct articles among them. Nothing
//! stored is read, so listing stays fast on large indexes.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::entities::names::name_key;
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
    /// Other spellings of it in the corpus (names and short forms), most frequent first.
    pub variants: Vec<String>,
}

/// Counts for one entity: all names whose variant keys are equal, within one type.
#[derive(Default)]
struct Group {
    passages: u64,
    articles: HashSet<u64>,
    names: HashMap<String, u64>,
    surfaces: HashMap<String, u64>,
}

type Tally = HashMap<(EntityKind, String), Group>;

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
    let key = name_key(name);
    tally.retain(|(_, k), _| *k != key);
    Ok((sorted(tally), n))
}

/// A query for passages naming `name` as an entity of any type, in any spelling.
pub fn name_query(f: &Fields, name: &str) -> anyhow::Result<Box<dyn Query>> {
    let clauses = EntityKind::ALL
        .iter()
        .map(|&k| entity_query(f, k, name).map(|q| (Occur::Should, q)))
        .collect::<anyhow::Result<_>>()?;
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// A query for passages naming `name` as an entity of `kind`: the name's words in the
/// entity field, or any spelling variant by key (a one-word person name: any full name
/// with that surname too).
pub fn entity_query(f: &Fields, kind: EntityKind, name: &str) -> anyhow::Result<Box<dyn Query>> {
    let words: Vec<String> = news_tokens(name).into_iter().map(|(w, _)| w).collect();
    anyhow::ensure!(
        !words.is_empty(),
        "the name {name:?} has no letters or digits to look for"
    );
    let key = name_key(name);
    let mut keys = vec![format!("{}:{key}", kind.field_name())];
    if kind == EntityKind::Person && words.len() == 1 {
        keys.push(format!("person~{key}"));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, phrase(f.entity(kind), &words))];
    for k in keys {
        let term = Term::from_field_text(f.name_keys, &k);
        clauses.push((
            Occur::Should,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
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
        let surface = fast.str("surface")?;
        let mut article_hash: HashMap<u64, u64> = HashMap::new();
        for &kind in kinds {
            let Some(col) = fast.str(&format!("{}_key", kind.field_name()))? else {
                continue;
            };
            // ord → (name, key), resolved once per segment
            let mut resolved: HashMap<u64, (String, String)> = HashMap::new();
            let mut in_doc: HashSet<String> = HashSet::new();
            for &doc in &docs {
                let Some(a) = article.term_ords(doc).next() else {
                    continue;
                };
                let a = *article_hash.entry(a).or_insert_with(|| {
                    buf.clear();
                    let _ = article.ord_to_str(a, &mut buf);
                    crate::corpus::content_hash(buf.as_bytes())
                });
                in_doc.clear();
                for ord in col.term_ords(doc) {
                    let (name, key) = resolved.entry(ord).or_insert_with(|| {
                        let mut name = String::new();
                        let _ = col.ord_to_str(ord, &mut name);
                        let key = name_key(&name);
                        (name, key)
                    });
                    let group = tally.entry((kind, key.clone())).or_default();
                    *group.names.entry(name.clone()).or_default() += 1;
                    if in_doc.insert(key.clone()) {
                        group.passages += 1;
                        group.articles.insert(a);
                    }
                }
                let Some(surface) = &surface else { continue };
                for ord in surface.term_ords(doc) {
                    buf.clear();
                    surface.ord_to_str(ord, &mut buf)?;
                    let mut parts = buf.splitn(3, '\t');
                    let (Some(k), Some(name), Some(form)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        continue;
                    };
                    if k == kind.field_name() {
                        let group = tally.entry((kind, name_key(name))).or_default();
                        *group.surfaces.entry(form.to_string()).or_default() += 1;
                    }
                }
            }
        }
    }
    Ok(())
}

fn sorted(tally: Tally) -> Vec<EntityCount> {
    let mut out: Vec<EntityCount> = tally
        .into_iter()
        .filter(|(_, g)| g.passages > 0)
        .map(|((kind, _), g)| {
            let mut names: Vec<(String, u64)> = g.names.into_iter().collect();
            names.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| b.0.len().cmp(&a.0.len()))
                    .then_with(|| a.0.cmp(&b.0))
            });
            let canonical = names[0].0.clone();
            let mut variants: Vec<(String, u64)> = names.into_iter().skip(1).collect();
            for (form, n) in g.surfaces {
                if form != canonical && !variants.iter().any(|(v, _)| *v == form) {
                    variants.push((form, n));
                }
            }
            variants.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            EntityCount {
                kind: kind.field_name(),
                name: canonical,
                passages: g.passages,
                articles: g.articles.len() as u64,
                variants: variants.into_iter().map(|(v, _)| v).collect(),
            }
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
