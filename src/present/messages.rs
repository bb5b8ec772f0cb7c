//! Every line newsdex prints on stderr: the progress bar and warnings of an indexing
//! run, notes, and the one-line summaries of `index`, `watch`, `push`, `mentions`, `entities`,
//! `ner` and `train-ner`. Results go to stdout through [`super::text`] and [`super::json`].
//!
//! May import: the result types of `search`, `index`, `ner`, `solr` and `corpus`; `config`.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::compare::versions::Scope;
use crate::corpus::Warning;
use crate::index::{Observer, Summary};

/// Progress and warnings of an indexing run, on stderr.
pub struct Reporter {
    bar: ProgressBar,
    quiet: bool,
    lock: Mutex<()>,
}

impl Reporter {
    /// A reporter; the progress bar shows only on a terminal and without `quiet`.
    pub fn new(quiet: bool) -> Reporter {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .expect("a valid progress template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        };
        Reporter {
            bar,
            quiet,
            lock: Mutex::new(()),
        }
    }

    /// Prints a line on stderr without tearing the progress bar (skipped when quiet).
    pub fn info(&self, line: &str) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("{line}"));
        }
    }

    /// Removes the progress bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for Reporter {
    fn start(&self, files: u64, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("indexing {files} files"));
    }

    fn file_done(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn warn(&self, warning: &Warning) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.bar
            .suspend(|| eprintln!("newsdex: warning: {warning}"));
    }

    fn committing(&self) {
        self.bar.set_message("committing");
    }

    fn merging(&self) {
        self.bar.set_message("committed; merging small segments");
    }

    fn interrupted_run(&self, dir: &Path, pid: &str, removed: usize) {
        self.bar.suspend(|| {
            eprintln!(
                "newsdex: note: an earlier indexer of {} (process {pid}) stopped without finishing; \
                 its lock was released by the system and its uncommitted work discarded \
                 ({removed} files removed)",
                dir.display()
            )
        });
    }
}

/// An error that ended a command (exit status 2), with its chain of causes.
pub fn error(err: &anyhow::Error) {
    eprintln!("newsdex: error: {err:#}");
}

/// A warning about one file, as every command prints it.
pub fn warn_file(file: &Path, note: &str) {
    eprintln!("newsdex: warning: {}: {note}", file.display());
}

/// The summary of `newsdex index`.
pub fn index_summary(corpus: &Path, index: &Path, s: &Summary) -> String {
    format!(
        "indexed {} into {}: {} added, {} changed, {} removed, {} unchanged, {} empty, {} failed; \
         {} passages from {} articles ({} in the index); {} warnings; {:.2} s",
        corpus.display(),
        index.display(),
        s.added,
        s.changed,
        s.removed,
        s.unchanged,
        s.empty,
        s.failed,
        s.passages,
        s.articles,
        s.total_passages,
        s.warnings,
        s.seconds,
    )
}

/// The summary line of `newsdex push` into `collection`; `shard` is (I, N).
pub fn push_summary(
    corpus: &Path,
    collection: &str,
    shard: (u64, u64),
    s: &crate::solr::PushSummary,
) -> String {
    let slice = if shard.1 > 1 {
        format!(
            " (slice {}/{}; {} files in other slices)",
            shard.0, shard.1, s.other_slices
        )
    } else {
        String::new()
    };
    let schema = if s.schema_added > 0 {
        format!("added {} fields and types to its schema; ", s.schema_added)
    } else {
        String::new()
    };
    format!(
        "pushed {}{slice} to collection {collection}: {schema}{} added, {} changed, {} removed, \
         {} unchanged, {} empty, {} failed; {} passages from {} articles in {} requests \
         ({} retried); {} passages in the collection; {} warnings; {:.2} s",
        corpus.display(),
        s.added,
        s.changed,
        s.removed,
        s.unchanged,
        s.empty,
        s.failed,
        s.passages,
        s.articles,
        s.batches,
        s.retries,
        s.total_passages,
        s.warnings,
        s.seconds,
    )
}

/// One update of `newsdex watch` (`what`: "reconciled" at start-up, then "committed").
pub fn watch_update(what: &str, s: &Summary) -> String {
    format!(
        "watch: {what}: {} added, {} changed, {} removed, {} unchanged; {} passages indexed ({} in the index); {:.2} s",
        s.added, s.changed, s.removed, s.unchanged, s.passages, s.total_passages, s.seconds
    )
}

/// `newsdex watch` is waiting for changes.
pub fn watching(corpus: &Path) -> String {
    format!("watching {} (Ctrl-C to stop)", corpus.display())
}

/// The first Ctrl-C in `watch`.
pub const WATCH_STOPPING: &str =
    "newsdex: stopping after the current update (Ctrl-C again to abandon it)";

/// The second Ctrl-C in `watch`.
pub const WATCH_ABANDONED: &str =
    "newsdex: abandoned the current update; the index keeps its last commit";

/// An update of `watch` failed; it goes on watching.
pub fn watch_failed(err: &anyhow::Error) {
    eprintln!("newsdex: error: {err:#}; still watching");
}

/// The file watcher reported an error (an overflowed event queue, a folder gone).
pub fn watch_warning(err: &dyn std::fmt::Display) {
    eprintln!("newsdex: warning: watching: {err}");
}

/// The note for a look-up of names in an index built with `--no-entities`, which has no
/// entities and no spelling keys: `what` is matched as exact text only.
pub fn plain_index_note(what: &str) -> String {
    format!(
        "newsdex: note: this index was built with --no-entities, so {what} matches the exact \
         text only (no entities, no other spellings); `newsdex index --rebuild` adds them"
    )
}

/// What `newsdex mentions` found: passages, articles and the spellings that matched.
pub fn mentions_summary(
    passages: usize,
    articles: usize,
    name: &str,
    spellings: &[(String, usize)],
) -> String {
    let spellings: Vec<String> = spellings
        .iter()
        .map(|(s, n)| format!("{s:?} ({n})"))
        .collect();
    format!(
        "{passages} passages in {articles} articles mention {name:?}; spellings: {}",
        if spellings.is_empty() {
            "none".to_string()
        } else {
            spellings.join(", ")
        }
    )
}

/// How many passages name the entity `entities --cooccur` lists the company of.
pub fn cooccur_passages(passages: usize, name: &str) -> String {
    format!("{passages} passages name {name:?}")
}

/// What `newsdex ner FILE` found, and the recogniser's speed (tagger and article-level
/// passes, printing included).
pub fn ner_found(entities: usize, articles: usize, tokens: usize, secs: f64) -> String {
    format!(
        "{entities} entities in {articles} articles; {tokens} tokens in {secs:.3} s ({:.0} tokens/s)",
        tokens as f64 / secs.max(1e-9)
    )
}

/// A warning the reader of a file gave (`ner FILE`), as the indexer prints it.
pub fn warn(warning: &Warning) {
    eprintln!("newsdex: warning: {warning}");
}

/// The tagger's speed after `newsdex ner --conll`, which scores the bare tagger, or with
/// `--spans` the spans kept after it.
pub fn conll_speed(tokens: usize, secs: f64, spans: bool) -> String {
    format!(
        "{tokens} tokens tagged in {secs:.3} s ({:.0} tokens/s, one core); {}, without the \
         article-level passes of `ner FILE` and `index`",
        tokens as f64 / secs.max(1e-9),
        if spans {
            "the spans kept after the tagger (gazetteer and organisation words applied)"
        } else {
            "the bare tagger (--spans: with the gazetteer's amendments)"
        }
    )
}

/// `newsdex train-ner` wrote its model.
pub fn model_written(out: &Path, bytes: usize, describe: &str) -> String {
    format!(
        "wrote {} ({:.1} MB: {describe})",
        out.display(),
        bytes as f64 / 1e6
    )
}

/// How many stories `newsdex versions` found in its scope, and how many it showed.
pub fn versions_summary(total: usize, shown: usize, scope: &Scope) -> String {
    let noun = if total == 1 { "story" } else { "stories" };
    let scope = match scope {
        Scope::All => String::new(),
        Scope::Name(n) => format!(" with an article naming {n:?}"),
        Scope::Article(a) => format!(" of {a}"),
    };
    format!("{total} {noun}{scope} in more than one version; {shown} shown")
}

/// `newsdex serve` is ready; the one line a script waits for.
pub fn listening(addr: std::net::SocketAddr) -> String {
    format!("listening on http://{addr}")
}

/// `newsdex serve --public` on an address others can reach.
pub fn serving_publicly(addr: std::net::SocketAddr) -> String {
    format!(
        "newsdex: warning: serving on {addr} to anyone who can reach it; there is no authentication"
    )
}

/// `newsdex serve` stopped on Ctrl-C or SIGTERM.
pub const SERVE_STOPPED: &str = "newsdex: stopped";

/// The listener could not be made ready to accept connections; the server stops.
pub fn serve_warning(err: &dyn std::fmt::Display) {
    eprintln!("newsdex: warning: accepting connections: {err}");
}
