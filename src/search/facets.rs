//! Ranked search with facets: one page of hits, and the people, places and
//! organisations named in a wider window of the best passages, with counts.
//!
//! The window's names are read from the entity key columns (fast fields holding
//! each passage's canonical names), not from the stored passages, so counting
//! the top 100 costs a few column look-ups per passage instead of reading and
//! highlighting 100 passages of which a page shows 20.
//!
//! A resident server keeps a [`NameCache`]: each segment's names spelled out once,
//! by ordinal. Spelling an ordinal from the column's dictionary decompresses one of
//! its zstd blocks, and the zstd crate makes a new decompression context for each,
//! which runs the CPUID instruction — a trap to the hypervisor on a virtual
//! machine. Profiled under `serve` with 8 clients, those look-ups were 30% of the
//! server's CPU.
//!
//! May import: `index`, `names`, `entities` (types).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Context;
use tantivy::query::Query;

use tantivy::index::SegmentId;
use tantivy::Executor;

use super::{load_ranked, top_docs, Hit};
use crate::entities::EntityKind;
use crate::index::NewsIndex;

/// One page of ranked hits and the names in the window around it.
#[derive(Debug)]
pub struct FacetedHits {
    /// The hits `skip..skip + take` of the ranking, highlighted.
    pub hits: Vec<Hit>,
    /// Whether the ranking goes on after this page.
    pub more: bool,
    /// For each kind (in [`EntityKind::ALL`] order), every name in the window with the
    /// number of its passages there, most first, then by name.
    pub names: [Vec<(String, usize)>; 3],
}

/// Every segment's key-column names spelled out, by ordinal, for as long as the segment
/// lives: a segment is immutable, so its names never change; the entries of segments a
/// merge or a rebuild removed are dropped when a search no longer sees them.
#[derive(Default)]
pub struct NameCache {
    columns: Mutex<Columns>,
}

/// The spelled key columns, for each (segment, kind index).
type Columns = HashMap<(SegmentId, usize), Arc<Spelled>>;

/// A key column's names by ordinal, and, once a filter has asked, its word index.
struct Spelled {
    names: Vec<String>,
    words: OnceLock<NameWords>,
}

/// For each word of a column's names (as the entity fields' analyser cuts them), the
/// names holding it, with the word's position in the name.
struct NameWords {
    by_word: HashMap<String, Vec<(u32, u32)>>,
}

impl NameWords {
    fn new(names: &[String]) -> Self {
        let mut analyzer = crate::index::schema::news_analyzer();
        let mut by_word: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        for (ord, name) in names.iter().enumerate() {
            let mut stream = analyzer.token_stream(name);
            while let Some(token) = stream.next() {
                by_word
                    .entry(token.text.clone())
                    .or_default()
                    .push((ord as u32, token.position as u32));
            }
        }
        NameWords { by_word }
    }

    /// The ordinals of the names holding `words` one after another, as a phrase query on
    /// the entity field finds them (the field holds each name as its own value, and no
    /// phrase runs from one value into the next).
    fn holding(&self, words: &[String]) -> Vec<u32> {
        let Some(first) = words.first().and_then(|w| self.by_word.get(w)) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = first
            .iter()
            .filter(|&&(ord, at)| {
                words[1..].iter().enumerate().all(|(j, w)| {
                    self.by_word.get(w).is_some_and(|places| {
                        places.binary_search(&(ord, at + 1 + j as u32)).is_ok()
                    })
                })
            })
            .map(|&(ord, _)| ord)
            .collect();
        out.dedup();
        out
    }
}

impl NameCache {
    /// The names of kind `k`'s key column in `segment`, spelling them on first use.
    fn spelled(
        &self,
        segment: SegmentId,
        k: usize,
        col: &tantivy::columnar::StrColumn,
    ) -> anyhow::Result<Arc<Spelled>> {
        if let Some(spelled) = self.lock().get(&(segment, k)) {
            return Ok(Arc::clone(spelled));
        }
        // spelled outside the lock: other searches go on meanwhile (two may spell the same
        // column once each; the second insert is as good as the first)
        let spelled = Arc::new(Spelled {
            names: super::entities::all_terms(col)?,
            words: OnceLock::new(),
        });
        self.lock().insert((segment, k), Arc::clone(&spelled));
        Ok(spelled)
    }

    /// The names in kind `k`'s key column of `segment` that hold `words` as a phrase; the
    /// column's word index is made on first use.
    pub(crate) fn names_holding(
        &self,
        segment: SegmentId,
        k: usize,
        col: &tantivy::columnar::StrColumn,
        words: &[String],
    ) -> anyhow::Result<Vec<String>> {
        let spelled = self.spelled(segment, k, col)?;
        let index = spelled.words.get_or_init(|| NameWords::new(&spelled.names));
        Ok(index
            .holding(words)
            .into_iter()
            .map(|ord| spelled.names[ord as usize].clone())
            .collect())
    }

    /// Forgets the segments not in `live`.
    fn keep_only(&self, live: &[SegmentId]) {
        self.lock().retain(|(segment, _), _| live.contains(segment));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Columns> {
        self.columns.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Ranks passages for `query`, keeps hits `skip..skip + take`, and counts the names in the
/// best `window` passages (or in the page, when it reaches further). With `cache`, names are
/// spelled from it; without, from the columns' dictionaries (a one-shot command).
pub fn search_with_facets(
    idx: &NewsIndex,
    query: &dyn Query,
    skip: usize,
    take: usize,
    window: usize,
    cache: Option<&NameCache>,
) -> anyhow::Result<FacetedHits> {
    let searcher = idx.searcher()?;
    // one thread: a server runs several requests at once already, and a pool started per
    // request costs more than it saves when the cores are busy with the others
    let executor = Executor::single_thread();
    let top = top_docs(&searcher, &executor, query, window.max(skip + take + 1))?;
    let more = top.len() > skip + take;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for (_, addr) in top.iter().take(window.max(skip + take)) {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    let mut names: [HashMap<String, usize>; 3] = Default::default();
    let mut name = String::new();
    if let Some(cache) = cache {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        cache.keep_only(&live);
    }
    for (seg, docs) in by_segment {
        let reader = searcher.segment_reader(seg);
        let fast = reader.fast_fields();
        for (k, kind) in EntityKind::ALL.iter().enumerate() {
            let column = kind.key_field_name();
            let Some(col) = fast.str(column)? else {
                continue;
            };
            // count by term ordinal, then spell each distinct ordinal once, in order
            let mut ords: BTreeMap<u64, usize> = BTreeMap::new();
            for &doc in &docs {
                for ord in col.term_ords(doc) {
                    *ords.entry(ord).or_default() += 1;
                }
            }
            if let Some(cache) = cache {
                let spelled = cache.spelled(reader.segment_id(), k, &col)?;
                for (ord, n) in ords {
                    if let Some(name) = spelled.names.get(ord as usize) {
                        *names[k].entry(name.clone()).or_default() += n;
                    }
                }
                continue;
            }
            for (ord, n) in ords {
                name.clear();
                if col
                    .ord_to_str(ord, &mut name)
                    .with_context(|| format!("reading the {column} column"))?
                {
                    *names[k].entry(name.clone()).or_default() += n;
                }
            }
        }
    }
    let page: Vec<_> = top.into_iter().skip(skip).take(take).collect();
    let hits = load_ranked(idx, &searcher, &executor, query, page)?;
    Ok(FacetedHits {
        hits,
        more,
        names: names.map(|counts| {
            let mut v: Vec<(String, usize)> = counts.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        }),
    })
}
