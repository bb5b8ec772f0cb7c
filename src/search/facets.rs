//! Ranked search with facets: one page of hits, and the people, places and
//! organisations named in a wider window of the best passages, with counts.
//!
//! The window's names are read from the entity key columns (fast fields holding
//! each passage's canonical names), not from the stored passages, so counting
//! the top 100 costs a few column look-ups per passage instead of reading and
//! highlighting 100 passages of which a page shows 20.
//!
//! May import: `index`, `names`, `entities` (types).

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use tantivy::query::Query;

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

/// Ranks passages for `query`, keeps hits `skip..skip + take`, and counts the names in the
/// best `window` passages (or in the page, when it reaches further).
pub fn search_with_facets(
    idx: &NewsIndex,
    query: &dyn Query,
    skip: usize,
    take: usize,
    window: usize,
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
    for (seg, docs) in by_segment {
        let fast = searcher.segment_reader(seg).fast_fields();
        for (k, kind) in EntityKind::ALL.iter().enumerate() {
            let column = format!("{}_key", kind.field_name());
            let Some(col) = fast.str(&column)? else {
                continue;
            };
            // count by term ordinal, then spell each distinct ordinal once, in order
            let mut ords: BTreeMap<u64, usize> = BTreeMap::new();
            for &doc in &docs {
                for ord in col.term_ords(doc) {
                    *ords.entry(ord).or_default() += 1;
                }
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
