//! Who and what the corpus is about: entity counts, and the entities that share passages with one.
//!
//! Counts come from the entity key fast fields, one pass over the live
//! passages of each segment. Names of one type whose spelling-variant keys are
//! equal are one entity ("Ali Vaez", "Ali Fayez"): its name is the most frequent
//! full form, the others and the short forms used in text ("Faiz") are listed as
//! variants; its passage count is the number of live passages naming it in any
//! form, its article count the number of distinct articles among them. Nothing
//! stored is read, so listing stays fast on large indexes.
//!
//! May import: `index`, `names`, `entities` (types).

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use super::mentions::aliases_for;
use crate::entities::EntityKind;
use crate::index::schema::news_tokens;
use crate::index::{Fields, NewsIndex};
use crate::names::curation::Aliases;
use crate::names::keys::{entity_term, name_key, surname, surname_term, words_match};

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
    /// Why each of `variants` is listed under this name, in the same order.
    pub why: Vec<String>,
}

/// Counts for one entity: all names whose variant keys are equal, within one type.
#[derive(Default)]
struct Group {
    passages: u64,
    articles: HashSet<u64>,
    names: HashMap<String, u64>,
    surfaces: HashMap<String, u64>,
}

/// Groups by (type, key), with an index so per-passage work touches no strings; the
/// user's curation decides each name's type, or that it is no entity.
struct Tally {
    index: HashMap<(EntityKind, String), usize>,
    groups: Vec<(EntityKind, Group)>,
    curation: Aliases,
}

impl Tally {
    fn new(curation: Aliases) -> Tally {
        Tally {
            index: HashMap::new(),
            groups: Vec::new(),
            curation,
        }
    }

    /// The group of a name recorded as `kind`, after the user's `[retype]`; `None` for a
    /// name declared `[not_entity]`.
    fn curated(&mut self, kind: EntityKind, name: &str) -> Option<usize> {
        let field = self.curation.kind_of(name, kind.field_name())?;
        let kind = EntityKind::ALL
            .into_iter()
            .find(|k| k.field_name() == field)
            .unwrap_or(kind);
        let key = self.curation.group_key(name);
        Some(self.group(kind, key))
    }

    fn group(&mut self, kind: EntityKind, key: String) -> usize {
        let next = self.groups.len();
        let id = *self.index.entry((kind, key)).or_insert(next);
        if id == next {
            self.groups.push((kind, Group::default()));
        }
        id
    }
}

/// Every entity of the given kinds (all when `kind` is `None`), most passages first.
pub fn list(idx: &NewsIndex, kind: Option<EntityKind>) -> anyhow::Result<Vec<EntityCount>> {
    let searcher = idx.searcher()?;
    let curation = aliases_for(idx, None)?;
    // a retyped name may be recorded under any kind
    let kinds: Vec<EntityKind> = match kind {
        Some(k) if !curation.changes_kinds() => vec![k],
        _ => EntityKind::ALL.to_vec(),
    };
    let mut tally = Tally::new(curation);
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
    let mut tally = Tally::new(aliases_for(idx, None)?);
    count_docs(&searcher, docs.into_iter(), &EntityKind::ALL, &mut tally)?;
    let key = tally.curation.group_key(name);
    let own: Vec<usize> = tally
        .index
        .iter()
        .filter(|((_, k), _)| *k == key)
        .map(|(_, &g)| g)
        .collect();
    for g in own {
        tally.groups[g].1.passages = 0;
    }
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
    let (words, keys) = entity_parts(kind, name)?;
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

/// What [`entity_query`] looks for: the name's words, as the entity fields' analyser cuts
/// them, and its `name_keys` terms.
pub(crate) fn entity_parts(
    kind: EntityKind,
    name: &str,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let words: Vec<String> = news_tokens(name).into_iter().map(|(w, _)| w).collect();
    anyhow::ensure!(
        !words.is_empty(),
        "the name {name:?} has no letters or digits to look for"
    );
    let key = name_key(name);
    let mut keys = vec![entity_term(kind.field_name(), &key)];
    if kind == EntityKind::Person && words.len() == 1 {
        keys.push(surname_term(&key));
    }
    Ok((words, keys))
}

/// A query for passages whose text holds `name` as a phrase: what an entity filter means on
/// an index built with `--no-entities`.
pub fn exact_text_query(f: &Fields, name: &str) -> anyhow::Result<Box<dyn Query>> {
    let words: Vec<String> = news_tokens(name).into_iter().map(|(w, _)| w).collect();
    anyhow::ensure!(
        !words.is_empty(),
        "the name {name:?} has no letters or digits to look for"
    );
    Ok(phrase(f.text, &words))
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

/// Every term of a string fast field's dictionary, indexed by ordinal (one sequential pass).
pub(crate) fn all_terms(col: &tantivy::columnar::StrColumn) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::with_capacity(col.num_terms());
    let mut stream = col.dictionary().stream()?;
    while stream.advance() {
        out.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(out)
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
    for (seg, docs) in by_segment {
        let segment = searcher.segment_reader(seg);
        let fast = segment.fast_fields();
        let article = fast.u64("article_hash")?;
        // ordinal → group, resolved once per segment from each dictionary in order
        let mut columns = Vec::new();
        for &kind in kinds {
            let Some(col) = fast.str(kind.key_field_name())? else {
                continue;
            };
            let names = all_terms(&col)?;
            let groups: Vec<Option<usize>> = names.iter().map(|n| tally.curated(kind, n)).collect();
            columns.push((col, names, groups, vec![0u64; 0]));
        }
        for (_, names, _, counts) in &mut columns {
            *counts = vec![0; names.len()];
        }
        let surface = fast.str("surface")?;
        let forms: Vec<Option<(usize, String)>> = match &surface {
            None => Vec::new(),
            Some(col) => all_terms(col)?
                .into_iter()
                .map(|line| {
                    let mut parts = line.splitn(3, '\t');
                    let (kind, name, form) = (parts.next()?, parts.next()?, parts.next()?);
                    let kind = *kinds.iter().find(|k| k.field_name() == kind)?;
                    Some((tally.curated(kind, name)?, form.to_string()))
                })
                .collect(),
        };
        let mut in_doc: Vec<usize> = Vec::new();
        for &doc in &docs {
            let a = article.first(doc).unwrap_or_default();
            in_doc.clear();
            for (col, _, groups, counts) in &mut columns {
                for ord in col.term_ords(doc) {
                    let Some(group) = groups[ord as usize] else {
                        continue;
                    };
                    counts[ord as usize] += 1;
                    if !in_doc.contains(&group) {
                        in_doc.push(group);
                        let g = &mut tally.groups[group].1;
                        g.passages += 1;
                        g.articles.insert(a);
                    }
                }
            }
            if let Some(col) = &surface {
                for ord in col.term_ords(doc) {
                    if let Some(Some((group, form))) = forms.get(ord as usize) {
                        *tally.groups[*group]
                            .1
                            .surfaces
                            .entry(form.clone())
                            .or_default() += 1;
                    }
                }
            }
        }
        for (_, names, groups, counts) in columns {
            for ((name, group), n) in names.into_iter().zip(groups).zip(counts) {
                if let (Some(group), true) = (group, n > 0) {
                    *tally.groups[group].1.names.entry(name).or_default() += n;
                }
            }
        }
    }
    Ok(())
}

/// The entity names and mention forms of one passage, for counting passages read from
/// elsewhere than a local index (a SolrCloud collection): the same grouping and counts as
/// [`list`] and [`cooccurring`] make from the index's columns.
#[derive(Debug, Default)]
pub struct PassageNames {
    /// Hash of the passage's article id.
    pub article: u64,
    /// Canonical names by kind, each once.
    pub names: Vec<(EntityKind, Vec<String>)>,
    /// Distinct `type<TAB>name<TAB>surface form` lines of its mentions.
    pub surfaces: Vec<String>,
}

/// Counts passages' entities as [`list`] does (of `kind`, or all), under the user's
/// `curation`; with `own`, counts as [`cooccurring`] does, the groups of that name left out.
pub fn count_passages(
    passages: impl Iterator<Item = PassageNames>,
    kind: Option<EntityKind>,
    own: Option<&str>,
    curation: Aliases,
) -> Vec<EntityCount> {
    // a retyped name may be recorded under any kind
    let kinds: Vec<EntityKind> = match kind {
        Some(k) if own.is_none() && !curation.changes_kinds() => vec![k],
        _ => EntityKind::ALL.to_vec(),
    };
    let kinds = &kinds;
    let mut tally = Tally::new(curation);
    let mut in_doc: Vec<usize> = Vec::new();
    for p in passages {
        in_doc.clear();
        for (kind, names) in &p.names {
            if !kinds.contains(kind) {
                continue;
            }
            for name in names {
                let Some(group) = tally.curated(*kind, name) else {
                    continue;
                };
                *tally.groups[group].1.names.entry(name.clone()).or_default() += 1;
                if !in_doc.contains(&group) {
                    in_doc.push(group);
                    let g = &mut tally.groups[group].1;
                    g.passages += 1;
                    g.articles.insert(p.article);
                }
            }
        }
        for line in &p.surfaces {
            let mut parts = line.splitn(3, '\t');
            let (Some(kind), Some(name), Some(form)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Some(kind) = kinds.iter().find(|k| k.field_name() == kind) else {
                continue;
            };
            let Some(group) = tally.curated(*kind, name) else {
                continue;
            };
            *tally.groups[group]
                .1
                .surfaces
                .entry(form.to_string())
                .or_default() += 1;
        }
    }
    if let Some(name) = own {
        let key = tally.curation.group_key(name);
        for ((_, k), &g) in &tally.index {
            if *k == key {
                tally.groups[g].1.passages = 0;
            }
        }
    }
    sorted(tally)
}

/// Why the spelling `variant` is listed under the entity `name`: the evidence that merged
/// them, in words a reader can check.
fn why_merged(name: &str, variant: &str) -> String {
    let key = name_key(variant);
    if key == name_key(name) {
        format!("same variant key {key:?}")
    } else {
        let last = surname(name).unwrap_or(name);
        let first = name.split(' ').next().unwrap_or(name);
        let why = if variant == last {
            "the surname alone"
        } else if words_match(last, variant) {
            "a spelling of the surname (same consonant skeleton)"
        } else if variant == first {
            "the given name alone"
        } else if variant.chars().all(|c| !c.is_lowercase()) {
            "an acronym the article defines for this name"
        } else {
            "a short form"
        };
        format!("{why}, linked to this name within its article")
    }
}

fn sorted(tally: Tally) -> Vec<EntityCount> {
    let mut out: Vec<EntityCount> = tally
        .groups
        .into_iter()
        .filter(|(_, g)| g.passages > 0 && !g.names.is_empty())
        .map(|(kind, g)| {
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
            let why = variants
                .iter()
                .map(|(v, _)| why_merged(&canonical, v))
                .collect();
            EntityCount {
                kind: kind.field_name(),
                name: canonical,
                passages: g.passages,
                articles: g.articles.len() as u64,
                variants: variants.into_iter().map(|(v, _)| v).collect(),
                why,
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
