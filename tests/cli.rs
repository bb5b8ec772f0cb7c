//! End-to-end tests: the real binary on temp corpora.

mod util;

use serde_json::Value;
use util::{counts, seeds_dir, Dir};

const STRIKES: &str = "Border strikes\n\nIran struck Jaish al-Adl positions in Pakistan.\n\nAli Vaez of the International Crisis Group called it reckless.\n";
const DAVOS: &str =
    "Kakar leaves Davos\n\nAnwaar-ul-Haq Kakar left the World Economic Forum early.\n";

fn texts(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect()
}

fn paths(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn index_then_search_returns_highlighted_passages() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.write("b.txt", DAVOS);
    let summary = d.index_ok();
    assert_eq!(counts(&summary), (2, 0, 0, 0));
    assert_eq!(summary["total_passages"], 5);

    let run = d.run(&["search", "reckless", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let hits = run.json_lines();
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit["path"], "a.txt");
    assert_eq!(hit["title"], "Border strikes");
    assert_eq!(hit["passage"], 2);
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    let text = hit["text"].as_str().unwrap();
    let [s, e] = [
        hit["highlights"][0][0].as_u64().unwrap(),
        hit["highlights"][0][1].as_u64().unwrap(),
    ];
    assert_eq!(&text[s as usize..e as usize], "reckless");
    for key in ["person", "place", "org"] {
        assert!(hit[key].is_array(), "{key} missing");
    }
    // the passage's offsets point into the article
    let (start, end) = (
        hit["start"].as_u64().unwrap() as usize,
        hit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&STRIKES[start..end], text);
}

#[test]
fn human_output_marks_matches_without_colour() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    let run = d.run(&["search", "\"crisis group\""]);
    assert_eq!(run.code(), 0);
    assert!(
        run.stdout()
            .contains("International **Crisis Group** called"),
        "{}",
        run.stdout()
    );
    assert!(!run.stdout().contains('\x1b'));
}

#[test]
fn phrases_match_across_hyphens_and_apostrophes() {
    let d = Dir::new();
    d.write(
        "a.txt",
        "T\n\nThe group Jaish al Adl denied it.\n\nPakistan’s army replied.\n",
    );
    d.index_ok();
    let hits = d
        .run(&["search", "\"Jaish al-Adl\"", "--json"])
        .json_lines();
    assert_eq!(texts(&hits), ["The group Jaish al Adl denied it."]);
    let hits = d
        .run(&["search", "\"Pakistan's army\"", "--json"])
        .json_lines();
    assert_eq!(texts(&hits), ["Pakistan’s army replied."]);
}

#[test]
fn nothing_found_exits_1() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    let run = d.run(&["search", "zebra"]);
    assert_eq!(run.code(), 1);
    assert_eq!(run.stdout(), "");
    assert_eq!(d.run(&["mentions", "Zebra Crossing"]).code(), 1);
}

#[test]
fn mentions_returns_every_passage_in_corpus_order() {
    let d = Dir::new();
    // more passages than any default top-k, spread over files and JSON lines
    let mut long = String::from("Many mentions\n\n");
    for i in 0..30 {
        long.push_str(&format!("Paragraph {i} names Jaish al-Adl once.\n\n"));
    }
    d.write("b.txt", &long);
    d.write(
        "a.jsonl",
        "{\"text\":\"no match here\"}\n{\"text\":\"JAISH AL-ADL again\"}\n",
    );
    d.write("c.txt", "Other\n\nJaish alone, and al-Adl alone.\n");
    d.index_ok();
    let run = d.run(&["mentions", "Jaish al-Adl", "--json"]);
    assert_eq!(run.code(), 0);
    let hits = run.json_lines();
    assert_eq!(hits.len(), 31);
    assert_eq!(hits[0]["path"], "a.jsonl");
    assert_eq!(hits[0]["article"], "a.jsonl#L2");
    let passages: Vec<u64> = hits[1..]
        .iter()
        .map(|h| h["passage"].as_u64().unwrap())
        .collect();
    assert_eq!(passages, (1..=30).collect::<Vec<_>>());
    assert!(hits.iter().all(|h| h["score"].is_null()));
    let count = d.run(&["mentions", "Jaish al-Adl", "--exact", "--count"]);
    assert_eq!(count.stdout().trim(), "31");
    assert_eq!(
        d.run(&["mentions", "Jaish al-Adl", "-c"]).stdout().trim(),
        "31"
    );
    assert!(
        run.stderr().contains("31 passages in 2 articles"),
        "{}",
        run.stderr()
    );
}

#[test]
fn reindex_touches_only_what_changed() {
    let d = Dir::new();
    d.write("keep.txt", STRIKES);
    d.write("edit.txt", DAVOS);
    d.write("gone.txt", "Gone\n\nA passage about Tripoli.\n");
    assert_eq!(counts(&d.index_ok()), (3, 0, 0, 0));

    d.write(
        "edit.txt",
        "Kakar returns\n\nThe premier chaired the National Security Council.\n",
    );
    d.remove("gone.txt");
    d.write("new.md", "# Libya\n\nCrowds gathered in Misrata.\n");
    let summary = d.index_ok();
    assert_eq!(counts(&summary), (1, 1, 1, 1));
    assert_eq!(summary["passages"], 4); // edit.txt 2 + new.md 2
    assert_eq!(summary["total_passages"], 7); // keep.txt 3 + 4

    assert_eq!(
        d.run(&["search", "Davos"]).code(),
        1,
        "old text of edit.txt must be gone"
    );
    assert_eq!(
        d.run(&["search", "Tripoli"]).code(),
        1,
        "removed file must be gone"
    );
    assert_eq!(
        paths(&d.run(&["search", "Misrata", "--json"]).json_lines()),
        ["new.md"]
    );
    assert_eq!(
        paths(&d.run(&["search", "Security", "--json"]).json_lines()),
        ["edit.txt"]
    );

    d.write("empty.txt", "");
    let again = d.index_ok();
    assert_eq!(counts(&again), (0, 0, 0, 3));
    assert_eq!(again["committed"], false, "an empty file is no change");
    assert_eq!(
        again["bytes_read"], 0,
        "unchanged files must not be re-read"
    );
}

#[test]
fn touched_but_identical_file_is_not_reindexed() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    d.write("a.txt", STRIKES); // same bytes, new mtime
    let summary = d.index_ok();
    assert_eq!(counts(&summary), (0, 0, 0, 1));
    assert_eq!(summary["committed"], false);
}

#[test]
fn bad_inputs_are_reported_and_the_rest_indexed() {
    let d = Dir::new();
    d.write("good.txt", STRIKES);
    d.write(
        "latin1.txt",
        b"Caf\xe9 talks\n\nThe caf\xe9 in Quetta reopened.\n".as_slice(),
    );
    d.write("wire.jsonl", "{\"text\":\"Line one about Zahedan.\"}\n{not json\n{\"text\":\"Line three about Zahedan.\"}\n");
    d.write("empty.txt", "");
    d.write("junk.txt", [0u8, 159, 146, 150, 0, 1, 2].as_slice());
    d.write("bad.json", "{\"title\": \"no body\"}");
    let run = d.run(&["index", "--json", "--corpus", d.corpus().to_str().unwrap()]);
    let err = run.stderr();
    assert_eq!(run.code(), 2, "a failed file makes the run exit 2: {err}");
    assert!(err.contains("latin1.txt: not valid UTF-8"), "{err}");
    assert!(err.contains("wire.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("empty.txt: no text"), "{err}");
    assert!(err.contains("junk.txt: looks binary"), "{err}");
    assert!(
        err.contains("bad.json: article has no `text` or `body`"),
        "{err}"
    );
    let summary = &run.json_lines()[0];
    assert_eq!(summary["added"], 3);
    assert_eq!(summary["empty"], 1);
    assert_eq!(summary["failed"], 2);

    let hits = d.run(&["search", "café Quetta", "--json"]).json_lines();
    assert_eq!(texts(&hits), ["The café in Quetta reopened."]);
    assert_eq!(
        d.run(&["mentions", "Zahedan", "--json"]).json_lines().len(),
        2
    );
    assert_eq!(d.run(&["search", "reckless"]).code(), 0);
}

#[test]
fn unreadable_file_keeps_its_indexed_passages() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    let path = d.corpus().join("a.txt");
    d.write("a.txt", STRIKES.replace("reckless", "careless"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as a user who can read anything (root): nothing to test
    }
    let run = d.run(&["index", "--corpus", d.corpus().to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("a.txt: cannot read"),
        "{}",
        run.stderr()
    );
    assert_eq!(d.run(&["search", "reckless"]).code(), 0);
}

#[test]
fn stats_accounts_for_the_index_and_the_corpus() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.write("b.txt", DAVOS);
    d.index_ok();
    let run = d.run(&["stats", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = &run.json_lines()[0];
    assert_eq!(s["passages"], 5);
    assert_eq!(s["files"], 2);
    assert_eq!(
        s["corpus_bytes"].as_u64().unwrap(),
        (STRIKES.len() + DAVOS.len()) as u64
    );
    let fields = s["fields"].as_array().unwrap();
    let field = |name: &str| fields.iter().find(|f| f["field"] == name).unwrap();
    // passage text is searched by phrase and ranked: positions and norms
    assert!(field("text")["positions"].as_u64().unwrap() > 0);
    assert!(field("text")["norms"].as_u64().unwrap() > 0);
    // the segments' bytes are the fields', the store's and tantivy's own bookkeeping
    let parts: u64 = fields
        .iter()
        .flat_map(|f| ["terms", "postings", "positions", "fast", "norms"].map(|k| &f[k]))
        .map(|v| v.as_u64().unwrap())
        .sum::<u64>()
        + s["stored"].as_u64().unwrap();
    let total = s["index_bytes"].as_u64().unwrap();
    assert!(parts > 0 && parts <= total, "{parts} of {total}");

    let table = d.run(&["stats"]).stdout();
    assert!(table.contains("5 passages from 2 files"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("text ")), "{table}");
}

#[test]
fn missing_index_and_corpus_are_clear_errors() {
    let d = Dir::new();
    let run = d.run(&["search", "x"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("no index at"), "{}", run.stderr());
    assert!(run.stderr().contains("run `newsdex index` first"));

    let run = d.run(&["index", "--corpus", "/no/such/corpus"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("/no/such/corpus"), "{}", run.stderr());
}

#[test]
fn corrupt_index_is_reported_and_rebuild_recovers() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    std::fs::write(d.index().join("meta.json"), "{ not json").unwrap();
    let run = d.run(&["search", "reckless"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("corrupt"), "{}", run.stderr());
    assert!(run.stderr().contains("--rebuild"), "{}", run.stderr());
    assert_eq!(
        d.run(&["index", "--corpus", d.corpus().to_str().unwrap()])
            .code(),
        2
    );

    let run = d.run(&[
        "index",
        "--rebuild",
        "--corpus",
        d.corpus().to_str().unwrap(),
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(d.run(&["search", "reckless"]).code(), 0);
}

#[test]
fn schema_version_mismatch_asks_for_rebuild() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    let meta_path = d.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let mut v: Value = serde_json::from_str(&meta).unwrap();
    v["payload"] = Value::String("{\"newsdex_schema\":0}".into());
    std::fs::write(&meta_path, v.to_string()).unwrap();
    let run = d.run(&["search", "reckless"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("schema version 0"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("newsdex index --rebuild"));
}

#[test]
fn query_errors_exit_2_with_a_message() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    for (query, expect) in [
        ("nosuchfield:x", "no field `nosuchfield`"),
        ("(Iran AND", "cannot parse query"),
        ("", "the query is empty"),
    ] {
        let run = d.run(&["search", query]);
        assert_eq!(run.code(), 2, "{query}");
        assert!(run.stderr().contains(expect), "{query}: {}", run.stderr());
        assert!(!run.stderr().contains("panicked"), "{query}");
    }
    let run = d.run(&["mentions", "!! ?"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("no letters or digits"));
}

#[test]
fn second_indexer_is_refused() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    let idx = newsdex::index::open(&d.index()).unwrap();
    let _writer: tantivy::IndexWriter = idx.index.writer(50_000_000).unwrap();
    let run = d.run(&["index", "--corpus", d.corpus().to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("another newsdex is already indexing"),
        "{}",
        run.stderr()
    );
    // searching while a writer holds the lock still works
    assert_eq!(d.run(&["search", "reckless"]).code(), 0);
}

#[test]
fn index_env_var_and_default_folder() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    // defaults: corpus/ and index/ in the working directory
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .current_dir(&d.root)
        .env_remove("NEWSDEX_INDEX")
        .args(["index", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(d.root.join("index/meta.json").is_file());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .env("NEWSDEX_INDEX", d.index())
        .args(["search", "reckless", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn quiet_index_prints_nothing() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    let run = d.run(&["index", "--quiet", "--corpus", d.corpus().to_str().unwrap()]);
    assert_eq!(run.code(), 0);
    assert_eq!(run.stderr(), "");
    assert_eq!(run.stdout(), "");
}

#[test]
fn every_format_in_the_sample_corpus_is_read() {
    let d = Dir::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let run = d.run(&["index", "--json", "--corpus", sample.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.json_lines()[0]["warnings"], 0);
    let hits = d.run(&["mentions", "Jaish al-Adl", "--json"]).json_lines();
    let mut got = paths(&hits);
    got.dedup();
    assert_eq!(
        got,
        [
            "iran-pakistan-strikes.txt",
            "iran-pakistan-translated.md",
            "wires.jsonl"
        ]
    );
    for (query, path) in [
        ("Federation", "crisis-group-profile.html"),
        ("\"South Asian trade\"", "davos-briefing.json"),
    ] {
        assert_eq!(
            paths(&d.run(&["search", query, "--json"]).json_lines()),
            [path],
            "{query}"
        );
    }
    // scripts are not text
    assert_eq!(d.run(&["search", "analytics"]).code(), 1);
    // the README's first command: a phrase in the passage, a word in the article's title
    let readme = d.run(&["search", "\"Jaish al-Adl\" strikes", "--json"]);
    assert_eq!(readme.code(), 0, "{}", readme.stderr());
    assert!(!readme.json_lines().is_empty());
}

#[test]
fn seed_story_mentions_jaish_al_adl_twice() {
    let Some(seeds) = seeds_dir() else {
        eprintln!("skipped: ../shared/seeds is absent");
        return;
    };
    let d = Dir::new();
    let run = d.run(&["index", "--corpus", seeds.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let hits = d.run(&["mentions", "Jaish al-Adl", "--json"]).json_lines();
    assert_eq!(hits.len(), 2);
    assert_ne!(hits[0]["path"], hits[1]["path"], "one from each version");
    for hit in &hits {
        let text = hit["text"].as_str().unwrap();
        let [s, e] = [
            hit["highlights"][0][0].as_u64().unwrap() as usize,
            hit["highlights"][0][1].as_u64().unwrap() as usize,
        ];
        assert_eq!(&text[s..e], "Jaish al-Adl");
    }
}

#[test]
fn symlink_loops_and_huge_lines_are_handled() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    std::os::unix::fs::symlink(d.corpus(), d.corpus().join("loop")).unwrap();
    std::os::unix::fs::symlink(d.corpus().join("a.txt"), d.corpus().join("link.txt")).unwrap();
    // one 3 MB line with no sentence ends: passages stay capped
    d.write("huge.txt", format!("Huge\n\n{}", "word ".repeat(600_000)));
    let summary = d.index_ok_with(&["--no-entities"]);
    assert_eq!(summary["added"], 2, "symlinks are not followed");
    assert!(summary["passages"].as_u64().unwrap() >= 1500);
    let hits = d
        .run(&["search", "word", "--json", "--limit", "3"])
        .json_lines();
    assert!(hits
        .iter()
        .all(|h| h["text"].as_str().unwrap().len() <= 2000));
}

#[test]
fn a_killed_indexers_leftovers_are_cleared() {
    let d = Dir::new();
    d.write("a.txt", STRIKES);
    d.index_ok();
    // what a run killed mid-commit leaves: its marker, a deletion file for a live segment
    // at an opstamp no commit recorded, and a segment no commit knows
    let live = std::fs::read_dir(d.index())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.ends_with(".idx"))
        .unwrap();
    let stray_del = d.index().join(format!("{}.999.del", &live[..32]));
    let stray_segment = d.index().join("0123456789abcdef0123456789abcdef.idx");
    std::fs::write(&stray_del, b"junk").unwrap();
    std::fs::write(&stray_segment, b"junk").unwrap();
    std::fs::write(d.index().join(".newsdex-writing"), "4242").unwrap();
    d.write("a.txt", DAVOS);
    let run = d.run(&["index", "--corpus", d.corpus().to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("process 4242) stopped without finishing"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("2 files removed"), "{}", run.stderr());
    assert!(!stray_del.exists() && !stray_segment.exists());
    assert_eq!(d.run(&["search", "Davos"]).code(), 0);
}

#[test]
fn a_first_line_that_is_a_paragraph_is_not_a_title() {
    let d = Dir::new();
    let para = "On Friday evening the foreign minister spoke to his counterpart. \"The two ministers \
                agreed to de-escalate,\" a statement read, after strikes on both sides of the border.";
    d.write(
        "wire.txt",
        format!("{para}\nLate on Tuesday, strikes hit the province.\n"),
    );
    d.write(
        "headed.txt",
        "Border strikes\n\nStrikes hit the province.\n",
    );
    d.index_ok();
    let hits = d.run(&["search", "strikes", "--json"]).json_lines();
    let title = |path: &str| {
        let hit = hits.iter().find(|h| h["path"] == path).unwrap();
        hit["title"].as_str().unwrap().to_string()
    };
    assert_eq!(title("wire.txt"), "");
    assert_eq!(title("headed.txt"), "Border strikes");
    // the human heading is the path alone, not the paragraph again
    let out = d.run(&["search", "province", "--color", "never"]).stdout();
    assert!(
        out.lines().any(|l| l.starts_with("wire.txt #1  (")),
        "{out}"
    );
}

/// `search --solr` says why ranked search stays local, instead of answering differently.
#[test]
fn search_on_solr_says_it_is_not_offered() {
    let d = Dir::new();
    d.write("a.txt", "Title\n\nSome text.\n");
    d.index_ok();
    let run = d.run(&["search", "text", "--solr", "http://127.0.0.1:9"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("not offered"), "{}", run.stderr());
    assert!(run.stderr().contains("mentions --solr"), "{}", run.stderr());
}
