//! Named entities: the people, places and organisations each passage mentions.
//!
//! The indexer asks a [`Recognizer`] for the entities of every passage of an
//! article at once, so that a recogniser can use the whole article as context
//! (a surname alone is the person named in full earlier on). Names are
//! returned in the form they should be stored and matched in the index.
//!
//! The token tagger itself lives in [`crate::ner`]; this room turns its labels into
//! entities of articles. May import `ner`, `passages`, `corpus` (articles) and name keys.

pub mod gazetteer;
pub mod recognize;

use crate::corpus::Article;
use crate::ner::conll;
use crate::ner::model::{Model, Scratch};
use crate::ner::shipped_model;
use crate::ner::tokenize::{tokenize, Token};
use crate::passages::Passage;

/// An entity found in raw text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Its kind.
    pub kind: EntityKind,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

/// Tags raw text; returns the entities (PER, LOC, ORG) and the number of tokens seen.
pub fn recognize_text(model: &Model, text: &str) -> (Vec<Span>, usize) {
    let mut tokens = Vec::new();
    tokenize(text, &mut tokens);
    let mut labels = Vec::new();
    model.tag(text, &tokens, &mut Scratch::default(), &mut labels);
    (spans_of(text, &tokens, &labels), tokens.len())
}

/// Nouns that end an organisation's name: general English, not a list of names. The
/// tagger, trained on 1996 wire news, calls some names it has never seen MISC
/// ("International Crisis Group"); a MISC name of two or more words ending in one of
/// these is an organisation.
const ORG_TAILS: &[&str] = &[
    "Agency",
    "Alliance",
    "Association",
    "Authority",
    "Bank",
    "Board",
    "Commission",
    "Committee",
    "Company",
    "Corporation",
    "Council",
    "Federation",
    "Forum",
    "Foundation",
    "Front",
    "Fund",
    "Group",
    "Institute",
    "Ministry",
    "Movement",
    "Organisation",
    "Organization",
    "Party",
    "Society",
    "University",
];

/// The tagger's spans over `tokens` (MISC included) amended after tagging: by the
/// gazetteer's names (see [`gazetteer::Gazetteer::amend`]), then MISC names ending in an
/// organisation noun become organisations. `ner` and the index see the result.
pub fn amend_spans(text: &str, tokens: &[Token], spans: &mut Vec<gazetteer::TokenSpan>) {
    gazetteer::Gazetteer::shipped().amend(text, tokens, spans);
    for s in spans.iter_mut() {
        if s.0 == 3 && s.2 - s.1 > 1 && ORG_TAILS.contains(&tokens[s.2 - 1].text(text)) {
            s.0 = 2;
        }
    }
}

fn spans_of(text: &str, tokens: &[Token], labels: &[u8]) -> Vec<Span> {
    let mut spans = conll::spans(tokens, labels);
    amend_spans(text, tokens, &mut spans);
    spans
        .into_iter()
        .filter_map(|(t, s, e)| {
            let kind = match t {
                0 => EntityKind::Person,
                1 => EntityKind::Place,
                2 => EntityKind::Org,
                _ => return None,
            };
            Some(Span {
                kind,
                start: tokens[s].start as usize,
                end: tokens[e - 1].end as usize,
            })
        })
        .collect()
}

/// The kinds of entity newsdex indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A person.
    Person,
    /// A place: country, region, city, geographic feature.
    Place,
    /// An organisation: group, agency, company, party, ministry.
    Org,
}

impl EntityKind {
    /// All kinds, in display order.
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];

    /// The index field and query prefix for this kind (`person`, `place`, `org`).
    pub fn field_name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
        }
    }

    /// The field holding this kind's whole names as exact terms, also a fast column
    /// (`person_key`, `place_key`, `org_key`); Solr's documents use the same name.
    pub fn key_field_name(self) -> &'static str {
        match self {
            EntityKind::Person => "person_key",
            EntityKind::Place => "place_key",
            EntityKind::Org => "org_key",
        }
    }
}

/// The entities one passage mentions, by kind, without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassageEntities {
    /// Names of people.
    pub person: Vec<String>,
    /// Names of places.
    pub place: Vec<String>,
    /// Names of organisations.
    pub org: Vec<String>,
    /// Where each name stands in the passage, in text order.
    pub mentions: Vec<PassageMention>,
}

/// One mention of an entity in a passage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassageMention {
    /// Its kind.
    pub kind: EntityKind,
    /// The canonical name it was recorded under.
    pub name: String,
    /// Byte offset in the passage text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

impl PassageEntities {
    /// The names of one kind.
    pub fn of(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Person => &self.person,
            EntityKind::Place => &self.place,
            EntityKind::Org => &self.org,
        }
    }

    /// Records a mention at `start..end` of the passage, and its name under its kind.
    /// The index stores only the mentions and reads the name lists back from them.
    pub fn mention(&mut self, kind: EntityKind, name: &str, start: usize, end: usize) {
        self.add(kind, name);
        self.mentions.push(PassageMention {
            kind,
            name: name.to_string(),
            start,
            end,
        });
    }

    /// Adds a name of a kind unless it is already there.
    pub fn add(&mut self, kind: EntityKind, name: &str) {
        let list = match kind {
            EntityKind::Person => &mut self.person,
            EntityKind::Place => &mut self.place,
            EntityKind::Org => &mut self.org,
        };
        if !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    }
}

/// An article's passages and the entities the index records for each: the one path from
/// an article to its entities, which `index` and `ner FILE` both take.
pub fn article_entities(
    recognizer: &dyn Recognizer,
    article: &Article,
) -> (Vec<Passage>, Vec<PassageEntities>) {
    let passages = crate::passages::split(&article.text);
    let mut entities = recognizer.recognize(article, &passages);
    entities.resize_with(passages.len(), PassageEntities::default);
    (passages, entities)
}

/// Finds the entities of every passage of an article.
pub trait Recognizer: Sync {
    /// Returns one [`PassageEntities`] per passage, in passage order.
    fn recognize(&self, article: &Article, passages: &[Passage]) -> Vec<PassageEntities>;
}

/// The recogniser over the shipped model, loaded when the first article needs it: a run
/// with nothing to index does not pay the model's start-up (~20 ms).
#[derive(Clone, Copy, Debug, Default)]
pub struct ShippedRecognizer;

impl Recognizer for ShippedRecognizer {
    fn recognize(&self, article: &Article, passages: &[Passage]) -> Vec<PassageEntities> {
        match shipped_model() {
            Some(model) => recognize::ModelRecognizer::new(model).recognize(article, passages),
            None => NoEntities.recognize(article, passages),
        }
    }
}

/// A recogniser that finds nothing: the index's entity fields stay empty.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEntities;

impl Recognizer for NoEntities {
    fn recognize(&self, _article: &Article, passages: &[Passage]) -> Vec<PassageEntities> {
        vec![PassageEntities::default(); passages.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_loads_and_tags_a_known_sentence() {
        let model = shipped_model().expect("newsdex ships a model");
        let text =
            "Ali Vaez of the International Crisis Group said Iran had struck targets in Pakistan.";
        let (spans, tokens) = recognize_text(model, text);
        assert_eq!(tokens, 15);
        let got: Vec<(EntityKind, &str)> = spans
            .iter()
            .map(|s| (s.kind, &text[s.start..s.end]))
            .collect();
        assert!(got.contains(&(EntityKind::Person, "Ali Vaez")), "{got:?}");
        assert!(got.contains(&(EntityKind::Place, "Pakistan")), "{got:?}");
        assert!(got.contains(&(EntityKind::Place, "Iran")), "{got:?}");
        // tagged MISC by the model, an organisation by its last word
        assert!(
            got.contains(&(EntityKind::Org, "International Crisis Group")),
            "{got:?}"
        );
    }
}
