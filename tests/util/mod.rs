//! Test harness: a fresh temp corpus and index per test, and the real `newsdex` binary.

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
        let run = self.run(&[
            "index",
            "--json",
            "--corpus",
            self.corpus().to_str().unwrap(),
        ]);
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
pub fn labels(name: &str) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
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

/// Summary counts as a tuple (added, changed, removed, unchanged).
pub fn counts(summary: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| summary[k].as_u64().unwrap();
    (n("added"), n("changed"), n("removed"), n("unchanged"))
}
