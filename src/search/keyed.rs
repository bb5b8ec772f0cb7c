//! The entity filter of a resident server: the passages that
//! [`entity_query`](super::entities::entity_query) finds, found without reading positions.
//!
//! That query matches a name's words as a phrase in the entity field, or its `name_keys`
//! terms. Every value of the entity field is also a whole term of the kind's key field,
//! so the phrase matches exactly the passages holding a key-field term (a recorded name)
//! with those words in a row. This filter looks those names up in a word index of the
//! key columns' dictionaries, which the [`NameCache`] makes once per segment, and then
//! asks for the terms. A phrase must decode the positions of every passage holding all of
//! its words: for `org=European Union` on the 213 MB benchmark index that was 1.2 ms of a
//! request's 1.4 ms, and with the terms the request takes 0.66 ms (BENCHMARKS.md, issue 18).
//!
//! A filter scores nothing (see `with_filters`), so the two give equal rankings; a test
//! in `tests/fast_paths.rs` holds them equal on every name of an index.
//!
//! May import: `index`, `entities` (types), `search::entities`, `search::facets`.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::facets::NameCache;
use crate::entities::EntityKind;
use crate::index::schema::Fields;

/// Passages naming an entity of a kind: a recorded name that holds the words in a row, or
/// one of the keys.
#[derive(Clone)]
pub struct KeyedFilter {
    fields: Fields,
    kind: EntityKind,
    words: Vec<String>,
    /// The words as terms of the entity field, and the keys as `name_keys` terms: the
    /// terms the phrase query would show the highlighter.
    word_terms: Vec<Term>,
    key_terms: Vec<Term>,
    cache: Arc<NameCache>,
}

impl KeyedFilter {
    /// The filter for `name` as an entity of `kind`, its names looked up in `cache`.
    pub fn new(
        fields: &Fields,
        kind: EntityKind,
        name: &str,
        cache: &Arc<NameCache>,
    ) -> anyhow::Result<KeyedFilter> {
        let (words, keys) = super::entities::entity_parts(kind, name)?;
        let field = fields.entity(kind);
        Ok(KeyedFilter {
            fields: *fields,
            kind,
            word_terms: words
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
            words,
            key_terms: keys
                .iter()
                .map(|k| Term::from_field_text(fields.name_keys, k))
                .collect(),
            cache: Arc::clone(cache),
        })
    }
}

impl fmt::Debug for KeyedFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyedFilter")
            .field("kind", &self.kind)
            .field("words", &self.words)
            .field("keys", &self.key_terms)
            .finish()
    }
}

impl Query for KeyedFilter {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let k = EntityKind::ALL
            .iter()
            .position(|&kind| kind == self.kind)
            .expect("a kind of ALL");
        let term_query = |t: Term| -> (Occur, Box<dyn Query>) {
            (
                Occur::Should,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
            )
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            self.key_terms.iter().cloned().map(term_query).collect();
        let Some(searcher) = scoring.searcher() else {
            // no segments to look the names up in: the phrase itself
            let field = self.fields.entity(self.kind);
            clauses.push((Occur::Should, super::entities::phrase(field, &self.words)));
            return BooleanQuery::new(clauses).weight(scoring);
        };
        // the names of the very segments this search reads
        let column = self.kind.key_field_name();
        let mut names = BTreeSet::new();
        for reader in searcher.segment_readers() {
            let Some(col) = reader.fast_fields().str(column)? else {
                continue;
            };
            let found = self
                .cache
                .names_holding(reader.segment_id(), k, &col, &self.words)
                .map_err(|e| tantivy::TantivyError::InternalError(format!("{e:#}")))?;
            names.extend(found);
        }
        let key_field = self.fields.entity_key(self.kind);
        clauses.extend(
            names
                .iter()
                .map(|n| term_query(Term::from_field_text(key_field, n))),
        );
        BooleanQuery::new(clauses).weight(scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        // as `entity_query` shows them: a phrase's words need positions, one word does not
        let phrase = self.word_terms.len() > 1;
        for term in &self.word_terms {
            visitor(term, phrase);
        }
        for term in &self.key_terms {
            visitor(term, false);
        }
    }
}
