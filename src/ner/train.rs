//! Retraining the shipped model from CoNLL-2003 and unlabelled news.
//!
//! `newsdex train-ner --conll ../shared/data/conll2003 --news ../shared/data/news
//! --clusters en_lexeme_cluster.json.gz` counts how often each word is
//! capitalised mid-sentence in the unlabelled news and in the training text,
//! clusters the news's words, reads Brown clusters, trains on `train.txt`, keeps
//! the epoch that scores best on `dev.txt`, and writes the model file that
//! `src/entities/ner.model` ships (README: "Retraining the entity model").
//!
//! May import: other files of `ner`, and `corpus` (to read unlabelled news for training).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

use super::clusters::ClusterBuilder;
use super::conll;
use super::features::{word_hash, Lexicon};
use super::model::{self, Model, Scratch, TrainOptions};
use super::tokenize::{tokenize, Token};

/// Counts capitalised and total mid-sentence uses of each lower-cased word, and
/// keeps the word sequences for clustering.
#[derive(Default)]
pub struct CapsCounter {
    counts: HashMap<u64, (u32, u32)>,
    tokens: Vec<Token>,
    clusters: ClusterBuilder,
}

impl CapsCounter {
    /// Adds the words of a text (tokenised as raw news).
    pub fn add_text(&mut self, text: &str) {
        let mut tokens = std::mem::take(&mut self.tokens);
        tokenize(text, &mut tokens);
        self.add_tokens(text, &tokens);
        self.tokens = tokens;
    }

    /// Adds already tokenised words.
    pub fn add_tokens(&mut self, text: &str, tokens: &[Token]) {
        let mut sentence = Vec::new();
        for t in tokens {
            if t.sentence_start && !sentence.is_empty() {
                self.clusters.add(std::mem::take(&mut sentence));
            }
            sentence.push(word_hash(t.text(text), true));
        }
        if !sentence.is_empty() {
            self.clusters.add(sentence);
        }
        for t in tokens.iter().filter(|t| !t.sentence_start) {
            let w = t.text(text);
            let Some(first) = w.chars().next() else {
                continue;
            };
            if !first.is_alphabetic() || (w.len() > 1 && w.chars().all(|c| !c.is_lowercase())) {
                continue; // all-caps headlines say nothing about a word's habit
            }
            let e = self.counts.entry(word_hash(w, true)).or_default();
            e.0 += u32::from(first.is_uppercase());
            e.1 += 1;
        }
    }

    /// The lexicon: capitalisation classes and clusters of words seen at least `min` times.
    pub fn lexicon(&self, min: u32) -> Lexicon {
        let fine = self.clusters.build(256, 5, 12);
        let coarse = self.clusters.build(32, 5, 12);
        let clusters = fine
            .into_iter()
            .map(|(w, f)| (w, (f, coarse.get(&w).copied().unwrap_or(0))))
            .collect();
        Lexicon {
            caps: self.table(min),
            clusters,
            gazetteer: Default::default(),
            brown: Default::default(),
        }
    }

    fn table(&self, min: u32) -> rustc_hash::FxHashMap<u64, u8> {
        self.counts
            .iter()
            .filter(|(_, (_, total))| *total >= min)
            .map(|(&h, &(cap, total))| {
                let r = f64::from(cap) / f64::from(total);
                let class = match r {
                    r if r < 0.05 => 1,
                    r if r < 0.5 => 2,
                    r if r < 0.95 => 3,
                    _ => 4,
                };
                (h, class)
            })
            .collect()
    }
}

/// Adds every article text under `dir` (BBC `.txt` files, Reuters JSON Lines) to `caps`.
pub fn count_news(dir: &Path, caps: &mut CapsCounter) -> anyhow::Result<usize> {
    let walk = crate::corpus::walk(dir, None)?;
    let mut articles = 0;
    for file in &walk.files {
        let (_, content) = crate::corpus::read_file(file)
            .with_context(|| format!("reading {}", file.abs.display()))?;
        for a in &content.articles {
            caps.add_text(&a.text);
            articles += 1;
        }
    }
    Ok(articles)
}

/// Reads Brown clusters saved as JSON `{"word": path}`, where `path` is the cluster's
/// bit string read from its last bit to its first (spaCy's `lexeme_cluster` table), so
/// that the top `n` levels of the hierarchy are its low `n` bits. Words with path 0
/// (no cluster) are left out; keys are hashed as written.
pub fn read_brown(path: &Path) -> anyhow::Result<rustc_hash::FxHashMap<u64, u32>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .with_context(|| format!("cannot decompress {}", path.display()))?;
        out
    } else {
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))?
    };
    let table: std::collections::BTreeMap<String, u64> =
        serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a JSON object of word → cluster number",
                path.display()
            )
        })?;
    Ok(table
        .into_iter()
        .filter(|(_, c)| *c > 0 && *c <= u64::from(u32::MAX))
        .map(|(w, c)| (word_hash(&w, false), c as u32))
        .collect())
}

/// Tags every document of a parsed CoNLL file.
pub fn tag_all(model: &Model, docs: &[model::Example]) -> Vec<Vec<u8>> {
    let mut scratch = Scratch::default();
    docs.iter()
        .map(|d| {
            let mut labels = Vec::new();
            model.tag(&d.text, &d.tokens, &mut scratch, &mut labels);
            labels
        })
        .collect()
}

/// Trains from `conll_dir` (train.txt, dev.txt) and optional unlabelled `news` folders.
pub fn train_from(
    conll_dir: &Path,
    news: &[&Path],
    brown: Option<&Path>,
    opts: &TrainOptions,
    log: &dyn Fn(&str),
) -> anyhow::Result<Model> {
    let read = |name: &str| -> anyhow::Result<conll::Conll> {
        let path = conll_dir.join(name);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        conll::parse(&text).with_context(|| format!("parsing {}", path.display()))
    };
    let train = read("train.txt")?;
    let dev = read("dev.txt")?;
    let mut caps = CapsCounter::default();
    for d in &train.docs {
        caps.add_tokens(&d.text, &d.tokens);
    }
    for dir in news {
        let n = count_news(dir, &mut caps)?;
        log(&format!(
            "counted capitalisation in {n} articles under {}",
            dir.display()
        ));
    }
    let mut lexicon = caps.lexicon(2);
    if let Some(path) = brown {
        lexicon.brown = read_brown(path)?;
        log(&format!(
            "{} words with Brown clusters from {}",
            lexicon.brown.len(),
            path.display()
        ));
    }
    log(&format!(
        "lexicon: {} words with capitalisation classes, {} clustered",
        lexicon.caps.len(),
        lexicon.clusters.len()
    ));
    let model = model::train(&train.docs, lexicon, opts, |epoch, m| {
        let s = conll::score(&dev.docs, &tag_all(m, &dev.docs));
        log(&format!(
            "epoch {epoch}: dev micro-F1 {:.4} (PER {:.4}, LOC {:.4}, ORG {:.4})",
            s.micro.f1, s.per.f1, s.loc.f1, s.org.f1
        ));
        s.micro.f1
    });
    Ok(model)
}
