//! Finding the articles of an index that are versions of one story.
//!
//! Versions of a story name the same people, places and organisations and repeat its
//! figures; unrelated articles on the same subject share its big names ("Iran",
//! "Pakistan") but not the small ones. So each article becomes a set of features read
//! from the index without touching a stored passage:
//!
//! - the variant keys of the entities it names (the `person_key`, `place_key`, `org_key`
//!   columns; spelling variants are one feature, and the type is ignored), and
//! - the numbers of two digits or more in its text (terms of the `text` field; single
//!   digits, and numbers in more than 1% of passages, are too common to tell stories
//!   apart),
//!
//! each weighted by its inverse article frequency, `ln(N / df)`. Two articles are versions
//! when the weight of the features they share is at least [`MIN_DICE`] of their mean
//! weight (a weighted Dice coefficient), they share at least [`MIN_SHARED`] features, and
//! their dates, where both are known, lie within [`MAX_DAYS`] days.
//!
//! Cost is bounded by never looking at all pairs: candidate partners of an article are
//! the articles that share one of its *rare* features (named by at most [`MAX_DF`]
//! articles), found through a feature → articles table; each candidate pair is then scored
//! on all its features by one merge of two sorted lists. Accepted pairs are grouped
//! strongest first, and two groups join only when most pairs across them are accepted (see
//! [`cluster`]): linking every pair (connected components) chained running stories into
//! one, up to 25 different articles (each with its copies) on the benchmark corpus. With a
//! name or an article to start from, only the articles reachable from those through
//! accepted pairs are visited.
//!
//! May import: index (fields), names (keys), search (name look-up, stored passages),
//! corpus (the article hash), and `load`.

use std::collections::{HashMap, HashSet, VecDeque};

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher};

use crate::entities::EntityKind;
use crate::index::NewsIndex;
use crate::names::keys;
use crate::search;

/// Least weighted Dice coefficient of two versions' features. On the development set
/// (corpus/ and the two seed articles) the four versions of the strikes story scored
/// 0.41–0.61 with each other, and no other article more than 0.29 with any.
pub const MIN_DICE: f64 = 0.35;
/// Least number of shared features.
pub const MIN_SHARED: usize = 4;
/// Most days between two versions' dates, when both are known.
pub const MAX_DAYS: i64 = 14;
/// A feature named by more articles than this does not propose candidates (it still counts
/// in the score).
pub const MAX_DF: usize = 64;

/// Where to look for versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every story in the index.
    All,
    /// Stories with an article naming this entity (any spelling).
    Name(String),
    /// The story of this article (id or corpus path).
    Article(String),
}

/// An article of a story.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    /// Article id.
    pub article: String,
    /// Corpus path.
    pub path: String,
    /// Title.
    pub title: String,
    /// Date, if known.
    pub date: Option<String>,
}

/// A group of articles that are versions of one story; also the `versions --json` line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Story {
    /// Its articles, in corpus order.
    pub articles: Vec<Member>,
    /// The features most of them share, rarest first (names, and numbers as written).
    pub shared: Vec<String>,
    /// The weakest accepted link's Dice coefficient.
    pub score: f64,
}

/// Per-article features read from the index.
struct Table {
    /// Feature ids of each article, sorted.
    features: Vec<Vec<u32>>,
    /// A passage of each article, for its stored fields.
    first_doc: Vec<DocAddress>,
    /// Day number of each article's date, where parseable.
    day: Vec<Option<i64>>,
    /// Display form of each feature.
    names: Vec<String>,
    /// Weight of each feature.
    weight: Vec<f64>,
    /// Articles of each rare feature.
    postings: HashMap<u32, Vec<u32>>,
    /// Article index by article hash.
    by_hash: HashMap<u64, u32>,
}

#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, key: String, display: &str) -> u32 {
        let next = self.names.len() as u32;
        *self.ids.entry(key).or_insert_with(|| {
            self.names.push(display.to_string());
            next
        })
    }
}

fn read_table(searcher: &Searcher, idx: &NewsIndex) -> anyhow::Result<Table> {
    let f = &idx.fields;
    let mut by_hash: HashMap<u64, u32> = HashMap::new();
    let mut features: Vec<Vec<u32>> = Vec::new();
    let mut first_doc: Vec<DocAddress> = Vec::new();
    let mut day: Vec<Option<i64>> = Vec::new();
    let mut interner = Interner::default();
    for (seg_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let hashes = fast.u64("article_hash")?;
        let alive = segment.alive_bitset();
        let is_alive = |d: u32| alive.is_none_or(|b| b.is_alive(d));
        // the article of every live passage of the segment
        let mut article_of: Vec<Option<u32>> = vec![None; segment.max_doc() as usize];
        for doc in segment.doc_ids_alive() {
            let h = hashes.first(doc).unwrap_or_default();
            let next = features.len() as u32;
            let a = *by_hash.entry(h).or_insert_with(|| {
                features.push(Vec::new());
                first_doc.push(DocAddress::new(seg_ord as u32, doc));
                day.push(None);
                next
            });
            article_of[doc as usize] = Some(a);
        }
        for kind in EntityKind::ALL {
            let Some(col) = fast.str(kind.key_field_name())? else {
                continue;
            };
            let mut ids = Vec::with_capacity(col.num_terms());
            let mut stream = col.dictionary().stream()?;
            while stream.advance() {
                let name = String::from_utf8_lossy(stream.key());
                ids.push(interner.id(format!("e:{}", keys::name_key(&name)), &name));
            }
            for doc in segment.doc_ids_alive() {
                if let Some(a) = article_of[doc as usize] {
                    for ord in col.term_ords(doc) {
                        features[a as usize].push(ids[ord as usize]);
                    }
                }
            }
        }
        // numbers of two digits or more, from the text field's terms
        let inverted = segment
            .inverted_index(f.text)
            .context("reading the text field's terms")?;
        // a number in more than 1% of passages ("000" of "1,000", "10") tells no story apart
        let common = (segment.max_doc() / 100).max(MAX_DF as u32);
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let key = stream.key();
            if key.len() < 2
                || !key.iter().all(u8::is_ascii_digit)
                || stream.value().doc_freq > common
            {
                continue;
            }
            let number = String::from_utf8_lossy(key).into_owned();
            let id = interner.id(format!("n:{number}"), &number);
            let mut postings =
                inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            for_each_doc(&mut postings, |doc| {
                if is_alive(doc) {
                    if let Some(a) = article_of[doc as usize] {
                        features[a as usize].push(id);
                    }
                }
            });
        }
        // dates, from the date field's terms
        let inverted = segment.inverted_index(f.date).context("reading dates")?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let Some(d) = day_number(&String::from_utf8_lossy(stream.key())) else {
                continue;
            };
            let mut postings =
                inverted.read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            for_each_doc(&mut postings, |doc| {
                if let Some(a) = article_of[doc as usize] {
                    day[a as usize] = Some(d);
                }
            });
        }
    }
    let n = features.len().max(1) as f64;
    let mut df = vec![0u32; interner.names.len()];
    for fs in &mut features {
        fs.sort_unstable();
        fs.dedup();
        for &id in fs.iter() {
            df[id as usize] += 1;
        }
    }
    let weight: Vec<f64> = df
        .iter()
        .map(|&d| (n / d.max(1) as f64).ln().max(0.0))
        .collect();
    let mut postings: HashMap<u32, Vec<u32>> = HashMap::new();
    for (a, fs) in features.iter().enumerate() {
        for &id in fs {
            let d = df[id as usize] as usize;
            if (2..=MAX_DF).contains(&d) {
                postings.entry(id).or_default().push(a as u32);
            }
        }
    }
    Ok(Table {
        features,
        first_doc,
        day,
        names: interner.names,
        weight,
        postings,
        by_hash,
    })
}

fn for_each_doc(postings: &mut tantivy::postings::SegmentPostings, mut f: impl FnMut(u32)) {
    use tantivy::DocSet;
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED {
        f(doc);
        doc = postings.advance();
    }
}

/// Days since 0000-03-01 of a date written `YYYY-MM-DD…` (ISO 8601) or `D-MON-YYYY…`
/// (wire services' "25-MAR-1987 05:23:51"), for differences only.
fn day_number(date: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head = date.split([' ', 'T']).next()?;
    let parts: Vec<&str> = head.split('-').collect();
    let [x, m, z] = parts.as_slice() else {
        return None;
    };
    let (y, m, day): (i64, i64, i64) =
        match MONTHS.iter().position(|name| m.eq_ignore_ascii_case(name)) {
            Some(month) => (z.parse().ok()?, month as i64 + 1, x.parse().ok()?),
            None => (x.parse().ok()?, m.parse().ok()?, z.parse().ok()?),
        };
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || !(1000..=9999).contains(&y) {
        return None;
    }
    // days from civil (proleptic Gregorian), shifted so March starts the year
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1)
}

impl Table {
    /// The Dice coefficient and shared-feature count of two articles.
    fn score(&self, a: u32, b: u32) -> (f64, usize) {
        let (fa, fb) = (&self.features[a as usize], &self.features[b as usize]);
        let (mut i, mut j, mut shared, mut n) = (0, 0, 0.0, 0);
        while i < fa.len() && j < fb.len() {
            match fa[i].cmp(&fb[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.weight[fa[i] as usize];
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let total = |fs: &[u32]| fs.iter().map(|&f| self.weight[f as usize]).sum::<f64>();
        let denom = total(fa) + total(fb);
        let dice = if denom > 0.0 {
            2.0 * shared / denom
        } else {
            0.0
        };
        (dice, n)
    }

    fn dates_close(&self, a: u32, b: u32) -> bool {
        match (self.day[a as usize], self.day[b as usize]) {
            (Some(x), Some(y)) => (x - y).abs() <= MAX_DAYS,
            _ => true,
        }
    }

    /// The accepted partners of article `a` (with `after`, only those numbered above it),
    /// with their Dice coefficients. `stamp` is scratch space of one slot per article, and
    /// `mark` a value no earlier call used.
    fn partners(&self, a: u32, after: bool, stamp: &mut [u32], mark: u32) -> Vec<(u32, f64)> {
        let mut out = Vec::new();
        for f in &self.features[a as usize] {
            let Some(list) = self.postings.get(f) else {
                continue;
            };
            for &b in list {
                if b == a || (after && b < a) || stamp[b as usize] == mark {
                    continue;
                }
                stamp[b as usize] = mark;
                let (dice, shared) = self.score(a, b);
                if dice >= MIN_DICE && shared >= MIN_SHARED && self.dates_close(a, b) {
                    out.push((b, dice));
                }
            }
        }
        out
    }
}

/// Finds the stories in `scope`, largest first: at most `limit` of them (0: all), and how
/// many there are.
pub fn find(idx: &NewsIndex, scope: &Scope, limit: usize) -> anyhow::Result<(Vec<Story>, usize)> {
    let searcher = idx.searcher()?;
    let table = read_table(&searcher, idx)?;
    let starts: Option<Vec<u32>> = match scope {
        Scope::All => None,
        Scope::Name(name) => {
            let query = search::entities::name_query(&idx.fields, name)?;
            let docs = searcher
                .search(&query, &DocSetCollector)
                .context("finding the name's passages")?;
            let mut hashes = HashSet::new();
            for addr in docs {
                let seg = searcher.segment_reader(addr.segment_ord);
                if let Some(h) = seg.fast_fields().u64("article_hash")?.first(addr.doc_id) {
                    hashes.insert(h);
                }
            }
            Some(
                hashes
                    .iter()
                    .filter_map(|h| table.by_hash.get(h).copied())
                    .collect(),
            )
        }
        Scope::Article(id) => {
            let version = super::load::from_index(idx, id)?.with_context(|| {
                format!("{id}: no article or corpus path of that name in the index")
            })?;
            let h = crate::corpus::content_hash(version.id.as_bytes());
            Some(table.by_hash.get(&h).copied().into_iter().collect())
        }
    };
    let n = table.features.len();
    let mut pairs: Vec<(u32, u32, f64)> = Vec::new();
    let mut stamp = vec![0u32; n];
    match &starts {
        None => {
            for a in 0..n as u32 {
                for (b, dice) in table.partners(a, true, &mut stamp, a + 1) {
                    pairs.push((a, b, dice));
                }
            }
        }
        Some(starts) => {
            let mut queue: VecDeque<u32> = starts.iter().copied().collect();
            let mut visited: HashSet<u32> = queue.iter().copied().collect();
            let mut marks = 0;
            while let Some(a) = queue.pop_front() {
                marks += 1;
                for (b, dice) in table.partners(a, false, &mut stamp, marks) {
                    pairs.push((a.min(b), a.max(b), dice));
                    if visited.insert(b) {
                        queue.push_back(b);
                    }
                }
            }
        }
    }
    let mut groups = cluster(pairs);
    if let Some(starts) = &starts {
        groups.retain(|(_, articles)| articles.iter().any(|a| starts.contains(a)));
    }
    // largest first, then in index order; stored fields are read for the stories shown only
    let mut found = groups;
    let first = |articles: &[u32]| articles.iter().map(|&a| table.first_doc[a as usize]).min();
    found.sort_by(|(_, x), (_, y)| y.len().cmp(&x.len()).then_with(|| first(x).cmp(&first(y))));
    let total = found.len();
    if limit > 0 {
        found.truncate(limit);
    }
    let stories = found
        .iter()
        .map(|(weakest, articles)| story(&searcher, idx, &table, articles, *weakest))
        .collect::<anyhow::Result<_>>()?;
    Ok((stories, total))
}

/// Groups articles by their accepted pairs, strongest first. Two groups join only when most
/// of the pairs across them are accepted, so a running story (an England squad over a
/// season, a takeover battle over a month) does not chain into one group through one
/// article at a time, while the copies and versions of one story, which all accept each
/// other, do. Returns each group of two or more with its weakest joining pair.
fn cluster(mut pairs: Vec<(u32, u32, f64)>) -> Vec<(f64, Vec<u32>)> {
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    pairs.dedup_by_key(|p| (p.0, p.1));
    let accepted: HashSet<(u32, u32)> = pairs.iter().map(|p| (p.0, p.1)).collect();
    let mut group_of: HashMap<u32, usize> = HashMap::new();
    let mut groups: Vec<(f64, Vec<u32>)> = Vec::new();
    for &(a, b, dice) in &pairs {
        let (ga, gb) = (group_of.get(&a).copied(), group_of.get(&b).copied());
        if ga.is_some() && ga == gb {
            continue;
        }
        let single = |x: u32| vec![x];
        let ma = ga.map_or_else(|| single(a), |g| groups[g].1.clone());
        let mb = gb.map_or_else(|| single(b), |g| groups[g].1.clone());
        let cross = ma
            .iter()
            .flat_map(|&x| mb.iter().map(move |&y| (x.min(y), x.max(y))))
            .filter(|p| accepted.contains(p))
            .count();
        if 2 * cross <= ma.len() * mb.len() {
            continue;
        }
        let weakest = [ga, gb]
            .into_iter()
            .flatten()
            .map(|g| groups[g].0)
            .fold(dice, f64::min);
        let target = match (ga, gb) {
            (Some(g), _) | (None, Some(g)) => g,
            (None, None) => {
                groups.push((dice, Vec::new()));
                groups.len() - 1
            }
        };
        let mut all = ma;
        all.extend(mb);
        for &x in &all {
            if let Some(old) = group_of.insert(x, target) {
                if old != target {
                    groups[old].1.clear();
                }
            }
        }
        groups[target] = (weakest, all);
    }
    groups.retain(|(_, members)| members.len() > 1);
    groups
}

/// Features shown for a story: at most this many.
const SHOWN: usize = 6;

fn story(
    searcher: &Searcher,
    idx: &NewsIndex,
    table: &Table,
    articles: &[u32],
    score: f64,
) -> anyhow::Result<Story> {
    let mut members = Vec::with_capacity(articles.len());
    for &a in articles {
        let hit = search::load_hit(searcher, &idx.fields, table.first_doc[a as usize])?;
        members.push(Member {
            article: hit.article,
            path: hit.path,
            title: hit.title,
            date: hit.date,
        });
    }
    members.sort_by(|x, y| x.path.cmp(&y.path).then_with(|| x.article.cmp(&y.article)));
    // features named by more than half the group, rarest in the index first
    let mut count: HashMap<u32, usize> = HashMap::new();
    for &a in articles {
        for &f in &table.features[a as usize] {
            *count.entry(f).or_default() += 1;
        }
    }
    let mut shared: Vec<u32> = count
        .into_iter()
        .filter(|&(_, c)| 2 * c > articles.len())
        .map(|(f, _)| f)
        .collect();
    shared.sort_by(|&x, &y| {
        table.weight[y as usize]
            .total_cmp(&table.weight[x as usize])
            .then_with(|| table.names[x as usize].cmp(&table.names[y as usize]))
    });
    Ok(Story {
        articles: members,
        shared: shared
            .into_iter()
            .take(SHOWN)
            .map(|f| table.names[f as usize].clone())
            .collect(),
        score: (score * 100.0).round() / 100.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days() {
        let d = |s| day_number(s).unwrap();
        assert_eq!(d("2024-01-18") - d("2024-01-16"), 2);
        assert_eq!(d("2024-03-01") - d("2024-02-28"), 2);
        assert_eq!(d("2023-03-01") - d("2023-02-28"), 1);
        assert_eq!(d("2024-01-01T10:00:00Z") - d("2023-12-31"), 1);
        assert_eq!(d("25-MAR-1987 05:23:51.11") - d("1987-03-20"), 5);
        assert_eq!(day_number("18 January 2024"), None);
        assert_eq!(day_number("2024-13-01"), None);
    }
}
