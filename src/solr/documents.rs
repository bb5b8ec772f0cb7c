//! Solr documents: a passage record ([`crate::index::record`]) as the JSON Solr indexes,
//! and a corpus file's change-detection state.
//!
//! Text fields are pre-analysed ([`pre_analyzed`]): newsdex's own analysers (the `news`
//! words and the `name_skeleton` keys of the local index) make the tokens and their
//! positions, and Solr's `PreAnalyzedField` indexes them as they are, so a phrase or a
//! spelling key matches in the collection exactly where it matches in a local index.
//! Imports corpus, index (record, schema), names (analyzer) and serde_json.

use serde_json::{json, Map, Value};
use tantivy::tokenizer::TextAnalyzer;

use crate::corpus::Article;
use crate::entities::EntityKind;
use crate::index::record::PassageRecord;
use crate::index::schema::news_analyzer;
use crate::names::analyzer::NameSkeletonTokenizer;

/// The analysers a document is made with (one set per thread: they keep state).
pub struct Analyzers {
    news: TextAnalyzer,
    skeleton: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            news: news_analyzer(),
            skeleton: TextAnalyzer::builder(NameSkeletonTokenizer).build(),
        }
    }
}

impl Analyzers {
    /// The `news` words of `text`, as a query sends them: lower-case, folded, space-separated.
    pub fn words(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.news.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }
}

/// The Solr id of a passage: its number, then its article's id (numbers hold no `@`).
pub fn passage_id(article: &str, passage: u32) -> String {
    format!("{passage}@{article}")
}

/// The Solr id of a file's state document.
pub fn file_id(path: &str) -> String {
    format!("file@{path}")
}

/// Whether a file's passages have all landed (`done`) or are being sent (`pending`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Its passages are being sent; a later push must delete them and send them again.
    Pending,
    /// Every passage it has was acknowledged by Solr.
    Done,
}

impl FileStatus {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Pending => "pending",
            FileStatus::Done => "done",
        }
    }
}

/// A corpus file's change-detection state, as stored in the collection.
pub fn file_doc(path: &str, hash: u64, size: u64, mtime: u64, status: FileStatus) -> Value {
    json!({
        "id": file_id(path),
        "kind": "file",
        "path": path,
        // hex: Solr's longs are signed, an xxh3 is not
        "file_hash": format!("{hash:016x}"),
        "file_size": size,
        "file_mtime": mtime,
        "file_status": status.as_str(),
    })
}

/// A passage of `article` (from corpus file `path`) as a Solr document.
pub fn passage_doc(
    analyzers: &mut Analyzers,
    path: &str,
    article: &Article,
    record: &PassageRecord,
) -> Value {
    let text = record.text(article);
    let mut doc = Map::new();
    let mut put = |k: &str, v: Value| {
        doc.insert(k.to_string(), v);
    };
    put("id", passage_id(&article.id, record.passage.number).into());
    put("kind", "passage".into());
    put("path", path.into());
    put("article", article.id.as_str().into());
    if let Some(title) = pre_analyzed(&mut analyzers.news, &article.title, false) {
        put("title", title);
    }
    put("heading", article.title.as_str().into());
    put("passage", record.passage.number.into());
    if let Some(v) = pre_analyzed(&mut analyzers.news, text, true) {
        put("text", v);
    }
    if let Some(v) = pre_analyzed(&mut analyzers.skeleton, text, false) {
        put("text_keys", v);
    }
    put("start", (record.passage.start as u64).into());
    for (field, value) in [
        ("date", &article.date),
        ("source", &article.source),
        ("url", &article.url),
    ] {
        if let Some(v) = value {
            put(field, v.as_str().into());
        }
    }
    for kind in EntityKind::ALL {
        let names = record.entities.of(kind);
        if names.is_empty() {
            continue;
        }
        let analysed = names
            .iter()
            .filter_map(|n| pre_analyzed(&mut analyzers.news, n, false))
            .collect();
        put(kind.field_name(), Value::Array(analysed));
        put(kind.key_field_name(), json!(names));
    }
    if !record.name_keys.is_empty() {
        put("name_keys", json!(record.name_keys));
    }
    if let Some(encoded) = &record.encoded_mentions {
        put("ents", encoded.as_str().into());
    }
    if !record.surfaces.is_empty() {
        put("surface", json!(record.surfaces));
    }
    Value::Object(doc)
}

/// `text` as a `PreAnalyzedField` value (Solr's JSON form): each token's term and its
/// position increment, which keeps the analyser's positions (a name key shares its word's
/// position; a skipped linker takes none), and the text itself when `stored`. `None` for
/// an unstored value without tokens, which the document leaves out. Solr 9.10 cannot read
/// a stored value with an empty token list (it parses the stored text as JSON: a passage
/// that is only "." failed a push), so such a value gets one token, [`NO_WORDS`], that no
/// query asks for.
pub fn pre_analyzed(analyzer: &mut TextAnalyzer, text: &str, stored: bool) -> Option<Value> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    let mut last: Option<usize> = None;
    while let Some(t) = stream.next() {
        let increment = match last {
            None => t.position + 1,
            Some(p) => t.position.saturating_sub(p),
        };
        last = Some(t.position);
        tokens.push(json!({"t": t.text, "i": increment}));
    }
    if tokens.is_empty() {
        if !stored {
            return None;
        }
        tokens.push(json!({"t": NO_WORDS, "i": 1}));
    }
    let mut v = json!({"v": "1", "tokens": tokens});
    if stored {
        v["str"] = text.into();
    }
    // Solr reads the field's value as a string holding this JSON
    Some(Value::String(v.to_string()))
}

/// The one token of a stored text without words; holds no letter or digit, so no
/// query's analysed terms can equal it.
pub const NO_WORDS: &str = "\u{1}";

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(v: &Value) -> Vec<(String, u64)> {
        let parsed: Value = serde_json::from_str(v.as_str().unwrap()).unwrap();
        parsed["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["t"].as_str().unwrap().to_string(),
                    t["i"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn words_keep_the_local_analysers_terms_and_positions() {
        let mut a = Analyzers::default();
        let v = pre_analyzed(&mut a.news, "Jaish al-Adl’s strike", true).unwrap();
        assert_eq!(
            tokens(&v),
            [("jaish", 1), ("al", 1), ("adl", 1), ("s", 1), ("strike", 1)]
                .map(|(t, i)| (t.to_string(), i))
        );
        let parsed: Value = serde_json::from_str(v.as_str().unwrap()).unwrap();
        assert_eq!(parsed["str"], "Jaish al-Adl’s strike");
        assert_eq!(a.words("Jaish al-Adl"), ["jaish", "al", "adl"]);
    }

    #[test]
    fn name_keys_share_positions_and_skip_lowercase_words() {
        let mut a = Analyzers::default();
        let v = pre_analyzed(&mut a.skeleton, "said Ali Vaez", false).unwrap();
        let t = tokens(&v);
        assert!(!t.is_empty());
        // "said" takes a position and yields nothing: the first key starts at position 2
        assert_eq!(t[0].1, 2, "{t:?}");
        assert!(t.iter().skip(1).all(|(_, i)| *i <= 1), "{t:?}");
        let parsed: Value = serde_json::from_str(v.as_str().unwrap()).unwrap();
        assert!(parsed.get("str").is_none());
    }

    #[test]
    fn a_text_without_words_is_left_out_or_stored_with_a_token_no_query_asks_for() {
        let mut a = Analyzers::default();
        assert_eq!(pre_analyzed(&mut a.skeleton, "said so.", false), None);
        let v = pre_analyzed(&mut a.news, ".", true).unwrap();
        assert_eq!(tokens(&v), [(NO_WORDS.to_string(), 1)]);
        assert!(a.words(NO_WORDS).is_empty(), "no query has this term");
    }
}
