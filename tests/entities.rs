//! Entity recognition end to end: the sample corpus's labelled entities, filters, listings, CoNLL.

mod util;

use std::collections::BTreeSet;
use std::path::Path;

use newsdex::entities::recognize::ModelRecognizer;
use newsdex::ner::shipped_model;
use util::Dir;

fn sample_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn indexed_sample() -> Dir {
    let d = Dir::new();
    let run = d.run(&["index", "--corpus", sample_corpus().to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    d
}

fn hit_ids(d: &Dir, args: &[&str]) -> BTreeSet<String> {
    let mut all = args.to_vec();
    all.extend(["--json", "--limit", "100"]);
    d.run(&all)
        .json_lines()
        .iter()
        .map(|h| format!("{} #{}", h["path"].as_str().unwrap(), h["passage"]))
        .collect()
}

#[test]
fn person_filter_finds_surname_only_passages() {
    let d = indexed_sample();
    let hits = hit_ids(&d, &["search", "--person", "Ali Vaez"]);
    // "Vaez argued that Iran had overreached…" names him by surname only
    assert!(hits.contains("iran-pakistan-strikes.txt #7"), "{hits:?}");
    assert!(hits.contains("crisis-group-profile.html #3"), "{hits:?}");
    assert!(hits.contains("iran-pakistan-strikes.txt #6"), "{hits:?}");
    // the query syntax says the same
    assert_eq!(hits, hit_ids(&d, &["search", "person:\"Ali Vaez\""]));
    // combined with words
    let narrowed = hit_ids(&d, &["search", "overreached", "--person", "Ali Vaez"]);
    assert_eq!(
        narrowed.into_iter().collect::<Vec<_>>(),
        ["iran-pakistan-strikes.txt #7"]
    );
}

#[test]
fn place_and_org_filters() {
    let d = indexed_sample();
    let davos = hit_ids(&d, &["search", "place:Davos"]);
    for id in [
        "davos-briefing.json #0",
        "iran-pakistan-strikes.txt #4",
        "iran-pakistan-translated.md #5",
    ] {
        assert!(davos.contains(id), "{id} not in {davos:?}");
    }
    let wef = hit_ids(&d, &["search", "--org", "World Economic Forum"]);
    assert!(wef.contains("davos-briefing.json #0"), "{wef:?}");
    assert!(wef.contains("iran-pakistan-translated.md #5"), "{wef:?}");
    // a filter excludes passages that only use the words otherwise
    let none = d.run(&["search", "--person", "Davos"]);
    assert_eq!(none.code(), 1);
}

#[test]
fn entities_lists_and_cooccurs() {
    let d = indexed_sample();
    let run = d.run(&["entities", "--type", "person", "--json", "-n", "0"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let list = run.json_lines();
    assert!(list.iter().all(|e| e["type"] == "person"));
    let vaez = list
        .iter()
        .find(|e| e["name"] == "Ali Vaez")
        .expect("Ali Vaez listed");
    assert!(vaez["passages"].as_u64().unwrap() >= 4);
    assert_eq!(vaez["articles"], 3, "Ali Vaez and Ali Fayez are one person");
    let variants = vaez["variants"].as_array().unwrap();
    assert!(variants.iter().any(|v| v == "Ali Fayez"), "{variants:?}");
    let counts: Vec<u64> = list
        .iter()
        .map(|e| e["passages"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first"
    );

    let run = d.run(&["entities", "--cooccur", "Anwaar-ul-Haq Kakar", "--json"]);
    let names: Vec<String> = run
        .json_lines()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"Davos".to_string()), "{names:?}");
    assert!(!names.contains(&"Anwaar-ul-Haq Kakar".to_string()));
}

/// Precision, recall and counts of the index-time recogniser on a labelled corpus: the
/// (type, name as written) pairs found per key (`key` names an article's group in the
/// labels file), printing every miss and extra.
fn score_recogniser(
    corpus: &Path,
    labels_file: &str,
    key: impl Fn(&newsdex::corpus::SourceFile, &newsdex::corpus::Article) -> String,
) -> (f64, f64, usize, usize, usize) {
    let gold = util::labels(labels_file);
    let recognizer = ModelRecognizer::new(shipped_model().expect("a shipped model"));
    let mut found = util::Forms::new();
    for file in &newsdex::corpus::walk(corpus, None).unwrap().files {
        let (_, content) = newsdex::corpus::read_file(file).unwrap();
        for article in &content.articles {
            let names = found.entry(key(file, article)).or_default();
            for m in recognizer.mentions(article) {
                names.insert((
                    m.kind.field_name().to_string(),
                    article.text[m.start..m.end].to_string(),
                ));
            }
        }
    }
    let all = util::score_forms(&gold, &found).all;
    (all.precision(), all.recall(), all.tp, all.fp, all.fn_)
}

/// Precision and recall of the recogniser on the hand-labelled sample corpus.
#[test]
fn labelled_sample_corpus_scores() {
    let (p, r, tp, fp, fn_) =
        score_recogniser(&sample_corpus(), "corpus-entities.tsv", |_, a| a.id.clone());
    eprintln!(
        "sample corpus: precision {p:.3}, recall {r:.3}, F1 {:.3} (tp {tp}, fp {fp}, fn {fn_})",
        2.0 * p * r / (p + r)
    );
    // floors about 0.02 under the figures measured with the gazetteer (0.944 / 0.971,
    // BENCHMARKS.md): a regression of the recogniser fails here
    assert!(p >= 0.92 && r >= 0.95, "precision {p:.3}, recall {r:.3}");
}

/// The seed story (a development set: the recogniser was built looking at it) against a
/// reader's list.
#[test]
fn seed_story_entities_out_of_domain() {
    let Some(seeds) = util::seeds_dir() else {
        eprintln!("skipped: ../shared/seeds is absent");
        return;
    };
    let (p, r, tp, fp, fn_) =
        score_recogniser(&seeds, "seed-entities.tsv", |f, _| f.rel[..3].to_string());
    eprintln!("seed story: precision {p:.3}, recall {r:.3} (tp {tp}, fp {fp}, fn {fn_})");
    // measured 0.947 / 1.000 with the gazetteer, its media source included (0.920 /
    // 0.972 without it: BENCHMARKS.md); floors about 0.02 under
    assert!(p >= 0.925 && r >= 0.98, "precision {p:.3}, recall {r:.3}");
}

/// The bare tagger's micro-F1 on CoNLL-2003: dev measured 0.9191, test 0.8691; the
/// floors are dev 0.90 and test 0.864 (issue 15: test may not fall more than 0.005).
#[test]
fn conll_micro_f1_floors() {
    for (file, floor) in [("dev.txt", 0.90), ("test.txt", 0.864)] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/conll2003")
            .join(file);
        if !path.is_file() {
            eprintln!("skipped: ../shared/data/conll2003 is absent");
            return;
        }
        let d = Dir::new();
        let run = d.run(&[
            "ner",
            "--conll",
            path.to_str().unwrap(),
            "--score",
            "--json",
        ]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let scores = &run.json_lines()[0];
        let f1 = scores["micro"]["f1"].as_f64().unwrap();
        assert!(f1 >= floor, "{file} micro-F1 {f1}");
    }
}

#[test]
fn ner_conll_appends_a_tag_to_every_line() {
    let d = Dir::new();
    let path = d.root.join("mini.conll");
    std::fs::write(
        &path,
        "-DOCSTART- -X- -X- O\n\nAli NNP B-NP B-PER\nVaez NNP I-NP I-PER\nspoke VBD B-VP O\n",
    )
    .unwrap();
    let run = d.run(&["ner", "--conll", path.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let lines: Vec<String> = run.stdout().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[2].starts_with("Ali NNP B-NP B-PER "), "{lines:?}");
    assert_eq!(lines[2].split(' ').count(), 5);
    assert!(lines[1].is_empty());

    let text = d.root.join("story.txt");
    std::fs::write(
        &text,
        "Ali Vaez of the International Crisis Group spoke in Brussels.",
    )
    .unwrap();
    let run = d.run(&["ner", text.to_str().unwrap(), "--json"]);
    let found = run.json_lines();
    let person = found
        .iter()
        .find(|e| e["type"] == "person")
        .expect("a person");
    assert_eq!(person["text"], "Ali Vaez");
    assert_eq!(
        (person["start"].as_u64(), person["end"].as_u64()),
        (Some(0), Some(8))
    );
}

/// Every (article, passage, type, start, end, recorded name) the index stores for the
/// corpus at `d`, with offsets into the article's text.
fn stored_mentions(d: &Dir) -> BTreeSet<(String, u64, String, u64, u64, String)> {
    use tantivy::schema::Value;
    let idx = newsdex::index::open(&d.index()).expect("the index opens");
    let f = idx.fields;
    let searcher = idx.searcher().expect("a searcher");
    let mut out = BTreeSet::new();
    for (seg, segment) in searcher.segment_readers().iter().enumerate() {
        for doc_id in segment.doc_ids_alive() {
            let doc: tantivy::TantivyDocument = searcher
                .doc(tantivy::DocAddress::new(seg as u32, doc_id))
                .expect("a stored passage");
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let (article, passage, start) = (text(f.article), number(f.passage), number(f.start));
            let mentions = newsdex::index::schema::decode_mentions(&text(f.text), &text(f.ents))
                .expect("stored mentions decode");
            for m in mentions {
                out.insert((
                    article.clone(),
                    passage,
                    m.kind.field_name().to_string(),
                    start + m.start as u64,
                    start + m.end as u64,
                    m.name,
                ));
            }
        }
    }
    out
}

/// `ner FILE` prints exactly what the index stores for that file (issue 15: one
/// recogniser, so what a user checks with `ner` is what the entity filters use).
#[test]
fn ner_file_prints_what_the_index_stores() {
    let d = indexed_sample();
    let mut printed = BTreeSet::new();
    for entry in std::fs::read_dir(sample_corpus()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let run = d.run_in(&sample_corpus(), &["ner", &name, "--json"]);
        for e in run.json_lines() {
            printed.insert((
                e["article"].as_str().unwrap().to_string(),
                e["passage"].as_u64().unwrap(),
                e["type"].as_str().unwrap().to_string(),
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
                e["name"].as_str().unwrap().to_string(),
            ));
        }
    }
    let stored = stored_mentions(&d);
    assert!(stored.len() > 50, "{} stored mentions", stored.len());
    assert_eq!(printed, stored);
}

/// The user's curation file (issue 15, item 4): each of its four statements changes
/// `entities`, the entity filters and `ner` at once, with no re-indexing.
#[test]
fn curation_file_retypes_rules_out_merges_and_separates() {
    let d = Dir::new();
    for entry in std::fs::read_dir(sample_corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), d.corpus().join(entry.file_name())).unwrap();
    }
    d.index_ok();
    let listed = |d: &Dir, kind: &str| -> BTreeSet<String> {
        d.run(&["entities", "--type", kind, "-n", "0", "--json"])
            .json_lines()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect()
    };
    // before: as the recogniser typed them
    assert!(listed(&d, "place").contains("Johns Hopkins"));
    assert!(listed(&d, "place").contains("South Asian"));
    assert_eq!(d.run(&["search", "--org", "Johns Hopkins"]).code(), 1);

    d.write(
        "newsdex.toml",
        "[retype]\n\"Johns Hopkins\" = \"org\"\n\n\
         [not_entity]\n\"South Asian\" = \"an adjective\"\n\n\
         [same]\n\"Crisis Group\" = [\"International Crisis Group\"]\n\n\
         [different]\n\"Ali Fayez\" = [\"Ali Vaez\"]\n",
    );
    // retype: listed, filtered and tagged as an organisation, no longer as a place
    assert!(listed(&d, "org").contains("Johns Hopkins"));
    assert!(!listed(&d, "place").contains("Johns Hopkins"));
    assert_eq!(d.run(&["search", "--org", "Johns Hopkins"]).code(), 0);
    assert_eq!(d.run(&["search", "--place", "Johns Hopkins"]).code(), 1);
    // not an entity: gone from the listing, the filter and ner
    assert!(!listed(&d, "place").contains("South Asian"));
    assert_eq!(d.run(&["search", "--place", "South Asian"]).code(), 1);
    let ner = d.run_in(&d.corpus(), &["ner", "davos-briefing.json", "--json"]);
    let names: Vec<String> = ner
        .json_lines()
        .iter()
        .map(|e| format!("{} {}", e["type"], e["text"]))
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("South Asian")),
        "{names:?}"
    );
    // same: one entity, and the filter finds passages naming either
    let orgs = d
        .run(&["entities", "--type", "org", "-n", "0", "--json"])
        .json_lines();
    let group = orgs
        .iter()
        .find(|e| e["name"] == "International Crisis Group" || e["name"] == "Crisis Group")
        .expect("the group is listed");
    let variants = group["variants"].to_string();
    assert!(variants.contains("Crisis Group"), "{group}");
    assert!(!orgs
        .iter()
        .any(|e| e["name"] == "Crisis Group" && e != group));
    let with = hit_ids(&d, &["search", "--org", "Crisis Group"]);
    let full = hit_ids(&d, &["search", "--org", "International Crisis Group"]);
    assert!(with.is_superset(&full), "{with:?} vs {full:?}");
    // different: two people, where their keys alone would make one
    let people = listed(&d, "person");
    assert!(
        people.contains("Ali Vaez") && people.contains("Ali Fayez"),
        "{people:?}"
    );

    // a malformed file names itself and the problem
    d.write(
        "newsdex.toml",
        "[retype]\n\"Al Jazeera\" = \"broadcaster\"\n",
    );
    let bad = d.run(&["entities"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("newsdex.toml"), "{}", bad.stderr());
    assert!(
        bad.stderr().contains("person, place, org"),
        "{}",
        bad.stderr()
    );
}
