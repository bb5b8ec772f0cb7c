//! The index schema: one tantivy document per passage, and the analysers that read it.
//!
//! Text is analysed by the `news` analyser: split on anything that is not a
//! letter or digit (so "al-Adl", "al Adl" and "Pakistan’s"/"Pakistan's" all
//! become the same tokens and a phrase query matches across hyphens and
//! apostrophes of any kind), lower-cased and folded to ASCII ("Amīr" = "amir").
//! Entity names are indexed twice: as text (`person:vaez` finds "Ali Vaez")
//! and as one exact key per canonical name (`person_key`, a fast field too),
//! which `newsdex entities` counts.
//!
//! Spelling variants: `name_keys` holds, per passage, the variant key of every
//! entity it names (see `names::keys`), prefixed by type, so that a query
//! for "Ali Vaez" finds passages about "Ali Fayez" without scanning text.
//!
//! Per-file fields (`file_hash`, `file_size`, `file_mtime`) are the
//! change-detection state; the first passage written for a file carries them
//! (sparse columns: on every passage they took 67 MB of the 1 GB benchmark's
//! 1.43 GB index), and living in the index they cannot drift from it.
//!
//! Size. Only what a reader sees is stored: the passage text, where it is and
//! what it names (`ents`, from which the entity lists are read back); the
//! entity fields are indexed only. The article's title is indexed with every
//! passage (`title`: a query may join a title word with passage words, "Jaish
//! al-Adl" in an article headlined "strikes") and stored as `heading`.
//! Length norms are kept for `text` and `title`, the fields BM25 ranks;
//! filters and keys go without. Schema 3 → 4 took the 100 MB benchmark index
//! from 157 MB to 145 MB; schema 5 (file state on one passage per file,
//! `surface` a column only) to 142 MB; schema 6 (mentions stored in a compact
//! form, see [`encode_mentions`], and no stored passage end, which is the start
//! plus the text's length) 140 → 135 MB (see BENCHMARKS.md; `newsdex stats`
//! shows the split by field).
//!
//! May import: `entities` (types), `names`, `passages`, `corpus`.

use std::fmt::Write as _;

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::Index;

use crate::entities::{EntityKind, PassageMention};

/// Bumped whenever documents built by an older newsdex cannot be read by this one, or
/// hold name keys this one would build differently (7: apostrophes inside names, "zh",
/// first-and-last-name keys of people).
pub const SCHEMA_VERSION: u32 = 7;

/// Name of the analyser for passage text, titles and entity names.
pub const NEWS_TOKENIZER: &str = "news";
/// Name of the analyser that reduces text to name keys.
pub const SKELETON_TOKENIZER: &str = "name_skeleton";
/// Name of the analyser for whole-name entity keys.
pub const KEY_TOKENIZER: &str = "name_key";

/// Handles to every field of the passage schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Corpus path of the file (exact); the unit of deletion.
    pub path: Field,
    /// Article id (path, or path#id for JSON Lines).
    pub article: Field,
    /// Article title, analysed with every passage (not stored; see `heading`).
    pub title: Field,
    /// Article title as written, stored with every passage for display.
    pub heading: Field,
    /// 0-based passage number within the article.
    pub passage: Field,
    /// Passage text, analysed with positions and stored.
    pub text: Field,
    /// Byte offset of the passage in the article text (it ends `text.len()` bytes later).
    pub start: Field,
    /// Article date as given.
    pub date: Field,
    /// Article source.
    pub source: Field,
    /// Article address.
    pub url: Field,
    /// People named, as text.
    pub person: Field,
    /// Places named, as text.
    pub place: Field,
    /// Organisations named, as text.
    pub org: Field,
    /// People named, one exact key per canonical name.
    pub person_key: Field,
    /// Places named, one exact key per canonical name.
    pub place_key: Field,
    /// Organisations named, one exact key per canonical name.
    pub org_key: Field,
    /// xxh3 hash of the whole file's bytes (on the file's first passage only).
    pub file_hash: Field,
    /// File size in bytes when indexed.
    pub file_size: Field,
    /// File modification time (ns since the epoch) when indexed.
    pub file_mtime: Field,
    /// Spelling-variant keys of the entities named: `person:<key>`, `person~<surname key>`, …
    pub name_keys: Field,
    /// The passage's mentions (stored only, in the form [`encode_mentions`] writes).
    pub ents: Field,
    /// Each mention's `type<TAB>name<TAB>surface form`, for listing variants (a column only).
    pub surface: Field,
    /// Passage text as the variant keys of its capitalised words, with positions.
    pub text_keys: Field,
    /// Hash of the article id, a fast field for counting articles.
    pub article_hash: Field,
}

impl Fields {
    /// The text field of an entity kind.
    pub fn entity(&self, kind: EntityKind) -> Field {
        match kind {
            EntityKind::Person => self.person,
            EntityKind::Place => self.place,
            EntityKind::Org => self.org,
        }
    }

    /// The key field of an entity kind.
    pub fn entity_key(&self, kind: EntityKind) -> Field {
        match kind {
            EntityKind::Person => self.person_key,
            EntityKind::Place => self.place_key,
            EntityKind::Org => self.org_key,
        }
    }

    /// Looks the fields up in a schema, failing if any is missing.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            path: f("path")?,
            article: f("article")?,
            title: f("title")?,
            heading: f("heading")?,
            passage: f("passage")?,
            text: f("text")?,
            start: f("start")?,
            date: f("date")?,
            source: f("source")?,
            url: f("url")?,
            person: f("person")?,
            place: f("place")?,
            org: f("org")?,
            person_key: f("person_key")?,
            place_key: f("place_key")?,
            org_key: f("org_key")?,
            file_hash: f("file_hash")?,
            file_size: f("file_size")?,
            file_mtime: f("file_mtime")?,
            name_keys: f("name_keys")?,
            ents: f("ents")?,
            surface: f("surface")?,
            text_keys: f("text_keys")?,
            article_hash: f("article_hash")?,
        })
    }
}

/// Builds the passage schema.
pub fn build() -> Schema {
    let ranked = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NEWS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let filter = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NEWS_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false),
    );
    let raw = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let key = TextOptions::default()
        .set_fast(KEY_TOKENIZER)
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEY_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
    let stored_u64 = NumericOptions::default().set_stored();
    let file_u64 = NumericOptions::default().set_fast();
    let mut b = Schema::builder();
    b.add_text_field("path", raw(true) | FAST);
    b.add_text_field("article", raw(true));
    b.add_text_field("title", ranked.clone());
    b.add_text_field("heading", STORED);
    b.add_u64_field("passage", NumericOptions::default().set_stored().set_fast());
    b.add_text_field("text", ranked.set_stored());
    b.add_u64_field("start", stored_u64);
    b.add_text_field("date", raw(true));
    b.add_text_field("source", raw(true));
    b.add_text_field("url", raw(true));
    for kind in EntityKind::ALL {
        b.add_text_field(kind.field_name(), filter.clone());
    }
    for kind in EntityKind::ALL {
        b.add_text_field(kind.key_field_name(), key.clone());
    }
    b.add_u64_field("file_hash", file_u64.clone());
    b.add_u64_field("file_size", file_u64.clone());
    b.add_u64_field("file_mtime", file_u64);
    b.add_text_field("name_keys", raw(false));
    b.add_text_field("ents", STORED);
    // read only as a column (`entities` lists spellings), never searched
    b.add_text_field("surface", TextOptions::default().set_fast(KEY_TOKENIZER));
    b.add_u64_field("article_hash", NumericOptions::default().set_fast());
    b.add_text_field(
        "text_keys",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(SKELETON_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions)
                .set_fieldnorms(false),
        ),
    );
    b.build()
}

/// The stored form of a passage's mentions (field `ents`): a line per mention, the kind's
/// letter (`p`erson, p`l`ace, `o`rg), its start byte and length in the passage, and after a
/// tab the canonical name only where the passage's words there differ ("Vaez" recorded as
/// "Ali Vaez"). Names have their whitespace collapsed, so hold no line break. JSON with
/// every kind and name spelled out made 26.5 of the 100 MB benchmark's 184 MB of stored
/// fields; this form took the compressed doc store from 62.5 to 57.1 MB.
pub fn encode_mentions(text: &str, mentions: &[PassageMention]) -> String {
    let mut out = String::new();
    for m in mentions {
        let letter = match m.kind {
            EntityKind::Person => 'p',
            EntityKind::Place => 'l',
            EntityKind::Org => 'o',
        };
        let _ = write!(out, "{letter}{} {}", m.start, m.end - m.start);
        if text.get(m.start..m.end) != Some(m.name.as_str()) {
            out.push('\t');
            out.extend(m.name.chars().map(|c| if c == '\n' { ' ' } else { c }));
        }
        out.push('\n');
    }
    out
}

/// Reads back what [`encode_mentions`] wrote for passage `text`; `None` if it is not that form.
pub fn decode_mentions(text: &str, stored: &str) -> Option<Vec<PassageMention>> {
    stored
        .lines()
        .map(|line| {
            let (head, name) = match line.split_once('\t') {
                Some((head, name)) => (head, Some(name)),
                None => (line, None),
            };
            let kind = match head.as_bytes().first()? {
                b'p' => EntityKind::Person,
                b'l' => EntityKind::Place,
                b'o' => EntityKind::Org,
                _ => return None,
            };
            let (start, len) = head[1..].split_once(' ')?;
            let start: usize = start.parse().ok()?;
            let end = start.checked_add(len.parse().ok()?)?;
            let name = match name {
                Some(name) => name,
                None => text.get(start..end)?,
            };
            Some(PassageMention {
                kind,
                name: name.to_string(),
                start,
                end,
            })
        })
        .collect()
}

/// Index settings: the doc store compressed with zstd in 16 KiB blocks. Stored passages are
/// most of an index's size, and zstd roughly halves them against tantivy's default lz4.
/// Every hit shown decompresses its whole block: on the 213 MB benchmark index, 16 KiB
/// blocks instead of 64 KiB cut `serve`'s CPU per search by about a fifth and the CPU of
/// listing 32,750 passages by 15%, for a store 8% larger (BENCHMARKS.md, issue 18). An
/// index keeps the settings it was created with; these apply to new ones.
pub fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 16_384,
        ..tantivy::IndexSettings::default()
    }
}

/// Registers newsdex's analysers on an index (tantivy does not persist them).
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(NEWS_TOKENIZER, news_analyzer());
    index.tokenizers().register(KEY_TOKENIZER, key_analyzer());
    index.tokenizers().register(
        SKELETON_TOKENIZER,
        TextAnalyzer::builder(crate::names::analyzer::NameSkeletonTokenizer).build(),
    );
    index
        .fast_field_tokenizer()
        .register(KEY_TOKENIZER, key_analyzer());
}

/// The analyser for running text: words of letters and digits, lower-cased, ASCII-folded.
pub fn news_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyser for entity keys: the whole canonical name, exactly as recorded.
pub fn key_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).build()
}

/// The tokens the news analyser makes of `text`, with their byte ranges.
pub fn news_tokens(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut analyzer = news_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_survive_storage() {
        let text = "Vaez, of Sistan-Baluchestan’s Crisis Group, said";
        let at = |w: &str| text.find(w).unwrap();
        let m = |kind, name: &str, start: usize, end: usize| PassageMention {
            kind,
            name: name.to_string(),
            start,
            end,
        };
        let mentions = vec![
            m(EntityKind::Person, "Ali Vaez", 0, 4),
            m(
                EntityKind::Place,
                "Sistan-Baluchestan",
                at("Sistan"),
                at("’s"),
            ),
            m(
                EntityKind::Org,
                "International Crisis Group",
                at("Crisis"),
                at(", said"),
            ),
        ];
        let stored = encode_mentions(text, &mentions);
        // a name is spelled out only where the passage's words differ from it
        assert_eq!(stored.matches('\t').count(), 2, "{stored}");
        assert!(!stored.contains("Sistan"), "{stored}");
        assert_eq!(decode_mentions(text, &stored), Some(mentions));
        assert_eq!(decode_mentions(text, ""), Some(Vec::new()));
        for bad in ["x0 4", "p0", "p0 99", "pa 4", "[[\"person\",\"Vaez\",0,4]]"] {
            assert_eq!(decode_mentions(text, bad), None, "{bad}");
        }
    }

    #[test]
    fn hyphens_apostrophes_and_accents_fold() {
        let words = |t: &str| {
            news_tokens(t)
                .into_iter()
                .map(|(w, _)| w)
                .collect::<Vec<_>>()
        };
        assert_eq!(words("Jaish al-Adl"), words("jaish al Adl"));
        assert_eq!(words("Pakistan’s"), words("Pakistan's"));
        assert_eq!(words("Amīr-Abdollāhian"), ["amir", "abdollahian"]);
    }

    #[test]
    fn schema_has_every_field() {
        assert!(Fields::from_schema(&build()).is_ok());
    }
}
