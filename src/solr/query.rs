//! Reading a SolrCloud collection: every document of a query through cursor paging, and
//! `mentions` asked of the collection.
//!
//! [`mentions`] asks Solr for the same candidate passages the local index is asked for —
//! the name's words as a phrase, its linker-less words as a loose phrase, its word keys as
//! a phrase on `text_keys`, its entity keys on `name_keys`, all pre-analysed by newsdex's
//! analysers — reads every one of them through `cursorMark` paging (not top-k), and checks
//! each with the local code ([`crate::search::mentions::Lookup::check`]), so the passages,
//! their highlights and the spellings counted are those a local index gives. Imports
//! search (hits, mentions), index (schema), entities and this room's client.

use anyhow::Context;
use serde_json::Value;

use super::client::{quote, Solr};
use super::documents::Analyzers;
use crate::entities::EntityKind;
use crate::names::keys::{entity_term, name_key, surname_term};
use crate::search::entities::{count_passages, EntityCount, PassageNames};
use crate::search::mentions::{collect, Lookup, MentionOptions, Mentions};
use crate::search::{Hit, StoredPassage};

/// Documents per page of a cursor.
const PAGE: usize = 1_000;

/// Calls `each` with every document matching `q` (fields `fl`), a page at a time, in id
/// order through Solr's cursor, which stays consistent while the collection changes.
pub fn each_doc(
    solr: &Solr,
    q: &str,
    fl: &str,
    mut each: impl FnMut(&Value) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut cursor = "*".to_string();
    let mut seen = 0;
    loop {
        let answer = solr.select(&[
            ("q", q.to_string()),
            ("fl", fl.to_string()),
            ("sort", "id asc".into()),
            ("rows", PAGE.to_string()),
            ("cursorMark", cursor.clone()),
        ])?;
        let docs = answer["response"]["docs"]
            .as_array()
            .context("Solr's answer has no documents list")?;
        for doc in docs {
            each(doc)?;
        }
        seen += docs.len();
        let next = answer["nextCursorMark"]
            .as_str()
            .context("Solr's answer has no nextCursorMark")?;
        if next == cursor || docs.is_empty() {
            return Ok(seen);
        }
        cursor = next.to_string();
    }
}

/// The Solr query for every passage that may mention the looked-up name; the terms are
/// already analysed, as the collection's pre-analysed fields hold them.
pub fn mentions_query(lookup: &Lookup) -> String {
    let phrase = |field: &str, words: &[String], slop: usize| {
        let mut q = format!("{field}:{}", quote(&words.join(" ")));
        if slop > 0 {
            q.push_str(&format!("~{slop}"));
        }
        q
    };
    let mut clauses: Vec<String> = Vec::new();
    clauses.extend(lookup.phrases.iter().map(|w| phrase("text", w, 0)));
    // a key phrase's gaps ("") match any word: Solr's query syntax has no gap, so the
    // phrase of the other keys is asked with one word of slop per gap, which finds every
    // passage the gapped phrase finds (and a few more, which the check drops)
    clauses.extend(lookup.skeletons.iter().chain(&lookup.given_names).map(|k| {
        let terms: Vec<String> = k.iter().filter(|t| !t.is_empty()).cloned().collect();
        phrase("text_keys", &terms, k.len() - terms.len())
    }));
    clauses.extend(
        lookup
            .cores
            .iter()
            .map(|c| phrase("text", c, 2 * (c.len() - 1))),
    );
    let mut keys: Vec<&String> = lookup.keys.iter().collect();
    keys.sort();
    clauses.extend(keys.into_iter().map(|k| format!("name_keys:{}", quote(k))));
    format!("kind:passage AND ({})", clauses.join(" OR "))
}

/// Every passage of the collection that mentions `name`, in corpus order.
pub fn mentions(solr: &Solr, name: &str, opts: &MentionOptions) -> anyhow::Result<Mentions> {
    let lookup = Lookup::new(name, opts)?;
    let mut hits = Vec::new();
    each_doc(
        solr,
        &mentions_query(&lookup),
        "path,article,heading,passage,text,start,date,source,url,ents",
        |doc| {
            if let Some(hit) = lookup.check(hit_from(doc)?) {
                hits.push(hit);
            }
            Ok(())
        },
    )?;
    Ok(collect(hits))
}

/// Every entity of the collection (of `kind`, or all), most passages first; with
/// `cooccur`, the entities sharing passages with that name instead, and how many passages
/// name it. Counted by the local code from every passage's names, read through the cursor.
pub fn entities(
    solr: &Solr,
    kind: Option<EntityKind>,
    cooccur: Option<&str>,
) -> anyhow::Result<(Vec<EntityCount>, usize)> {
    let q = match cooccur {
        Some(name) => name_query(name)?,
        None => "kind:passage".to_string(),
    };
    let mut rows = Vec::new();
    let seen = each_doc(
        solr,
        &q,
        "article,person_key,place_key,org_key,surface",
        |doc| {
            let strings = |field: &str| -> Vec<String> {
                doc[field]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            rows.push(PassageNames {
                article: crate::corpus::content_hash(
                    doc["article"].as_str().unwrap_or_default().as_bytes(),
                ),
                names: EntityKind::ALL
                    .iter()
                    .map(|k| (*k, strings(k.key_field_name())))
                    .collect(),
                surfaces: strings("surface"),
            });
            Ok(())
        },
    )?;
    // a collection knows no corpus folder, so no newsdex.toml curates its names
    let curation = Default::default();
    Ok((
        count_passages(rows.into_iter(), kind, cooccur, curation),
        seen,
    ))
}

/// Passages naming `name` as an entity of any type in any spelling: the name's words in
/// an entity field, or its key (and a one-word person name's surname key) in `name_keys`,
/// as `crate::search::entities::name_query` asks a local index.
fn name_query(name: &str) -> anyhow::Result<String> {
    let words = Analyzers::default().words(name);
    anyhow::ensure!(
        !words.is_empty(),
        "the name {name:?} has no letters or digits to look for"
    );
    let key = name_key(name);
    let mut clauses = Vec::new();
    for kind in EntityKind::ALL {
        clauses.push(format!("{}:{}", kind.field_name(), quote(&words.join(" "))));
        clauses.push(format!(
            "name_keys:{}",
            quote(&entity_term(kind.field_name(), &key))
        ));
    }
    if words.len() == 1 {
        clauses.push(format!("name_keys:{}", quote(&surname_term(&key))));
    }
    Ok(format!("kind:passage AND ({})", clauses.join(" OR ")))
}

/// A passage document as a [`Hit`], read as a local index's stored passage is.
pub fn hit_from(doc: &Value) -> anyhow::Result<Hit> {
    let text = |field: &str| doc[field].as_str().map(str::to_string);
    let num = |field: &str| doc[field].as_u64().unwrap_or_default();
    StoredPassage {
        path: text("path"),
        article: text("article"),
        heading: text("heading"),
        passage: num("passage"),
        start: num("start"),
        text: text("text"),
        ents: text("ents"),
        date: text("date"),
        source: text("source"),
        url: text("url"),
    }
    .into_hit()
    .with_context(|| {
        format!(
            "the stored entities of {} are unreadable; push it again",
            doc["article"]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_names_query_asks_for_every_form_the_local_index_asks_for() {
        let opts = MentionOptions::default();
        let lookup = Lookup::new("Sistan-Baluchestan", &opts).unwrap();
        let q = mentions_query(&lookup);
        assert!(q.starts_with("kind:passage AND ("), "{q}");
        assert!(q.contains("text:\"sistan baluchestan\""), "{q}");
        assert!(q.contains("text_keys:\""), "{q}");
        assert!(q.contains("name_keys:\"place:"), "{q}");
        let exact = MentionOptions {
            exact: true,
            ..Default::default()
        };
        let q = mentions_query(&Lookup::new("Jaish al-Adl", &exact).unwrap());
        assert_eq!(q, "kind:passage AND (text:\"jaish al adl\")");
    }

    #[test]
    fn a_passage_document_reads_back_as_a_hit() {
        let doc = serde_json::json!({
            "path": "a.txt", "article": "a.txt", "heading": "T", "passage": 2,
            "text": "Vaez spoke", "start": 10, "ents": "p0 4\tAli Vaez\n"
        });
        let hit = hit_from(&doc).unwrap();
        assert_eq!((hit.passage, hit.start, hit.end), (2, 10, 20));
        assert_eq!(hit.person, ["Ali Vaez"]);
        assert_eq!(hit.date, None);
        let bad = serde_json::json!({"text": "x", "ents": "zz"});
        assert!(hit_from(&bad).is_err());
    }
}
