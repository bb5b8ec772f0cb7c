//! Corpus order for a set of matching passages, read from the index's columns and
//! dictionaries instead of from the stored passages.
//!
//! `mentions` lists passages as they stand in the corpus: by path, then article id
//! (numbers compared as numbers, see [`super::corpus_order`]), then passage number. Sorting
//! loaded hits needs every hit in memory at once (760 MB for 110k passages of the 1 GB
//! benchmark); [`in_corpus_order`] instead sorts the *addresses* of the matches, so the
//! stored passages can then be read, checked and printed a batch at a time. The path and the
//! passage number are fast columns. The article id is not a column (one more would cost
//! index size for this alone), but its hash is, and tells whether a path's matches lie in
//! one article (always so for a text, Markdown or HTML file: their passages then sort by
//! number). For a path whose matches lie in several articles (a JSON or JSON Lines file),
//! the article ids of that path are streamed from the segment's term dictionary and their
//! postings mark which matches belong to which article: a walk over that file's articles
//! (a few thousand terms for a large JSON Lines file). Memory: a few dozen bytes per match.
//!
//! May import: `index`.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use anyhow::Context;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED};

use super::natural_cmp;
use crate::index::Fields;

/// What orders one match: its path's rank, its article id when its path has matches in
/// other articles, and its passage number.
struct Row {
    path: u32,
    article_hash: u64,
    article: Option<Rc<str>>,
    passage: u64,
    addr: DocAddress,
}

/// The addresses sorted into corpus order: path, article id (natural order), passage. Ties
/// (none in a consistent index) keep index order.
pub fn in_corpus_order(
    searcher: &Searcher,
    fields: &Fields,
    docs: impl IntoIterator<Item = DocAddress>,
) -> anyhow::Result<Vec<DocAddress>> {
    let mut by_segment: Vec<Vec<DocId>> = vec![Vec::new(); searcher.segment_readers().len()];
    for addr in docs {
        by_segment[addr.segment_ord as usize].push(addr.doc_id);
    }
    let mut paths = Paths::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut segment_start = Vec::with_capacity(by_segment.len());
    for (segment_ord, docs) in by_segment.iter_mut().enumerate() {
        docs.sort_unstable();
        segment_start.push(rows.len());
        read_columns(searcher, segment_ord as u32, docs, &mut paths, &mut rows)?;
    }
    // a path needs its article ids read only when its matches lie in different articles
    let mut first_article: Vec<Option<u64>> = vec![None; paths.names.len()];
    let mut several_articles = vec![false; paths.names.len()];
    for row in &rows {
        let first = first_article[row.path as usize].get_or_insert(row.article_hash);
        if *first != row.article_hash {
            several_articles[row.path as usize] = true;
        }
    }
    for (segment_ord, docs) in by_segment.iter().enumerate() {
        let start = segment_start[segment_ord];
        let seg_rows = &mut rows[start..start + docs.len()];
        read_articles(
            searcher,
            fields,
            segment_ord as u32,
            docs,
            seg_rows,
            &paths,
            &several_articles,
        )?;
    }
    let rank = paths.ranks();
    rows.sort_by(|a, b| {
        rank[a.path as usize]
            .cmp(&rank[b.path as usize])
            .then_with(|| match (&a.article, &b.article) {
                (Some(x), Some(y)) => natural_cmp(x, y),
                _ => Ordering::Equal,
            })
            .then(a.passage.cmp(&b.passage))
    });
    Ok(rows.into_iter().map(|r| r.addr).collect())
}

/// Every distinct path seen, numbered in the order first met.
#[derive(Default)]
struct Paths {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Paths {
    fn id(&mut self, name: &[u8]) -> u32 {
        let name = String::from_utf8_lossy(name);
        if let Some(&id) = self.ids.get(name.as_ref()) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.into_owned(), id);
        id
    }

    /// Each path id's position among the paths sorted by name.
    fn ranks(&self) -> Vec<u32> {
        let mut by_name: Vec<u32> = (0..self.names.len() as u32).collect();
        by_name.sort_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut rank = vec![0u32; by_name.len()];
        for (r, id) in by_name.into_iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        rank
    }
}

/// Appends a row per doc (sorted ids of one segment) with its path and passage number
/// from the fast columns; the path dictionary is read in one ordered pass.
fn read_columns(
    searcher: &Searcher,
    segment_ord: u32,
    docs: &[DocId],
    paths: &mut Paths,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let fast = searcher.segment_reader(segment_ord).fast_fields();
    let path_column = fast
        .str("path")?
        .context("the index has no path column; rebuild it")?;
    let passages = fast.u64("passage").context("reading the passage column")?;
    let article_hashes = fast
        .u64("article_hash")
        .context("reading the article column")?;
    let ords: Vec<Option<u64>> = docs
        .iter()
        .map(|&doc| path_column.term_ords(doc).next())
        .collect();
    let mut unique: Vec<u64> = ords.iter().flatten().copied().collect();
    unique.sort_unstable();
    unique.dedup();
    let mut ids = Vec::with_capacity(unique.len());
    path_column
        .dictionary()
        .sorted_ords_to_term_cb(&unique, |bytes| ids.push(paths.id(bytes)))
        .context("reading the path dictionary")?;
    anyhow::ensure!(
        ids.len() == unique.len(),
        "the index's path dictionary is damaged; rebuild it"
    );
    let no_path = paths.id(b"");
    for (&doc, ord) in docs.iter().zip(&ords) {
        let path = ord
            .and_then(|o| unique.binary_search(&o).ok())
            .map_or(no_path, |i| ids[i]);
        rows.push(Row {
            path,
            article_hash: article_hashes.first(doc).unwrap_or_default(),
            article: None,
            passage: passages.first(doc).unwrap_or_default(),
            addr: DocAddress::new(segment_ord, doc),
        });
    }
    Ok(())
}

/// Fills in the article id of the rows (one segment's, sorted by doc) whose path has matches
/// in several articles: the path itself, or one of the `path#…` ids of a multi-article file.
fn read_articles(
    searcher: &Searcher,
    fields: &Fields,
    segment_ord: u32,
    docs: &[DocId],
    rows: &mut [Row],
    paths: &Paths,
    several_articles: &[bool],
) -> anyhow::Result<()> {
    let mut wanted: Vec<u32> = rows
        .iter()
        .map(|r| r.path)
        .filter(|&p| several_articles[p as usize])
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(());
    }
    let inverted = searcher
        .segment_reader(segment_ord)
        .inverted_index(fields.article)
        .context("reading the article ids")?;
    let terms = inverted.terms();
    let mut mark = |article: &[u8], info: &tantivy::postings::TermInfo| -> anyhow::Result<()> {
        let id: Rc<str> = Rc::from(String::from_utf8_lossy(article).as_ref());
        let mut postings = inverted
            .read_postings_from_terminfo(info, IndexRecordOption::Basic)
            .context("reading the article ids")?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if let Ok(i) = docs.binary_search(&doc) {
                rows[i].article = Some(Rc::clone(&id));
            }
            doc = postings.advance();
        }
        Ok(())
    };
    for path in wanted {
        let name = paths.names[path as usize].as_bytes();
        if let Some(info) = terms.get(name).context("reading the article ids")? {
            mark(name, &info)?;
        }
        // `path#id` and `path#L<line>`: every id from "path#" up to (not including) "path$"
        let mut low = name.to_vec();
        low.push(b'#');
        let mut high = name.to_vec();
        high.push(b'#' + 1);
        let mut stream = terms
            .range()
            .ge(&low)
            .lt(&high)
            .into_stream()
            .context("reading the article ids")?;
        while stream.advance() {
            mark(stream.key(), stream.value())?;
        }
    }
    Ok(())
}
