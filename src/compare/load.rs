//! Finding a version to compare: an article of the index, or a file read as the indexer reads it.
//!
//! A name is looked up in the index first, as an article id, then as a corpus path (which
//! must then hold one article), then as a file inside the corpus the index was built from;
//! otherwise it is read as a file: [`crate::corpus::read_bytes`], split by
//! [`crate::passages::split`] and tagged by the same recogniser the indexer uses, so its
//! entities are named as the index would name them. A file of several articles (JSON,
//! JSON Lines) needs `FILE#ID` with an article id as `newsdex` gives them.
//!
//! May import: corpus, passages, entities, index, search.

use std::path::Path;

use anyhow::Context;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::{Version, VersionPassage};
use crate::corpus::{self, Article, Format, Warning};
use crate::entities::{Recognizer, ShippedRecognizer};
use crate::index::NewsIndex;
use crate::passages;
use crate::search;

/// Finds `name` in the index (when there is one) or on disk; a file's reading warnings
/// (decoding, broken JSON lines) are added to `warnings`.
pub fn version(
    idx: Option<&NewsIndex>,
    name: &str,
    warnings: &mut Vec<Warning>,
) -> anyhow::Result<Version> {
    if let Some(idx) = idx {
        if let Some(v) = from_index(idx, name)? {
            return Ok(v);
        }
    }
    let (file, id) = match name.rsplit_once('#') {
        Some((file, _)) if !Path::new(name).exists() && Path::new(file).is_file() => {
            (file, Some(name))
        }
        _ => (name, None),
    };
    let path = Path::new(file);
    if !path.exists() {
        let where_ = match idx {
            Some(_) => "no article or corpus path of that name in the index, and no such file",
            None => "no such file (and no index to look it up in)",
        };
        anyhow::bail!("{name}: {where_}");
    }
    from_file(path, file, id, warnings)
}

/// Reads a version from a file: the article `id`, or the file's only article.
pub fn from_file(
    path: &Path,
    label: &str,
    id: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> anyhow::Result<Version> {
    let format = Format::from_path(path).with_context(|| {
        format!("{label}: newsdex reads .txt, .md, .html, .htm, .json, .jsonl and .ndjson files")
    })?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {label}"))?;
    let content = corpus::read_bytes(label, format, &bytes);
    warnings.extend(content.warnings);
    let mut articles = content.articles;
    let article = match id {
        Some(id) => articles
            .into_iter()
            .find(|a| a.id == id)
            .with_context(|| format!("{label} holds no article {id}"))?,
        None if articles.len() == 1 => articles.remove(0),
        None if articles.is_empty() => anyhow::bail!("{label} holds no article with text"),
        None => anyhow::bail!(
            "{label} holds {} articles; name one as {}",
            articles.len(),
            articles[0].id
        ),
    };
    Ok(tagged(article))
}

/// Splits and tags an article as the indexer does.
pub fn tagged(article: Article) -> Version {
    let ps = passages::split(&article.text);
    let ents = ShippedRecognizer.recognize(&article, &ps);
    let passages = ps
        .iter()
        .zip(ents)
        .enumerate()
        .map(|(n, (p, e))| VersionPassage {
            number: n,
            start: p.start,
            text: p.text(&article.text).to_string(),
            mentions: e.mentions,
        })
        .collect();
    Version {
        id: article.id,
        title: article.title,
        date: article.date,
        passages,
    }
}

/// Reads an article back from the index by id, by corpus path, or by a file's place in the
/// corpus the index was built from; `None` when the index does not hold it.
pub fn from_index(idx: &NewsIndex, name: &str) -> anyhow::Result<Option<Version>> {
    let f = &idx.fields;
    if let Some(v) = by_term(idx, f.article, name)? {
        return Ok(Some(v));
    }
    if let Some(v) = by_term(idx, f.path, name)? {
        return Ok(Some(v));
    }
    let rel = idx.corpus_root().and_then(|root| {
        let abs = std::fs::canonicalize(name).ok()?;
        let root = std::fs::canonicalize(root).ok()?;
        let rel = abs.strip_prefix(root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    });
    match rel {
        Some(rel) => by_term(idx, f.path, &rel),
        None => Ok(None),
    }
}

fn by_term(idx: &NewsIndex, field: Field, value: &str) -> anyhow::Result<Option<Version>> {
    let searcher = idx.searcher()?;
    let query = TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    );
    let docs = searcher
        .search(&query, &DocSetCollector)
        .with_context(|| format!("looking up {value} in the index"))?;
    if docs.is_empty() {
        return Ok(None);
    }
    let mut hits = docs
        .into_iter()
        .map(|addr| search::load_hit(&searcher, &idx.fields, addr))
        .collect::<anyhow::Result<Vec<_>>>()?;
    hits.sort_by(search::corpus_order);
    let first = hits[0].article.clone();
    if hits.iter().any(|h| h.article != first) {
        let mut ids: Vec<&str> = hits.iter().map(|h| h.article.as_str()).collect();
        ids.dedup();
        anyhow::bail!(
            "{value} holds {} articles; name one by its id, e.g. {}",
            ids.len(),
            ids[0]
        );
    }
    let title = hits[0].title.clone();
    let date = hits[0].date.clone();
    let passages = hits
        .into_iter()
        .enumerate()
        .map(|(n, h)| VersionPassage {
            number: n,
            start: h.start as usize,
            text: h.text,
            mentions: h.mentions,
        })
        .collect();
    Ok(Some(Version {
        id: first,
        title,
        date,
        passages,
    }))
}
