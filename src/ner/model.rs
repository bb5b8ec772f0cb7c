//! The tagger: an averaged perceptron over hashed features, decoded greedily left to right.
//!
//! Why this method. Classical taggers of this kind (Collins 2002; Ratinov &
//! Roth 2009) reach within a few points of neural models on CoNLL-2003 at a
//! tiny fraction of their cost, which matters here because entities are
//! recognised for every passage at index time. Greedy decoding with
//! previous-label features is as accurate as Viterbi for this task (Ratinov &
//! Roth) and lets the tagger skip every token that cannot be part of a name:
//! only capitalised words, and short lower-case linkers between them ("Bank of
//! England", "Osama bin Laden"), are scored; the rest are `O` at the cost of one
//! comparison. Per scored token the tagger sums 59 rows of 9 `i16` weights;
//! nothing is allocated per token.
//!
//! Beyond the usual word, shape, affix and neighbour features, two come from
//! outside the sentence: how often the word is capitalised mid-sentence in
//! unlabelled news (telling "Iran" from a sentence-initial "Analysts"), and
//! the type this document last gave the same word ("extended prediction
//! history"), which keeps a name's type consistent through an article. Two
//! more carry knowledge past the word: a gazetteer of the names in the
//! training data (multi-word names such as "Bank of England" known as a whole,
//! jackknifed while training so the tagger learns how far to trust it; +0.006
//! dev, +0.018 test micro-F1 with its neighbour features), and how much of the
//! sentence is numbers (results tables, where names are teams). Last, Brown
//! word clusters of a large English corpus (spaCy's published table, MIT;
//! 190k words): prefixes of a word's path in the cluster tree place a word the
//! labelled data never saw beside words it did ("Islamabad" with "Tehran");
//! +0.007 dev, +0.014 test.
//!
//! Scores on CoNLL-2003 and what each choice bought are in BENCHMARKS.md.
//!
//! May import: other files of `ner`, and `corpus` (to read unlabelled news for training).

use rustc_hash::{FxHashMap, FxHashSet};

use anyhow::{bail, ensure, Context};

use super::features::{
    static_features, token_infos, word_hash, Fnv, Gazetteer, Lexicon, TokenInfo, WordCache,
    STATIC_FEATURES,
};
use super::tokenize::Token;

/// Number of labels.
pub const NL: usize = 9;
/// The IOB2 labels, in model order.
pub const LABELS: [&str; NL] = [
    "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];
const DYNAMIC_FEATURES: usize = 7;
const FEATURES: usize = STATIC_FEATURES + DYNAMIC_FEATURES;
const MAGIC: &[u8; 8] = b"NDXNER04";

/// The label index of an IOB2 tag (IOB1 `I-` is read as written), or `None` if unknown.
pub fn label_index(tag: &str) -> Option<u8> {
    LABELS.iter().position(|l| *l == tag).map(|i| i as u8)
}

/// Entity type of a label (0 PER, 1 LOC, 2 ORG, 3 MISC), or `None` for `O`.
pub fn label_type(label: u8) -> Option<u8> {
    (label > 0).then(|| (label - 1) / 2)
}

fn is_inside(label: u8) -> bool {
    label > 0 && label.is_multiple_of(2)
}

/// Whether `label` may follow `prev` in IOB2 (an `I-X` needs a `B-X` or `I-X` before it).
fn allowed(prev: u8, label: u8) -> bool {
    !is_inside(label) || (prev != 0 && label_type(prev) == label_type(label))
}

/// Where weights come from while decoding: the trained table, or the one being trained.
trait Weights {
    fn score(&self, rows: &[usize; FEATURES], scores: &mut [f32; NL]);
    fn update(&mut self, _rows: &[usize; FEATURES], _good: u8, _bad: u8) {}
    /// Asks the CPU to start loading `rows` that [`Weights::score`] will read soon.
    fn prefetch(&self, _rows: &[usize]) {}
}

/// A trained tagger.
pub struct Model {
    bits: u32,
    scale: f32,
    weights: Vec<i16>,
    lex: Lexicon,
}

struct Quantized<'a>(&'a [i16], f32);

impl Weights for Quantized<'_> {
    /// The table (the shipped model's: 2^20 rows of 9 weights, 19 MB) is read at random,
    /// so nearly every row `score` reads is a cache miss (`perf annotate`: ~80% of
    /// `Model::tag`'s own samples waited on the first load of a row). Loading the static
    /// features' rows while the dynamic features are hashed overlaps the two.
    #[inline]
    fn prefetch(&self, rows: &[usize]) {
        #[cfg(target_arch = "x86_64")]
        for &r in rows {
            let row = &self.0[r * NL..r * NL + NL];
            for w in [&row[0], &row[NL - 1]] {
                use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
                // SAFETY: SSE is part of x86_64, and a prefetch only hints: it reads
                // nothing into the program and cannot fault (the address is a live row)
                unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(w).cast::<i8>()) };
            }
        }
    }

    #[inline]
    fn score(&self, rows: &[usize; FEATURES], scores: &mut [f32; NL]) {
        let mut acc = [0i32; NL];
        for &r in rows {
            for (a, w) in acc.iter_mut().zip(&self.0[r * NL..r * NL + NL]) {
                *a += i32::from(*w);
            }
        }
        for (s, a) in scores.iter_mut().zip(acc) {
            *s = a as f32 * self.1;
        }
    }
}

/// Buffers reused across documents so tagging allocates nothing per token.
#[derive(Default)]
pub struct Scratch {
    infos: Vec<TokenInfo>,
    seen: FxHashSet<u64>,
    history: FxHashMap<u64, u8>,
    words: WordCache,
}

impl Model {
    /// Reads a model from its binary form.
    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Model> {
        let mut r = Reader(bytes);
        ensure!(r.take(8)? == MAGIC, "not a newsdex NER model (bad magic)");
        let bits = r.u32()?;
        ensure!(
            (10..=24).contains(&bits),
            "model has an implausible table size 2^{bits}"
        );
        let scale = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
        let mut lex = Lexicon::default();
        let ncaps = r.u32()? as usize;
        lex.caps.reserve(ncaps);
        for _ in 0..ncaps {
            let h = r.u64()?;
            lex.caps.insert(h, r.take(1)?[0]);
        }
        let nclusters = r.u32()? as usize;
        lex.clusters.reserve(nclusters);
        for _ in 0..nclusters {
            let h = r.u64()?;
            let fine = r.u16()?;
            lex.clusters.insert(h, (fine, r.u16()?));
        }
        let nnames = r.u32()? as usize;
        lex.gazetteer.names.reserve(nnames);
        for _ in 0..nnames {
            let h = r.u64()?;
            lex.gazetteer.names.insert(h, r.take(1)?[0]);
        }
        let nfirst = r.u32()? as usize;
        lex.gazetteer.first.reserve(nfirst);
        for _ in 0..nfirst {
            lex.gazetteer.first.insert(r.u64()?);
        }
        let nbrown = r.u32()? as usize;
        lex.brown.reserve(nbrown);
        for _ in 0..nbrown {
            let h = r.u64()?;
            lex.brown.insert(h, r.u32()?);
        }
        let rows = 1usize << bits;
        let mut weights = vec![0i16; rows * NL];
        let nonzero = r.u32()? as usize;
        for _ in 0..nonzero {
            let row = r.u32()? as usize;
            ensure!(row < rows, "model row {row} out of range");
            for l in 0..NL {
                weights[row * NL + l] = i16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
            }
        }
        ensure!(r.0.is_empty(), "model has {} trailing bytes", r.0.len());
        Ok(Model {
            bits,
            scale,
            weights,
            lex,
        })
    }

    /// The binary form: header, capitalisation table, then the non-zero weight rows.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut caps: Vec<_> = self.lex.caps.iter().collect();
        caps.sort();
        out.extend_from_slice(&(caps.len() as u32).to_le_bytes());
        for (h, c) in caps {
            out.extend_from_slice(&h.to_le_bytes());
            out.push(*c);
        }
        let mut clusters: Vec<_> = self.lex.clusters.iter().collect();
        clusters.sort();
        out.extend_from_slice(&(clusters.len() as u32).to_le_bytes());
        for (h, (fine, coarse)) in clusters {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&fine.to_le_bytes());
            out.extend_from_slice(&coarse.to_le_bytes());
        }
        let mut names: Vec<_> = self.lex.gazetteer.names.iter().collect();
        names.sort();
        out.extend_from_slice(&(names.len() as u32).to_le_bytes());
        for (h, types) in names {
            out.extend_from_slice(&h.to_le_bytes());
            out.push(*types);
        }
        let mut first: Vec<_> = self.lex.gazetteer.first.iter().collect();
        first.sort();
        out.extend_from_slice(&(first.len() as u32).to_le_bytes());
        for h in first {
            out.extend_from_slice(&h.to_le_bytes());
        }
        let mut brown: Vec<_> = self.lex.brown.iter().collect();
        brown.sort();
        out.extend_from_slice(&(brown.len() as u32).to_le_bytes());
        for (h, path) in brown {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&path.to_le_bytes());
        }
        let rows: Vec<usize> = self.nonzero_rows().collect();
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for r in rows {
            out.extend_from_slice(&(r as u32).to_le_bytes());
            for &w in &self.weights[r * NL..r * NL + NL] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// The weight rows some feature uses (the only ones the file stores).
    fn nonzero_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (0..1usize << self.bits)
            .filter(|r| self.weights[r * NL..r * NL + NL].iter().any(|&w| w != 0))
    }

    /// What the model holds, for the training log.
    pub fn describe(&self) -> String {
        let rows = self.nonzero_rows().count();
        format!(
            "{rows} non-zero weight rows of 2^{}, {} capitalisation classes, {} word clusters, \
             {} gazetteer names, {} Brown paths",
            self.bits,
            self.lex.caps.len(),
            self.lex.clusters.len(),
            self.lex.gazetteer.names.len(),
            self.lex.brown.len()
        )
    }

    /// Tags a document's tokens with label indices into `labels` (cleared first).
    pub fn tag(&self, text: &str, tokens: &[Token], scratch: &mut Scratch, labels: &mut Vec<u8>) {
        let w = Quantized(&self.weights, self.scale);
        let mut w = w;
        decode(
            &mut w,
            self.bits,
            &self.lex,
            &self.lex.gazetteer,
            text,
            tokens,
            scratch,
            labels,
            None,
        );
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> anyhow::Result<&'a [u8]> {
        if self.0.len() < n {
            bail!("model file is truncated");
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().context("u32")?))
    }
    fn u16(&mut self) -> anyhow::Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().context("u16")?))
    }
    fn u64(&mut self) -> anyhow::Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().context("u64")?))
    }
}

fn dyn_hash(template: u64, a: u64, b: u64) -> u64 {
    let mut h = Fnv::new(200 + template);
    h.u64(a);
    h.u64(b);
    h.finish()
}

/// Whether token `i` is scored: a capitalised word, or a lower-case linker inside a name.
fn is_candidate(text: &str, tokens: &[Token], infos: &[TokenInfo], i: usize, prev: u8) -> bool {
    if infos[i].is_candidate() {
        return true;
    }
    if prev == 0 || !infos.get(i + 1).is_some_and(|n| n.capitalised) {
        return false;
    }
    let w = tokens[i].text(text);
    w.len() <= 5 && w.chars().all(|c| c.is_lowercase() || c == '-' || c == '\'')
}

/// Greedy left-to-right decoding; with `gold`, also a perceptron update on every mistake.
#[allow(clippy::too_many_arguments)]
fn decode<W: Weights>(
    w: &mut W,
    bits: u32,
    lex: &Lexicon,
    gazetteer: &Gazetteer,
    text: &str,
    tokens: &[Token],
    scratch: &mut Scratch,
    labels: &mut Vec<u8>,
    gold: Option<&[u8]>,
) {
    labels.clear();
    token_infos(
        text,
        tokens,
        lex,
        gazetteer,
        &mut scratch.words,
        &mut scratch.seen,
        &mut scratch.infos,
    );
    scratch.history.clear();
    let infos = &scratch.infos;
    let mask = (1usize << bits) - 1;
    let mut statics = [0u64; STATIC_FEATURES];
    let mut rows = [0usize; FEATURES];
    let mut scores = [0f32; NL];
    let (mut p1, mut p2) = (0u8, 0u8);
    for i in 0..tokens.len() {
        if tokens[i].sentence_start {
            (p1, p2) = (0, 0);
        }
        let label = if !is_candidate(text, tokens, infos, i, p1) {
            0
        } else {
            static_features(text, tokens, infos, i, &mut statics);
            for (r, h) in rows.iter_mut().zip(statics.iter()) {
                *r = (*h as usize) & mask;
            }
            w.prefetch(&rows[..STATIC_FEATURES]);
            let cur = infos[i];
            let hist = u64::from(scratch.history.get(&cur.lower).copied().unwrap_or(0));
            let dynamic = [
                dyn_hash(0, u64::from(p1), 0),
                dyn_hash(1, u64::from(p1), u64::from(p2)),
                dyn_hash(2, u64::from(p1), cur.lower),
                dyn_hash(3, u64::from(p1), cur.shape),
                dyn_hash(4, hist, 0),
                dyn_hash(5, hist, u64::from(cur.sentence_start)),
                dyn_hash(6, hist, u64::from(cur.all_caps)),
            ];
            for (r, h) in rows[STATIC_FEATURES..].iter_mut().zip(dynamic.iter()) {
                *r = (*h as usize) & mask;
            }
            w.score(&rows, &mut scores);
            let mut best = 0u8;
            let mut best_score = f32::NEG_INFINITY;
            for (l, &s) in scores.iter().enumerate() {
                if s > best_score && allowed(p1, l as u8) {
                    best = l as u8;
                    best_score = s;
                }
            }
            if let Some(gold) = gold {
                if gold[i] != best {
                    w.update(&rows, gold[i], best);
                }
            }
            best
        };
        if let Some(t) = label_type(label) {
            scratch.history.insert(infos[i].lower, t + 1);
        }
        labels.push(label);
        (p2, p1) = (p1, label);
    }
}

/// One labelled document for training.
pub struct Example {
    /// The document text (tokens joined by spaces, sentences by newlines).
    pub text: String,
    /// Its tokens.
    pub tokens: Vec<Token>,
    /// Gold label per token.
    pub gold: Vec<u8>,
}

/// Averaged perceptron weights under training.
struct Trainer {
    w: Vec<f32>,
    acc: Vec<f32>,
    stamp: Vec<u32>,
    time: u32,
}

impl Weights for Trainer {
    fn score(&self, rows: &[usize; FEATURES], scores: &mut [f32; NL]) {
        *scores = [0.0; NL];
        for &r in rows {
            for (s, w) in scores.iter_mut().zip(&self.w[r * NL..r * NL + NL]) {
                *s += w;
            }
        }
    }

    fn update(&mut self, rows: &[usize; FEATURES], good: u8, bad: u8) {
        for &r in rows {
            for (label, delta) in [(good, 1.0f32), (bad, -1.0)] {
                let k = r * NL + label as usize;
                self.acc[k] += (self.time - self.stamp[k]) as f32 * self.w[k];
                self.stamp[k] = self.time;
                self.w[k] += delta;
            }
        }
    }
}

impl Trainer {
    fn averaged(&self) -> Vec<f32> {
        let t = self.time.max(1) as f32;
        (0..self.w.len())
            .map(|k| (self.acc[k] + (self.time - self.stamp[k]) as f32 * self.w[k]) / t)
            .collect()
    }
}

/// Settings of a training run.
pub struct TrainOptions {
    /// log2 of the number of weight rows.
    pub bits: u32,
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed for the order of documents.
    pub seed: u64,
}

/// Trains a model; `report(epoch, model)` is called after every epoch and returns a
/// score (higher is better); the best epoch's model is kept.
pub fn train(
    examples: &[Example],
    lex: Lexicon,
    opts: &TrainOptions,
    mut report: impl FnMut(usize, &Model) -> f64,
) -> Model {
    // The shipped gazetteer holds every training name; while training, document
    // `d` sees only the names of documents in other folds (jackknifing).
    const FOLDS: usize = 10;
    let mut lex = lex;
    let mut folds = vec![Gazetteer::default(); FOLDS];
    for (d, ex) in examples.iter().enumerate() {
        for (words, bit) in gold_names(ex) {
            lex.gazetteer.add(&words, bit);
            for (f, g) in folds.iter_mut().enumerate() {
                if f != d % FOLDS {
                    g.add(&words, bit);
                }
            }
        }
    }
    let n = (1usize << opts.bits) * NL;
    let mut t = Trainer {
        w: vec![0.0; n],
        acc: vec![0.0; n],
        stamp: vec![0; n],
        time: 0,
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = opts.seed | 1;
    let mut scratch = Scratch::default();
    let mut labels = Vec::new();
    let mut best: Option<(f64, Model)> = None;
    for epoch in 1..=opts.epochs {
        // Fisher-Yates with xorshift: a fixed, reproducible order per seed
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &d in &order {
            let ex = &examples[d];
            t.time += 1;
            decode(
                &mut t,
                opts.bits,
                &lex,
                &folds[d % FOLDS],
                &ex.text,
                &ex.tokens,
                &mut scratch,
                &mut labels,
                Some(&ex.gold),
            );
        }
        let model = quantize(&t.averaged(), opts.bits, lex.clone());
        let score = report(epoch, &model);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, model));
        }
    }
    best.map(|(_, m)| m).expect("at least one epoch")
}

/// The gold names of a training document: their words' lower-cased hashes and type bit.
fn gold_names(ex: &Example) -> Vec<(Vec<u64>, u8)> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < ex.gold.len() {
        let Some(t) = label_type(ex.gold[i]) else {
            i += 1;
            continue;
        };
        let mut end = i + 1;
        while end < ex.gold.len() && is_inside(ex.gold[end]) && label_type(ex.gold[end]) == Some(t)
        {
            end += 1;
        }
        let words = ex.tokens[i..end]
            .iter()
            .map(|tok| word_hash(tok.text(&ex.text), true))
            .collect();
        names.push((words, 1 << t));
        i = end;
    }
    names
}

fn quantize(weights: &[f32], bits: u32, lex: Lexicon) -> Model {
    let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-6);
    let scale = max / 32767.0;
    let q = weights
        .iter()
        .map(|w| (w / scale).round().clamp(-32767.0, 32767.0) as i16)
        .collect();
    Model {
        bits,
        scale,
        weights: q,
        lex,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_transitions() {
        let l = |t| label_index(t).unwrap();
        assert!(allowed(l("O"), l("B-PER")));
        assert!(!allowed(l("O"), l("I-PER")));
        assert!(allowed(l("B-PER"), l("I-PER")));
        assert!(!allowed(l("B-LOC"), l("I-PER")));
        assert!(allowed(l("I-ORG"), l("I-ORG")));
        assert_eq!(label_type(l("I-LOC")), Some(1));
    }

    #[test]
    fn corrupt_models_are_refused() {
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut bytes = MAGIC.to_vec();
        bytes.extend(16u32.to_le_bytes());
        let err = Model::from_bytes(&bytes).err().unwrap();
        assert!(err.to_string().contains("truncated"));
    }
}
