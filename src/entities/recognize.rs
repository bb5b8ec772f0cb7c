//! Index-time recognition: an article's entities, made consistent and mapped to its passages.
//!
//! The tagger runs over the whole article so that context crosses paragraph
//! breaks. Three article-level steps follow, because a reporter filtering by
//! `person:` expects every passage about someone, not only the ones where the
//! tagger happened to be sure:
//!
//! 1. **One type per name**: a name gets the type most of its mentions got.
//! 2. **Every occurrence**: a name found once is found wherever the same words
//!    stand capitalised in the article, even where the tagger missed it.
//! 3. **Short forms**: a one-word person mention that is the surname (or first
//!    name) of a full name in the article is recorded as that full name ("Vaez"
//!    after "Ali Vaez"; "Faiz" after "Ali Fayez", a spelling variant, when no
//!    exact match exists). When two people share the surname, the one named in
//!    full most recently before the mention wins (else the first named after
//!    it); the two full names stay two entities. An acronym defined right after a name ("… Armed Forces of Colombia (FARC)",
//!    "Kurdistan Workers' Party [PKK]") stands for that name wherever it recurs.
//!
//! Names are normalised for the index (possessive and a leading "the"
//! stripped, white space collapsed, typographic quotes straightened); passage
//! text is never changed.
//!
//! May import: `ner`, `names`, `passages`, `corpus`.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{spans_of, EntityKind, PassageEntities, Recognizer, Span};
use crate::corpus::Article;
use crate::names::keys as names;
use crate::ner::features;
use crate::ner::model::{Model, Scratch};
use crate::ner::tokenize::{tokenize, Token};
use crate::passages::Passage;

/// The recogniser the indexer uses: the shipped tagger plus article-level consistency.
pub struct ModelRecognizer {
    model: &'static Model,
}

impl ModelRecognizer {
    /// A recogniser over a loaded model.
    pub fn new(model: &'static Model) -> Self {
        ModelRecognizer { model }
    }
}

thread_local! {
    static BUFFERS: std::cell::RefCell<(Vec<Token>, Vec<u8>, Scratch)> = Default::default();
}

impl ModelRecognizer {
    /// Every resolved mention in an article, in text order.
    pub fn mentions(&self, article: &Article) -> Vec<Mention> {
        BUFFERS.with(|b| {
            let (tokens, labels, scratch) = &mut *b.borrow_mut();
            tokenize(&article.text, tokens);
            self.model.tag(&article.text, tokens, scratch, labels);
            let spans = spans_of(&article.text, tokens, labels);
            resolve(&article.text, tokens, &spans)
        })
    }
}

impl Recognizer for ModelRecognizer {
    fn recognize(&self, article: &Article, passages: &[Passage]) -> Vec<PassageEntities> {
        assign(passages, &self.mentions(article))
    }
}

/// A resolved mention: where it stands and the name to index it under.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// Its kind.
    pub kind: EntityKind,
    /// Byte offset in the article.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The canonical name.
    pub name: String,
}

/// Applies the article-level passes to the tagger's spans, in order; each says what it
/// mends.
pub fn resolve(text: &str, tokens: &[Token], spans: &[Span]) -> Vec<Mention> {
    let spans = repair(text, tokens, spans);
    let votes = Votes::count(text, &spans);
    let surnames = surnames_of_people(&votes);
    let mut found = Found::new(tokens.len());
    find_every_occurrence(text, tokens, &votes, &surnames, &mut found);
    link_defined_acronyms(text, tokens, &mut found);
    let mut mentions = name_short_forms(text, &found.mentions, &votes, &surnames);
    name_acronyms_by_gazetteer(&mut mentions);
    mentions
}

/// Pass 4, acronyms the article does not define: a place's or organisation's acronym
/// that the gazetteer knows as a spelling of exactly one entity of that kind ("US",
/// "U.S.", "USA" of the United States in WordNet's synonym set) is recorded under that
/// entity's name, so `entities` lists them as one and `mentions "United States"` finds
/// them. Only acronyms: a sourced synonym set can hold over-general words, and a
/// capitalised word's own spelling is its best name.
fn name_acronyms_by_gazetteer(mentions: &mut [Mention]) {
    let gazetteer = super::gazetteer::Gazetteer::shipped();
    let mut tokens = Vec::new();
    let mut cache: FxHashMap<(EntityKind, String), Option<String>> = FxHashMap::default();
    for m in mentions.iter_mut() {
        if m.kind == EntityKind::Person || !is_acronym(&m.name) {
            continue;
        }
        let canonical = cache
            .entry((m.kind, m.name.clone()))
            .or_insert_with(|| {
                tokenize(&m.name, &mut tokens);
                let mut groups: Vec<&str> = gazetteer
                    .entries_of(&m.name, &tokens)
                    .filter(|e| e.kind == m.kind)
                    .map(|e| gazetteer.canonical(e))
                    .collect();
                groups.sort_unstable();
                groups.dedup();
                match groups.as_slice() {
                    [one] if *one != m.name => Some(one.to_string()),
                    _ => None,
                }
            })
            .clone();
        if let Some(name) = canonical {
            m.name = name;
        }
    }
}

/// A name of 2–6 capitals, dots allowed between them ("US", "U.S.", "NATO").
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(char::is_ascii_uppercase).count();
    (2..=6).contains(&letters) && name.chars().all(|c| c.is_ascii_uppercase() || c == '.')
}

/// Pass 1, one type per name: how often the tagger gave each normalised name each type.
struct Votes(FxHashMap<String, [usize; 3]>);

impl Votes {
    fn count(text: &str, spans: &[Span]) -> Votes {
        let mut votes: FxHashMap<String, [usize; 3]> = FxHashMap::default();
        for s in spans {
            let name = normalize_name(&text[s.start..s.end]);
            if !name.is_empty() {
                votes.entry(name).or_default()[kind_index(s.kind)] += 1;
            }
        }
        Votes(votes)
    }

    /// The type most of a name's mentions got (the earlier type on a tie).
    fn majority(&self, name: &str) -> Option<EntityKind> {
        let v = self.0.get(name)?;
        let best = (0..3).max_by_key(|&i| (v[i], std::cmp::Reverse(i)))?;
        Some(EntityKind::ALL[best])
    }
}

/// The surnames of people named in full: a person is also named by surname alone
/// ("… said Vaez"), or by a variant spelling of it ("Faiz" in an article about "Ali Fayez").
fn surnames_of_people(votes: &Votes) -> FxHashSet<String> {
    let mut surnames = FxHashSet::default();
    for n in votes.0.keys() {
        if let Some(last) = names::surname(n) {
            let capitalised = names::strip_article(last)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if capitalised && votes.majority(n) == Some(EntityKind::Person) {
                surnames.insert(last.to_string());
            }
        }
    }
    surnames
}

/// The mentions found so far, and which tokens they took.
struct Found {
    mentions: Vec<(usize, usize, String)>,
    taken: Vec<bool>,
}

impl Found {
    fn new(tokens: usize) -> Found {
        Found {
            mentions: Vec::new(),
            taken: vec![false; tokens],
        }
    }
}

/// Pass 2, every occurrence: a name found once is found wherever its words stand
/// capitalised in the article, even where the tagger missed it, and a surname of pass 1
/// wherever a word with its skeleton stands. One pass over the tokens, longest name
/// first, names looked up by their first word.
fn find_every_occurrence(
    text: &str,
    tokens: &[Token],
    votes: &Votes,
    surnames: &FxHashSet<String>,
    found: &mut Found,
) {
    let mut known: Vec<(Vec<String>, String)> = votes
        .0
        .keys()
        .map(|n| (n.split(' ').map(str::to_lowercase).collect(), n.clone()))
        .collect();
    known.extend(
        surnames
            .iter()
            .filter(|s| !votes.0.contains_key(*s))
            .map(|s| (vec![s.to_lowercase()], s.clone())),
    );
    known.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.1.cmp(&b.1)));
    let mut by_first: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (idx, (words, _)) in known.iter().enumerate() {
        by_first.entry(words[0].as_str()).or_default().push(idx);
    }
    // "el-Sisi" is also written "al-Sisi" and "Sisi": compared without the article
    let mut surname_skeletons: FxHashMap<String, &String> = FxHashMap::default();
    let mut sorted: Vec<&String> = surnames.iter().collect();
    sorted.sort();
    for s in sorted {
        surname_skeletons
            .entry(names::word_keys(names::strip_article(s)).0)
            .or_insert(s);
    }
    let taken = &mut found.taken;
    let mut lower = String::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text(text);
        if taken[i]
            || !names::strip_article(t)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        {
            i += 1;
            continue;
        }
        features::fold_lower(t, &mut lower);
        let fits = |idx: &&usize| {
            let words = &known[**idx].0;
            let n = words.len();
            i + n <= tokens.len()
                && (1..n).all(|k| {
                    !taken[i + k]
                        && !tokens[i + k].sentence_start
                        && eq_folded(tokens[i + k].text(text), &words[k])
                })
        };
        let mut matched = by_first
            .get(lower.as_str())
            .and_then(|c| c.iter().find(fits))
            .map(|&idx| (known[idx].0.len(), known[idx].1.clone()));
        if matched.is_none() && !surname_skeletons.is_empty() {
            let skeleton = names::word_keys(names::strip_article(t)).0;
            matched = surname_skeletons.get(&skeleton).map(|s| (1, (*s).clone()));
        }
        match matched {
            Some((n, name)) => {
                taken[i..i + n].iter_mut().for_each(|t| *t = true);
                found.mentions.push((
                    tokens[i].start as usize,
                    tokens[i + n - 1].end as usize,
                    name,
                ));
                i += n;
            }
            None => i += 1,
        }
    }
}

/// Pass 2b: an acronym defined right after a name ("… Armed Forces of Colombia (FARC)") stands for that
/// name wherever it recurs.
fn link_defined_acronyms(text: &str, tokens: &[Token], found: &mut Found) {
    // the first definition of an acronym holds; one pass over the tokens links them all
    let mut defined: FxHashMap<String, String> = FxHashMap::default();
    for (acronym, m) in acronyms(text, tokens, &found.mentions) {
        let name = found.mentions[m].2.clone();
        defined.entry(acronym).or_insert(name);
    }
    if defined.is_empty() {
        return;
    }
    for (i, t) in tokens.iter().enumerate() {
        if found.taken[i] {
            continue;
        }
        if let Some(name) = defined.get(t.text(text)) {
            found.taken[i] = true;
            found
                .mentions
                .push((t.start as usize, t.end as usize, name.clone()));
        }
    }
}

/// Pass 3, short forms: each mention gets its name's majority type, and a one-word
/// person mention is recorded under the full name it abbreviates ([`expand_person`]).
fn name_short_forms(
    text: &str,
    found: &[(usize, usize, String)],
    votes: &Votes,
    surnames: &FxHashSet<String>,
) -> Vec<Mention> {
    let mut full_people: Vec<(usize, &str)> = found
        .iter()
        .filter(|(_, _, n)| n.contains(' ') && votes.majority(n) == Some(EntityKind::Person))
        .map(|(s, _, n)| (*s, n.as_str()))
        .collect();
    full_people.sort();
    let full_people = FullNames::new(&full_people);
    let mut out: Vec<Mention> = found
        .iter()
        .filter_map(|(start, end, name)| {
            let (start, end) = (*start, *end);
            let kind = votes
                .majority(name)
                .or(surnames.contains(name).then_some(EntityKind::Person))?;
            let name = if kind == EntityKind::Person && !name.contains(' ') {
                match royal_title_before(text, start) {
                    // "King Hussein": a given name, linked only to a full name it opens
                    Some(title) => full_people
                        .opened_by(name, start)
                        .unwrap_or_else(|| format!("{title} {name}")),
                    None => full_people
                        .expand(name, start)
                        .unwrap_or_else(|| name.clone()),
                }
            } else {
                name.clone()
            };
            Some(Mention {
                kind,
                start,
                end,
                name,
            })
        })
        .collect();
    out.sort_by_key(|m| m.start);
    out
}

/// Mends the tagger's usual slips on names it rarely saw in training: a name split at a
/// particle ("Anwar | ul | Haq Kakar", "Osama | bin | Laden") or at a lower-case-initial
/// word ("Saif | al-Islam Gaddafi") is joined, as a person when the parts or the particle
/// say so; a title ("Mayor Sadiq Khan") is cut from the front of a person's name; names
/// headed by Arabic, Persian or Urdu words for army, party or front ("Lashkar-e-Taiba") are
/// organisations (known groups were typed before, by the gazetteer: see `spans_of`); an organisation takes in the capitalised words the tagger
/// left just before it ("International | Crisis Group").
fn repair(text: &str, tokens: &[Token], spans: &[Span]) -> Vec<Span> {
    let index_at = |offset: usize| tokens.partition_point(|t| (t.start as usize) < offset);
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for &s in spans {
        if let Some(last) = out.last_mut() {
            let (from, to) = (index_at(last.end), index_at(s.start));
            let between: Vec<&str> = tokens[from..to].iter().map(|t| t.text(text)).collect();
            let particles = between.iter().all(|w| names::is_name_particle(w));
            let personal = between.iter().any(|w| names::is_personal_particle(w));
            let either_person = last.kind == EntityKind::Person || s.kind == EntityKind::Person;
            let same_sentence = !tokens.get(to).is_some_and(|t| t.sentence_start);
            let joins = if !same_sentence {
                false
            } else if between.is_empty() {
                last.kind == s.kind && s.kind == EntityKind::Person
            } else {
                between.len() <= 2 && particles && (personal || either_person)
            };
            if joins {
                last.end = s.end;
                last.kind = EntityKind::Person;
                continue;
            }
        }
        out.push(s);
    }
    let mut previous_end = 0;
    for s in &mut out {
        let (first, last) = (index_at(s.start), index_at(s.end));
        if ORG_HEADS
            .iter()
            .any(|h| tokens[first].text(text).eq_ignore_ascii_case(h))
        {
            s.kind = EntityKind::Org;
        }
        match s.kind {
            EntityKind::Person => {
                let mut i = first;
                while i + 1 < last {
                    let words: Vec<&str> = tokens[i..last.min(i + 2)]
                        .iter()
                        .map(|t| t.text(text))
                        .collect();
                    let n = names::title_len(&words);
                    if n == 0 || i + n >= last {
                        break;
                    }
                    i += n;
                }
                s.start = tokens[i].start as usize;
            }
            EntityKind::Org => {
                // "the International | Crisis Group", "the Iranian | Foreign Ministry":
                // capitalised words the tagger left out (or called MISC) right before it
                let mut i = first;
                while i > 0
                    && first - i < 2
                    && !tokens[i].sentence_start
                    && tokens[i - 1].start as usize >= previous_end
                    && is_org_modifier(tokens[i - 1].text(text))
                {
                    i -= 1;
                }
                s.start = tokens[i].start as usize;
            }
            EntityKind::Place => {}
        }
        previous_end = s.end;
    }
    out
}

/// First words that make a name an organisation in news about the Middle East and South
/// Asia: general vocabulary, the Arabic, Persian and Urdu words for army, party, movement,
/// front, group as transliterated in English ("Jaish-e-Mohammed", "Hizb ut-Tahrir",
/// "Lashkar-e-Taiba", "Tehrik-i-Taliban"); no name is listed.
const ORG_HEADS: &[&str] = &[
    "Jaish", "Jaysh", "Hizb", "Hezb", "Harakat", "Jabhat", "Ansar", "Kataib", "Lashkar", "Tehrik",
    "Jamaat", "Jamiat", "Ittihad", "Majlis", "Sepah", "Tanzim", "Liwa", "Saraya", "Asaib",
];

/// A capitalised word that can open an organisation's name: an adjective or title word,
/// not a weekday, month or article.
fn is_org_modifier(word: &str) -> bool {
    const NOT: &[&str] = &[
        "The",
        "A",
        "An",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "I",
    ];
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
        && !NOT.contains(&word)
}

/// Whether a token equals a lower-cased name word, ignoring case and quote style.
fn eq_folded(token: &str, word: &str) -> bool {
    token
        .chars()
        .map(features::fold)
        .flat_map(char::to_lowercase)
        .eq(word.chars())
}

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
    }
}

/// The full names of people in an article, looked up by word: a one-word mention is
/// linked by hash look-ups and a binary search, not by a scan of every full name (an
/// article of a whole archive's text names tens of thousands).
struct FullNames<'a> {
    /// By first or last word as written: (position, full name), in position order.
    by_word: FxHashMap<&'a str, Vec<(usize, &'a str)>>,
    /// By first word alone.
    by_first: FxHashMap<&'a str, Vec<(usize, &'a str)>>,
    /// By the match key of the first or last word ([`names::word_match_key`]).
    by_skeleton: FxHashMap<String, Vec<(usize, &'a str)>>,
}

impl<'a> FullNames<'a> {
    /// Indexes `full`, sorted by position.
    fn new(full: &[(usize, &'a str)]) -> FullNames<'a> {
        let mut names = FullNames {
            by_word: FxHashMap::default(),
            by_first: FxHashMap::default(),
            by_skeleton: FxHashMap::default(),
        };
        for &(at, name) in full {
            let first = name.split(' ').next().unwrap_or_default();
            let last = name.rsplit(' ').next().unwrap_or_default();
            names.by_first.entry(first).or_default().push((at, name));
            let mut keys = Vec::new();
            for word in [first, last] {
                let list = names.by_word.entry(word).or_default();
                if list.last() != Some(&(at, name)) {
                    list.push((at, name));
                }
                if let Some(key) = names::word_match_key(word) {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
            for key in keys {
                names.by_skeleton.entry(key).or_default().push((at, name));
            }
        }
        names
    }

    /// The full name a one-word mention at `at` abbreviates: among the full names whose
    /// last (or first) word is `short` — by exact spelling, else by spelling variant
    /// ("Faiz" of "Ali Fayez") — the one named nearest before it, else the first named
    /// after it (news names a person in full, then by surname).
    fn expand(&self, short: &str, at: usize) -> Option<String> {
        nearest(self.by_word.get(short), at).or_else(|| {
            let key = names::word_match_key(short)?;
            nearest(self.by_skeleton.get(&key), at)
        })
    }

    /// The full name, nearest before `at` (else first after), whose first word is `given`.
    fn opened_by(&self, given: &str, at: usize) -> Option<String> {
        nearest(self.by_first.get(given), at)
    }
}

/// The name in `list` (in position order) nearest before `at`, else the first after it.
fn nearest(list: Option<&Vec<(usize, &str)>>, at: usize) -> Option<String> {
    let list = list?;
    let split = list.partition_point(|(p, _)| *p < at);
    let before = split.checked_sub(1).map(|i| list[i]);
    let after = list[split..].iter().find(|(p, _)| *p > at).copied();
    before.or(after).map(|(_, name)| name.to_string())
}

/// The royal title written right before byte `at` ("King" in "King Hussein"), if any.
fn royal_title_before(text: &str, at: usize) -> Option<&str> {
    let before = text[..at].strip_suffix(' ')?;
    let word = before.rsplit(' ').next()?;
    names::is_royal_title(word).then_some(word)
}

/// Acronyms an article defines right after a name, "Revolutionary Armed Forces
/// of Colombia (FARC)" or "Kurdistan Workers' Party [PKK/KGK]": each maps to that mention's index.
fn acronyms(
    text: &str,
    tokens: &[Token],
    found: &[(usize, usize, String)],
) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (m, (_, end, _)) in found.iter().enumerate() {
        let next = tokens.partition_point(|t| (t.start as usize) < *end);
        if !tokens
            .get(next)
            .is_some_and(|t| matches!(t.text(text), "(" | "["))
        {
            continue;
        }
        let mut i = next + 1;
        while let Some(t) = tokens.get(i) {
            let w = t.text(text);
            if w.len() >= 2 && w.len() <= 8 && w.chars().all(|c| c.is_ascii_uppercase()) {
                out.push((w.to_string(), m));
            } else if w != "/" && w != "," {
                break;
            }
            i += 1;
        }
    }
    out
}

/// Normalises a name for the index: quotes straightened, white space collapsed,
/// a possessive and a leading "the" removed.
pub fn normalize_name(raw: &str) -> String {
    let mut s: String = raw.chars().map(features::fold).collect();
    for suffix in ["'s", "'S"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.to_string();
        }
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    let words: Vec<&str> = s.split_whitespace().collect();
    let words = match words.first() {
        Some(w) if words.len() > 1 && w.eq_ignore_ascii_case("the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// Distributes mentions to the passages that contain them.
fn assign(passages: &[Passage], mentions: &[Mention]) -> Vec<PassageEntities> {
    let mut out = vec![PassageEntities::default(); passages.len()];
    let mut p = 0;
    for m in mentions {
        while p < passages.len() && passages[p].end <= m.start {
            p += 1;
        }
        if p < passages.len() && passages[p].start <= m.start && m.end <= passages[p].end {
            let start = passages[p].start;
            out[p].mention(m.kind, &m.name, m.start - start, m.end - start);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, needle: &str, kind: EntityKind) -> Span {
        let start = text.find(needle).unwrap();
        Span {
            kind,
            start,
            end: start + needle.len(),
        }
    }

    fn run(text: &str, spans: &[Span]) -> Vec<(EntityKind, String, String)> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        resolve(text, &tokens, spans)
            .into_iter()
            .map(|m| (m.kind, text[m.start..m.end].to_string(), m.name))
            .collect()
    }

    #[test]
    fn normalises_names() {
        assert_eq!(
            normalize_name("the  International\nCrisis Group"),
            "International Crisis Group"
        );
        assert_eq!(normalize_name("Pakistan’s"), "Pakistan");
        assert_eq!(normalize_name("“Hezbollah”"), "Hezbollah");
        assert_eq!(normalize_name("The Hague"), "Hague");
    }

    #[test]
    fn surname_gets_full_name_and_missed_mentions_are_found() {
        use EntityKind::*;
        let text = "Ali Vaez spoke. Vaez said more. Later Vaez left.";
        let spans = [
            span(text, "Ali Vaez", Person),
            span(text, "Vaez said", Person),
        ];
        let spans = [
            spans[0],
            Span {
                end: spans[1].start + 4,
                ..spans[1]
            },
        ];
        let got = run(text, &spans);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got.iter().all(|(k, _, n)| *k == Person && n == "Ali Vaez"),
            "{got:?}"
        );
    }

    #[test]
    fn shared_surname_goes_to_the_nearest_full_name_before() {
        use EntityKind::*;
        let text = "Syed Rifaat Hussain and Saddam Hussain met. Hussain spoke.";
        let last = text.rfind("Hussain").unwrap();
        let spans = [
            span(text, "Syed Rifaat Hussain", Person),
            span(text, "Saddam Hussain", Person),
            Span {
                kind: Person,
                start: last,
                end: last + 7,
            },
        ];
        let got = run(text, &spans);
        assert_eq!(got.last().unwrap().2, "Saddam Hussain");
        assert_eq!(got[0].2, "Syed Rifaat Hussain", "full names stay apart");
    }

    #[test]
    fn majority_type_wins() {
        use EntityKind::*;
        let text = "Jordan won. Jordan lost. Jordan drew.";
        let spans = [
            span(text, "Jordan won", Place),
            Span {
                kind: Place,
                start: 12,
                end: 18,
            },
            Span {
                kind: Person,
                start: 25,
                end: 31,
            },
        ];
        let spans = [
            Span {
                end: spans[0].start + 6,
                ..spans[0]
            },
            spans[1],
            spans[2],
        ];
        let got = run(text, &spans);
        assert!(got.iter().all(|(k, _, _)| *k == Place), "{got:?}");
    }

    #[test]
    fn variant_surname_and_acronyms_link_to_the_full_name() {
        use EntityKind::*;
        let text = "Ali Fayez spoke. Faiz said more. The Islamic State [ISIL/ISIS] struck. ISIS denied it.";
        let spans = [
            span(text, "Ali Fayez", Person),
            span(text, "Faiz", Person),
            span(text, "Islamic State", Org),
        ];
        let got = run(text, &spans);
        assert!(
            got.contains(&(Person, "Faiz".into(), "Ali Fayez".into())),
            "{got:?}"
        );
        let isis: Vec<_> = got.iter().filter(|(_, s, _)| s == "ISIS").collect();
        assert_eq!(isis.len(), 2, "{got:?}");
        assert!(isis
            .iter()
            .all(|(k, _, n)| *k == Org && n == "Islamic State"));
    }

    /// `repair` on a text's tokens, as (kind, text) pairs.
    fn repaired<'a>(text: &'a str, spans: &[Span]) -> Vec<(EntityKind, &'a str)> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        repair(text, &tokens, spans)
            .iter()
            .map(|s| (s.kind, &text[s.start..s.end]))
            .collect()
    }

    #[test]
    fn split_names_are_mended() {
        use EntityKind::*;
        let text = "Anwar ul Haq Kakar met Osama bin Laden and Saif al-Islam Gaddafi with Mayor Sadiq Khan.";
        let spans = [
            span(text, "Anwar", Place),
            span(text, "Haq Kakar", Person),
            span(text, "Osama", Place),
            span(text, "Laden", Place),
            span(text, "Saif", Person),
            span(text, "al-Islam Gaddafi", Person),
            span(text, "Mayor Sadiq Khan", Person),
        ];
        let got = repaired(text, &spans);
        assert_eq!(
            got,
            [
                (Person, "Anwar ul Haq Kakar"),
                (Person, "Osama bin Laden"),
                (Person, "Saif al-Islam Gaddafi"),
                (Person, "Sadiq Khan")
            ]
        );
    }

    #[test]
    fn org_heads_and_org_modifiers() {
        use EntityKind::*;
        let text = "Jaish al-Adl met the International Crisis Group on Monday Foreign Ministry.";
        let spans = [
            span(text, "Jaish al-Adl", Person),
            span(text, "Crisis Group", Org),
            span(text, "Foreign Ministry", Org),
        ];
        let got = repaired(text, &spans);
        assert_eq!(
            got,
            [
                (Org, "Jaish al-Adl"),
                (Org, "International Crisis Group"),
                (Org, "Foreign Ministry")
            ]
        );
    }

    #[test]
    fn a_place_the_article_writes_whole_stays_whole_where_the_tagger_split_it() {
        use EntityKind::*;
        // invented names: no gazetteer knows them, the article's first mention does
        let text =
            "Floods hit Vorana and Delmaquia on Monday. In Vorana and Delmaquia, roads closed.";
        let second = text.rfind("Vorana").unwrap();
        let last = text.rfind("Delmaquia").unwrap();
        let spans = [
            span(text, "Vorana and Delmaquia", Place),
            Span {
                kind: Place,
                start: second,
                end: second + 6,
            },
            Span {
                kind: Place,
                start: last,
                end: last + 9,
            },
        ];
        let got = run(text, &spans);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got.iter()
                .all(|(k, s, n)| *k == Place && s == "Vorana and Delmaquia" && n == s),
            "{got:?}"
        );
    }

    #[test]
    fn mentions_go_to_their_passages() {
        let passages = [
            Passage {
                number: 0,
                start: 0,
                end: 10,
            },
            Passage {
                number: 1,
                start: 12,
                end: 30,
            },
        ];
        let m = |s, e, n: &str| Mention {
            kind: EntityKind::Org,
            start: s,
            end: e,
            name: n.into(),
        };
        let got = assign(&passages, &[m(0, 3, "A"), m(14, 16, "B"), m(20, 22, "B")]);
        assert_eq!(got[0].org, ["A"]);
        assert_eq!(got[1].org, ["B"]);
        assert_eq!((got[1].mentions[1].start, got[1].mentions[1].end), (8, 10));
    }
}
