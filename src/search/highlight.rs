//! Highlights: byte ranges of the words a query matched within a passage.
//!
//! Ranked search marks every word of the passage that is one of the query's
//! terms (on the text, title or entity fields, which share one analyser);
//! `mentions` marks only whole occurrences of the name's phrase.
//!
//! May import: `index`, `names`, `entities` (types).

use std::collections::BTreeMap;

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;

use crate::entities::EntityKind;
use crate::index::schema::news_analyzer;
use crate::index::Fields;
use crate::names::keys::is_text_linker;

/// Marks a query's terms in passage text.
pub struct TermMarker {
    generator: SnippetGenerator,
}

impl TermMarker {
    /// Collects the query's terms on every field analysed like passage text.
    pub fn new(query: &dyn Query, f: &Fields) -> TermMarker {
        let mut fields = vec![f.text, f.title];
        fields.extend(EntityKind::ALL.map(|k| f.entity(k)));
        let mut terms = BTreeMap::new();
        query.query_terms(&mut |term, _| {
            if fields.contains(&term.field()) {
                if let Some(word) = term.value().as_str() {
                    terms.insert(word.to_string(), 1.0);
                }
            }
        });
        TermMarker {
            generator: SnippetGenerator::new(terms, news_analyzer(), f.text, usize::MAX),
        }
    }

    /// Byte ranges of the query's words in `text`.
    pub fn mark(&self, text: &str) -> Vec<[usize; 2]> {
        let snippet = self.generator.snippet(text);
        let base = snippet.fragment_range().start;
        let mut spans: Vec<[usize; 2]> = Vec::new();
        for r in snippet.highlighted() {
            let (start, end) = (base + r.start, base + r.end);
            match spans.last_mut() {
                // adjacent words ("Crisis Group", "al-Adl") read better as one mark
                Some(last) if is_word_gap(&text[last[1]..start]) => last[1] = end,
                _ => spans.push([start, end]),
            }
        }
        spans
    }
}

/// Whether the text between two marked words is only a short run of spaces or joiners.
fn is_word_gap(gap: &str) -> bool {
    gap.len() <= 3
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '-' | '\'' | '’'))
}

/// A passage's words as the news analyser makes them, with their byte ranges.
pub type Words = [(String, std::ops::Range<usize>)];

/// Byte ranges of every occurrence of the word sequence `words` among `tokens`
/// (a passage's `news_tokens`, computed once for all the spans looked for).
pub fn phrase_spans(tokens: &Words, words: &[String]) -> Vec<[usize; 2]> {
    if words.is_empty() || tokens.len() < words.len() {
        return Vec::new();
    }
    tokens
        .windows(words.len())
        .filter(|w| w.iter().zip(words).all(|((t, _), q)| t == q))
        .map(|w| [w[0].1.start, w[words.len() - 1].1.end])
        .collect()
}

/// Byte ranges where the name's non-linker `core` words stand in order, with at most two
/// linker words between neighbours ("Sistan and Baluchestan" for "Sistan-Baluchestan").
pub fn linked_spans(tokens: &Words, core: &[String]) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    if core.is_empty() {
        return out;
    }
    for start in 0..tokens.len() {
        if tokens[start].0 != core[0] {
            continue;
        }
        let mut at = start;
        let mut ok = true;
        for word in &core[1..] {
            let mut next = at + 1;
            while next < tokens.len()
                && next - at <= 2
                && is_text_linker(&tokens[next].0)
                && tokens[next].0 != *word
            {
                next += 1;
            }
            if next < tokens.len() && tokens[next].0 == *word {
                at = next;
            } else {
                ok = false;
                break;
            }
        }
        if ok {
            out.push([tokens[start].1.start, tokens[at].1.end]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::news_tokens;

    #[test]
    fn linked_spans_skip_linkers() {
        let text = "Sistan and Baluchestan, Sistan-Baluchestan, Sistan province. Jaish al-Adl.";
        let core = vec!["sistan".to_string(), "baluchestan".into()];
        let got: Vec<_> = linked_spans(&news_tokens(text), &core)
            .iter()
            .map(|[s, e]| &text[*s..*e])
            .collect();
        assert_eq!(got, ["Sistan and Baluchestan", "Sistan-Baluchestan"]);
        let core = vec!["jaish".to_string(), "adl".into()];
        assert_eq!(linked_spans(&news_tokens(text), &core).len(), 1);
    }

    #[test]
    fn phrase_spans_cross_hyphens() {
        let text = "Tehran hit Jaish al-Adl; JAISH AL ADL denied it. Jaish alone.";
        let words = vec!["jaish".to_string(), "al".into(), "adl".into()];
        let spans = phrase_spans(&news_tokens(text), &words);
        let got: Vec<_> = spans.iter().map(|[s, e]| &text[*s..*e]).collect();
        assert_eq!(got, ["Jaish al-Adl", "JAISH AL ADL"]);
    }
}
