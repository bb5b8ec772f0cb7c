//! The fast paths of issue 17 keep their promises.
//!
//! `mentions` streams its hits in corpus order (path, article id with numbers compared as
//! numbers, passage) although it no longer sorts loaded hits: the order now comes from the
//! index's columns and article dictionary. These tests build corpora whose index order
//! differs from corpus order — JSON Lines ids out of numeric order, files re-indexed into
//! later segments, two indexing threads — and check the listing against a sort of its own
//! lines. An index built with `--no-entities` is a plain full-text index: its name
//! look-ups match the exact text and say so, and a later run without the flag is refused
//! with the command to run. Imports the shared harness in `tests/util` only.

mod util;

use std::cmp::Ordering;

use serde_json::Value;
use util::Dir;

/// Orders article ids as newsdex's corpus order does: runs of digits compared as numbers.
fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let da: u64 = std::str::from_utf8(&a[..na]).unwrap().parse().unwrap();
                let db: u64 = std::str::from_utf8(&b[..nb]).unwrap().parse().unwrap();
                if da != db {
                    return da.cmp(&db);
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => {
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn key(hit: &Value) -> (String, String, u64) {
    (
        hit["path"].as_str().unwrap().to_string(),
        hit["article"].as_str().unwrap().to_string(),
        hit["passage"].as_u64().unwrap(),
    )
}

fn assert_corpus_order(hits: &[Value]) {
    let keys: Vec<_> = hits.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| natural(&a.1, &b.1))
            .then(a.2.cmp(&b.2))
    });
    assert_eq!(keys, sorted, "hits are not in corpus order");
    let mut unique = keys.clone();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "a passage is listed twice");
}

/// A JSON Lines file whose ids run 30, 29, …, 1 (and some lines with no id, `#L<n>`), each
/// article of three passages, two of which name the town.
fn write_wires(dir: &Dir, rel: &str, articles: usize) {
    let mut lines = String::new();
    for i in 0..articles {
        let id = articles - i;
        let text = format!(
            "Floods reached Ostrava on day {id}.\n\nThe river rose overnight.\n\nOstrava's mayor spoke of {id} streets."
        );
        let line = if id.is_multiple_of(7) {
            serde_json::json!({ "title": format!("Wire {id}"), "text": text })
        } else {
            serde_json::json!({ "id": id.to_string(), "title": format!("Wire {id}"), "text": text })
        };
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    dir.write(rel, lines);
}

#[test]
fn mentions_come_out_in_corpus_order_across_articles_and_segments() {
    let dir = Dir::new();
    write_wires(&dir, "wires.jsonl", 30);
    write_wires(&dir, "b/more.jsonl", 12);
    for i in 0..12 {
        dir.write(
            &format!("notes/{i}.txt"),
            format!("Note {i}\n\nOstrava again.\n\nNothing here.\n\nOstrava, once more."),
        );
    }
    let corpus = dir.corpus();
    let corpus = corpus.to_str().unwrap();
    let run = dir.run(&["index", "-q", "--threads", "2", "--corpus", corpus]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // re-indexed files land in a later segment than the ones around them
    write_wires(&dir, "b/more.jsonl", 13);
    dir.write(
        "notes/1.txt",
        "Note 1\n\nOstrava changed.\n\nOstrava twice.",
    );
    let run = dir.run(&["index", "-q", "--threads", "2", "--corpus", corpus]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    for args in [
        &["mentions", "--json", "Ostrava"][..],
        &["mentions", "--json", "--exact", "Ostrava"][..],
    ] {
        let run = dir.run(args);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let hits = run.json_lines();
        // 30 + 13 articles of two matching passages, 11 notes of two and the changed one of two
        assert_eq!(hits.len(), 2 * (30 + 13) + 2 * 12, "{args:?}");
        assert_corpus_order(&hits);
        let articles = 30 + 13 + 12;
        assert!(
            run.stderr().starts_with(&format!(
                "{} passages in {articles} articles mention \"Ostrava\"",
                hits.len()
            )),
            "{}",
            run.stderr()
        );
        let mut count_args = args.to_vec();
        count_args[1] = "--count";
        let count = dir.run(&count_args);
        assert_eq!(count.stdout().trim(), hits.len().to_string());
    }
}

#[test]
fn text_listing_has_the_same_order_as_json() {
    let dir = Dir::new();
    write_wires(&dir, "w.jsonl", 25);
    dir.index_ok();
    let json = dir.run(&["mentions", "--json", "Ostrava"]);
    let text = dir.run(&["mentions", "Ostrava"]);
    let headings: Vec<String> = text
        .stdout()
        .lines()
        .filter(|l| l.starts_with("w.jsonl #"))
        .map(|l| l.split("  ").next().unwrap().to_string())
        .collect();
    let expected: Vec<String> = json
        .json_lines()
        .iter()
        .map(|h| {
            format!(
                "{} #{} [{}]",
                h["path"].as_str().unwrap(),
                h["passage"],
                h["article"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(headings, expected);
    assert_corpus_order(&json.json_lines());
}

#[test]
fn a_plain_index_matches_exact_text_and_is_not_mixed() {
    let dir = Dir::new();
    dir.write(
        "a.txt",
        "Talks\n\nMuammar Gaddafi spoke in Tripoli.\n\nMoammar Kadhafi left.\n\nGaddafi returned.",
    );
    let corpus = dir.corpus();
    let corpus = corpus.to_str().unwrap();
    let run = dir.run(&["index", "-q", "--no-entities", "--corpus", corpus]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    // no other spellings and no entities: "Moammar Kadhafi" is not found
    let run = dir.run(&["mentions", "--json", "Muammar Gaddafi"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let passages: Vec<u64> = run
        .json_lines()
        .iter()
        .map(|h| h["passage"].as_u64().unwrap())
        .collect();
    assert_eq!(passages, [1]);
    assert_eq!(
        run.stderr().matches("built with --no-entities").count(),
        1,
        "{}",
        run.stderr()
    );
    let run = dir.run(&["search", "--json", "--person", "Gaddafi"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.json_lines().len(), 2);
    assert!(run.stderr().contains("exact text"), "{}", run.stderr());
    let run = dir.run(&["search", "--json", "person:Kadhafi"]);
    assert_eq!(run.json_lines().len(), 1, "{}", run.stderr());

    // the index says how it was built: a run with entities is refused and told what to run
    let run = dir.run(&["index", "-q", "--corpus", corpus]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("newsdex index --rebuild"),
        "{}",
        run.stderr()
    );
    let run = dir.run(&["index", "-q", "--no-entities", "--corpus", corpus]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let run = dir.run(&["index", "-q", "--rebuild", "--corpus", corpus]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let run = dir.run(&["mentions", "--json", "Muammar Gaddafi"]);
    assert!(run.json_lines().len() >= 2, "{}", run.stdout());
    assert!(!run.stderr().contains("--no-entities"), "{}", run.stderr());
    let run = dir.run(&["index", "-q", "--no-entities", "--corpus", corpus]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("--rebuild --no-entities"),
        "{}",
        run.stderr()
    );
}

/// The server spells facet names from a cache of each segment's key columns; the counts
/// must be those read straight from the columns, also after a commit adds a segment and a
/// merge may have removed others.
#[test]
fn facet_names_from_the_cache_equal_the_columns() {
    use newsdex::search::facets::{search_with_facets, NameCache};
    let dir = Dir::new();
    let story = |town: &str, who: &str| {
        format!(
            "Talks in {town}\n\nThe minister Angela Merkel met {who} in {town} on Monday.\n\n\
             {who} said the Red Cross and the United Nations would help {town}."
        )
    };
    dir.write("a.txt", story("Berlin", "Emmanuel Macron"));
    dir.write("b.txt", story("Paris", "Boris Johnson"));
    dir.index_ok();
    let cache = NameCache::default();
    let facets = |cache: Option<&NameCache>| {
        let idx = newsdex::index::open(&dir.index()).unwrap();
        let query = newsdex::search::parse_query(&idx, "minister OR said").unwrap();
        search_with_facets(&idx, query.as_ref(), 0, 5, 100, cache)
            .unwrap()
            .names
    };
    let first = facets(None);
    assert!(
        first.iter().any(|names| !names.is_empty()),
        "the window names somebody: {first:?}"
    );
    assert_eq!(facets(Some(&cache)), first);
    assert_eq!(facets(Some(&cache)), first, "a second look from the cache");
    dir.write("c.txt", story("Madrid", "Pedro Sanchez"));
    dir.index_ok();
    let second = facets(None);
    assert_ne!(second, first, "the new article adds names");
    assert_eq!(facets(Some(&cache)), second);
}

/// A server's entity filter finds names through its cache's word index of the key columns
/// instead of a phrase in the entity field: for every name of the corpus, its words alone
/// and a word of it, each filter must give the very hits of the phrase, in the same order
/// and with the same words marked, alone and under a query.
#[test]
fn cached_entity_filters_equal_the_phrase_filters() {
    use newsdex::entities::EntityKind;
    use newsdex::search::facets::NameCache;
    let dir = Dir::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in std::fs::read_dir(&repo).unwrap() {
        let path = entry.unwrap().path();
        dir.write(
            path.file_name().unwrap().to_str().unwrap(),
            std::fs::read(&path).unwrap(),
        );
    }
    // a name inside a longer one: the phrase finds "Federal Reserve" in "Federal Reserve Board"
    dir.write(
        "fed.txt",
        "Rates\n\nThe Federal Reserve Board met in Washington. Jerome Powell spoke.\n\n\
         Later the Federal Reserve said that Jerome Powell and the Bank of England agreed.",
    );
    dir.index_ok();
    let listing = dir.run(&["entities", "--json", "--limit", "0"]);
    assert_eq!(listing.code(), 0, "{}", listing.stderr());
    let idx = newsdex::index::open(&dir.index()).unwrap();
    let cache = std::sync::Arc::new(NameCache::default());
    let hits = |filters: &[(EntityKind, String)], q: Option<&str>, cache| {
        let parsed = q.map(|q| newsdex::search::parse_query(&idx, q).unwrap());
        let query = newsdex::search::with_filters(&idx, parsed, filters, cache).unwrap();
        newsdex::search::search(&idx, query.as_ref(), 10_000)
            .unwrap()
            .into_iter()
            .map(|h| {
                let score = h.score.map(|s| (s * 1e4).round() as i64);
                (h.path, h.passage, score, h.highlights)
            })
            .collect::<Vec<_>>()
    };
    let mut checked = 0;
    let mut found_more = false;
    for entity in listing.json_lines() {
        let name = entity["name"].as_str().unwrap().to_string();
        let kind = match entity["type"].as_str().unwrap() {
            "person" => EntityKind::Person,
            "place" => EntityKind::Place,
            _ => EntityKind::Org,
        };
        let last = name.split_whitespace().last().unwrap().to_string();
        for n in [name.clone(), last] {
            let filters = [(kind, n.clone())];
            for q in [None, Some("the OR said")] {
                let plain = hits(&filters, q, None);
                assert!(
                    q.is_some() || !plain.is_empty(),
                    "{n:?} finds its own passages"
                );
                // filters alone do not rank: every passage scores 1
                assert!(q.is_some() || plain.iter().all(|h| h.2 == Some(10_000)));
                assert_eq!(
                    hits(&filters, q, Some(&cache)),
                    plain,
                    "{kind:?} {n:?} under {q:?}"
                );
                checked += 1;
            }
        }
        if name == "Federal Reserve" {
            let filters = [(kind, name.clone())];
            found_more = hits(&filters, None, Some(&cache)).len() >= 2;
        }
    }
    assert!(checked >= 40, "the corpus names enough entities: {checked}");
    assert!(
        found_more,
        "the Federal Reserve filter also finds the Federal Reserve Board"
    );
}
