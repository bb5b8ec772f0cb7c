//! The differences between two aligned versions: entities named in one only, figures that
//! changed between counterpart passages, quotations quoted in one only or put in another
//! mouth.
//!
//! - **Entities** are compared by variant key ([`keys::name_key`]), across types (the
//!   tagger may call a name a place in one version and an organisation in the other), so
//!   spelling variants are one entity; short forms were already linked to full names
//!   inside each article by the recogniser ("Faiz" is recorded as "Ali Fayez"). A person
//!   named in full in one version and by surname alone in the other is one person; names
//!   declared the same or different in `newsdex.toml` are taken at their word. A name
//!   the recogniser missed in the other version still counts as present there when its
//!   keys stand as a phrase in that version's text.
//! - **Figures** are compared within each group of counterpart passages: equal values of
//!   one kind pair off first (same unit before any unit), then what is left of one unit on
//!   both sides is a change ("two children" → "three children"). A figure with no partner
//!   of its unit is a rewording, not a change, and is not reported.
//! - **Quotations** of five words or more are paired across the whole story (quotes move)
//!   by the share of the shorter one's content words the other holds (at least half, and
//!   three words); a quote paired with none is quoted in one version only; a pair whose
//!   two speakers are both known and not one person is a re-attribution.
//!
//! May import: entities (mention types), names (keys), and the other compare files.

use serde::Serialize;

use super::features::{content_stems, Figure, FigureKind, Quote};
use super::{Analysed, Version};
use crate::entities::EntityKind;
use crate::names::analyzer;
use crate::names::curation::Aliases;
use crate::names::keys;

/// Quotes shorter than this are scare quotes or titles, not statements with a speaker.
pub const MIN_QUOTE_WORDS: usize = 5;

/// Which version something is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The first version.
    A,
    /// The second version.
    B,
}

/// A stretch of one version's text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    /// Passage number (0-based) in its version.
    pub passage: usize,
    /// Byte offset in the version's article text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The text there.
    pub text: String,
}

/// A person, place or organisation named in one version only.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityOnly {
    /// The version that names it.
    pub side: Side,
    /// `person`, `place` or `org`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its canonical name.
    pub name: String,
    /// Every mention of it, in text order.
    pub mentions: Vec<Place>,
}

/// A figure that differs between counterpart passages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureChange {
    /// `number`, `weekday`, `date` or `year`.
    pub kind: FigureKind,
    /// What it counts ("child" for children), cut to five letters; empty for dates.
    pub unit: String,
    /// The figure in A.
    pub a: Place,
    /// The figure in B.
    pub b: Place,
}

/// How a quotation differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteChange {
    /// Quoted in A only.
    OnlyA,
    /// Quoted in B only.
    OnlyB,
    /// Quoted in both, from different speakers.
    Speaker,
}

/// A quotation as one version gives it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuotePlace {
    /// Where the quoted words stand.
    #[serde(flatten)]
    pub place: Place,
    /// Who the version says spoke them, when it says.
    pub speaker: Option<String>,
}

/// A quotation that differs between the versions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuoteDiff {
    /// What differs.
    pub change: QuoteChange,
    /// The quote in A, if A has it.
    pub a: Option<QuotePlace>,
    /// The quote in B, if B has it.
    pub b: Option<QuotePlace>,
    /// For a quote in one version only: the passage of the other version that says most
    /// of it without quoting it (half its content words or more), if any.
    pub paraphrased_in: Option<usize>,
}

/// One entity of a version: its mentions under one type and variant key.
struct Entity {
    kind: EntityKind,
    key: String,
    name: String,
    mentions: Vec<Place>,
}

fn entities(v: &Version) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::new();
    for p in &v.passages {
        for m in &p.mentions {
            let key = keys::name_key(&m.name);
            let place = Place {
                passage: p.number,
                start: p.start + m.start,
                end: p.start + m.end,
                text: p.text[m.start..m.end].to_string(),
            };
            match out.iter_mut().find(|e| e.kind == m.kind && e.key == key) {
                Some(e) => e.mentions.push(place),
                None => out.push(Entity {
                    kind: m.kind,
                    key,
                    name: m.name.clone(),
                    mentions: vec![place],
                }),
            }
        }
    }
    out
}

fn last_word_key(name: &str) -> Option<String> {
    name.trim()
        .rsplit_once(' ')
        .map(|(_, last)| keys::name_key(last))
}

/// Whether two names of people are one person: one key, or one is the other's surname.
pub fn same_person(a: &str, b: &str) -> bool {
    let (ka, kb) = (keys::name_key(a), keys::name_key(b));
    ka == kb
        || last_word_key(a).is_some_and(|l| l == kb && !b.trim().contains(' '))
        || last_word_key(b).is_some_and(|l| l == ka && !a.trim().contains(' '))
}

/// Whether `long` is `short` with one word more ("Al Jazeera English", "Al Jazeera"); the
/// shorter must have two words or more, so "Iran" does not swallow "Iran Project".
fn extends(long: &str, short: &str) -> bool {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (lw, sw) = (split(long), split(short));
    if sw.len() < 2 || lw.len() != sw.len() + 1 {
        return false;
    }
    let key = keys::name_key(short);
    lw.windows(sw.len())
        .any(|w| keys::name_key(&w.join(" ")) == key)
}

fn is_present(e: &Entity, others: &[Entity], other: &Version, aliases: &Aliases) -> bool {
    let declared: Vec<String> = aliases
        .same_as(&e.name)
        .iter()
        .map(|n| keys::name_key(n))
        .collect();
    let by_entity = others.iter().any(|o| {
        let one = o.key == e.key
            || declared.contains(&o.key)
            || (e.kind == EntityKind::Person
                && o.kind == EntityKind::Person
                && same_person(&e.name, &o.name));
        one && !aliases.are_different(&e.name, &o.name)
    });
    if by_entity
        || others
            .iter()
            .any(|o| o.kind == e.kind && extends(&e.name, &o.name))
    {
        return true;
    }
    // the other version's spelling of the key is a name declared different
    if others
        .iter()
        .any(|o| o.key == e.key && aliases.are_different(&e.name, &o.name))
    {
        return false;
    }
    let phrase = analyzer::query_keys(&e.name);
    other
        .passages
        .iter()
        .any(|p| !analyzer::key_spans(&p.text, &phrase, false).is_empty())
}

/// People, places and organisations named in one version only, A's first, by first mention;
/// names the user declared the same are one, names declared different two.
pub fn entity_differences(a: &Version, b: &Version, aliases: &Aliases) -> Vec<EntityOnly> {
    let (ea, eb) = (entities(a), entities(b));
    let mut out = Vec::new();
    for (side, mine, theirs, other) in [(Side::A, &ea, &eb, b), (Side::B, &eb, &ea, a)] {
        for e in mine.iter() {
            if !is_present(e, theirs, other, aliases) {
                out.push(EntityOnly {
                    side,
                    kind: e.kind.field_name(),
                    name: e.name.clone(),
                    mentions: e.mentions.clone(),
                });
            }
        }
    }
    out
}

fn figure_place(v: &Version, passage: usize, f: &Figure) -> Place {
    let p = &v.passages[passage];
    Place {
        passage,
        start: p.start + f.start,
        end: p.start + f.end,
        text: p.text[f.start..f.end].to_string(),
    }
}

/// Figures that changed between the counterpart passages `pa` of A and `pb` of B.
pub fn figure_differences(
    a: &Version,
    b: &Version,
    fa: &Analysed,
    fb: &Analysed,
    pa: &[usize],
    pb: &[usize],
) -> Vec<FigureChange> {
    let gather = |an: &Analysed, ps: &[usize]| -> Vec<(usize, Figure)> {
        ps.iter()
            .flat_map(|&p| an.figures[p].iter().map(move |f| (p, f.clone())))
            .collect()
    };
    let mut left = gather(fa, pa);
    let mut right = gather(fb, pb);
    // equal values pair off, same unit first, then any unit
    for same_unit in [true, false] {
        left.retain(|(_, x)| {
            let hit = right
                .iter()
                .position(|(_, y)| x.same_value(y) && (!same_unit || x.unit == y.unit));
            if let Some(k) = hit {
                right.remove(k);
            }
            hit.is_none()
        });
    }
    let mut out = Vec::new();
    for (p, x) in left {
        let partner = right.iter().position(|(_, y)| {
            y.kind == x.kind
                && y.unit == x.unit
                && (x.kind != FigureKind::Number || !x.unit.is_empty())
        });
        if let Some(k) = partner {
            let (q, y) = right.remove(k);
            out.push(FigureChange {
                kind: x.kind,
                unit: x.unit.clone(),
                a: figure_place(a, p, &x),
                b: figure_place(b, q, &y),
            });
        }
    }
    out
}

fn quote_place(v: &Version, passage: usize, q: &Quote) -> QuotePlace {
    let p = &v.passages[passage];
    QuotePlace {
        place: Place {
            passage,
            start: p.start + q.start,
            end: p.start + q.end,
            text: p.text[q.start..q.end].to_string(),
        },
        speaker: q.speaker.clone(),
    }
}

/// How much of the shorter quote's content the other holds (0 to 1), and how many words.
fn overlap(x: &Quote, y: &Quote) -> (f64, usize) {
    let shared = x
        .words
        .iter()
        .filter(|w| y.words.binary_search(w).is_ok())
        .count();
    let least = x.words.len().min(y.words.len()).max(1);
    (shared as f64 / least as f64, shared)
}

/// The passage of `other` holding the largest share (at least half, and three words) of
/// the quote's content words.
fn paraphrase(q: &Quote, other: &Version) -> Option<usize> {
    other
        .passages
        .iter()
        .map(|p| {
            let stems = content_stems(&p.text);
            let shared = q
                .words
                .iter()
                .filter(|w| stems.binary_search(w).is_ok())
                .count();
            (p.number, shared)
        })
        .filter(|&(_, n)| n >= 3 && 2 * n >= q.words.len())
        .max_by_key(|&(p, n)| (n, std::cmp::Reverse(p)))
        .map(|(p, _)| p)
}

/// Quotations quoted in one version only, or attributed to different speakers.
pub fn quote_differences(a: &Version, b: &Version, fa: &Analysed, fb: &Analysed) -> Vec<QuoteDiff> {
    let long = |an: &Analysed| -> Vec<(usize, Quote)> {
        an.quotes
            .iter()
            .enumerate()
            .flat_map(|(p, qs)| qs.iter().map(move |q| (p, q.clone())))
            .filter(|(_, q)| q.length >= MIN_QUOTE_WORDS)
            .collect()
    };
    let (qa, qb) = (long(fa), long(fb));
    let best = |q: &Quote, others: &[(usize, Quote)]| -> Option<usize> {
        others
            .iter()
            .enumerate()
            .map(|(k, (_, o))| (k, overlap(q, o)))
            .filter(|(_, (share, n))| *share >= 0.5 && *n >= 3)
            .max_by(|x, y| x.1 .0.total_cmp(&y.1 .0))
            .map(|(k, _)| k)
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, (_, q)) in qa.iter().enumerate() {
        if let Some(j) = best(q, &qb) {
            pairs.push((i, j));
        }
    }
    for (j, (_, q)) in qb.iter().enumerate() {
        if let Some(i) = best(q, &qa) {
            if !pairs.contains(&(i, j)) {
                pairs.push((i, j));
            }
        }
    }
    pairs.sort_unstable();
    let mut out = Vec::new();
    for &(i, j) in &pairs {
        let (x, y) = (&qa[i].1, &qb[j].1);
        if let (Some(sx), Some(sy)) = (&x.speaker, &y.speaker) {
            if !same_person(sx, sy) {
                out.push(QuoteDiff {
                    change: QuoteChange::Speaker,
                    a: Some(quote_place(a, qa[i].0, x)),
                    b: Some(quote_place(b, qb[j].0, y)),
                    paraphrased_in: None,
                });
            }
        }
    }
    for (i, (p, q)) in qa.iter().enumerate() {
        if !pairs.iter().any(|&(x, _)| x == i) {
            out.push(QuoteDiff {
                change: QuoteChange::OnlyA,
                a: Some(quote_place(a, *p, q)),
                b: None,
                paraphrased_in: paraphrase(q, b),
            });
        }
    }
    for (j, (p, q)) in qb.iter().enumerate() {
        if !pairs.iter().any(|&(_, y)| y == j) {
            out.push(QuoteDiff {
                change: QuoteChange::OnlyB,
                a: None,
                b: Some(quote_place(b, *p, q)),
                paraphrased_in: paraphrase(q, a),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surname_and_spelling_variants_are_one_person() {
        assert!(same_person("Ali Vaez", "Ali Fayez"));
        assert!(same_person("Ali Vaez", "Vaez"));
        assert!(same_person("Anwaar-ul-Haq Kakar", "Anwar Haq Kakar"));
        assert!(!same_person("Ali Vaez", "Syed Rifaat Hussain"));
        assert!(!same_person("Joshua White", "Jack White"));
    }

    #[test]
    fn a_name_with_one_word_more_extends_a_name_of_two() {
        assert!(extends("Al Jazeera English", "Al Jazeera"));
        assert!(!extends("Iran Project", "Iran"));
        assert!(!extends("Islamic Republic of Iran", "Iran"));
    }
}
