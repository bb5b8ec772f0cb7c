//! `newsdex push`, `mentions --solr` and `entities --solr` against a real SolrCloud cluster.
//!
//! Needs the two-node test cluster (`tests/solr/cluster.sh start`, which `.ci/run` runs):
//! `NEWSDEX_SOLR_URL` holds its node URLs, comma-separated, and `NEWSDEX_SOLR_STATE` its
//! state folder (for stopping a node). Without them every test here prints why it skips.
//! Each test makes its own collection (2 shards × 2 replicas, from the configset the
//! launcher uploaded as `newsdex`) and deletes it; the tests take turns, since one of
//! them stops a node.

mod util;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{seeds_dir, Dir};

/// One test at a time on the cluster.
static CLUSTER: Mutex<()> = Mutex::new(());

/// The cluster's node URLs, or a printed reason to skip.
fn cluster() -> Option<String> {
    match std::env::var("NEWSDEX_SOLR_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped: NEWSDEX_SOLR_URL is not set (`tests/solr/cluster.sh start` starts a \
                 cluster and prints it; .ci/run does both)"
            );
            None
        }
    }
}

/// A collection of the test cluster, deleted when dropped.
struct Collection {
    url: String,
    name: String,
    agent: ureq::Agent,
}

impl Collection {
    fn create(url: &str, test: &str) -> Collection {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(180)))
            .build()
            .into();
        let c = Collection {
            url: url.to_string(),
            name: format!("t_{test}_{}", std::process::id()),
            agent,
        };
        let _ = c.admin(&[("action", "DELETE"), ("name", &c.name)]);
        c.admin(&[
            ("action", "CREATE"),
            ("name", &c.name),
            ("collection.configName", "newsdex"),
            ("numShards", "2"),
            ("replicationFactor", "2"),
            ("waitForFinalState", "true"),
        ])
        .expect("create a collection");
        c
    }

    fn node(&self) -> &str {
        self.url.split(',').next().unwrap()
    }

    fn admin(&self, params: &[(&str, &str)]) -> Result<Value, ureq::Error> {
        let req = self.agent.get(format!("{}/admin/collections", self.node()));
        let req = params.iter().fold(req, |r, (k, v)| r.query(*k, *v));
        let mut resp = req.query("wt", "json").call()?;
        Ok(serde_json::from_str(&resp.body_mut().read_to_string()?).unwrap())
    }

    fn select(&self, params: &[(&str, &str)]) -> Value {
        let req = self
            .agent
            .get(format!("{}/{}/select", self.node(), self.name));
        let req = params.iter().fold(req, |r, (k, v)| r.query(*k, *v));
        let mut resp = req.query("wt", "json").call().expect("select");
        serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap()
    }

    fn passages(&self) -> u64 {
        self.select(&[("q", "kind:passage"), ("rows", "0")])["response"]["numFound"]
            .as_u64()
            .unwrap()
    }

    /// Whether the document `id` has reached the collection, committed or not (Solr's
    /// real-time get reads its update log).
    fn has_doc(&self, id: &str) -> bool {
        let mut resp = self
            .agent
            .get(format!("{}/{}/get", self.node(), self.name))
            .query("id", id)
            .query("wt", "json")
            .call()
            .expect("real-time get");
        let answer: Value =
            serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        !answer["doc"].is_null()
    }

    /// File states visible after a soft commit (a push commits only at its end).
    fn visible_files(&self) -> u64 {
        let mut resp = self
            .agent
            .get(format!("{}/{}/update", self.node(), self.name))
            .query("softCommit", "true")
            .call()
            .expect("soft commit");
        let _ = resp.body_mut().read_to_string();
        self.select(&[("q", "kind:file"), ("rows", "0")])["response"]["numFound"]
            .as_u64()
            .unwrap()
    }

    /// Every passage's id and version: a document sent again gets a new version.
    fn versions(&self) -> BTreeMap<String, u64> {
        let answer = self.select(&[
            ("q", "kind:passage"),
            ("fl", "id,_version_"),
            ("rows", "100000"),
        ]);
        answer["response"]["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_string(),
                    d["_version_"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    /// `newsdex push` into this collection.
    fn push(&self, d: &Dir, extra: &[&str]) -> util::Run {
        let mut args = vec![
            "push",
            "--json",
            "--solr",
            &self.url,
            "--collection",
            &self.name,
            "--corpus",
        ];
        let corpus = d.corpus();
        args.push(corpus.to_str().unwrap());
        args.extend(extra);
        d.run(&args)
    }

    fn push_ok(&self, d: &Dir, extra: &[&str]) -> Value {
        let run = self.push(d, extra);
        assert_eq!(run.code(), 0, "push failed: {}", run.stderr());
        run.json_lines().pop().expect("a summary")
    }

    fn mentions(&self, d: &Dir, name: &str) -> util::Run {
        d.run(&[
            "mentions",
            name,
            "--json",
            "--solr",
            &self.url,
            "--collection",
            &self.name,
        ])
    }
}

impl Drop for Collection {
    fn drop(&mut self) {
        let _ = self.admin(&[("action", "DELETE"), ("name", &self.name)]);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn repo_corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

#[test]
fn mentions_on_the_cluster_are_the_local_indexs_passages() {
    let Some(url) = cluster() else { return };
    let _turn = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let d = Dir::new();
    copy_dir(&repo_corpus(), &d.corpus());
    let mut names = vec!["Ali Vaez", "Anwaar-ul-Haq Kakar", "Jaish al-Adl"];
    match seeds_dir() {
        Some(seeds) => {
            copy_dir(&seeds, &d.corpus().join("seeds"));
            names.push("Sistan-Baluchestan");
        }
        None => eprintln!("note: ../shared/seeds is absent; comparing on corpus/ alone"),
    }
    let local = d.index_ok();
    let c = Collection::create(&url, "mentions");
    let pushed = c.push_ok(&d, &[]);
    assert_eq!(pushed["passages"], local["passages"]);
    assert_eq!(pushed["total_passages"], local["total_passages"]);
    for name in names {
        let here = d.run(&["mentions", name, "--json"]);
        let there = c.mentions(&d, name);
        assert_eq!(there.code(), 0, "{name}: {}", there.stderr());
        let (here, there) = (here.json_lines(), there.json_lines());
        assert!(!here.is_empty(), "{name} is in the corpus");
        assert_eq!(there, here, "{name}: the cluster's passages differ");
        let spellings = |r: util::Run| r.stderr().lines().last().unwrap_or("").to_string();
        assert_eq!(
            spellings(c.mentions(&d, name)),
            spellings(d.run(&["mentions", name])),
            "{name}: the spellings counted differ"
        );
    }
    // entities: the same listing, grouping and counts, whole and around a name
    let on_cluster = |args: &[&str]| {
        let mut all = vec!["entities", "--json", "-n", "0", "--solr", &c.url];
        all.extend(["--collection", &c.name]);
        all.extend(args);
        d.run(&all).json_lines()
    };
    let local = |args: &[&str]| {
        let mut all = vec!["entities", "--json", "-n", "0"];
        all.extend(args);
        d.run(&all).json_lines()
    };
    for args in [&[][..], &["--type", "person"], &["--cooccur", "Ali Vaez"]] {
        let here = local(args);
        assert!(!here.is_empty(), "{args:?}");
        assert_eq!(on_cluster(args), here, "entities {args:?} differ");
    }
    let none = c.mentions(&d, "Zyxwv Qqqq");
    assert_eq!(none.code(), 1, "nothing found exits 1");
}

/// A corpus of `copies` × the repository's corpus, in folders.
fn many_files(d: &Dir, copies: usize) {
    for i in 0..copies {
        copy_dir(&repo_corpus(), &d.corpus().join(format!("copy{i:03}")));
    }
}

/// Builds the plain (`--no-entities`) local index of `d`'s corpus; its JSON summary.
fn plain_local_index(d: &Dir) -> Value {
    d.index_ok_with(&["--no-entities"])
}

#[test]
fn a_push_survives_a_node_lost_midway_and_loses_no_passage() {
    let Some(url) = cluster() else { return };
    let Ok(state) = std::env::var("NEWSDEX_SOLR_STATE") else {
        eprintln!("skipped: NEWSDEX_SOLR_STATE (the cluster's state folder) is not set");
        return;
    };
    let _turn = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let d = Dir::new();
    // 1,000 files: ~6.5 s of pushing here, more under load
    many_files(&d, 200);
    let local = plain_local_index(&d);
    let c = Collection::create(&url, "nodeloss");
    let corpus = d.corpus();
    let mut push = Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args([
            "push",
            "--json",
            "--no-entities",
            "--batch",
            "10",
            "--solr",
            &url,
        ])
        .args([
            "--collection",
            &c.name,
            "--corpus",
            corpus.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stop the second node once the first batch has landed: the first file's state, read
    // in real time. (Made visible by a soft commit on every look, under a CI run's load it
    // showed 11.3 s into a push that had ended by then.)
    let walked = newsdex::corpus::walk(&corpus, None).unwrap();
    let first = newsdex::solr::documents::file_id(&walked.files[0].rel);
    let started = Instant::now();
    while !c.has_doc(&first) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the push sent nothing"
        );
        assert!(
            push.try_wait().unwrap().is_none(),
            "the push ended too soon to test"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/solr/cluster.sh");
    let node = |verb: &str| {
        let status = Command::new("bash")
            .arg(&script)
            .args([verb, "1"])
            .env("NEWSDEX_SOLR_STATE", &state)
            .status()
            .unwrap();
        assert!(status.success(), "cluster.sh {verb} 1");
    };
    // Asked to stop mid-push, the node goes down gracefully, which under load took from
    // 0.2 to 11 s: a push of 6.5 s could end before the node was down, though it had met
    // the stopping node. What the test needs is that the stop began while the push ran
    // and that the push met it (retried requests), then lost nothing.
    let landed = started.elapsed().as_secs_f64();
    let stop_asked_while_running = push.try_wait().unwrap().is_none();
    node("stop-node");
    eprintln!(
        "first batch landed {landed:.1} s into the push, node 1 down at {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let out = push.wait_with_output().unwrap();
    node("start-node");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the push failed: {stderr}");
    assert!(
        stop_asked_while_running,
        "the push ended before the node was asked to stop"
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        summary["retries"].as_u64().unwrap() > 0,
        "the push met no lost node (no request retried): {stderr}"
    );
    eprintln!("push with a node lost: {stderr}");
    assert_eq!(summary["passages"], local["passages"]);
    assert_eq!(
        c.passages(),
        local["total_passages"].as_u64().unwrap(),
        "no passage lost"
    );
    // and nothing is left to send
    let again = c.push_ok(&d, &["--no-entities"]);
    assert_eq!(again["unchanged"], local["added"], "{again}");
    assert_eq!(again["passages"], 0);
}

#[test]
fn a_re_push_sends_only_the_edited_and_deleted_articles() {
    let Some(url) = cluster() else { return };
    let _turn = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let d = Dir::new();
    copy_dir(&repo_corpus(), &d.corpus());
    let c = Collection::create(&url, "incremental");
    let first = c.push_ok(&d, &[]);
    assert_eq!(first["added"], 5);
    let before = c.versions();

    let edited = "iran-pakistan-strikes.txt";
    let text = std::fs::read_to_string(d.corpus().join(edited)).unwrap();
    d.write(
        edited,
        format!("{text}\n\nA zanzibarian correction was appended.\n"),
    );
    d.remove("davos-briefing.json");
    let second = c.push_ok(&d, &[]);
    assert_eq!(
        (
            &second["added"],
            &second["changed"],
            &second["removed"],
            &second["unchanged"]
        ),
        (&0.into(), &1.into(), &1.into(), &3.into()),
        "{second}"
    );
    let after = c.versions();
    for (id, version) in &before {
        let article = id.split_once('@').unwrap().1;
        match after.get(id) {
            None => assert!(article.starts_with("davos-briefing.json"), "{id} vanished"),
            Some(v) if article == edited => assert_ne!(v, version, "{id} was re-sent"),
            Some(v) => assert_eq!(v, version, "{id} was sent again though unchanged"),
        }
    }
    let found = c.mentions(&d, "zanzibarian");
    assert_eq!(found.json_lines().len(), 1, "{}", found.stderr());
    let local_total = d.index_ok()["total_passages"].as_u64().unwrap();
    assert_eq!(c.passages(), local_total);

    let third = c.push_ok(&d, &[]);
    assert_eq!(third["unchanged"], 4, "{third}");
    assert_eq!(third["batches"], 0, "nothing sent when nothing changed");
}

#[test]
fn slices_pushed_apart_make_the_whole_corpus() {
    let Some(url) = cluster() else { return };
    let _turn = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let d = Dir::new();
    many_files(&d, 4);
    let local = plain_local_index(&d);
    let c = Collection::create(&url, "slices");
    let one = c.push_ok(&d, &["--no-entities", "--shard", "1/2"]);
    let two = c.push_ok(&d, &["--no-entities", "--shard", "2/2"]);
    let files = local["added"].as_u64().unwrap();
    assert!(one["added"].as_u64().unwrap() > 0 && two["added"].as_u64().unwrap() > 0);
    assert_eq!(
        one["added"].as_u64().unwrap() + two["added"].as_u64().unwrap(),
        files
    );
    assert_eq!(one["other_slices"], two["added"]);
    assert_eq!(c.passages(), local["total_passages"].as_u64().unwrap());
    // a slice's push leaves the other slice's files alone
    let again = c.push_ok(&d, &["--no-entities", "--shard", "1/2"]);
    assert_eq!(again["removed"], 0);
    assert_eq!(c.passages(), local["total_passages"].as_u64().unwrap());
}

#[test]
fn an_interrupted_push_is_finished_by_the_next() {
    let Some(url) = cluster() else { return };
    let _turn = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let d = Dir::new();
    many_files(&d, 40);
    let local = plain_local_index(&d);
    let c = Collection::create(&url, "interrupted");
    let corpus = d.corpus();
    let mut push = Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(["push", "--no-entities", "--batch", "5", "--solr", &url])
        .args([
            "--collection",
            &c.name,
            "--corpus",
            corpus.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while c.visible_files() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the push sent nothing"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let killed_midway = push.try_wait().unwrap().is_none();
    push.kill().unwrap();
    push.wait().unwrap();
    assert!(
        killed_midway,
        "the push ended before it could be interrupted"
    );
    let resumed = c.push_ok(&d, &["--no-entities"]);
    assert!(resumed["unchanged"].as_u64().unwrap() < local["added"].as_u64().unwrap());
    assert_eq!(
        c.passages(),
        local["total_passages"].as_u64().unwrap(),
        "{resumed}"
    );
}

#[test]
fn a_collection_without_newsdexs_fields_gets_them_and_one_that_differs_is_refused() {
    let Some(url) = cluster() else { return };
    let _turn = CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let d = Dir::new();
    copy_dir(&repo_corpus(), &d.corpus());
    let c = Collection::create(&url, "schema");
    // a configset of its own with Solr's bare minimum of a schema: no newsdex field or type
    let configset = format!("{}_conf", c.name);
    let solrconfig = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/solr/configset/conf/solrconfig.xml"),
    )
    .unwrap();
    let bare = br#"<?xml version="1.0" encoding="UTF-8"?>
<schema name="bare" version="1.6">
  <uniqueKey>id</uniqueKey>
  <fieldType name="string" class="solr.StrField" sortMissingLast="true"/>
  <fieldType name="plong" class="solr.LongPointField"/>
  <field name="id" type="string" indexed="true" stored="true" required="true" docValues="true"/>
  <field name="_version_" type="plong" indexed="false" stored="false" docValues="true"/>
</schema>
"#;
    let upload = zip(&[
        ("solrconfig.xml", &solrconfig),
        ("managed-schema.xml", bare),
    ]);
    let mut resp = c
        .agent
        .post(format!("{}/admin/configs", c.node()))
        .query("action", "UPLOAD")
        .query("name", &configset)
        .query("overwrite", "true")
        .header("Content-Type", "application/octet-stream")
        .send(&upload[..])
        .expect("upload a configset");
    let _ = resp.body_mut().read_to_string();
    let mine = Collection {
        url: url.clone(),
        name: format!("{}_bare", c.name),
        agent: c.agent.clone(),
    };
    mine.admin(&[
        ("action", "CREATE"),
        ("name", &mine.name),
        ("collection.configName", &configset),
        ("numShards", "1"),
        ("replicationFactor", "1"),
        ("waitForFinalState", "true"),
    ])
    .expect("create a collection");
    let schema = |commands: Value| {
        let mut resp = c
            .agent
            .post(format!("{}/{}/schema", c.node(), mine.name))
            .header("Content-Type", "application/json")
            .send(commands.to_string())
            .expect("schema request");
        resp.body_mut().read_to_string().unwrap()
    };
    let first = mine.push_ok(&d, &[]);
    assert!(first["schema_added"].as_u64().unwrap() >= 20, "{first}");
    let local = d.index_ok();
    assert_eq!(mine.passages(), local["total_passages"].as_u64().unwrap());
    assert_eq!(
        mine.mentions(&d, "Ali Vaez").json_lines(),
        d.run(&["mentions", "Ali Vaez", "--json"]).json_lines()
    );
    // a field of another type is a schema newsdex cannot use: refused, the field named
    schema(serde_json::json!({ "replace-field": {
        "name": "heading", "type": "plong", "indexed": false, "stored": true } }));
    let refused = mine.push(&d, &[]);
    assert_eq!(refused.code(), 2);
    assert!(
        refused
            .stderr()
            .contains("field heading has type=plong, newsdex needs string"),
        "{}",
        refused.stderr()
    );
    drop(mine);
    let req = c.agent.get(format!("{}/admin/configs", c.node()));
    let _ = req
        .query("action", "DELETE")
        .query("name", &configset)
        .call();
}

/// A zip archive of `files`, stored uncompressed (what Solr's configset upload takes).
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let u16le = |v: &mut Vec<u8>, n: usize| v.extend_from_slice(&(n as u16).to_le_bytes());
    let u32le = |v: &mut Vec<u8>, n: u64| v.extend_from_slice(&(n as u32).to_le_bytes());
    for (name, data) in files {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let (crc, len, offset) = (u64::from(crc.sum()), data.len() as u64, out.len() as u64);
        // local header: version 2.0, no flags, stored, no time
        u32le(&mut out, 0x0403_4b50);
        for n in [20, 0, 0, 0, 0] {
            u16le(&mut out, n);
        }
        for n in [crc, len, len] {
            u32le(&mut out, n);
        }
        u16le(&mut out, name.len());
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        u32le(&mut central, 0x0201_4b50);
        for n in [20, 20, 0, 0, 0, 0] {
            u16le(&mut central, n);
        }
        for n in [crc, len, len] {
            u32le(&mut central, n);
        }
        for n in [name.len(), 0, 0, 0, 0] {
            u16le(&mut central, n);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_len) = (out.len() as u64, central.len() as u64);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for n in [0, 0, files.len(), files.len()] {
        u16le(&mut out, n);
    }
    u32le(&mut out, cd_len);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}
