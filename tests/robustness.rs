//! Always fresh and never broken: watch mode, kills at random points, searches during
//! re-indexing. Figures printed here are reported in TESTING.md.

mod util;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::Dir;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsdex"));
    c.env_remove("NEWSDEX_INDEX").env("NO_COLOR", "1");
    c
}

/// Polls `newsdex search` until `check` holds on its JSON hits, or panics after 10 s.
fn wait_for(
    d: &Dir,
    query: &str,
    what: &str,
    check: impl Fn(&[serde_json::Value]) -> bool,
) -> Duration {
    let started = Instant::now();
    loop {
        let run = d.run(&["search", query, "--json", "--limit", "1000"]);
        assert_ne!(
            run.code(),
            2,
            "search failed while watching: {}",
            run.stderr()
        );
        if check(&run.json_lines()) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "watch did not follow: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_follows_edits_renames_deletes_and_adds() {
    let d = Dir::new();
    d.write("a.txt", "Alpha\n\nA story about Zahedan.\n");
    let mut child = KillOnDrop(
        bin()
            .args([
                "--index",
                d.index().to_str().unwrap(),
                "watch",
                "--debounce-ms",
                "100",
                "--corpus",
            ])
            .arg(d.corpus())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = BufReader::new(child.0.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // start-up reconcile, then watching
    let started = Instant::now();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("watch started");
        if line.starts_with("watching") {
            break;
        }
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    let paths = |hits: &[serde_json::Value]| -> Vec<String> {
        hits.iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paths(&d.run(&["search", "Zahedan", "--json"]).json_lines()),
        ["a.txt"]
    );

    d.write("b.txt", "Beta\n\nA story about Quetta.\n");
    let t_add = wait_for(&d, "Quetta", "add", |h| paths(h) == ["b.txt"]);
    // an editor's save: write a temp file, rename it over the original
    std::fs::write(
        d.corpus().join(".a.txt.swp"),
        "Alpha\n\nNow about Mashhad.\n",
    )
    .unwrap();
    std::fs::rename(d.corpus().join(".a.txt.swp"), d.corpus().join("a.txt")).unwrap();
    let t_edit = wait_for(&d, "Mashhad", "edit", |h| paths(h) == ["a.txt"]);
    wait_for(&d, "Zahedan", "old text gone", |h| h.is_empty());
    std::fs::create_dir(d.corpus().join("moved")).unwrap();
    std::fs::rename(d.corpus().join("b.txt"), d.corpus().join("moved/b.txt")).unwrap();
    wait_for(&d, "Quetta", "move", |h| paths(h) == ["moved/b.txt"]);
    d.remove("a.txt");
    wait_for(&d, "Mashhad", "delete", |h| h.is_empty());
    // a burst of files lands in few commits
    for i in 0..200 {
        std::fs::write(
            d.corpus().join(format!("burst-{i}.txt")),
            format!("Burst {i}\n\nPart of the Kandahar burst.\n"),
        )
        .unwrap();
    }
    wait_for(&d, "Kandahar", "burst", |h| h.len() == 200);

    // a second writer is refused while watch runs
    let second = d.run(&["index", "--corpus", d.corpus().to_str().unwrap()]);
    assert_eq!(second.code(), 2);
    assert!(second.stderr().contains("already indexing"));

    Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .unwrap();
    let status = child.0.wait().unwrap();
    assert!(
        status.success(),
        "watch exits cleanly on Ctrl-C: {status:?}"
    );
    let mut commits = 0;
    while let Ok(line) = rx.try_recv() {
        commits += usize::from(line.starts_with("watch: committed"));
    }
    assert!(
        commits <= 12,
        "{commits} commits for 5 changes and a burst of 200 files"
    );
    eprintln!("watch: add seen in {t_add:?}, edit in {t_edit:?}; {commits} commits");
    assert!(!d.index().join(".newsdex-writing").exists());
}

/// `newsdex index -q` of `corpus` into the test's index.
fn index_command(d: &Dir, corpus: &std::path::Path) -> Command {
    let mut c = bin();
    c.args([
        "--index",
        d.index().to_str().unwrap(),
        "index",
        "-q",
        "--corpus",
    ])
    .arg(corpus);
    c
}

/// A child process that is killed if the test panics before it exits.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn write_corpus(d: &Dir, files: usize) {
    for i in 0..files {
        let who = [
            "Ali Vaez",
            "Anwaar-ul-Haq Kakar",
            "Syed Rifaat Hussain",
            "Joshua White",
        ][i % 4];
        let place = ["Islamabad", "Tehran", "Quetta", "Zahedan"][i % 4];
        d.write(
            &format!("f{:02}/story-{i}.txt", i % 37),
            format!("Story {i}\n\n{who} spoke in {place} on day {i}.\n\nOfficials in {place} said the talks would go on.\n"),
        );
    }
}

/// Index state that must be the same after any crash and one clean run: passages and entities.
fn fingerprint(d: &Dir) -> (u64, String) {
    let run = d.run(&["index", "--json", "--corpus", d.corpus().to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let total = run.json_lines()[0]["total_passages"].as_u64().unwrap();
    let entities = d.run(&["entities", "-n", "0", "--json"]).stdout();
    (total, entities)
}

#[test]
fn killed_indexer_converges_at_twenty_kill_points() {
    let d = Dir::new();
    write_corpus(&d, 1500);
    // the time of a plain full build bounds the kill delays
    let started = Instant::now();
    let built = index_command(&d, &d.corpus()).status().unwrap();
    let full = started.elapsed();
    assert!(built.success());
    let reference = fingerprint(&d);
    assert_eq!(reference.0, 4500);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut killed_mid_run = 0;
    for point in 0..20 {
        std::fs::remove_dir_all(d.index()).unwrap();
        if point % 2 == 1 {
            // odd points: a committed partial state first, so the kill hits an update
            let half = index_command(&d, &d.corpus().join("f00")).status().unwrap();
            assert!(half.success());
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // within the first 80% of a full build's time, so most kills land mid-run
        let delay = Duration::from_micros(seed % (full.as_micros() as u64 * 4 / 5).max(1));
        let mut child = index_command(&d, &d.corpus()).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        killed_mid_run += usize::from(!finished);
        // the index opens and answers right after the kill (or is absent if killed before creating it)
        if d.index().join("meta.json").exists() {
            let run = d.run(&["search", "talks"]);
            assert!(
                run.code() == 0 || run.code() == 1,
                "kill point {point}: {}",
                run.stderr()
            );
        }
        assert_eq!(
            fingerprint(&d),
            reference,
            "kill point {point} ({delay:?}) did not converge"
        );
    }
    eprintln!("kill -9 at 20 points ({killed_mid_run} mid-run) over a {full:?} build of 1500 files: all converged");
    assert!(
        killed_mid_run >= 10,
        "only {killed_mid_run} kills landed mid-run"
    );
}

#[test]
fn searches_during_reindex_see_old_or_new_never_an_error() {
    let d = Dir::new();
    write_corpus(&d, 2000);
    fingerprint(&d);
    // change every file, so the re-index replaces all passages
    for i in 0..2000 {
        d.write(
            &format!("f{:02}/story-{i}.txt", i % 37),
            format!("Story {i}\n\nRevised copy {i} from Kabul.\n"),
        );
    }
    let mut indexer = index_command(&d, &d.corpus()).spawn().unwrap();
    let mut searches = 0;
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let done = indexer.try_wait().unwrap().is_some();
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let index = d.index();
                std::thread::spawn(move || {
                    let out = bin()
                        .args([
                            "--index",
                            index.to_str().unwrap(),
                            "search",
                            "talks OR Kabul",
                            "--json",
                            "--limit",
                            "100000",
                        ])
                        .output()
                        .unwrap();
                    (
                        out.status.code(),
                        String::from_utf8_lossy(&out.stdout).lines().count(),
                        String::from_utf8_lossy(&out.stderr).into_owned(),
                    )
                })
            })
            .collect();
        for h in handles {
            let (code, hits, err) = h.join().unwrap();
            assert_eq!(code, Some(0), "search failed during re-index: {err}");
            seen.insert(hits);
            searches += 1;
        }
        if done {
            break;
        }
    }
    assert!(indexer.wait().unwrap().success());
    // each search saw one whole commit: the old 4000 "talks" passages or the new 2000 "Kabul" ones
    assert!(
        seen.iter().all(|n| *n == 4000 || *n == 2000),
        "mixed states seen: {seen:?}"
    );
    eprintln!(
        "{searches} concurrent searches during a re-index of 2000 files; hit counts seen: {seen:?}"
    );
}
