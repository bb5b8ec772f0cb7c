//! The `name_skeleton` analyser: passage text reduced to the spelling-variant keys of its names.
//!
//! Every capitalised word (or word with a capital inside, "al-Adl") becomes two
//! terms at its position, from `names::keys`: its consonant skeleton
//! (`s:kdf` for "Qaddafi" and "Gadhafi") and its spelling key (`w:qaida` for
//! "Qaida" and "Qaeda"). A name of several words is looked up as a phrase of
//! skeletons, where the neighbouring words keep the match precise; one word by
//! its spelling key, unless its skeleton is distinctive alone. Name linkers (al, ul, bin, and…) are skipped without
//! taking a position, so "Sistan and Baluchestan" and "Sistan-Baluchestan" are
//! the same two-key phrase; every other word takes a position and yields
//! nothing. `mentions` runs a phrase query of the name's word keys on this
//! field, which finds variant spellings in text even where the entity
//! recogniser missed the name, at the cost of one posting list per word.
//!
//! May import: other files of `names`, nothing else of the crate.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::keys::{is_distinctive, is_linker, is_text_linker, name_words, word_keys};

/// Tokenizer emitting one variant key per capitalised word.
#[derive(Clone, Default)]
pub struct NameSkeletonTokenizer;

/// A capitalised word's terms: `s:<skeleton>`, and `w:<spelling>` unless the skeleton is
/// distinctive (then [`query_keys`] never asks for the spelling key, and leaving it out
/// spares the index a posting per such word).
type Terms = Rc<Vec<String>>;

thread_local! {
    /// Terms of the words seen lately: a news archive names the same people over and
    /// over, and keying a word (transliteration folding, two skeletons) costs far more
    /// than a look-up. Cleared when it grows past [`CACHE_WORDS`].
    static TERMS: RefCell<FxHashMap<String, Terms>> = RefCell::default();
}

const CACHE_WORDS: usize = 100_000;

fn cached_terms(word: &str) -> Terms {
    TERMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(t) = cache.get(word) {
            return t.clone();
        }
        if cache.len() >= CACHE_WORDS {
            cache.clear();
        }
        let (skeleton, spelling) = word_keys(word);
        let mut terms = vec![format!("s:{skeleton}")];
        if !is_distinctive(&skeleton) {
            terms.push(format!("w:{spelling}"));
        }
        let t: Terms = Rc::new(terms);
        cache.insert(word.to_string(), t.clone());
        t
    })
}

/// The key terms of a text: each capitalised word's (start, end, position, terms).
pub struct KeyStream {
    words: Vec<(usize, usize, usize, Terms)>,
    /// The next term: word `next.0`, its term `next.1`.
    next: (usize, usize),
    token: Token,
}

impl TokenStream for KeyStream {
    fn advance(&mut self) -> bool {
        let (w, t) = self.next;
        let Some((start, end, position, terms)) = self.words.get(w) else {
            return false;
        };
        self.token.offset_from = *start;
        self.token.offset_to = *end;
        self.token.position = *position;
        self.token.text.clear();
        self.token.text.push_str(&terms[t]);
        self.next = if t + 1 < terms.len() {
            (w, t + 1)
        } else {
            (w + 1, 0)
        };
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for NameSkeletonTokenizer {
    type TokenStream<'a> = KeyStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> KeyStream {
        let mut words = Vec::new();
        capitalised_words(text, |start, end, position| {
            words.push((start, end, position, cached_terms(&text[start..end])));
        });
        KeyStream {
            words,
            next: (0, 0),
            token: Token::default(),
        }
    }
}

/// One capitalised word of a text with its keys.
struct KeyedWord {
    start: usize,
    end: usize,
    position: usize,
    skeleton: String,
    spelling: String,
}

fn keyed_words(text: &str) -> Vec<KeyedWord> {
    let mut out = Vec::new();
    capitalised_words(text, |start, end, position| {
        let (skeleton, spelling) = word_keys(&text[start..end]);
        out.push(KeyedWord {
            start,
            end,
            position,
            skeleton,
            spelling,
        });
    });
    out
}

/// Calls `found(start, end, position)` for every capitalised word of `text` (words as
/// [`name_words`] splits them); linkers take no position, every other word one.
fn capitalised_words(text: &str, mut found: impl FnMut(usize, usize, usize)) {
    let mut position = 0usize;
    name_words(text, |s, e| {
        let word = &text[s..e];
        if is_text_linker(word) {
            return;
        }
        if word.chars().any(char::is_uppercase) {
            found(s, e, position);
        }
        position += 1;
    });
}

/// The terms a name is looked up by on the skeleton field, one per position from the
/// name's first word; `""` marks a position the analyser gives no term (a name particle
/// such as "de", "ben" or "bint" that is not skipped in running text: it takes a
/// position there but is rarely capitalised). Linkers skipped in text take no position
/// here either. A name of several words is looked up by skeletons; one word by its
/// spelling key, unless its skeleton is distinctive on its own. The query side thus
/// builds, for a name as a user types it in any case, the terms the index side built
/// for it in the text.
pub fn query_keys(name: &str) -> Vec<String> {
    let mut words: Vec<Option<(String, String)>> = Vec::new();
    name_words(name, |s, e| {
        let word = &name[s..e];
        if is_text_linker(word) {
            return;
        }
        if is_linker(&word.to_lowercase()) {
            words.push(None);
        } else {
            words.push(Some(word_keys(word)));
        }
    });
    while words.last().is_some_and(Option::is_none) {
        words.pop();
    }
    let first = words
        .iter()
        .position(Option::is_some)
        .unwrap_or(words.len());
    words.drain(..first);
    if let [Some((skeleton, spelling))] = words.as_slice() {
        return vec![if is_distinctive(skeleton) {
            format!("s:{skeleton}")
        } else {
            format!("w:{spelling}")
        }];
    }
    words
        .into_iter()
        .map(|w| w.map_or_else(String::new, |(skeleton, _)| format!("s:{skeleton}")))
        .collect()
}

/// The terms of [`query_keys`] with their positions, gaps left out: what a phrase query
/// on the skeleton field asks for.
pub fn phrase_terms(keys: &[String]) -> Vec<(usize, &str)> {
    keys.iter()
        .enumerate()
        .filter(|(_, k)| !k.is_empty())
        .map(|(i, k)| (i, k.as_str()))
        .collect()
}

/// Byte ranges in `text` where the terms `keys` stand as a phrase (a gap, `""`, matches
/// any word); with `alone`, only where no further capitalised word follows at once (a
/// given-name reference, "Saif al-Islam", not another person's full name "Saif al-Islam
/// Khan").
pub fn key_spans(text: &str, keys: &[String], alone: bool) -> Vec<[usize; 2]> {
    let words = keyed_words(text);
    let mut out = Vec::new();
    let terms = phrase_terms(keys);
    let Some(&(last_offset, _)) = terms.last() else {
        return out;
    };
    let has = |w: &KeyedWord, key: &str| match key.split_at(2) {
        ("s:", k) => w.skeleton == k,
        ("w:", k) => w.spelling == k,
        _ => false,
    };
    for (i, first) in words.iter().enumerate() {
        // the capitalised words from `first` on, by position, up to the phrase's end
        let at = |offset: usize| {
            words[i..]
                .iter()
                .take_while(|w| w.position <= first.position + offset)
                .find(|w| w.position == first.position + offset)
        };
        let fits = terms
            .iter()
            .all(|&(offset, key)| at(offset).is_some_and(|w| has(w, key)));
        if !fits {
            continue;
        }
        let last = at(last_offset).expect("the phrase's last term was found");
        let followed = words.iter().any(|w| w.position == last.position + 1);
        if !(alone && followed) {
            out.push([first.start, last.end]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
        key_spans(text, &query_keys(name), false)
            .iter()
            .map(|[s, e]| &text[*s..*e])
            .collect()
    }

    #[test]
    fn variant_spellings_in_text() {
        let text =
            "Moammar Kadhafi met Muammar Gaddafi. Sistan and Baluchestan, al-Qaida, the Qaeda men.";
        assert_eq!(
            spans(text, "Muammar Gaddafi"),
            ["Moammar Kadhafi", "Muammar Gaddafi"]
        );
        assert_eq!(
            spans(text, "Sistan-Baluchestan"),
            ["Sistan and Baluchestan"]
        );
        assert_eq!(spans(text, "al-Qaeda"), ["Qaida", "Qaeda"]);
        // an ayn or hamza apostrophe is inside the word, a possessive is not
        assert_eq!(spans("the Qa'ida cell", "al-Qaeda"), ["Qa'ida"]);
        assert_eq!(spans("Pakistan's army", "Pakistan"), ["Pakistan"]);
        assert!(spans("Regan and Rogaine", "Reagan").is_empty());
        assert_eq!(spans("Hizballah, Hezbollah", "Hizbollah").len(), 2);
    }

    #[test]
    fn given_names_alone() {
        let text = "Saif al-Islam spoke; Saif al-Islam Khan did not.";
        let keys = query_keys("Saif al-Islam");
        let got: Vec<_> = key_spans(text, &keys, true)
            .iter()
            .map(|[s, e]| &text[*s..*e])
            .collect();
        assert_eq!(got, ["Saif al-Islam"]);
    }

    #[test]
    fn the_tokenizer_emits_both_keys_of_each_capitalised_word() {
        let text = "the Qaddafi family and Jaish al-Adl met Qaddafi and Hezbollah";
        let mut tokenizer = NameSkeletonTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((
                t.text.clone(),
                t.position,
                &text[t.offset_from..t.offset_to],
            ));
        }
        let want: Vec<(String, usize, &str)> = keyed_words(text)
            .into_iter()
            .flat_map(|w| {
                let word = &text[w.start..w.end];
                let mut terms = vec![(format!("s:{}", w.skeleton), w.position, word)];
                if !is_distinctive(&w.skeleton) {
                    terms.push((format!("w:{}", w.spelling), w.position, word));
                }
                terms
            })
            .collect();
        assert_eq!(got, want);
        // linkers ("the", "and", "al") take no position: "Jaish" and "Adl" are neighbours;
        // only the short words, whose skeleton is not distinctive, carry a spelling key
        let positions: Vec<usize> = got.iter().map(|g| g.1).collect();
        assert_eq!(positions, [0, 0, 2, 2, 3, 3, 5, 5, 6]);
    }

    #[test]
    fn lower_case_words_are_not_names() {
        assert!(spans("the homes of the poor", "Hamas").is_empty());
        assert!(spans("Gaddafi visited Rome", "Muammar Gaddafi").is_empty());
    }
}
