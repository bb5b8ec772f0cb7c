//! Test harness: a fresh temp corpus and index per test, the real `newsdex` binary, labels
//! files, and the scoring of found entity names against them. Imports std, serde_json and
//! tempfile only (not the newsdex library), so that every test file can include it.

#![allow(dead_code, clippy::new_without_default)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A temp folder holding `corpus/` and `index/`.
pub struct Dir {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Dir {
    pub fn new() -> Dir {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().to_path_buf();
        std::fs::create_dir_all(root.join("corpus")).unwrap();
        Dir { _tmp: tmp, root }
    }

    pub fn corpus(&self) -> PathBuf {
        self.root.join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.root.join("index")
    }

    /// Writes a corpus file (creating folders), bumping its mtime so a rewrite is always seen.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.corpus().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let existed = path.exists();
        std::fs::write(&path, contents).unwrap();
        if existed {
            let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(later).unwrap();
        }
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.corpus().join(rel)).unwrap();
    }

    /// Runs newsdex with `--index` pointing at this folder's index.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(&self.root, args)
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .current_dir(cwd)
            .env_remove("NEWSDEX_INDEX")
            .env("NO_COLOR", "1")
            .arg("--index")
            .arg(self.index())
            .args(args)
            .output()
            .expect("run newsdex");
        Run(output)
    }

    /// `newsdex index --json --corpus <corpus>`, asserting success; returns the summary.
    pub fn index_ok(&self) -> Value {
        self.index_ok_with(&[])
    }

    /// [`Dir::index_ok`] with more options (`--no-entities`, …).
    pub fn index_ok_with(&self, options: &[&str]) -> Value {
        let corpus = self.corpus();
        let mut args = vec!["index", "--json"];
        args.extend_from_slice(options);
        args.extend(["--corpus", corpus.to_str().unwrap()]);
        let run = self.run(&args);
        assert_eq!(run.code(), 0, "index failed: {}", run.stderr());
        run.json_lines().pop().expect("a summary line")
    }
}

/// A finished run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Stdout parsed as JSON Lines.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }
}

/// The shared seed stories, when `../shared/seeds` exists beside the repo.
pub fn seeds_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

/// A labels file in `tests/data/` (`key<TAB>a<TAB>b` lines; `#` comments and blank lines
/// skipped) as key → set of (a, b).
pub fn labels(name: &str) -> Forms {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Forms::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "{}: {line:?}", path.display());
        out.entry(cols[0].to_string())
            .or_default()
            .insert((cols[1].to_string(), cols[2].to_string()));
    }
    out
}

/// `(type, name as written)` pairs per article key, as [`labels`] reads them.
pub type Forms = BTreeMap<String, BTreeSet<(String, String)>>;

/// True, false and missed counts of one entity type, or of all types together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }

    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// How found names compare with gold ones, article by article.
#[derive(Clone, Debug, Default)]
pub struct FormScore {
    /// All types together (micro-average).
    pub all: Tally,
    /// Per type (`person`, `place`, `org`).
    pub by_type: BTreeMap<String, Tally>,
    /// Gold forms found only under another type: (key, gold type, name, types found).
    pub wrong_type: Vec<(String, String, String, Vec<String>)>,
}

impl FormScore {
    /// Gold forms found under their own type, and gold forms in all.
    pub fn typed_right(&self) -> (usize, usize) {
        (self.all.tp, self.all.tp + self.all.fn_)
    }
}

/// Scores `found` against `gold` over every key either names (an article with labels but
/// nothing found counts all its labels as missed), printing each miss and extra to stderr.
pub fn score_forms(gold: &Forms, found: &Forms) -> FormScore {
    score_forms_with(gold, found, true)
}

/// [`score_forms`] without printing the misses and extras.
pub fn score_forms_quietly(gold: &Forms, found: &Forms) -> FormScore {
    score_forms_with(gold, found, false)
}

fn score_forms_with(gold: &Forms, found: &Forms, print: bool) -> FormScore {
    let empty = BTreeSet::new();
    let keys: BTreeSet<&String> = gold.keys().chain(found.keys()).collect();
    let mut score = FormScore::default();
    for key in keys {
        let want = gold.get(key).unwrap_or(&empty);
        let got = found.get(key).unwrap_or(&empty);
        for pair in want.union(got) {
            let tally = score.by_type.entry(pair.0.clone()).or_default();
            match (want.contains(pair), got.contains(pair)) {
                (true, true) => {
                    tally.tp += 1;
                    score.all.tp += 1;
                }
                (true, false) => {
                    tally.fn_ += 1;
                    score.all.fn_ += 1;
                    if print {
                        eprintln!("missed  {key}: {pair:?}");
                    }
                    let other: Vec<String> = got
                        .iter()
                        .filter(|(_, name)| *name == pair.1)
                        .map(|(kind, _)| kind.clone())
                        .collect();
                    if !other.is_empty() {
                        score
                            .wrong_type
                            .push((key.clone(), pair.0.clone(), pair.1.clone(), other));
                    }
                }
                (false, _) => {
                    tally.fp += 1;
                    score.all.fp += 1;
                    if print {
                        eprintln!("extra   {key}: {pair:?}");
                    }
                }
            }
        }
    }
    score
}

/// Summary counts as a tuple (added, changed, removed, unchanged).
pub fn counts(summary: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| summary[k].as_u64().unwrap();
    (n("added"), n("changed"), n("removed"), n("unchanged"))
}
