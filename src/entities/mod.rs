//! Named entities: the people, places and organisations each passage mentions.
//!
//! The indexer asks a [`Recognizer`] for the entities of every passage of an
//! article at once, so that a recogniser can use the whole article as context
//! (a surname alone is the person named in full earlier on). Names are
//! returned in the form they should be stored and matched in the index.

use crate::corpus::Article;
use crate::passages::Passage;

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

/// Finds the entities of every passage of an article.
pub trait Recognizer: Sync {
    /// Returns one [`PassageEntities`] per passage, in passage order.
    fn recognize(&self, article: &Article, passages: &[Passage]) -> Vec<PassageEntities>;
}

/// A recogniser that finds nothing: the index's entity fields stay empty.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEntities;

impl Recognizer for NoEntities {
    fn recognize(&self, _article: &Article, passages: &[Passage]) -> Vec<PassageEntities> {
        vec![PassageEntities::default(); passages.len()]
    }
}
