//! The gazetteer as the recogniser uses it, end to end: invented sentences through `ner`
//! with the gazetteer on and off, and the seed story at index time (skipped without
//! ../shared). What the gazetteer's data and rules do alone is unit-tested in
//! src/entities/gazetteer.rs.

mod util;

use std::collections::BTreeSet;

use newsdex::entities::recognize::ModelRecognizer;
use newsdex::ner::shipped_model;
use util::Dir;

/// Invented news text: a listed group the tagger misses, one it calls a place, one it calls
/// a person, and three multi-word places it splits.
const TEXT: &str = "Gunmen loyal to the so-called ISIS and fighters of the Houthis were \
blamed for the attack in Sistan and Baluchestan on Monday.\n\nHezbollah condemned the strike, \
and officials in Bosnia and Herzegovina and in Trinidad and Tobago called for calm.\n";

/// `newsdex ner --json` on TEXT as (type, text) pairs, with `NEWSDEX_GAZETTEER` set.
fn ner(sources: &str) -> Vec<(String, String)> {
    let d = Dir::new();
    d.write("story.txt", TEXT);
    let file = d.corpus().join("story.txt");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(["ner", "--json", file.to_str().unwrap()])
        .env("NEWSDEX_GAZETTEER", sources)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["type"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(t, n)| (t.to_string(), n.to_string()))
        .collect()
}

#[test]
fn listed_groups_are_organisations_and_places_stay_whole() {
    assert_eq!(
        ner("all"),
        pairs(&[
            ("org", "ISIS"),
            ("org", "Houthis"),
            ("place", "Sistan and Baluchestan"),
            ("org", "Hezbollah"),
            ("place", "Bosnia and Herzegovina"),
            ("place", "Trinidad and Tobago"),
        ])
    );
}

#[test]
fn without_the_gazetteer_the_tagger_alone_splits_and_mistypes() {
    let got = ner("none");
    for whole in [
        "Sistan and Baluchestan",
        "Bosnia and Herzegovina",
        "Trinidad and Tobago",
    ] {
        assert!(!got.iter().any(|(_, n)| n == whole), "{whole}: {got:?}");
    }
    assert!(
        !got.contains(&("org".into(), "Hezbollah".into())),
        "{got:?}"
    );
    // each source does its part
    let iso = ner("iso");
    assert!(iso.contains(&("place".into(), "Bosnia and Herzegovina".into())));
    assert!(!iso.iter().any(|(_, n)| n == "Sistan and Baluchestan"));
    let geonames = ner("geonames");
    assert!(geonames.contains(&("place".into(), "Sistan and Baluchestan".into())));
    let wordnet = ner("wordnet");
    assert!(wordnet.contains(&("org".into(), "Hezbollah".into())));
}

/// The (type, text) of each name `ner --json` finds in `file` with the gazetteer
/// sources `sources` (`NEWSDEX_GAZETTEER`).
fn typed_names(file: &std::path::Path, sources: &str) -> Vec<(String, String)> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(["ner", "--json", file.to_str().unwrap()])
        .env("NEWSDEX_GAZETTEER", sources)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let field = |k: &str| v[k].as_str().unwrap().to_string();
            (field("type"), field("text"))
        })
        .collect()
}

/// Each of `names` is found, and found only as an organisation.
fn assert_only_orgs(sources: &str, got: &[(String, String)], names: &[&str]) {
    for &name in names {
        assert!(
            got.contains(&("org".into(), name.into())),
            "{sources}: {name}: {got:?}"
        );
        assert!(
            !got.iter().any(|(k, n)| n == name && k != "org"),
            "{sources}: {name}: {got:?}"
        );
    }
}

/// Invented text naming broadcasters: the media source types them, on its own too.
#[test]
fn news_broadcasters_are_organisations_with_the_media_source() {
    const TEXT: &str = "The minister told Al Jazeera English on Sunday that talks would \
resume.\n\nSpeaking to Deutsche Welle later, he repeated that Al Jazeera had misquoted him.\n";
    let d = Dir::new();
    d.write("broadcasters.txt", TEXT);
    let file = d.corpus().join("broadcasters.txt");
    let run = |sources: &str| typed_names(&file, sources);
    for sources in ["all", "media"] {
        let got = run(sources);
        assert_only_orgs(
            sources,
            &got,
            &["Al Jazeera English", "Deutsche Welle", "Al Jazeera"],
        );
    }
    let without = run("wordnet,iso,geonames,designations");
    assert!(
        !without.contains(&("org".into(), "Al Jazeera English".into())),
        "the tagger alone does not know it: {without:?}"
    );
}

/// The seed story at index time: every gold organisation is stored as one (the armed
/// groups and the broadcaster), and the province written whole is one place.
#[test]
fn seed_story_groups_are_organisations_and_the_province_is_whole() {
    let Some(seeds) = util::seeds_dir() else {
        eprintln!("skipped: ../shared/seeds is absent");
        return;
    };
    let gold = util::labels("seed-entities.tsv");
    let recognizer = ModelRecognizer::new(shipped_model().expect("a shipped model"));
    for file in &newsdex::corpus::walk(&seeds, None).unwrap().files {
        let (_, content) = newsdex::corpus::read_file(file).unwrap();
        let key = file.rel[..3].to_string();
        let Some(want) = gold.get(&key) else { continue };
        let mut stored: BTreeSet<(String, String)> = BTreeSet::new();
        for article in &content.articles {
            for m in recognizer.mentions(article) {
                let text = article.text[m.start..m.end].to_string();
                stored.insert((m.kind.field_name().to_string(), text));
            }
        }
        // every gold organisation, Al Jazeera (the media source's) included
        let orgs = want.iter().filter(|(k, _)| k == "org");
        for (kind, name) in orgs {
            for (other, n) in &stored {
                assert!(
                    !(n == name && other != kind),
                    "{key}: {name:?} stored as {other}, not {kind}"
                );
            }
        }
        let whole = ("place".to_string(), "Sistan and Baluchestan".to_string());
        if want.contains(&whole) {
            assert!(stored.contains(&whole), "{key}: {stored:?}");
            assert!(!stored.contains(&("place".into(), "Sistan".into())));
        }
    }
}

/// Invented text naming companies the tagger mistypes alone: ANNIE's lists type them.
#[test]
fn listed_companies_are_organisations_with_the_annie_source() {
    const TEXT: &str = "Shares of Gazprom rose on Tuesday, and El Al said it would sell \
a stake to Petofi.\n\nA spokesman for Johnson Controls declined to comment.\n";
    let d = Dir::new();
    d.write("companies.txt", TEXT);
    let file = d.corpus().join("companies.txt");
    let run = |sources: &str| typed_names(&file, sources);
    for sources in ["all", "annie"] {
        let got = run(sources);
        assert_only_orgs(
            sources,
            &got,
            &["Gazprom", "El Al", "Petofi", "Johnson Controls"],
        );
    }
    let without = run("wordnet,iso,geonames,designations,media");
    assert!(
        !without.contains(&("org".into(), "Johnson Controls".into())),
        "the tagger alone takes it for a person: {without:?}"
    );
}
