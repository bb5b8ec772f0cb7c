//! Comparing versions of one story: what changed between a rewrite, a translation or an
//! update, and which articles of the index are versions of one story.
//!
//! [`compare`] takes two [`Version`]s (an article read back from the index, or a file
//! split and tagged as the indexer would, see [`load`]) and:
//!
//! 1. reads each passage's figures, quotations (with speakers) and content words
//!    ([`features`]);
//! 2. aligns the passages, allowing reordering, merges and splits ([`align`]);
//! 3. reports the people, places and organisations named in one version only, the figures
//!    that differ between counterpart passages, the quotations quoted in one only or
//!    attributed differently, and the passages with no counterpart ([`diff`]) except
//!    crossheads of [`HEADING_WORDS`] words or fewer, which a rewrite sets anew.
//!
//! [`versions`] finds groups of articles in the index that are versions of one story.
//!
//! May import: corpus and passages (to read a file), entities (the recogniser the indexer
//! uses, and mention types), names, index and search (to read articles back).

pub mod align;
pub mod diff;
pub mod features;
pub mod load;
pub mod versions;

use serde::Serialize;

use crate::entities::PassageMention;
use crate::names::curation::Aliases;
use crate::names::keys;
use diff::{EntityOnly, FigureChange, Place, QuoteDiff};
use features::{Figure, Quote};

/// One version of a story: an article's passages with the entities they name.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    /// How the user named it: an article id, or a file path as given.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its date, if known.
    pub date: Option<String>,
    /// Its passages, in order.
    pub passages: Vec<VersionPassage>,
}

/// One passage of a version.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionPassage {
    /// 0-based place in the version.
    pub number: usize,
    /// Byte offset in the article's text.
    pub start: usize,
    /// The passage text.
    pub text: String,
    /// Entities named, offsets in `text`, canonical names as the index records them.
    pub mentions: Vec<PassageMention>,
}

/// Per-passage features of one version.
#[derive(Clone, Debug, Default)]
pub struct Analysed {
    /// Figures of each passage.
    pub figures: Vec<Vec<Figure>>,
    /// Quotations of each passage.
    pub quotes: Vec<Vec<Quote>>,
    /// Alignment features of each passage.
    pub features: Vec<align::Features>,
}

/// Reads the features of every passage of a version.
pub fn analyse(v: &Version) -> Analysed {
    let figures: Vec<Vec<Figure>> = v
        .passages
        .iter()
        .map(|p| features::figures(&p.text))
        .collect();
    let texts: Vec<(&str, &[PassageMention])> = v
        .passages
        .iter()
        .map(|p| (p.text.as_str(), p.mentions.as_slice()))
        .collect();
    let quotes = features::quotes(&texts);
    let feats = v
        .passages
        .iter()
        .zip(&figures)
        .map(|(p, figs)| {
            let mut f: align::Features = Vec::new();
            for m in &p.mentions {
                f.push((format!("e:{}", keys::name_key(&m.name)), 3.0));
            }
            for fig in figs {
                f.push((format!("n:{:?}:{}", fig.kind, fig.value), 2.0));
            }
            for w in features::content_stems(&p.text) {
                f.push((format!("w:{w}"), 1.0));
            }
            f
        })
        .collect();
    Analysed {
        figures,
        quotes,
        features: feats,
    }
}

/// A version as the comparison names it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Article id or file path.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date, if known.
    pub date: Option<String>,
    /// Number of passages.
    pub passages: usize,
}

/// Everything that differs between two versions, and how their passages align; also the
/// `compare --json` format.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The first version.
    pub a: Summary,
    /// The second version.
    pub b: Summary,
    /// Groups of counterpart passages.
    pub alignment: Vec<align::Group>,
    /// People, places and organisations named in one version only.
    pub entities: Vec<EntityOnly>,
    /// Figures that differ between counterpart passages.
    pub figures: Vec<FigureChange>,
    /// Quotations in one version only, or attributed differently.
    pub quotes: Vec<QuoteDiff>,
    /// Passages of A with no counterpart in B, in A's order.
    pub cut: Vec<Place>,
    /// Passages of B with no counterpart in A, in B's order.
    pub added: Vec<Place>,
}

impl Comparison {
    /// Whether anything differs.
    pub fn has_differences(&self) -> bool {
        !(self.entities.is_empty()
            && self.figures.is_empty()
            && self.quotes.is_empty()
            && self.cut.is_empty()
            && self.added.is_empty())
    }
}

fn summary(v: &Version) -> Summary {
    Summary {
        id: v.id.clone(),
        title: v.title.clone(),
        date: v.date.clone(),
        passages: v.passages.len(),
    }
}

fn whole(v: &Version, passage: usize) -> Place {
    let p = &v.passages[passage];
    Place {
        passage,
        start: p.start,
        end: p.start + p.text.len(),
        text: p.text.clone(),
    }
}

/// Passages of this many words or fewer are crossheads ("Risky move") or credit lines: they
/// are not aligned, nor reported as cut or added (a rewrite sets its own).
pub const HEADING_WORDS: usize = 3;

fn reported(v: &Version, passages: &[usize]) -> Vec<Place> {
    passages
        .iter()
        .filter(|&&p| features::words(&v.passages[p].text).len() > HEADING_WORDS)
        .map(|&p| whole(v, p))
        .collect()
}

/// Compares two versions of a story, with the names the user declared the same or different.
pub fn compare(a: &Version, b: &Version, aliases: &Aliases) -> Comparison {
    let (mut fa, mut fb) = (analyse(a), analyse(b));
    // crossheads and credit lines ("Source: Al Jazeera") align with nothing: their few
    // features would make them look like anything that shares one
    for (v, an) in [(a, &mut fa), (b, &mut fb)] {
        for (p, f) in v.passages.iter().zip(&mut an.features) {
            if features::words(&p.text).len() <= HEADING_WORDS {
                f.clear();
            }
        }
    }
    let sim = align::similarities(&fa.features, &fb.features);
    let alignment = align::align(&sim, b.passages.len());
    let figures = alignment
        .groups
        .iter()
        .flat_map(|g| diff::figure_differences(a, b, &fa, &fb, &g.a, &g.b))
        .collect();
    Comparison {
        a: summary(a),
        b: summary(b),
        entities: diff::entity_differences(a, b, aliases),
        figures,
        quotes: diff::quote_differences(a, b, &fa, &fb),
        cut: reported(a, &alignment.only_a),
        added: reported(b, &alignment.only_b),
        alignment: alignment.groups,
    }
}
