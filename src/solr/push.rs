//! `newsdex push`: bring a SolrCloud collection in line with a corpus, incrementally.
//!
//! The change-detection state lives in the collection itself, one small `kind:file`
//! document per corpus file (hash, size, modification time, status), not in a local file:
//! several machines pushing slices of one corpus (`--shard I/N`) then need no shared disk,
//! a push from a fresh checkout knows what the collection holds, and the state cannot
//! drift from the passages it describes.
//!
//! Order of writes, so that nothing is lost when a push is interrupted (killed, a node
//! lost for longer than the retries last): a file to send first has its old passages
//! deleted (by path) and a `pending` state written, then its passages are added; its
//! `done` state goes out only in the batch after the one that held its last passage, and
//! batches are sent one after another, each only once the one before was acknowledged.
//! A later push re-sends every file whose state is missing, `pending` or of another hash,
//! and deletes the passages of files gone from the corpus (or from this slice). Solr keeps
//! every acknowledged update in its update log, so an interrupted push loses no work it
//! was told had landed; the push ends with one commit that makes it all visible.
//!
//! Files are read, split, tagged and keyed in parallel (rayon), in groups of bounded size,
//! while a sender thread posts the previous batches. Imports config (shard syntax), corpus,
//! entities, index (record, the progress observer) and this room's client, schema and documents.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::client::Solr;
use super::documents::{file_doc, passage_doc, Analyzers, FileStatus};
use crate::corpus::{self, SourceFile, Warning};
use crate::entities::Recognizer;
use crate::index::record::records;
use crate::index::Observer;

/// Which part of a corpus one machine pushes: slice `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// This slice, 1 ..= count.
    pub index: u64,
    /// How many slices the corpus is cut into.
    pub count: u64,
}

impl Slice {
    /// The whole corpus.
    pub const ALL: Slice = Slice { index: 1, count: 1 };

    /// Reads `I/N` (1 ≤ I ≤ N).
    pub fn parse(s: &str) -> Result<Slice, String> {
        crate::config::parse_shard(s).map(|(index, count)| Slice { index, count })
    }

    /// Whether the file at corpus path `path` belongs to this slice (by a hash of the path,
    /// so every machine cuts a corpus the same way).
    pub fn holds(&self, path: &str) -> bool {
        corpus::content_hash(path.as_bytes()) % self.count == self.index - 1
    }
}

/// How to run a push.
pub struct PushOptions<'a> {
    /// The corpus folder.
    pub corpus: &'a Path,
    /// The part of the corpus this push is for.
    pub slice: Slice,
    /// Documents per update request.
    pub batch_docs: usize,
    /// Hash every file even when its size and modification time are unchanged.
    pub verify: bool,
}

/// What a push did; the `--json` summary.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PushSummary {
    /// Files sent for the first time.
    pub added: usize,
    /// Files re-sent because their content changed (or an earlier push did not finish them).
    pub changed: usize,
    /// Files gone from the corpus whose passages were deleted.
    pub removed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files with no text.
    pub empty: usize,
    /// Files that could not be read (what the collection has of them is kept).
    pub failed: usize,
    /// Files of other slices, not looked at.
    pub other_slices: usize,
    /// Articles sent.
    pub articles: usize,
    /// Passages sent.
    pub passages: usize,
    /// Update requests sent.
    pub batches: usize,
    /// Requests that failed once and were sent again.
    pub retries: usize,
    /// Bytes of corpus read.
    pub bytes_read: u64,
    /// Warnings reported.
    pub warnings: usize,
    /// Passages in the collection after the push.
    pub total_passages: u64,
    /// Schema fields and types added to the collection.
    pub schema_added: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The state the collection holds for one file.
#[derive(Clone, Debug, PartialEq)]
struct Stored {
    hash: u64,
    size: u64,
    mtime: u64,
    done: bool,
}

/// What reading one file gave.
enum Work {
    Unchanged,
    /// Its passages (JSON documents, serialised: a tenth of a `Value`'s memory) and the
    /// state to record; `articles` counted.
    Send {
        docs: Vec<String>,
        articles: usize,
        hash: u64,
    },
    Failed,
}

/// Pushes the corpus (this slice of it) into the collection, reporting warnings to `warn`.
pub fn push(
    solr: &Solr,
    recognizer: &dyn Recognizer,
    opts: &PushOptions,
    observer: &dyn Observer,
) -> anyhow::Result<PushSummary> {
    let started = Instant::now();
    let mut summary = PushSummary {
        schema_added: super::schema::ensure(solr)?,
        ..PushSummary::default()
    };
    let mut states = file_states(solr, opts.slice)?;
    let walk = corpus::walk(opts.corpus, None)?;
    let warnings = std::sync::atomic::AtomicUsize::new(0);
    let warn = |w: &Warning| {
        warnings.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        observer.warn(w);
    };
    walk.warnings.iter().for_each(warn);
    let files: Vec<&SourceFile> = walk
        .files
        .iter()
        .filter(|f| opts.slice.holds(&f.rel))
        .collect();
    summary.other_slices = walk.files.len() - files.len();
    observer.start(files.len() as u64, files.iter().map(|f| f.size).sum());

    let (tx, rx) = mpsc::sync_channel::<String>(2);
    let sent = std::thread::scope(|scope| -> anyhow::Result<usize> {
        let sender = scope.spawn(move || -> anyhow::Result<usize> {
            let mut n = 0;
            for body in rx {
                solr.update(&body, false)
                    .with_context(|| format!("sending update batch {}", n + 1))?;
                n += 1;
            }
            Ok(n)
        });
        let mut batch = Batch::new(tx, opts.batch_docs);
        let result = send_files(
            &files,
            &states,
            recognizer,
            opts,
            &mut batch,
            &mut summary,
            &warn,
            observer,
        )
        .and_then(|()| {
            // files gone from the corpus (in this slice): delete their passages and state
            let seen: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
            let unlisted: Vec<&str> = walk.warnings.iter().map(|w| w.path.as_str()).collect();
            states.retain(|path, _| !seen.contains(path.as_str()));
            let mut gone: Vec<&String> = states
                .keys()
                .filter(|p| !unlisted.iter().any(|u| is_under(p, u)))
                .collect();
            gone.sort();
            for path in gone {
                batch.delete_path(path)?;
                summary.removed += 1;
            }
            batch.finish()
        });
        drop(batch); // closes the channel, so the sender ends
        let sent = sender.join().expect("the sender thread does not panic");
        // the sender's error first: a batch it could not send is why the queue stopped
        let sent = sent?;
        result?;
        Ok(sent)
    })?;
    summary.batches = sent;
    solr.update("{\"commit\":{}}", false)
        .context("committing the push")?;
    summary.total_passages = count_passages(solr)?;
    summary.retries = solr.retries();
    summary.warnings = warnings.load(std::sync::atomic::Ordering::Relaxed);
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Reads, tags and queues every file, a group at a time.
#[allow(clippy::too_many_arguments)] // the push's parts, each used; a struct would only rename them
fn send_files(
    files: &[&SourceFile],
    states: &HashMap<String, Stored>,
    recognizer: &dyn Recognizer,
    opts: &PushOptions,
    batch: &mut Batch,
    summary: &mut PushSummary,
    warn: &(dyn Fn(&Warning) + Sync),
    observer: &dyn Observer,
) -> anyhow::Result<()> {
    // groups of at most ~32 MB of files, so memory holds a group's documents, not a corpus's
    let mut groups: Vec<&[&SourceFile]> = Vec::new();
    let (mut from, mut bytes) = (0, 0u64);
    for (i, f) in files.iter().enumerate() {
        bytes += f.size;
        if bytes >= 32 << 20 || i - from >= 2_000 {
            groups.push(&files[from..=i]);
            from = i + 1;
            bytes = 0;
        }
    }
    groups.push(&files[from..]);
    for group in groups {
        let works: Vec<(Work, u64)> = group
            .par_iter()
            .map_init(Analyzers::default, |analyzers, file| {
                let state = states.get(&file.rel);
                let work = read_file(analyzers, file, state, recognizer, opts, warn);
                observer.file_done(file.size);
                work
            })
            .collect();
        for (file, (work, read)) in group.iter().zip(works) {
            summary.bytes_read += read;
            let state = states.get(&file.rel);
            match work {
                Work::Unchanged => summary.unchanged += 1,
                Work::Failed => summary.failed += 1,
                Work::Send {
                    docs,
                    articles,
                    hash,
                } => {
                    if docs.is_empty() {
                        summary.empty += 1;
                    } else if state.is_some() {
                        summary.changed += 1;
                    } else {
                        summary.added += 1;
                    }
                    summary.articles += articles;
                    summary.passages += docs.len();
                    batch.send_file(file, state.is_some(), hash, docs)?;
                }
            }
        }
    }
    Ok(())
}

/// Reads one file into its documents, unless the collection has it already.
fn read_file(
    analyzers: &mut Analyzers,
    file: &SourceFile,
    state: Option<&Stored>,
    recognizer: &dyn Recognizer,
    opts: &PushOptions,
    warn: &(dyn Fn(&Warning) + Sync),
) -> (Work, u64) {
    if let Some(st) = state {
        if st.done && !opts.verify && st.size == file.size && st.mtime == file.mtime {
            return (Work::Unchanged, 0);
        }
    }
    let bytes = match std::fs::read(&file.abs) {
        Ok(bytes) => bytes,
        Err(err) => {
            warn(&Warning {
                path: file.rel.clone(),
                line: None,
                message: format!("cannot read: {err}; what the collection has of it is kept"),
            });
            return (Work::Failed, 0);
        }
    };
    let read = bytes.len() as u64;
    let hash = corpus::content_hash(&bytes);
    if state.is_some_and(|st| st.done && st.hash == hash) {
        return (Work::Unchanged, read);
    }
    let content = corpus::read_bytes(&file.rel, file.format, &bytes);
    drop(bytes);
    content.warnings.iter().for_each(warn);
    if content.articles.is_empty() && !content.warnings.is_empty() {
        return (Work::Failed, read);
    }
    if content.articles.is_empty() {
        warn(&Warning {
            path: file.rel.clone(),
            line: None,
            message: "no text; skipped".into(),
        });
    }
    let mut docs = Vec::new();
    for article in &content.articles {
        for record in records(article, recognizer) {
            docs.push(passage_doc(analyzers, &file.rel, article, &record).to_string());
        }
    }
    (
        Work::Send {
            docs,
            articles: content.articles.len(),
            hash,
        },
        read,
    )
}

/// The update request being filled: Solr's JSON command form, written by hand because it
/// repeats keys (`delete`, `add`) and runs them in order.
struct Batch {
    tx: Option<mpsc::SyncSender<String>>,
    body: String,
    docs: usize,
    limit: usize,
    /// `done` states of files whose last passage is in this batch: they lead the next one.
    finished: Vec<Value>,
}

impl Batch {
    fn new(tx: mpsc::SyncSender<String>, limit: usize) -> Batch {
        Batch {
            tx: Some(tx),
            body: String::new(),
            docs: 0,
            limit: limit.max(1),
            finished: Vec::new(),
        }
    }

    fn command(&mut self, verb: &str, value: &Value) {
        self.body.push(if self.body.is_empty() { '{' } else { ',' });
        self.body.push('"');
        self.body.push_str(verb);
        self.body.push_str("\":");
        self.body.push_str(&value.to_string());
    }

    fn add(&mut self, doc: &Value) -> anyhow::Result<()> {
        self.add_serialised(&doc.to_string())
    }

    /// Adds a document already serialised as JSON.
    fn add_serialised(&mut self, doc: &str) -> anyhow::Result<()> {
        self.body.push(if self.body.is_empty() { '{' } else { ',' });
        self.body.push_str("\"add\":{\"doc\":");
        self.body.push_str(doc);
        self.body.push('}');
        self.docs += 1;
        if self.docs >= self.limit {
            self.flush()?;
        }
        Ok(())
    }

    fn delete_path(&mut self, path: &str) -> anyhow::Result<()> {
        self.command(
            "delete",
            &serde_json::json!({ "query": format!("{{!term f=path}}{path}") }),
        );
        self.docs += 1;
        Ok(())
    }

    /// Queues a file: its old passages deleted (when the collection had it), a `pending`
    /// state, its passages; its `done` state after the batch holding its last passage.
    fn send_file(
        &mut self,
        file: &SourceFile,
        known: bool,
        hash: u64,
        docs: Vec<String>,
    ) -> anyhow::Result<()> {
        if known {
            self.delete_path(&file.rel)?;
        }
        self.add(&file_doc(
            &file.rel,
            hash,
            file.size,
            file.mtime,
            FileStatus::Pending,
        ))?;
        for doc in &docs {
            self.add_serialised(doc)?;
        }
        self.finished.push(file_doc(
            &file.rel,
            hash,
            file.size,
            file.mtime,
            FileStatus::Done,
        ));
        Ok(())
    }

    /// Hands the batch to the sender; the finished files' states start the next one.
    fn flush(&mut self) -> anyhow::Result<()> {
        if self.body.is_empty() {
            // the batch with their last passages is already with the sender
            for state in std::mem::take(&mut self.finished) {
                self.command("add", &serde_json::json!({ "doc": state }));
            }
            return Ok(());
        }
        self.body.push('}');
        let body = std::mem::take(&mut self.body);
        self.docs = 0;
        let tx = self.tx.as_ref().expect("flush before finish");
        if tx.send(body).is_err() {
            // the sender stopped on an error, which it returns
            anyhow::bail!("the update sender stopped");
        }
        for state in std::mem::take(&mut self.finished) {
            self.command("add", &serde_json::json!({ "doc": state }));
        }
        Ok(())
    }

    /// Sends what is left: the last passages, then the last files' `done` states.
    fn finish(&mut self) -> anyhow::Result<()> {
        self.flush()?;
        self.flush()?;
        self.tx = None;
        Ok(())
    }
}

fn is_under(path: &str, folder: &str) -> bool {
    path == folder
        || folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Every file state the collection holds for this slice, read with cursor paging.
fn file_states(solr: &Solr, slice: Slice) -> anyhow::Result<HashMap<String, Stored>> {
    let mut states = HashMap::new();
    super::query::each_doc(
        solr,
        "kind:file",
        "path,file_hash,file_size,file_mtime,file_status",
        |doc| {
            let path = doc["path"].as_str().unwrap_or_default().to_string();
            if !slice.holds(&path) {
                return Ok(());
            }
            let hash = doc["file_hash"]
                .as_str()
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .with_context(|| format!("the state of {path} in the collection is unreadable"))?;
            states.insert(
                path,
                Stored {
                    hash,
                    size: doc["file_size"].as_u64().unwrap_or_default(),
                    mtime: doc["file_mtime"].as_u64().unwrap_or_default(),
                    done: doc["file_status"] == "done",
                },
            );
            Ok(())
        },
    )?;
    Ok(states)
}

/// The number of passages the collection holds.
pub fn count_passages(solr: &Solr) -> anyhow::Result<u64> {
    let answer = solr.select(&[("q", "kind:passage".into()), ("rows", "0".into())])?;
    answer["response"]["numFound"]
        .as_u64()
        .context("Solr's answer has no count")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_parse_and_cover_a_corpus_once() {
        assert_eq!(Slice::parse("2/3"), Ok(Slice { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert!(Slice::parse(bad).is_err(), "{bad}");
        }
        let paths: Vec<String> = (0..300).map(|i| format!("dir/{i}.txt")).collect();
        let mut per_slice = [0; 3];
        for p in &paths {
            let owners: Vec<u64> = (1..=3)
                .filter(|i| {
                    Slice {
                        index: *i,
                        count: 3,
                    }
                    .holds(p)
                })
                .collect();
            assert_eq!(owners.len(), 1, "{p} belongs to exactly one slice");
            per_slice[owners[0] as usize - 1] += 1;
        }
        assert!(per_slice.iter().all(|n| *n > 60), "{per_slice:?}");
        assert!(paths.iter().all(|p| Slice::ALL.holds(p)));
    }

    #[test]
    fn a_files_done_state_follows_the_batch_with_its_last_passage() {
        let (tx, rx) = mpsc::sync_channel(16);
        let mut batch = Batch::new(tx, 3);
        let file = SourceFile {
            abs: "/c/a.txt".into(),
            rel: "a.txt".into(),
            size: 10,
            mtime: 5,
            format: corpus::Format::Text,
        };
        let docs: Vec<String> = (0..4).map(|i| format!("{{\"id\":{i}}}")).collect();
        batch.send_file(&file, true, 7, docs).unwrap();
        batch.finish().unwrap();
        drop(batch);
        let bodies: Vec<String> = rx.iter().collect();
        // delete, pending, 1 passage | 3 passages | done
        assert_eq!(bodies.len(), 3, "{bodies:?}");
        assert!(bodies[0].starts_with("{\"delete\":{\"query\":\"{!term f=path}a.txt\"}"));
        assert!(bodies[0].contains("\"pending\""));
        assert!(!bodies[1].contains("\"done\""));
        assert!(bodies[2].contains("\"done\"") && !bodies[2].contains("\"pending\""));
        for b in &bodies {
            serde_json::from_str::<Value>(b).expect("each body is JSON");
        }
    }
}
