//! Queries: ranked search over passages, and the exhaustive list of a name's mentions.
//!
//! [`search`] parses tantivy query syntax over passage text and titles (with
//! `person:`, `place:`, `org:` and the other fields by name), ranks passages by
//! BM25 and returns the top hits with their matching words highlighted.
//! [`mentions`] is not top-k: it returns *every* passage whose text contains a
//! name as a phrase, in corpus order, because a reporter asking "where is X
//! mentioned" needs all of them.
//!
//! May import: `index`, `names`, `entities` (types).

pub mod article;
pub mod entities;
pub mod facets;
mod highlight;
pub mod keyed;
pub mod mentions;
mod order;

use std::cmp::Ordering;

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, QueryParser};
use tantivy::schema::Value;
use tantivy::{DocAddress, Executor, Searcher, TantivyDocument};

use crate::entities::{EntityKind, PassageEntities, PassageMention};
use crate::index::schema::{decode_mentions, news_tokens};
use crate::index::{Fields, NewsIndex};
use crate::names::keys;

/// One passage returned by a query; also the `--json` line format.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Hit {
    /// Corpus path of the file.
    pub path: String,
    /// Article id (the path, or path#id inside JSON Lines).
    pub article: String,
    /// Article title.
    pub title: String,
    /// 0-based passage number within the article.
    pub passage: u64,
    /// BM25 score (`null` for `mentions`, which is not ranked).
    pub score: Option<f32>,
    /// The passage text, as in the source.
    pub text: String,
    /// Byte ranges `[start, end)` of the matches within `text`.
    pub highlights: Vec<[usize; 2]>,
    /// People the passage names.
    pub person: Vec<String>,
    /// Places the passage names.
    pub place: Vec<String>,
    /// Organisations the passage names.
    pub org: Vec<String>,
    /// Byte offset of the passage in its article's text.
    pub start: u64,
    /// Byte offset one past its end.
    pub end: u64,
    /// Article date, if known.
    pub date: Option<String>,
    /// Article source, if known.
    pub source: Option<String>,
    /// Article address, if known.
    pub url: Option<String>,
    /// `mentions` only: the spellings of the name this passage uses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<String>>,
    /// The passage's stored mentions, kept for `mentions` to read.
    #[serde(skip)]
    pub(crate) mentions: Vec<PassageMention>,
}

/// Why a query could not run, worded for the user.
#[derive(Debug)]
pub struct QueryError(pub String);

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

/// Parses a user query: tantivy syntax, all words required unless OR is written.
pub fn parse_query(idx: &NewsIndex, query: &str) -> Result<Box<dyn Query>, QueryError> {
    if query.trim().is_empty() {
        return Err(QueryError("the query is empty".into()));
    }
    if let Some(field) = unknown_field(idx, query) {
        return Err(QueryError(format!(
            "cannot parse query {query:?}: {}",
            describe(&tantivy::query::QueryParserError::FieldDoesNotExist(field))
        )));
    }
    let f = &idx.fields;
    let mut parser = QueryParser::for_index(&idx.index, vec![f.text, f.title]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.title, 0.5);
    let expanded = if idx.has_entities() {
        expand_entity_terms(query)
    } else {
        plain_entity_terms(query)
    };
    parser
        .parse_query(&expanded)
        .map_err(|err| QueryError(format!("cannot parse query {query:?}: {}", describe(&err))))
}

/// Rewrites `person:X`, `place:X` and `org:X` so they match every spelling of X:
/// `(person:X OR name_keys:"person:<key>")` (and the surname key for one word).
fn expand_entity_terms(query: &str) -> String {
    let mut out = String::with_capacity(query.len() * 2);
    let mut rest = query;
    while !rest.is_empty() {
        let at_boundary = out.is_empty() || out.ends_with([' ', '(', '+', '-']);
        let field = ["person:", "place:", "org:"]
            .into_iter()
            .find(|p| at_boundary && rest.starts_with(p));
        let Some(field) = field else {
            let c = rest.chars().next().expect("rest is not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let value_src = &rest[field.len()..];
        let (value, len) = if let Some(quoted) = value_src.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], end + 2),
                None => {
                    // unbalanced: leave it for the parser to report
                    out.push_str(rest);
                    break;
                }
            }
        } else {
            let end = value_src.find([' ', ')', '(']).unwrap_or(value_src.len());
            (&value_src[..end], end)
        };
        let original = &rest[..field.len() + len];
        rest = &rest[field.len() + len..];
        let kind = &field[..field.len() - 1];
        if value == "*" {
            // "passages naming any person": exists on the key column
            out.push_str(&format!("{}_key:*", &field[..field.len() - 1]));
            continue;
        }
        if value.is_empty() || value.contains(['*', '[', '{', '\\']) {
            out.push_str(original);
            continue;
        }
        let key = keys::name_key(value);
        out.push_str(&format!(
            "({original} OR name_keys:\"{}\"",
            keys::entity_term(kind, &key)
        ));
        if kind == "person" && news_tokens(value).len() == 1 {
            out.push_str(&format!(" OR name_keys:\"{}\"", keys::surname_term(&key)));
        }
        out.push(')');
    }
    out
}

/// For an index built with `--no-entities`: `person:X`, `place:X` and `org:X` become
/// `text:X`, the exact words in the passage text (the entity fields are empty there).
fn plain_entity_terms(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        let at_boundary = out.is_empty() || out.ends_with([' ', '(', '+', '-']);
        let field = ["person:", "place:", "org:"]
            .into_iter()
            .find(|p| at_boundary && rest.starts_with(p));
        match field {
            // "any person": the key column, empty in such an index, as in `expand_entity_terms`
            Some(field) if rest[field.len()..].starts_with('*') => {
                out.push_str(&format!("{}_key:", &field[..field.len() - 1]));
                rest = &rest[field.len()..];
            }
            Some(field) => {
                out.push_str("text:");
                rest = &rest[field.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The first `name:` outside quotes whose field the index lacks (tantivy accepts some
/// such queries, `nosuch:*`, and fails only when they run).
fn unknown_field(idx: &NewsIndex, query: &str) -> Option<String> {
    let schema = idx.index.schema();
    let mut in_quotes = false;
    let mut word_start: Option<usize> = None;
    for (i, c) in query.char_indices() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                word_start = None;
            }
            ':' if !in_quotes => {
                if let Some(s) = word_start.take() {
                    let name = &query[s..i];
                    if schema.get_field(name).is_err() {
                        return Some(name.to_string());
                    }
                }
            }
            c if !in_quotes && (c.is_alphanumeric() || c == '_') => {
                word_start.get_or_insert(i);
            }
            '\\' => word_start = None,
            _ => word_start = None,
        }
    }
    None
}

fn describe(err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::SyntaxError(s) => format!("syntax error ({s}); check quotes, parentheses and `field:` prefixes"),
        E::FieldDoesNotExist(field) => format!(
            "no field `{field}`; fields are text, title, person, place, org, path, source, date, url"
        ),
        other => other.to_string(),
    }
}

/// Adds required entity filters (`--person`, `--place`, `--org`) to a parsed query.
pub fn with_filters(
    idx: &NewsIndex,
    query: Option<Box<dyn Query>>,
    filters: &[(EntityKind, String)],
    cache: Option<&std::sync::Arc<facets::NameCache>>,
) -> anyhow::Result<Box<dyn Query>> {
    // a filter narrows and does not rank: with a query the query alone scores; without,
    // every passage scores 1 and they come in index order. (Scored, a filter's phrase in
    // the entity field made its passages rank by how short their list of names was.)
    let filter_score = if query.is_some() { 0.0 } else { 1.0 };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        query.into_iter().map(|q| (Occur::Must, q)).collect();
    let plain = !idx.has_entities();
    let curation = if filters.is_empty() {
        Default::default()
    } else {
        mentions::aliases_for(idx, None)?
    };
    for (kind, name) in filters {
        let context = || format!("in the --{} filter", kind.field_name());
        // the user's curation: a name they ruled out, or gave another kind, matches
        // nothing here; one they gave this kind matches however it was recorded
        let q: Box<dyn Query> = match curation.retyped(name) {
            // an index built with --no-entities has no entities: the exact text stands in
            _ if plain => entities::exact_text_query(&idx.fields, name).with_context(context)?,
            _ if curation.is_not_entity(name) => Box::new(tantivy::query::EmptyQuery),
            Some(k) if k != kind.field_name() => Box::new(tantivy::query::EmptyQuery),
            Some(_) => entities::name_query(&idx.fields, name).with_context(context)?,
            None => {
                // a name and the names declared the same as it, recorded as this kind;
                // a server looks the names up in its cache (the same passages, faster)
                let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for n in std::iter::once(name.clone()).chain(curation.same_as(name)) {
                    let q: Box<dyn Query> = match cache {
                        Some(cache) => Box::new(
                            keyed::KeyedFilter::new(&idx.fields, *kind, &n, cache)
                                .with_context(context)?,
                        ),
                        None => {
                            entities::entity_query(&idx.fields, *kind, &n).with_context(context)?
                        }
                    };
                    any.push((Occur::Should, q));
                }
                match any.len() {
                    1 => any.pop().expect("one clause").1,
                    _ => Box::new(BooleanQuery::new(any)),
                }
            }
        };
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, filter_score))));
    }
    anyhow::ensure!(
        !clauses.is_empty(),
        "give a query or at least one of --person, --place, --org"
    );
    if clauses.len() == 1 {
        return Ok(clauses.pop().expect("one clause").1);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// Runs a ranked search and returns at most `limit` hits, best first.
pub fn search(idx: &NewsIndex, query: &dyn Query, limit: usize) -> anyhow::Result<Vec<Hit>> {
    let searcher = idx.searcher()?;
    let executor = executor_for(&searcher)?;
    let top = top_docs(&searcher, &executor, query, limit)?;
    load_ranked(idx, &searcher, &executor, query, top)
}

/// The addresses and scores of the best `limit` passages, best first.
fn top_docs(
    searcher: &Searcher,
    executor: &Executor,
    query: &dyn Query,
    limit: usize,
) -> anyhow::Result<Vec<(f32, DocAddress)>> {
    let collector = TopDocs::with_limit(limit.max(1)).order_by_score();
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    searcher
        .search_with_executor(query, &collector, executor, scoring)
        .map_err(|err| match err {
            tantivy::TantivyError::FieldNotFound(field) => anyhow::Error::new(QueryError(format!(
                "no field `{field}`; fields are text, title, person, place, org, path, source, date, url"
            ))),
            tantivy::TantivyError::SchemaError(msg) if msg.contains("not a fast field") => {
                anyhow::Error::new(QueryError(
                    "`field:*` (any value) works only for person, place and org".to_string(),
                ))
            }
            err => anyhow::Error::new(err).context("running the search"),
        })
}

/// Reads ranked passages and marks the query's words in them.
fn load_ranked(
    idx: &NewsIndex,
    searcher: &Searcher,
    executor: &Executor,
    query: &dyn Query,
    top: Vec<(f32, DocAddress)>,
) -> anyhow::Result<Vec<Hit>> {
    let marker = highlight::TermMarker::new(query, &idx.fields);
    let loaded = executor.map(
        |(score, addr)| Ok((score, load_hit(searcher, &idx.fields, addr))),
        top.into_iter(),
    )?;
    loaded
        .into_iter()
        .map(|(score, hit)| {
            let mut hit = hit?;
            hit.score = Some(score);
            hit.highlights = marker.mark(&hit.text);
            Ok(hit)
        })
        .collect()
}

/// Searches segments, and reads the hits' stored passages, on as many threads as there
/// are cores and segments: a phrase of two common words ("World Bank") is scored in every
/// passage holding both, and on the 1 GB benchmark index (9 segments) two threads take that
/// whole command from about 11 to 8 ms, for 0.3 ms more on a query that matches nothing
/// (starting the pool; BENCHMARKS.md). One segment needs no pool.
fn executor_for(searcher: &Searcher) -> anyhow::Result<Executor> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(searcher.segment_readers().len());
    if threads < 2 {
        return Ok(Executor::single_thread());
    }
    Executor::multi_thread(threads, "newsdex-search-").context("starting search threads")
}

/// Orders hits as they stand in the corpus: path, article (numbers compared as numbers), passage.
pub fn corpus_order(a: &Hit, b: &Hit) -> Ordering {
    a.path
        .cmp(&b.path)
        .then_with(|| natural_cmp(&a.article, &b.article))
        .then(a.passage.cmp(&b.passage))
}

pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (trim_zeros(&a[..na]), trim_zeros(&b[..nb]));
                let ord = da.len().cmp(&db.len()).then(da.cmp(db));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => {
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

pub(crate) fn load_hit(searcher: &Searcher, f: &Fields, addr: DocAddress) -> anyhow::Result<Hit> {
    let doc: TantivyDocument = searcher.doc(addr).context("reading a stored passage")?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let num = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_u64())
            .unwrap_or_default()
    };
    StoredPassage {
        path: text(f.path),
        article: text(f.article),
        heading: text(f.heading),
        passage: num(f.passage),
        start: num(f.start),
        text: text(f.text),
        ents: text(f.ents),
        date: text(f.date),
        source: text(f.source),
        url: text(f.url),
    }
    .into_hit()
    .context("a passage's stored entities are unreadable; rebuild the index")
}

/// A passage's stored fields as a store gives them back (the local index or a SolrCloud
/// collection): the one place a [`Hit`] is made from them.
pub struct StoredPassage {
    /// `path`.
    pub path: Option<String>,
    /// `article`.
    pub article: Option<String>,
    /// `heading`: the title as shown.
    pub heading: Option<String>,
    /// `passage`.
    pub passage: u64,
    /// `start`: byte offset of the passage in its article.
    pub start: u64,
    /// `text`.
    pub text: Option<String>,
    /// `ents`: the encoded mentions.
    pub ents: Option<String>,
    /// `date`.
    pub date: Option<String>,
    /// `source`.
    pub source: Option<String>,
    /// `url`.
    pub url: Option<String>,
}

impl StoredPassage {
    /// The hit these fields make; `None` when the stored mentions cannot be decoded.
    pub fn into_hit(self) -> Option<Hit> {
        let passage = self.text.unwrap_or_default();
        let mentions = match &self.ents {
            Some(stored) => decode_mentions(&passage, stored)?,
            None => Vec::new(),
        };
        // the entity lists are read back from the mentions, first mention first
        let mut names = PassageEntities::default();
        for m in &mentions {
            names.add(m.kind, &m.name);
        }
        Some(Hit {
            path: self.path.unwrap_or_default(),
            article: self.article.unwrap_or_default(),
            title: self.heading.unwrap_or_default(),
            passage: self.passage,
            score: None,
            end: self.start + passage.len() as u64,
            start: self.start,
            text: passage,
            highlights: Vec::new(),
            person: names.person,
            place: names.place,
            org: names.org,
            date: self.date,
            source: self.source,
            url: self.url,
            matched: None,
            mentions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_terms_expand_to_variant_keys() {
        let q = expand_entity_terms("strikes AND person:\"Ali Vaez\" -org:Hamas title:x");
        assert!(
            q.starts_with("strikes AND (person:\"Ali Vaez\" OR name_keys:\"person:"),
            "{q}"
        );
        assert!(
            q.contains("-(org:Hamas OR name_keys:\"org:=hamas\")"),
            "{q}"
        );
        assert!(q.ends_with(" title:x"), "{q}");
        assert_eq!(expand_entity_terms("person:\"open"), "person:\"open");
        assert_eq!(expand_entity_terms("xperson:a"), "xperson:a");
    }

    #[test]
    fn natural_order_compares_numbers() {
        let mut ids = vec!["a#L10", "a#L2", "a#L1", "a", "b#L02", "b#L1"];
        ids.sort_by(|x, y| natural_cmp(x, y));
        assert_eq!(ids, ["a", "a#L1", "a#L2", "a#L10", "b#L1", "b#L02"]);
    }
}
