//! CoNLL-2003 files: reading labelled documents, and entity-level scoring.
//!
//! The format is one token per line (`word POS chunk NER`), a blank line
//! between sentences and `-DOCSTART-` opening each document. Scoring follows
//! the shared task: an entity counts as found only if its type and its exact
//! token span match. newsdex indexes PER, LOC and ORG; MISC is tagged (so the
//! tagger does not force those words into other types) but not scored.
//!
//! May import: other files of `ner`, and `corpus` (to read unlabelled news for training).

use std::collections::HashSet;

use anyhow::Context;
use serde::Serialize;

use super::model::{label_index, label_type, Example};
use super::tokenize::Token;

/// One line of a CoNLL file, kept so predictions can be written back beside it.
#[derive(Clone, Debug)]
pub enum Line {
    /// A token line: document index, token index within the document, the line.
    Token(usize, usize, String),
    /// A blank line (sentence break).
    Blank,
    /// A `-DOCSTART-` line.
    DocStart(String),
}

/// A parsed CoNLL file.
pub struct Conll {
    /// Documents as tagger examples (gold labels from the last column).
    pub docs: Vec<Example>,
    /// Every line in order.
    pub lines: Vec<Line>,
}

/// Parses CoNLL-2003 text; unknown tags are an error naming the line.
pub fn parse(source: &str) -> anyhow::Result<Conll> {
    let mut docs: Vec<Example> = Vec::new();
    let mut lines = Vec::new();
    let mut new_sentence = true;
    let new_doc = |docs: &mut Vec<Example>| {
        docs.push(Example {
            text: String::new(),
            tokens: Vec::new(),
            gold: Vec::new(),
        })
    };
    for (n, line) in source.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            new_doc(&mut docs);
            new_sentence = true;
            lines.push(Line::DocStart(line.to_string()));
            continue;
        }
        if line.is_empty() {
            new_sentence = true;
            lines.push(Line::Blank);
            continue;
        }
        if docs.is_empty() {
            new_doc(&mut docs);
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().expect("non-empty line has a first column");
        let tag = cols.last().unwrap_or("O");
        let label =
            label_index(tag).with_context(|| format!("line {}: unknown NER tag {tag:?}", n + 1))?;
        let doc_index = docs.len() - 1;
        let doc = docs.last_mut().expect("a document was opened");
        if !doc.text.is_empty() {
            doc.text.push(if new_sentence { '\n' } else { ' ' });
        }
        let start = doc.text.len() as u32;
        doc.text.push_str(word);
        doc.tokens.push(Token {
            start,
            end: doc.text.len() as u32,
            sentence_start: new_sentence,
        });
        // IOB1 files open an entity with I-; read it as B- where nothing precedes it
        let prev = doc
            .gold
            .last()
            .copied()
            .filter(|_| !new_sentence)
            .unwrap_or(0);
        let label = if label.is_multiple_of(2) && label > 0 && label_type(prev) != label_type(label)
        {
            label - 1
        } else {
            label
        };
        doc.gold.push(label);
        lines.push(Line::Token(
            doc_index,
            doc.tokens.len() - 1,
            line.to_string(),
        ));
        new_sentence = false;
    }
    Ok(Conll { docs, lines })
}

/// Entity spans `(type, first token, last token + 1)` of a labelled sequence.
pub fn spans(tokens: &[Token], labels: &[u8]) -> Vec<(u8, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(u8, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        let continues = l > 0
            && l.is_multiple_of(2)
            && !tokens[i].sentence_start
            && open.is_some_and(|(t, _)| Some(t) == label_type(l));
        if continues {
            continue;
        }
        if let Some((t, s)) = open.take() {
            out.push((t, s, i));
        }
        if let Some(t) = label_type(l) {
            open = Some((t, i));
        }
    }
    if let Some((t, s)) = open {
        out.push((t, s, labels.len()));
    }
    out
}

/// IOB2 labels of `len` tokens holding `spans` (the inverse of [`spans`]).
pub fn labels_of(spans: &[(u8, usize, usize)], len: usize) -> Vec<u8> {
    let mut labels = vec![0; len];
    for &(t, s, e) in spans {
        labels[s] = 1 + 2 * t;
        labels[s + 1..e].iter_mut().for_each(|l| *l = 2 + 2 * t);
    }
    labels
}

/// Precision, recall and F1 of one entity type (or of all three together).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Prf {
    /// Entities found that are right.
    pub true_positives: usize,
    /// Entities found that are wrong.
    pub false_positives: usize,
    /// Entities missed.
    pub false_negatives: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    fn finish(mut self) -> Prf {
        let tp = self.true_positives as f64;
        self.precision = tp / (self.true_positives + self.false_positives).max(1) as f64;
        self.recall = tp / (self.true_positives + self.false_negatives).max(1) as f64;
        self.f1 = if self.precision + self.recall > 0.0 {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        } else {
            0.0
        };
        self
    }
}

/// Scores of a tagging run: PER, LOC, ORG and their micro-average.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scores {
    /// People.
    pub per: Prf,
    /// Places.
    pub loc: Prf,
    /// Organisations.
    pub org: Prf,
    /// Micro-average over the three.
    pub micro: Prf,
}

/// Scores predicted labels against gold, document by document.
pub fn score(docs: &[Example], predicted: &[Vec<u8>]) -> Scores {
    let mut per_type = [Prf::default(), Prf::default(), Prf::default()];
    for (doc, pred) in docs.iter().zip(predicted) {
        let gold: HashSet<_> = spans(&doc.tokens, &doc.gold)
            .into_iter()
            .filter(|s| s.0 < 3)
            .collect();
        let found: HashSet<_> = spans(&doc.tokens, pred)
            .into_iter()
            .filter(|s| s.0 < 3)
            .collect();
        for s in &found {
            if gold.contains(s) {
                per_type[s.0 as usize].true_positives += 1;
            } else {
                per_type[s.0 as usize].false_positives += 1;
            }
        }
        for s in gold.difference(&found) {
            per_type[s.0 as usize].false_negatives += 1;
        }
    }
    let micro = Prf {
        true_positives: per_type.iter().map(|p| p.true_positives).sum(),
        false_positives: per_type.iter().map(|p| p.false_positives).sum(),
        false_negatives: per_type.iter().map(|p| p.false_negatives).sum(),
        ..Prf::default()
    };
    let [per, loc, org] = per_type;
    Scores {
        per: per.finish(),
        loc: loc.finish(),
        org: org.finish(),
        micro: micro.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n";

    #[test]
    fn parses_documents_and_sentences() {
        let c = parse(SAMPLE).unwrap();
        assert_eq!(c.docs.len(), 1);
        let d = &c.docs[0];
        assert_eq!(d.text, "EU rejects German\nPeter Blackburn");
        assert_eq!(d.tokens.iter().filter(|t| t.sentence_start).count(), 2);
        assert_eq!(spans(&d.tokens, &d.gold), [(2, 0, 1), (3, 2, 3), (0, 3, 5)]);
    }

    #[test]
    fn exact_span_scoring() {
        let c = parse(SAMPLE).unwrap();
        let gold = c.docs[0].gold.clone();
        let perfect = score(&c.docs, std::slice::from_ref(&gold));
        assert_eq!(perfect.micro.f1, 1.0);
        assert_eq!(perfect.micro.true_positives, 2, "MISC is not scored");
        // tag only "Peter" as PER: a wrong span is a false positive and a miss
        let mut pred = gold.clone();
        pred[4] = 0;
        let s = score(&c.docs, &[pred]);
        assert_eq!(
            (
                s.per.true_positives,
                s.per.false_positives,
                s.per.false_negatives
            ),
            (0, 1, 1)
        );
        assert_eq!(s.org.f1, 1.0);
    }

    #[test]
    fn unknown_tag_names_the_line() {
        let err = parse("a b c B-FOO\n").err().unwrap();
        assert!(err.to_string().contains("line 1"));
    }
}
