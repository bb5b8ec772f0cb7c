//! Word clusters learned from unlabelled news, so the tagger generalises past its training words.
//!
//! A word is described by the words that stand just before and after it in
//! unlabelled news (counts over the 1,000 most frequent words, log-damped and
//! length-normalised), and words with similar neighbours are grouped by
//! spherical k-means. Surnames the training data never saw land with the
//! surnames it did ("Vaez ... said", "Mr ... said"), cities with cities. This
//! is a cheap stand-in for Brown clusters (Ratinov & Roth 2009 report +1–3 F1
//! from clusters on CoNLL-2003), deterministic and a few seconds to compute.
//!
//! May import: other files of `ner`, and `corpus` (to read unlabelled news for training).

use std::collections::HashMap;

/// Collects word sequences (as hashes of lower-cased words) and clusters them.
#[derive(Default)]
pub struct ClusterBuilder {
    sentences: Vec<Vec<u64>>,
    freq: HashMap<u64, u32>,
}

impl ClusterBuilder {
    /// Adds one sentence of lower-cased word hashes.
    pub fn add(&mut self, words: Vec<u64>) {
        for w in &words {
            *self.freq.entry(*w).or_default() += 1;
        }
        self.sentences.push(words);
    }

    /// Clusters the words seen at least `min_count` times into `k` groups (ids 1..=k).
    pub fn build(&self, k: usize, min_count: u32, iterations: usize) -> HashMap<u64, u16> {
        let mut by_freq: Vec<(u64, u32)> = self.freq.iter().map(|(&w, &c)| (w, c)).collect();
        by_freq.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let contexts: HashMap<u64, usize> = by_freq
            .iter()
            .take(1000)
            .enumerate()
            .map(|(i, &(w, _))| (w, i))
            .collect();
        let dims = contexts.len() * 2;
        let vocab: Vec<u64> = by_freq
            .iter()
            .filter(|(_, c)| *c >= min_count)
            .map(|(w, _)| *w)
            .collect();
        let index: HashMap<u64, usize> = vocab.iter().enumerate().map(|(i, &w)| (w, i)).collect();
        let mut counts: Vec<HashMap<u32, f32>> = vec![HashMap::new(); vocab.len()];
        for s in &self.sentences {
            for (i, w) in s.iter().enumerate() {
                let Some(&v) = index.get(w) else { continue };
                if i > 0 {
                    if let Some(&c) = contexts.get(&s[i - 1]) {
                        *counts[v].entry(c as u32).or_default() += 1.0;
                    }
                }
                if let Some(&c) = s.get(i + 1).and_then(|n| contexts.get(n)) {
                    *counts[v].entry((contexts.len() + c) as u32).or_default() += 1.0;
                }
            }
        }
        let vectors: Vec<Vec<(u32, f32)>> = counts
            .into_iter()
            .map(|m| {
                let mut v: Vec<(u32, f32)> =
                    m.into_iter().map(|(d, c)| (d, (1.0 + c).ln())).collect();
                v.sort_by_key(|e| e.0);
                let norm = v.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt().max(1e-6);
                v.iter_mut().for_each(|e| e.1 /= norm);
                v
            })
            .collect();
        let assign = kmeans(&vectors, dims, k.min(vectors.len().max(1)), iterations);
        vocab
            .into_iter()
            .zip(assign)
            .map(|(w, c)| (w, c as u16 + 1))
            .collect()
    }
}

/// Spherical k-means on sparse unit vectors; centroids start at evenly spaced words.
fn kmeans(vectors: &[Vec<(u32, f32)>], dims: usize, k: usize, iterations: usize) -> Vec<usize> {
    if vectors.is_empty() {
        return Vec::new();
    }
    let mut centroids = vec![0f32; k * dims];
    for c in 0..k {
        for &(d, x) in &vectors[c * vectors.len() / k] {
            centroids[c * dims + d as usize] = x;
        }
    }
    let mut assign = vec![0usize; vectors.len()];
    for _ in 0..iterations {
        for (v, a) in vectors.iter().zip(assign.iter_mut()) {
            let mut best = (f32::NEG_INFINITY, 0);
            for c in 0..k {
                let row = &centroids[c * dims..(c + 1) * dims];
                let dot: f32 = v.iter().map(|&(d, x)| row[d as usize] * x).sum();
                if dot > best.0 {
                    best = (dot, c);
                }
            }
            *a = best.1;
        }
        centroids.iter_mut().for_each(|x| *x = 0.0);
        for (v, &a) in vectors.iter().zip(&assign) {
            for &(d, x) in v {
                centroids[a * dims + d as usize] += x;
            }
        }
        for c in 0..k {
            let row = &mut centroids[c * dims..(c + 1) * dims];
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
            row.iter_mut().for_each(|x| *x /= norm);
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_shared_neighbours_cluster_together() {
        let mut b = ClusterBuilder::default();
        let h = |w: &str| crate::ner::features::word_hash(w, true);
        for _ in 0..20 {
            for name in ["vaez", "white", "hussain"] {
                b.add(vec![h("mr"), h(name), h("said")]);
            }
            for city in ["tehran", "islamabad", "davos"] {
                b.add(vec![h("in"), h(city), h("on")]);
            }
        }
        let c = b.build(2, 5, 10);
        assert_eq!(c[&h("vaez")], c[&h("hussain")]);
        assert_eq!(c[&h("tehran")], c[&h("davos")]);
        assert_ne!(c[&h("vaez")], c[&h("tehran")]);
    }
}
