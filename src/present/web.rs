//! The results the web interface shows, as types: a page of ranked hits with their
//! facets, a page of a name's mentions with its spellings, an entity listing, a whole
//! article. `serve`'s JSON API serialises them (its hits are `search::Hit`, serialised
//! as `--json` prints them) and [`super::html`] renders the same values as pages.
//!
//! May import: the result types of `search`; `entities` (kinds).

use std::collections::HashMap;

use serde::Serialize;

use crate::entities::EntityKind;
use crate::search::{article::ArticlePassage, entities::EntityCount, Hit};

/// Entity filters of a search, by kind.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Filters {
    /// Required people.
    pub person: Vec<String>,
    /// Required places.
    pub place: Vec<String>,
    /// Required organisations.
    pub org: Vec<String>,
}

impl Filters {
    /// The filters of one kind.
    pub fn of(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Person => &self.person,
            EntityKind::Place => &self.place,
            EntityKind::Org => &self.org,
        }
    }

    /// Adds a filter.
    pub fn push(&mut self, kind: EntityKind, name: String) {
        self.of_mut(kind).push(name);
    }

    fn of_mut(&mut self, kind: EntityKind) -> &mut Vec<String> {
        match kind {
            EntityKind::Person => &mut self.person,
            EntityKind::Place => &mut self.place,
            EntityKind::Org => &mut self.org,
        }
    }

    /// Every filter as (kind, name), the form `search::with_filters` takes.
    pub fn pairs(&self) -> Vec<(EntityKind, String)> {
        EntityKind::ALL
            .iter()
            .flat_map(|&k| self.of(k).iter().map(move |n| (k, n.clone())))
            .collect()
    }

    /// Whether there is no filter.
    pub fn is_empty(&self) -> bool {
        EntityKind::ALL.iter().all(|&k| self.of(k).is_empty())
    }
}

/// One facet value: a name and the passages naming it.
#[derive(Clone, Debug, Serialize)]
pub struct Facet {
    /// The canonical name.
    pub name: String,
    /// Passages of the window that name it.
    pub passages: usize,
}

/// Names shown per kind in the facets.
pub const FACET_VALUES: usize = 15;

/// The names in a set of hits, by kind, most passages first (at most [`FACET_VALUES`] of each).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Facets {
    /// People.
    pub person: Vec<Facet>,
    /// Places.
    pub place: Vec<Facet>,
    /// Organisations.
    pub org: Vec<Facet>,
}

impl Facets {
    /// Counts the names of `hits`.
    pub fn count(hits: &[Hit]) -> Facets {
        let tally = |names: &mut dyn Iterator<Item = &Vec<String>>| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for list in names {
                for n in list {
                    *counts.entry(n.as_str()).or_default() += 1;
                }
            }
            let mut out: Vec<Facet> = counts
                .into_iter()
                .map(|(name, passages)| Facet {
                    name: name.to_string(),
                    passages,
                })
                .collect();
            out.sort_by(|a, b| {
                b.passages
                    .cmp(&a.passages)
                    .then_with(|| a.name.cmp(&b.name))
            });
            out.truncate(FACET_VALUES);
            out
        };
        Facets {
            person: tally(&mut hits.iter().map(|h| &h.person)),
            place: tally(&mut hits.iter().map(|h| &h.place)),
            org: tally(&mut hits.iter().map(|h| &h.org)),
        }
    }

    /// The facet values of one kind.
    pub fn of(&self, kind: EntityKind) -> &[Facet] {
        match kind {
            EntityKind::Person => &self.person,
            EntityKind::Place => &self.place,
            EntityKind::Org => &self.org,
        }
    }
}

/// A page of ranked hits.
#[derive(Debug, Serialize)]
pub struct SearchResult {
    /// The query as given (none when only filters were).
    pub query: Option<String>,
    /// The entity filters in force.
    pub filters: Filters,
    /// Hits skipped before this page.
    pub offset: usize,
    /// Most hits on a page.
    pub limit: usize,
    /// Whether more hits follow this page.
    pub more: bool,
    /// This page's hits, in the search's order, as `search --json` prints them.
    pub hits: Vec<Hit>,
    /// The names in the best hits.
    pub facets: Facets,
}

/// One spelling a mentions search matched, with the passages using it.
#[derive(Debug, Serialize)]
pub struct Spelling {
    /// The spelling as the text has it.
    pub spelling: String,
    /// Passages using it.
    pub passages: usize,
}

/// A page of the passages that mention a name.
#[derive(Debug, Serialize)]
pub struct MentionsResult {
    /// The name looked for.
    pub name: String,
    /// Only the name as written (no variants, no aliases).
    pub exact: bool,
    /// All passages that mention it.
    pub passages: usize,
    /// All articles that mention it.
    pub articles: usize,
    /// The spellings found, most used first.
    pub spellings: Vec<Spelling>,
    /// Passages skipped before this page.
    pub offset: usize,
    /// Most passages on a page.
    pub limit: usize,
    /// This page's passages, in corpus order, with `matched`.
    pub hits: Vec<Hit>,
    /// The names in all the passages found.
    pub facets: Facets,
    /// Passages per article date (`YYYY-MM-DD`, or what the article gave), over all passages.
    #[serde(skip)]
    pub dates: Vec<(String, usize)>,
}

/// An entity listing.
#[derive(Debug, Serialize)]
pub struct EntitiesResult {
    #[serde(rename = "type")]
    /// Only this type (`person`, `place`, `org`).
    pub kind: Option<&'static str>,
    /// Entities sharing passages with this name instead.
    pub cooccur: Option<String>,
    /// With `cooccur`: the passages naming that entity.
    pub cooccur_passages: Option<usize>,
    /// The entities, as `entities --json` prints them, most passages first.
    pub entities: Vec<EntityCount>,
}

/// One article, whole.
#[derive(Debug, Serialize)]
pub struct ArticleResult {
    /// Its id.
    pub article: String,
    /// The corpus file it is in.
    pub path: String,
    /// Its title (empty when it has none).
    pub title: String,
    /// Its date, if known.
    pub date: Option<String>,
    /// Its source, if known.
    pub source: Option<String>,
    /// Its address, if known.
    pub url: Option<String>,
    /// Every passage, in order, with its entity spans.
    pub passages: Vec<ArticlePassage>,
}
