//! Every mention of a name, in every spelling the corpus uses.
//!
//! A passage mentions a name when its text holds the name as a phrase (what
//! grep would find, across case, hyphens and apostrophes), or the same words
//! with linkers such as "and", "al", "ul" dropped or added ("Sistan and
//! Baluchestan" for "Sistan-Baluchestan"), or capitalised words whose variant
//! keys spell the name ("Moammar Kadhafi" for "Muammar Gaddafi"; see
//! `names::analyzer`) — for a name of three words or more, its given names
//! alone count too ("Saif al-Islam") — or when the entity
//! recogniser recorded in it an entity of any type whose variant key equals the
//! name's ("Ali Fayez", "Faiz" linked to him, for "Ali Vaez"); a one-word name
//! also matches people named in full by that surname. Names the user declared
//! the same in `newsdex.toml` are looked up too, and mentions of names declared
//! different are dropped. Every look-up is a term or phrase query on the
//! inverted index, so the cost grows with the passages that match, not with the
//! corpus.
//!
//! May import: `index`, `names`, `entities` (types).

use std::collections::{BTreeMap, HashSet};

use anyhow::Context;
use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::entities::phrase;
use super::highlight::{linked_spans, phrase_spans};
use super::{corpus_order, load_hit, Hit};
use crate::entities::EntityKind;
use crate::index::schema::news_tokens;
use crate::index::NewsIndex;
use crate::names::analyzer::{key_spans, phrase_terms, query_keys};
use crate::names::curation::Aliases;
use crate::names::keys::{entity_term, entity_terms, is_text_linker, name_key, surname_term};

/// How to look mentions up.
#[derive(Debug, Default)]
pub struct MentionOptions {
    /// Only the name as written: no spelling variants, no aliases.
    pub exact: bool,
    /// User alias declarations.
    pub aliases: Aliases,
}

/// The passages that mention a name, and which spellings they use.
#[derive(Debug)]
pub struct Mentions {
    /// Every matching passage, in corpus order, `matched` filled in.
    pub hits: Vec<Hit>,
    /// Each spelling found, with the number of passages using it, most used first.
    pub spellings: Vec<(String, usize)>,
}

/// The aliases in force: the file `flag` names, else `newsdex.toml` in the corpus folder
/// the index was built from, else none.
pub fn aliases_for(idx: &NewsIndex, flag: Option<&std::path::Path>) -> anyhow::Result<Aliases> {
    if let Some(path) = flag {
        return Aliases::load(path);
    }
    match idx.corpus_root().map(|root| root.join("newsdex.toml")) {
        Some(path) if path.is_file() => Aliases::load(&path),
        _ => Ok(Aliases::default()),
    }
}

/// The keys a name is looked up by: `type:key` for every type, and `person~key` for one word.
fn lookup_keys(name: &str) -> Vec<String> {
    let key = name_key(name);
    let mut keys: Vec<String> = EntityKind::ALL
        .iter()
        .map(|k| entity_term(k.field_name(), &key))
        .collect();
    if news_tokens(name).len() == 1 {
        keys.push(surname_term(&key));
    }
    keys
}

/// The query for [`query_keys`] on the skeleton field: a term, or a phrase whose gaps may
/// hold any word.
fn key_phrase(field: tantivy::schema::Field, keys: &[String]) -> Box<dyn Query> {
    let terms: Vec<(usize, Term)> = phrase_terms(keys)
        .into_iter()
        .map(|(at, k)| (at, Term::from_field_text(field, k)))
        .collect();
    match terms.as_slice() {
        [(_, one)] => Box::new(TermQuery::new(one.clone(), IndexRecordOption::Basic)),
        _ => Box::new(PhraseQuery::new_with_offset(terms)),
    }
}

/// Whether a recorded entity (type, canonical name) is one the keys look for.
fn entity_matches(keys: &HashSet<String>, kind: EntityKind, canonical: &str) -> bool {
    entity_terms(kind.field_name(), canonical)
        .iter()
        .any(|t| keys.contains(t))
}

/// Whether a variant spelling found at `s..e` stands inside a longer recorded entity that
/// is not the one looked for: "Baluchestan" in "Sistan and Baluchestan" is not a mention of
/// "Balochistan", though the words' keys agree.
fn inside_another_entity(hit: &Hit, keys: &HashSet<String>, [s, e]: [usize; 2]) -> bool {
    hit.mentions.iter().any(|m| {
        m.start <= s
            && e <= m.end
            && m.end - m.start > e - s
            && !entity_matches(keys, m.kind, &m.name)
    })
}

/// The number of passages that mention `name`. With `exact`, a count of the phrase's
/// postings that reads no stored passage; otherwise the length of [`mentions`], whose
/// variant matches must be checked against the text.
pub fn count(idx: &NewsIndex, name: &str, opts: &MentionOptions) -> anyhow::Result<usize> {
    if !opts.exact {
        return Ok(mentions(idx, name, opts)?.hits.len());
    }
    let words: Vec<String> = news_tokens(name).into_iter().map(|(w, _)| w).collect();
    anyhow::ensure!(
        !words.is_empty(),
        "the name {name:?} has no letters or digits to look for"
    );
    let query = phrase(idx.fields.text, &words);
    let searcher = idx.searcher()?;
    searcher
        .search(query.as_ref(), &tantivy::collector::Count)
        .context("counting mentions")
}

/// What a name is looked up by: its words and every form of them that `mentions` asks
/// the index for, and then checks each passage found against. A local index and a Solr
/// collection (`crate::solr`) are asked for the same forms and check with the same
/// [`Lookup::check`], so both answer the same passages.
#[derive(Debug)]
pub struct Lookup<'a> {
    /// The name asked for.
    pub name: &'a str,
    /// The name and the aliases declared the same, each as its `news` words.
    pub phrases: Vec<Vec<String>>,
    /// Entity keys (`person:key`, `person~key`…) the name and its aliases are recorded under.
    pub keys: HashSet<String>,
    /// Each name's words less its linkers, looked for as a loose phrase (slop 2 per gap).
    pub cores: Vec<Vec<String>>,
    /// Each name's word keys, a phrase on `text_keys`.
    pub skeletons: Vec<Vec<String>>,
    /// The word keys of a name's given names (three words or more), a phrase on `text_keys`.
    pub given_names: Vec<Vec<String>>,
    opts: &'a MentionOptions,
}

impl<'a> Lookup<'a> {
    /// The forms of `name` (and, unless exact, its aliases) to look for.
    pub fn new(name: &'a str, opts: &'a MentionOptions) -> anyhow::Result<Lookup<'a>> {
        let mut names = vec![name.to_string()];
        if !opts.exact {
            names.extend(opts.aliases.same_as(name));
        }
        let mut lookup = Lookup {
            name,
            phrases: Vec::new(),
            keys: HashSet::new(),
            cores: Vec::new(),
            skeletons: Vec::new(),
            given_names: Vec::new(),
            opts,
        };
        for n in &names {
            let words: Vec<String> = news_tokens(n).into_iter().map(|(w, _)| w).collect();
            anyhow::ensure!(
                !words.is_empty(),
                "the name {n:?} has no letters or digits to look for"
            );
            if !opts.exact {
                lookup.keys.extend(lookup_keys(n));
                let word_keys = query_keys(n);
                if !word_keys.is_empty() {
                    // a full name of three or more words is also referred to by its given
                    // names alone: "Saif al-Islam" for "Saif al-Islam Gaddafi"
                    if word_keys.len() >= 3 {
                        let mut given = word_keys[..word_keys.len() - 1].to_vec();
                        while given.last().is_some_and(String::is_empty) {
                            given.pop();
                        }
                        if given.len() > 1 {
                            lookup.given_names.push(given);
                        }
                    }
                    lookup.skeletons.push(word_keys);
                }
                // the same words with linkers dropped or added: "Sistan and Baluchestan"
                let core: Vec<String> = words
                    .iter()
                    .filter(|w| !is_text_linker(w))
                    .cloned()
                    .collect();
                if core.len() > 1 {
                    lookup.cores.push(core);
                }
            }
            lookup.phrases.push(words);
        }
        Ok(lookup)
    }

    /// The tantivy query for every passage that may mention the name.
    fn query(&self, f: &crate::index::Fields) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for words in &self.phrases {
            clauses.push((Occur::Should, phrase(f.text, words)));
        }
        for keys in self.skeletons.iter().chain(&self.given_names) {
            clauses.push((Occur::Should, key_phrase(f.text_keys, keys)));
        }
        for core in &self.cores {
            let terms: Vec<Term> = core
                .iter()
                .map(|w| Term::from_field_text(f.text, w))
                .collect();
            let mut loose = PhraseQuery::new(terms);
            loose.set_slop(2 * (core.len() as u32 - 1));
            clauses.push((Occur::Should, Box::new(loose)));
        }
        for key in &self.keys {
            let term = Term::from_field_text(f.name_keys, key);
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        BooleanQuery::new(clauses)
    }

    /// The passage with its matches filled in, if it mentions the name (it may not: a
    /// query finds candidates, and a name the user declared different is dropped here).
    pub fn check(&self, mut hit: Hit) -> Option<Hit> {
        let (name, opts) = (self.name, self.opts);
        let words = news_tokens(&hit.text);
        let mut spans: Vec<[usize; 2]> = self
            .phrases
            .iter()
            .flat_map(|w| phrase_spans(&words, w))
            .collect();
        let variants = self
            .cores
            .iter()
            .flat_map(|c| linked_spans(&words, c))
            .chain(
                self.skeletons
                    .iter()
                    .flat_map(|k| key_spans(&hit.text, k, false)),
            )
            .chain(
                self.given_names
                    .iter()
                    .flat_map(|k| key_spans(&hit.text, k, true)),
            );
        spans.extend(variants.filter(|&[s, e]| {
            !opts.aliases.are_different(name, &hit.text[s..e])
                && (opts.exact || !inside_another_entity(&hit, &self.keys, [s, e]))
        }));
        if !opts.exact {
            spans.extend(entity_spans(&hit, &self.keys, name, &opts.aliases));
        }
        spans.sort();
        spans.dedup_by(|b, a| b[0] < a[1]); // drop spans overlapping the one before
        if spans.is_empty() {
            return None; // only a name the user declared different
        }
        let mut matched: Vec<String> = spans
            .iter()
            .map(|[s, e]| hit.text[*s..*e].to_string())
            .collect();
        matched.sort();
        matched.dedup();
        hit.highlights = spans;
        hit.matched = Some(matched);
        Some(hit)
    }
}

/// The checked passages in corpus order, with the spellings they use counted.
pub fn collect(mut hits: Vec<Hit>) -> Mentions {
    let mut spellings: BTreeMap<String, usize> = BTreeMap::new();
    for m in hits.iter().flat_map(|h| h.matched.iter().flatten()) {
        *spellings.entry(m.clone()).or_default() += 1;
    }
    hits.sort_by(corpus_order);
    let mut spellings: Vec<(String, usize)> = spellings.into_iter().collect();
    spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Mentions { hits, spellings }
}

/// Every passage that mentions `name`, in corpus order.
pub fn mentions(idx: &NewsIndex, name: &str, opts: &MentionOptions) -> anyhow::Result<Mentions> {
    let lookup = Lookup::new(name, opts)?;
    let f = &idx.fields;
    let query = lookup.query(f);
    let searcher = idx.searcher()?;
    let docs = searcher
        .search(&query, &DocSetCollector)
        .context("looking up mentions")?;
    // in index order, so each compressed block of stored passages is read once (per
    // thread: the passages are checked on all cores, each taking a run of them)
    let mut docs: Vec<_> = docs.into_iter().collect();
    docs.sort_by_key(|a| (a.segment_ord, a.doc_id));
    let checked: Vec<Option<Hit>> = docs
        .into_par_iter()
        .map(|addr| Ok(lookup.check(load_hit(&searcher, f, addr)?)))
        .collect::<anyhow::Result<_>>()?;
    Ok(collect(checked.into_iter().flatten().collect()))
}

/// Spans of the passage's recorded mentions whose entity the keys look for.
fn entity_spans(
    hit: &Hit,
    keys: &HashSet<String>,
    query: &str,
    aliases: &Aliases,
) -> Vec<[usize; 2]> {
    hit.mentions
        .iter()
        .filter(|m| {
            hit.text.get(m.start..m.end).is_some_and(|surface| {
                entity_matches(keys, m.kind, &m.name)
                    && !aliases.is_not_entity(&m.name)
                    && !aliases.are_different(query, &m.name)
                    && !aliases.are_different(query, surface)
            })
        })
        .map(|m| [m.start, m.end])
        .collect()
}
