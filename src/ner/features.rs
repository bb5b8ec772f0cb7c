//! Features of a token for the tagger, hashed into a fixed table.
//!
//! Each feature is a template number mixed with one or two hashed strings
//! (the word, its shape, a neighbour, a prefix…) into a 64-bit hash; the model
//! keeps `2^bits` rows of weights and a feature selects row `hash mod 2^bits`.
//! Hashing keeps the model compact and needs no dictionary of feature
//! strings; strings are hashed straight from the text, lower-cased and with
//! curly quotes folded on the fly, so nothing is allocated per token.
//!
//! May import: other files of `ner`, and `corpus` (to read unlabelled news for training).

use rustc_hash::{FxHashMap, FxHashSet};

use super::tokenize::Token;

/// FNV-1a over bytes, seeded.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Fnv {
    /// A hasher seeded with a template number.
    pub fn new(seed: u64) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Mixes in one byte.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }

    /// Mixes in a 64-bit value.
    #[inline]
    pub fn u64(&mut self, v: u64) {
        for b in v.to_le_bytes() {
            self.byte(b);
        }
    }

    /// The hash.
    pub fn finish(self) -> u64 {
        // final avalanche so low bits are well mixed
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x
    }
}

/// Hashes a word: lower-cased (or not) with curly quotes and dashes folded.
pub fn word_hash(word: &str, lower: bool) -> u64 {
    let mut h = Fnv::new(if lower { 1 } else { 2 });
    for c in word.chars() {
        let c = fold(c);
        if c.is_ascii() {
            h.byte(if lower {
                c.to_ascii_lowercase() as u8
            } else {
                c as u8
            });
        } else if lower {
            for lc in c.to_lowercase() {
                let mut buf = [0u8; 4];
                lc.encode_utf8(&mut buf).bytes().for_each(|b| h.byte(b));
            }
        } else {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf).bytes().for_each(|b| h.byte(b));
        }
    }
    h.finish()
}

/// Writes `word` lower-cased, with curly quotes and dashes folded, into `out` (cleared first).
pub fn fold_lower(word: &str, out: &mut String) {
    out.clear();
    out.extend(word.chars().map(fold).flat_map(char::to_lowercase));
}

/// Folds typographic variants to ASCII: curly quotes, dashes.
#[inline]
pub fn fold(c: char) -> char {
    match c {
        '‘' | '’' | '`' | '´' => '\'',
        '“' | '”' | '«' | '»' => '"',
        '‐' | '‑' | '‒' | '–' | '—' => '-',
        _ => c,
    }
}

/// Hash of a word's shape: capitals X, small letters x, digits d, others as they are,
/// runs of the same class collapsed ("Anwaar-ul-Haq" → "Xx-x-Xx", "U.S." → "X.X.").
pub fn shape_hash(word: &str) -> u64 {
    let mut h = Fnv::new(3);
    let mut last = 0u8;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            fold(c) as u8
        } else {
            b'?'
        };
        if class != last {
            h.byte(class);
            last = class;
        }
    }
    h.finish()
}

/// What unlabelled news taught about words: capitalisation habits and clusters.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Lower-cased word hash → capitalisation class (1 rarely … 4 almost always capitalised).
    pub caps: FxHashMap<u64, u8>,
    /// Lower-cased word hash → (fine cluster, coarse cluster), both from 1.
    pub clusters: FxHashMap<u64, (u16, u16)>,
    /// Names seen in the labelled training data.
    pub gazetteer: Gazetteer,
    /// Word hash as written → Brown cluster path (top levels in the low bits), from a
    /// far larger corpus than the labelled data; see `train::read_brown`.
    pub brown: FxHashMap<u64, u32>,
}

/// Names seen in labelled training data, with the types they were given.
///
/// A token inside a known name gets a feature saying so, which carries what
/// the training data knew about a whole multi-word name ("Bank of England",
/// "New York Commodities") to text the tagger has not seen. While training,
/// each document is matched against a gazetteer built from the *other*
/// documents only (see [`crate::ner::model::train`]), so the feature is
/// as unreliable in training as on new text and the tagger does not learn to
/// trust it blindly.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// Hash of a name's lower-cased words → one bit per type (1 PER, 2 LOC, 4 ORG, 8 MISC).
    pub names: FxHashMap<u64, u8>,
    /// Lower-cased hashes of the words that open a name.
    pub first: FxHashSet<u64>,
}

/// Longest name the gazetteer matches, in words.
pub const GAZETTEER_WORDS: usize = 6;

/// Hash of a sequence of lower-cased word hashes.
fn name_hash(words: &[u64]) -> u64 {
    let mut h = Fnv::new(7);
    for &w in words {
        h.u64(w);
    }
    h.finish()
}

impl Gazetteer {
    /// Adds a name (its words' lower-cased hashes) with a type bit.
    pub fn add(&mut self, words: &[u64], type_bit: u8) {
        if words.is_empty() || words.len() > GAZETTEER_WORDS {
            return;
        }
        *self.names.entry(name_hash(words)).or_default() |= type_bit;
        self.first.insert(words[0]);
    }

    /// Marks every token inside a known name with its types (low 4 bits) and
    /// whether it opens (16) or continues (32) the name; names are matched
    /// longest first, left to right, within a sentence, from a capitalised word.
    fn mark(&self, tokens: &[Token], out: &mut [TokenInfo]) {
        if self.names.is_empty() {
            return;
        }
        let mut words = [0u64; GAZETTEER_WORDS];
        let mut i = 0;
        while i < out.len() {
            if !out[i].is_candidate() || !self.first.contains(&out[i].lower) {
                i += 1;
                continue;
            }
            let mut n = 0;
            while n < GAZETTEER_WORDS
                && i + n < out.len()
                && (n == 0 || !tokens[i + n].sentence_start)
            {
                words[n] = out[i + n].lower;
                n += 1;
            }
            let found = (1..=n)
                .rev()
                .find_map(|len| self.names.get(&name_hash(&words[..len])).map(|&t| (len, t)));
            match found {
                Some((len, types)) => {
                    out[i].gazetteer = types | 16;
                    for info in &mut out[i + 1..i + len] {
                        info.gazetteer = types | 32;
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
    }
}

/// Facts about one token that every feature of it and its neighbours reuses.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenInfo {
    /// Hash of the lower-cased word.
    pub lower: u64,
    /// Hash of the word as written.
    pub exact: u64,
    /// Hash of the shape.
    pub shape: u64,
    /// First character is a capital.
    pub capitalised: bool,
    /// Every letter is a capital (and there are at least two).
    pub all_caps: bool,
    /// Some letter after the first is a capital ("al-Adl", "McDonald").
    pub inner_capital: bool,
    /// Opens a sentence.
    pub sentence_start: bool,
    /// Capitalisation habit of the word in unlabelled news (0 unknown … 4 almost always capitalised).
    pub caps_class: u8,
    /// The word is written with a capital elsewhere in the document, not at a sentence start.
    pub capitalised_elsewhere: bool,
    /// Fine word cluster (0 unknown).
    pub fine: u16,
    /// Coarse word cluster (0 unknown).
    pub coarse: u16,
    /// How much of the token's sentence is numbers (0 none, 1 some, 2 a third or more):
    /// results tables and market reports, where names are teams and companies.
    pub numeric: u8,
    /// Types of a known name the token is part of, see [`Gazetteer`] (0 none).
    pub gazetteer: u8,
    /// Brown cluster path of the word (0 unknown).
    pub brown: u32,
}

impl TokenInfo {
    /// Whether the tagger should score this token at all: words with a capital letter.
    pub fn is_candidate(&self) -> bool {
        self.capitalised || self.all_caps || self.inner_capital
    }
}

/// The Brown cluster of a word as written (`exact`, its [`word_hash`]), else as a
/// capitalised word, else lower-cased ("IRAN" → "Iran"), 0 if none.
fn brown_cluster(word: &str, exact: u64, lex: &Lexicon) -> u32 {
    if lex.brown.is_empty() {
        return 0;
    }
    lex.brown
        .get(&exact)
        .or_else(|| lex.brown.get(&recased_hash(word, true)))
        .or_else(|| lex.brown.get(&recased_hash(word, false)))
        .copied()
        .unwrap_or(0)
}

/// [`word_hash`] of the word as written, of `word` lower-cased, its first letter a capital
/// if `capital`; [`brown_cluster`] computes it only after a miss.
fn recased_hash(word: &str, capital: bool) -> u64 {
    let mut h = Fnv::new(2);
    let mut buf = [0u8; 4];
    for (i, c) in word.chars().map(fold).enumerate() {
        if i == 0 && capital {
            c.to_uppercase()
                .for_each(|u| u.encode_utf8(&mut buf).bytes().for_each(|b| h.byte(b)));
        } else {
            c.to_lowercase()
                .for_each(|l| l.encode_utf8(&mut buf).bytes().for_each(|b| h.byte(b)));
        }
    }
    h.finish()
}

/// What a word alone decides of its [`TokenInfo`]: its hashes, capitals and what the
/// lexicon holds for it.
#[derive(Clone, Copy, Debug)]
struct WordFacts {
    lower: u64,
    exact: u64,
    shape: u64,
    capitalised: bool,
    all_caps: bool,
    inner_capital: bool,
    caps_class: u8,
    fine: u16,
    coarse: u16,
    brown: u32,
}

impl WordFacts {
    fn of(w: &str, lex: &Lexicon) -> WordFacts {
        let first = w.chars().next().unwrap_or(' ');
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let lower = word_hash(w, true);
        let (fine, coarse) = lex.clusters.get(&lower).copied().unwrap_or((0, 0));
        let exact = word_hash(w, false);
        WordFacts {
            lower,
            exact,
            shape: shape_hash(w),
            capitalised: first.is_uppercase(),
            all_caps: letters >= 2 && w.chars().all(|c| !c.is_lowercase()),
            inner_capital: w.chars().skip(1).any(char::is_uppercase),
            caps_class: lex.caps.get(&lower).copied().unwrap_or(0),
            fine,
            coarse,
            brown: brown_cluster(w, exact, lex),
        }
    }
}

/// The [`WordFacts`] of words seen lately, kept across documents. News repeats its words:
/// on the one-copy benchmark corpus most tokens are words seen before, and a word's facts
/// cost two hashes of its characters, a shape and three to five look-ups in the
/// lexicon's tables (several MB, so mostly cache misses: ~15% of a build's CPU in
/// `token_infos`) where a seen word costs one look-up in this smaller table. The facts
/// are the same whether cached or not; the cache holds one lexicon's (it is emptied when
/// another is passed) and is emptied when it grows past [`CACHED_WORDS`].
#[derive(Default)]
pub struct WordCache {
    /// Address of the lexicon the facts were looked up in (a model's lexicon does not
    /// change once loaded).
    lexicon: usize,
    facts: FxHashMap<Box<str>, WordFacts>,
}

/// Most distinct words a [`WordCache`] holds (~2 MB).
const CACHED_WORDS: usize = 32_768;

impl WordCache {
    fn facts(&mut self, word: &str, lex: &Lexicon) -> WordFacts {
        let id = std::ptr::from_ref(lex) as usize;
        if self.lexicon != id {
            self.facts.clear();
            self.lexicon = id;
        }
        if let Some(facts) = self.facts.get(word) {
            return *facts;
        }
        let facts = WordFacts::of(word, lex);
        if self.facts.len() >= CACHED_WORDS {
            self.facts.clear();
        }
        self.facts.insert(word.into(), facts);
        facts
    }
}

/// Computes [`TokenInfo`] for every token of a document, into `out` (cleared first);
/// names are looked up in `gazetteer` (the lexicon's own, except while training), words'
/// facts through `words`.
pub fn token_infos(
    text: &str,
    tokens: &[Token],
    lex: &Lexicon,
    gazetteer: &Gazetteer,
    words: &mut WordCache,
    seen: &mut FxHashSet<u64>,
    out: &mut Vec<TokenInfo>,
) {
    out.clear();
    seen.clear();
    for t in tokens {
        let word = words.facts(t.text(text), lex);
        let info = TokenInfo {
            lower: word.lower,
            exact: word.exact,
            shape: word.shape,
            capitalised: word.capitalised,
            all_caps: word.all_caps,
            inner_capital: word.inner_capital,
            sentence_start: t.sentence_start,
            caps_class: word.caps_class,
            capitalised_elsewhere: false,
            fine: word.fine,
            coarse: word.coarse,
            numeric: 0,
            gazetteer: 0,
            brown: word.brown,
        };
        let lower = word.lower;
        if info.capitalised && !info.all_caps && !t.sentence_start {
            seen.insert(lower);
        }
        out.push(info);
    }
    for info in out.iter_mut() {
        info.capitalised_elsewhere = seen.contains(&info.lower);
    }
    let mut start = 0;
    while start < tokens.len() {
        let mut end = start + 1;
        while end < tokens.len() && !tokens[end].sentence_start {
            end += 1;
        }
        let numbers = tokens[start..end]
            .iter()
            .filter(|t| {
                t.text(text)
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit())
            })
            .count();
        let numeric = if numbers == 0 {
            0
        } else if numbers * 3 < end - start {
            1
        } else {
            2
        };
        for info in &mut out[start..end] {
            info.numeric = numeric;
        }
        start = end;
    }
    gazetteer.mark(tokens, out);
}

/// Number of static (label-independent) features per token.
pub const STATIC_FEATURES: usize = 52;

/// Hashes of the static features of token `i`, written into `out`.
pub fn static_features(
    text: &str,
    tokens: &[Token],
    infos: &[TokenInfo],
    i: usize,
    out: &mut [u64; STATIC_FEATURES],
) {
    let at = |j: isize| -> TokenInfo {
        if j < 0 || j as usize >= infos.len() {
            TokenInfo {
                lower: 0xB0B,
                exact: 0xB0B,
                shape: 0xB0B,
                ..TokenInfo::default()
            }
        } else {
            infos[j as usize]
        }
    };
    let i_ = i as isize;
    let cur = infos[i];
    let (p1, p2, n1, n2) = (at(i_ - 1), at(i_ - 2), at(i_ + 1), at(i_ + 2));
    let f = |template: u64, a: u64, b: u64| {
        let mut h = Fnv::new(100 + template);
        h.u64(a);
        h.u64(b);
        h.finish()
    };
    let word = tokens[i].text(text);
    let mut k = 0;
    let mut push = |v: u64| {
        out[k] = v;
        k += 1;
    };
    push(f(0, 0, 0)); // bias
    push(f(1, cur.lower, 0));
    push(f(2, cur.exact, 0));
    push(f(3, cur.shape, 0));
    push(f(4, p1.lower, 0));
    push(f(5, n1.lower, 0));
    push(f(6, p2.lower, 0));
    push(f(7, n2.lower, 0));
    push(f(8, p1.shape, cur.shape));
    push(f(9, cur.shape, n1.shape));
    push(f(10, p1.lower, cur.lower));
    push(f(11, cur.lower, n1.lower));
    push(f(12, u64::from(cur.sentence_start), cur.shape));
    push(f(
        13,
        u64::from(cur.caps_class),
        u64::from(cur.sentence_start),
    ));
    push(f(
        14,
        u64::from(cur.capitalised_elsewhere),
        u64::from(cur.sentence_start),
    ));
    push(f(15, u64::from(cur.all_caps), u64::from(cur.caps_class)));
    push(f(16, p1.shape, n1.shape));
    push(f(17, p1.exact, 0));
    push(f(18, n1.exact, 0));
    push(f(19, u64::from(n1.caps_class), n1.shape));
    push(f(20, u64::from(p1.caps_class), p1.shape));
    // prefixes and suffixes of the lower-cased word, by characters
    let lowered_affix = |from_end: bool, n: usize| -> u64 {
        let mut h = Fnv::new(if from_end {
            50 + n as u64
        } else {
            60 + n as u64
        });
        let count = word.chars().count();
        if count < n {
            return h.finish();
        }
        let skip = if from_end { count - n } else { 0 };
        for c in word.chars().skip(skip).take(n) {
            for lc in fold(c).to_lowercase() {
                let mut buf = [0u8; 4];
                lc.encode_utf8(&mut buf).bytes().for_each(|b| h.byte(b));
            }
        }
        h.finish()
    };
    for n in 1..=4 {
        push(lowered_affix(true, n));
    }
    for n in 1..=3 {
        push(lowered_affix(false, n));
    }
    push(f(28, cur.lower, n1.shape));
    push(f(29, p1.shape, cur.lower));
    push(f(30, u64::from(cur.fine), 0));
    push(f(31, u64::from(p1.fine), 0));
    push(f(32, u64::from(n1.fine), 0));
    push(f(33, u64::from(cur.coarse), cur.shape));
    push(f(34, u64::from(p1.coarse), u64::from(cur.fine)));
    push(f(35, u64::from(cur.fine), u64::from(n1.coarse)));
    push(f(36, u64::from(cur.numeric), cur.shape));
    push(f(37, u64::from(cur.numeric), u64::from(cur.coarse)));
    push(f(38, u64::from(cur.gazetteer), 0));
    push(f(39, u64::from(cur.gazetteer), cur.shape));
    push(f(40, u64::from(p1.gazetteer), u64::from(cur.gazetteer)));
    push(f(41, u64::from(cur.gazetteer), u64::from(n1.gazetteer)));
    // Brown cluster prefixes: the top 4, 6, 10 and 20 levels of the word's path
    let top = |path: u32, levels: u32| u64::from(path & ((1u32 << levels) - 1));
    push(f(42, top(cur.brown, 4), 0));
    push(f(43, top(cur.brown, 6), 0));
    push(f(44, top(cur.brown, 10), 0));
    push(f(45, top(cur.brown, 20), 0));
    push(f(46, top(p1.brown, 6), top(cur.brown, 6)));
    push(f(47, top(cur.brown, 6), top(n1.brown, 6)));
    push(f(48, top(p1.brown, 10), 0));
    push(f(49, top(n1.brown, 10), 0));
    push(f(50, top(cur.brown, 10), cur.shape));
    push(f(51, top(p2.brown, 6), top(n2.brown, 6)));
    debug_assert_eq!(k, STATIC_FEATURES);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tokenize::tokenize;

    /// The tokens of `text` and their facts under `lex`.
    fn infos_of(text: &str, lex: &Lexicon) -> (Vec<Token>, Vec<TokenInfo>) {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let mut infos = Vec::new();
        let mut seen = FxHashSet::default();
        let mut words = WordCache::default();
        token_infos(
            text,
            &tokens,
            lex,
            &lex.gazetteer,
            &mut words,
            &mut seen,
            &mut infos,
        );
        (tokens, infos)
    }

    fn lowers(words: &str) -> Vec<u64> {
        words.split(' ').map(|w| word_hash(w, true)).collect()
    }

    #[test]
    fn gazetteer_marks_the_longest_known_name_from_a_capital() {
        let mut lex = Lexicon::default();
        lex.gazetteer.add(&lowers("bank"), 4);
        lex.gazetteer.add(&lowers("bank of england"), 4);
        lex.gazetteer.add(&lowers("england"), 2);
        let text = "The Bank of England said the bank of england rose. England won.";
        let (tokens, infos) = infos_of(text, &lex);
        let marks: Vec<(&str, u8)> = tokens
            .iter()
            .zip(&infos)
            .filter(|(_, i)| i.gazetteer != 0)
            .map(|(t, i)| (t.text(text), i.gazetteer))
            .collect();
        // lower-case "bank of england" does not open a name; "England" alone is a place
        assert_eq!(
            marks,
            [
                ("Bank", 4 | 16),
                ("of", 4 | 32),
                ("England", 4 | 32),
                ("England", 2 | 16)
            ]
        );
    }

    #[test]
    fn numbers_in_a_sentence_are_graded() {
        let text = "Leeds 2 Chelsea 1\nLeeds beat Chelsea on Saturday in 2004 at home";
        let (_, infos) = infos_of(text, &Lexicon::default());
        let grades: Vec<u8> = infos.iter().map(|i| i.numeric).collect();
        assert_eq!(grades, [2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    }
}
