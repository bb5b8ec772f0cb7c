//! What one passage of an article becomes in any index: its text, where it stands, the
//! entities it names and the keys they are looked up by.
//!
//! [`records`] is the one place an article's passages and entities
//! ([`crate::entities::article_entities`]) are keyed; the local update
//! (`update.rs`) turns each [`PassageRecord`] into a tantivy document, and `newsdex push`
//! (`crate::solr`) into a Solr document, so both indexes hold the same passages with the
//! same names and keys. Imports corpus, passages, entities and this room's schema only.

use super::schema;
use crate::corpus::Article;
use crate::entities::{article_entities, EntityKind, PassageEntities, Recognizer};
use crate::names::keys as names;
use crate::passages::Passage;

/// One passage of an article, ready to be indexed.
#[derive(Clone, Debug)]
pub struct PassageRecord {
    /// Where it stands in the article.
    pub passage: Passage,
    /// The entities it names (canonical names and mentions).
    pub entities: PassageEntities,
    /// The variant keys of those entities ([`entity_keys`]).
    pub name_keys: Vec<String>,
    /// Each distinct mention as `type<TAB>canonical name<TAB>surface form`.
    pub surfaces: Vec<String>,
    /// The mentions in their stored form ([`schema::encode_mentions`]); `None` when none.
    pub encoded_mentions: Option<String>,
}

impl PassageRecord {
    /// The passage's text.
    pub fn text<'a>(&self, article: &'a Article) -> &'a str {
        self.passage.text(&article.text)
    }
}

/// Splits an article into passages, recognises what each names, and keys the names.
pub fn records(article: &Article, recognizer: &dyn Recognizer) -> Vec<PassageRecord> {
    let (ps, entities) = article_entities(recognizer, article);
    ps.into_iter()
        .zip(entities)
        .map(|(passage, ents)| {
            let text = passage.text(&article.text);
            // a passage names a handful of things: a scan beats hashing each line
            let mut surfaces: Vec<String> = Vec::new();
            for m in &ents.mentions {
                let line = format!(
                    "{}\t{}\t{}",
                    m.kind.field_name(),
                    m.name,
                    &text[m.start..m.end]
                );
                if !surfaces.contains(&line) {
                    surfaces.push(line);
                }
            }
            PassageRecord {
                passage,
                name_keys: entity_keys(&ents),
                encoded_mentions: (!ents.mentions.is_empty())
                    .then(|| schema::encode_mentions(text, &ents.mentions)),
                surfaces,
                entities: ents,
            }
        })
        .collect()
}

/// The variant keys of a passage's entities: every term [`names::entity_terms`] gives
/// each name it records.
pub fn entity_keys(ents: &PassageEntities) -> Vec<String> {
    let mut keys = Vec::new();
    for kind in EntityKind::ALL {
        for name in ents.of(kind) {
            keys.extend(names::entity_terms(kind.field_name(), name));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
