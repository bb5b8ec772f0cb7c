//! Incremental indexing: bring the index in line with the corpus in one commit.
//!
//! The corpus is walked and each file compared with the state the index holds
//! for it ([`super::file_states`]): a file whose size and modification time are
//! unchanged is not read (unless `verify`); one whose bytes hash the same is
//! left alone; a changed file's passages are deleted by its path term and its
//! new passages added; a file gone from the corpus is deleted. All of it lands
//! in a single commit, so an interrupted run leaves the previous commit intact,
//! and tantivy's writer lock keeps a second indexer out.
//!
//! Files are read, split and tagged in parallel (rayon) while tantivy's own
//! writer threads build segments.
//!
//! May import: `entities` (types), `names`, `passages`, `corpus`.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::directory::error::LockError;
use tantivy::query::AllQuery;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use super::record::records;
use super::{file_states, FileState, NewsIndex};
use crate::corpus::{self, Article, SourceFile, Warning};
use crate::entities::{EntityKind, Recognizer};

/// How to run an update.
#[derive(Clone, Debug)]
pub struct UpdateOptions<'a> {
    /// The corpus folder.
    pub corpus: &'a Path,
    /// Re-hash every file even when its size and modification time are unchanged.
    pub verify: bool,
    /// Drop everything indexed and index the whole corpus again.
    pub rebuild: bool,
    /// Total memory for tantivy's indexing threads, in bytes.
    pub heap_bytes: usize,
    /// Indexing threads for tantivy (0: one per core, at most 8).
    pub threads: usize,
}

/// Receives progress and warnings while an update runs.
pub trait Observer: Sync {
    /// The walk is done: this many files and bytes will be looked at.
    fn start(&self, _files: u64, _bytes: u64) {}
    /// One file was looked at.
    fn file_done(&self, _bytes: u64) {}
    /// Something could not be used.
    fn warn(&self, _warning: &Warning) {}
    /// The work is being committed.
    fn committing(&self) {}
    /// Committed; small segments are being merged (seconds on a large index).
    fn merging(&self) {}
    /// An earlier indexer of `dir` (process `pid`) was killed before it finished: the
    /// system released its lock, and its `removed` uncommitted files were deleted.
    fn interrupted_run(&self, _dir: &Path, _pid: &str, _removed: usize) {}
}

/// What an update did, for the summary on stderr and `--json`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed and were re-indexed.
    pub changed: usize,
    /// Files gone from the corpus whose passages were deleted.
    pub removed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files with no text, skipped.
    pub empty: usize,
    /// Files that could not be read (their earlier passages, if any, are kept).
    pub failed: usize,
    /// Files of a type newsdex does not read.
    pub unsupported: usize,
    /// Articles indexed in this run.
    pub articles: usize,
    /// Passages indexed in this run.
    pub passages: usize,
    /// Passages in the index after the run.
    pub total_passages: u64,
    /// Warnings reported.
    pub warnings: usize,
    /// Bytes read from the corpus.
    pub bytes_read: u64,
    /// Whether a commit was made (false when nothing changed).
    pub committed: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
}

enum Outcome {
    Unchanged,
    Indexed {
        changed: bool,
        articles: usize,
        passages: usize,
    },
    /// No text; `deleted` when the file's earlier passages were deleted.
    Empty {
        deleted: bool,
    },
    /// Nothing usable; `deleted` as for `Empty`.
    Failed {
        deleted: bool,
    },
    Vanished,
}

/// Brings `idx` in line with the corpus, using `recognizer` for entities, in one commit.
pub fn update(
    idx: &NewsIndex,
    recognizer: &dyn Recognizer,
    opts: &UpdateOptions,
    observer: &dyn Observer,
) -> anyhow::Result<Summary> {
    let mut summary = with_writer(idx, opts, observer, |writer| {
        let summary = update_with(idx, writer, recognizer, opts, observer)?;
        if summary.committed {
            merge_small_segments(idx, writer, observer);
        }
        Ok(summary)
    })?;
    summary.total_passages = idx.searcher()?.num_docs();
    Ok(summary)
}

/// Merges the small segments a run left beside a large one into one. tantivy's log merge
/// policy merges eight segments of about the same size, and a build's last flush is a
/// partial one that often falls in a size level of its own: a build of the 1 GB benchmark
/// ended with one segment of 2.46M passages beside eight of 167k–319k left unmerged (seven
/// in one level, the last flush in another), another with two segments; two runs of the
/// same code measured 1.34× and 1.29× the corpus, and a search opens and scores every
/// segment. Four or more segments, each under a quarter of the largest, are merged here; if
/// tantivy is merging some of them already, this merge is refused and that one stands. A
/// failed merge loses nothing: the commit is made.
fn merge_small_segments(idx: &NewsIndex, writer: &mut IndexWriter, observer: &dyn Observer) {
    let small: Vec<_> = {
        // dropped before merging: a segment's files stay on disk while any handle to its
        // metadata lives, so holding these doubled the 1 GB index until the next run
        let Ok(metas) = idx.index.searchable_segment_metas() else {
            return;
        };
        let largest = metas.iter().map(|m| m.num_docs()).max().unwrap_or(0);
        metas
            .iter()
            .filter(|m| m.num_docs() < largest / 4)
            .map(|m| m.id())
            .collect()
    };
    if small.len() >= 4 {
        observer.merging();
        let _ = writer.merge(&small).wait();
    }
}

/// Runs `work` holding the index's writer (see [`open_writer`]); then, whether `work`
/// succeeded or not, waits for the writer's merges and removes the running marker.
pub fn with_writer<T>(
    idx: &NewsIndex,
    opts: &UpdateOptions,
    observer: &dyn Observer,
    work: impl FnOnce(&mut IndexWriter) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut writer = open_writer(idx, opts, observer)?;
    let result = work(&mut writer);
    let merged = writer
        .wait_merging_threads()
        .context("waiting for segment merges");
    let _ = std::fs::remove_file(running_marker(&idx.dir));
    let value = result?;
    merged?;
    Ok(value)
}

/// The file in index folder `dir` that says an indexer holds the writer; left behind only
/// by one that was killed (or abandoned by a second Ctrl-C in `watch`, which removes it).
pub fn running_marker(dir: &Path) -> std::path::PathBuf {
    dir.join(".newsdex-writing")
}

/// One update with a writer the caller holds (`watch` keeps one across updates).
pub fn update_with(
    idx: &NewsIndex,
    writer: &mut IndexWriter,
    recognizer: &dyn Recognizer,
    opts: &UpdateOptions,
    observer: &dyn Observer,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut states = if opts.rebuild {
        writer.delete_query(Box::new(AllQuery))?;
        HashMap::new()
    } else {
        file_states(&idx.searcher()?)?
    };
    let fresh_index = idx.index.load_metas()?.payload.is_none();

    let walk = corpus::walk(opts.corpus, Some(&idx.dir))?;
    let mut summary = Summary {
        unsupported: walk.unsupported,
        ..Summary::default()
    };
    let warnings = AtomicUsize::new(0);
    let warn = |w: &Warning| {
        warnings.fetch_add(1, Ordering::Relaxed);
        observer.warn(w);
    };
    walk.warnings.iter().for_each(warn);

    let total_bytes = walk.files.iter().map(|f| f.size).sum();
    observer.start(walk.files.len() as u64, total_bytes);
    let bytes_read = AtomicUsize::new(0);
    let indexer = FileIndexer {
        idx,
        writer,
        recognizer,
    };
    let outcomes: Vec<Outcome> = walk
        .files
        .par_iter()
        .map(|file| {
            let outcome =
                indexer.process(file, states.get(&file.rel), opts.verify, &bytes_read, &warn);
            observer.file_done(file.size);
            outcome
        })
        .collect::<anyhow::Result<_>>()?;

    for outcome in &outcomes {
        match *outcome {
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Indexed {
                changed,
                articles,
                passages,
            } => {
                if changed {
                    summary.changed += 1
                } else {
                    summary.added += 1
                }
                summary.articles += articles;
                summary.passages += passages;
            }
            Outcome::Empty { .. } => summary.empty += 1,
            Outcome::Failed { .. } => summary.failed += 1,
            Outcome::Vanished => {}
        }
    }
    // Vanished files were deleted when found; they count as removed below.
    let seen: HashSet<&str> = walk
        .files
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| !matches!(o, Outcome::Vanished))
        .map(|(f, _)| f.rel.as_str())
        .collect();
    let unlisted: Vec<&str> = walk.warnings.iter().map(|w| w.path.as_str()).collect();
    states.retain(|path, _| !seen.contains(path.as_str()));
    for path in states.keys() {
        if unlisted.iter().any(|u| is_under(path, u)) {
            continue; // could not list its folder: keep what we have
        }
        writer.delete_term(Term::from_field_text(idx.fields.path, path));
        summary.removed += 1;
    }

    // vanished files count as removed above; an empty or broken file needs a commit only
    // if its earlier passages were deleted (else every run would commit for nothing)
    let touched = summary.added + summary.changed + summary.removed > 0
        || outcomes.iter().any(|o| {
            matches!(
                o,
                Outcome::Empty { deleted: true } | Outcome::Failed { deleted: true }
            )
        });
    if touched || opts.rebuild || fresh_index {
        observer.committing();
        let mut prepared = writer.prepare_commit().context("preparing the commit")?;
        prepared.set_payload(&idx.payload(opts.corpus));
        prepared.commit().context("committing the index")?;
        summary.committed = true;
    }
    summary.total_passages = idx.searcher()?.num_docs();
    summary.warnings = warnings.load(Ordering::Relaxed);
    summary.bytes_read = bytes_read.load(Ordering::Relaxed) as u64;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn is_under(path: &str, folder: &str) -> bool {
    path == folder
        || folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Takes the index's writer lock, or says that another indexer holds it. An indexer
/// that was killed leaves its marker file behind; the next one says so: the operating
/// system released the lock itself, and the dead run's uncommitted work was never visible.
/// [`with_writer`] removes the marker when done.
fn open_writer(
    idx: &NewsIndex,
    opts: &UpdateOptions,
    observer: &dyn Observer,
) -> anyhow::Result<IndexWriter> {
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    } else {
        opts.threads
    };
    let heap = opts.heap_bytes.max(threads * 15_000_000);
    match idx.index.writer_with_num_threads(threads, heap) {
        Ok(writer) => {
            let marker = running_marker(&idx.dir);
            if let Ok(pid) = std::fs::read_to_string(&marker) {
                let removed = super::remove_uncommitted_files(idx)?;
                observer.interrupted_run(&idx.dir, pid.trim(), removed);
            }
            std::fs::write(&marker, std::process::id().to_string())
                .with_context(|| format!("cannot write {}", marker.display()))?;
            Ok(writer)
        }
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => anyhow::bail!(
            "another newsdex is already indexing {} (its writer lock is held); wait for it to finish",
            idx.dir.display()
        ),
        Err(err) => Err(err).with_context(|| format!("cannot open a writer on {}", idx.dir.display())),
    }
}

struct FileIndexer<'a> {
    idx: &'a NewsIndex,
    writer: &'a IndexWriter,
    recognizer: &'a dyn Recognizer,
}

impl FileIndexer<'_> {
    fn process(
        &self,
        file: &SourceFile,
        state: Option<&FileState>,
        verify: bool,
        bytes_read: &AtomicUsize,
        warn: &(dyn Fn(&Warning) + Sync),
    ) -> anyhow::Result<Outcome> {
        if let Some(st) = state {
            if !verify && st.size == file.size && st.mtime == file.mtime {
                return Ok(Outcome::Unchanged);
            }
        }
        if file.format == corpus::Format::JsonLines && !starts_with_utf16_bom(&file.abs) {
            return self.process_stream(file, state, bytes_read, warn);
        }
        let bytes = match std::fs::read(&file.abs) {
            Ok(bytes) => bytes,
            Err(err) => return Ok(read_failure(file, state, &err, warn)),
        };
        bytes_read.fetch_add(bytes.len(), Ordering::Relaxed);
        let hash = corpus::content_hash(&bytes);
        if state.is_some_and(|st| st.hash == hash) {
            return Ok(Outcome::Unchanged);
        }
        let content = corpus::read_bytes(&file.rel, file.format, &bytes);
        drop(bytes);
        content.warnings.iter().for_each(warn);
        let mut stamp = self.replace(file, state, hash);
        if content.articles.is_empty() {
            return Ok(nothing_indexed(
                file,
                state,
                content.warnings.is_empty(),
                warn,
            ));
        }
        let mut passages = 0;
        for article in &content.articles {
            passages += self.add_article(file, &mut stamp, article)?;
        }
        Ok(Outcome::Indexed {
            changed: state.is_some(),
            articles: content.articles.len(),
            passages,
        })
    }

    /// JSON Lines, streamed: one pass hashes the file, a second (if it changed) reads it
    /// line by line, so memory holds one line, never the file.
    fn process_stream(
        &self,
        file: &SourceFile,
        state: Option<&FileState>,
        bytes_read: &AtomicUsize,
        warn: &(dyn Fn(&Warning) + Sync),
    ) -> anyhow::Result<Outcome> {
        let hash = match stream_hash(&file.abs) {
            Ok((hash, n)) => {
                bytes_read.fetch_add(n as usize, Ordering::Relaxed);
                hash
            }
            Err(err) => return Ok(read_failure(file, state, &err, warn)),
        };
        if state.is_some_and(|st| st.hash == hash) {
            return Ok(Outcome::Unchanged);
        }
        let reader = match std::fs::File::open(&file.abs) {
            Ok(f) => std::io::BufReader::with_capacity(1 << 16, f),
            Err(err) => return Ok(read_failure(file, state, &err, warn)),
        };
        let mut stamp = self.replace(file, state, hash);
        let (mut articles, mut passages, mut warnings) = (0, 0, 0);
        corpus::stream_lines(
            &file.rel,
            reader,
            |article| {
                articles += 1;
                passages += self.add_article(file, &mut stamp, &article)?;
                Ok(())
            },
            &mut |w| {
                warnings += 1;
                warn(&w);
            },
        )?;
        if articles == 0 {
            return Ok(nothing_indexed(file, state, warnings == 0, warn));
        }
        Ok(Outcome::Indexed {
            changed: state.is_some(),
            articles,
            passages,
        })
    }

    /// Deletes a changed file's indexed passages (if it had any) and returns the state its
    /// new passages record, for [`Self::add_article`].
    fn replace(
        &self,
        file: &SourceFile,
        state: Option<&FileState>,
        hash: u64,
    ) -> Option<FileState> {
        if state.is_some() {
            self.writer
                .delete_term(Term::from_field_text(self.idx.fields.path, &file.rel));
        }
        Some(FileState {
            hash,
            size: file.size,
            mtime: file.mtime,
        })
    }

    /// Adds an article's passages; the first passage written for a file takes `stamp`,
    /// the file's change-detection state (one copy per file keeps the state columns
    /// sparse: 67 MB of a 1.4 GB index when every passage carried it).
    fn add_article(
        &self,
        file: &SourceFile,
        stamp: &mut Option<FileState>,
        article: &Article,
    ) -> anyhow::Result<usize> {
        let records = records(article, self.recognizer);
        let f = &self.idx.fields;
        for record in &records {
            let p = &record.passage;
            let ents = &record.entities;
            let mut doc = TantivyDocument::default();
            doc.add_text(f.path, &file.rel);
            doc.add_text(f.article, &article.id);
            doc.add_u64(f.article_hash, corpus::content_hash(article.id.as_bytes()));
            doc.add_text(f.title, &article.title);
            doc.add_text(f.heading, &article.title);
            doc.add_u64(f.passage, u64::from(p.number));
            doc.add_text(f.text, p.text(&article.text));
            doc.add_text(f.text_keys, p.text(&article.text));
            doc.add_u64(f.start, p.start as u64);
            for (field, value) in [
                (f.date, &article.date),
                (f.source, &article.source),
                (f.url, &article.url),
            ] {
                if let Some(v) = value {
                    doc.add_text(field, v);
                }
            }
            for kind in EntityKind::ALL {
                for name in ents.of(kind) {
                    doc.add_text(f.entity(kind), name);
                    doc.add_text(f.entity_key(kind), name);
                }
            }
            for key in &record.name_keys {
                doc.add_text(f.name_keys, key);
            }
            if let Some(encoded) = &record.encoded_mentions {
                doc.add_text(f.ents, encoded);
            }
            for line in &record.surfaces {
                doc.add_text(f.surface, line);
            }
            if let Some(stamp) = stamp.take() {
                doc.add_u64(f.file_hash, stamp.hash);
                doc.add_u64(f.file_size, stamp.size);
                doc.add_u64(f.file_mtime, stamp.mtime);
            }
            self.writer
                .add_document(doc)
                .with_context(|| format!("indexing {}", file.rel))?;
        }
        Ok(records.len())
    }
}

/// The outcome of a file read to no article: empty when nothing was said about it, failed
/// when its warnings explain why.
fn nothing_indexed(
    file: &SourceFile,
    state: Option<&FileState>,
    no_warnings: bool,
    warn: &(dyn Fn(&Warning) + Sync),
) -> Outcome {
    let deleted = state.is_some();
    if no_warnings {
        warn(&warning(file, "no text; skipped".into()));
        Outcome::Empty { deleted }
    } else {
        Outcome::Failed { deleted }
    }
}

/// The outcome of a file that could not be read: vanished (removed), or failed (kept).
fn read_failure(
    file: &SourceFile,
    state: Option<&FileState>,
    err: &std::io::Error,
    warn: &(dyn Fn(&Warning) + Sync),
) -> Outcome {
    if err.kind() == std::io::ErrorKind::NotFound {
        warn(&warning(
            file,
            "vanished while indexing; treated as removed".into(),
        ));
        return Outcome::Vanished;
    }
    let kept = if state.is_some() {
        "; its indexed passages are kept"
    } else {
        ""
    };
    warn(&warning(file, format!("cannot read: {err}{kept}")));
    Outcome::Failed { deleted: false }
}

/// Whether a file opens with a UTF-16 byte-order mark (then it is decoded whole).
fn starts_with_utf16_bom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == [0xFF, 0xFE] || head == [0xFE, 0xFF])
}

/// The content hash of a file, read in 64 KiB pieces, and its length.
fn stream_hash(path: &Path) -> std::io::Result<(u64, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok((hasher.digest(), total));
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
}

fn warning(file: &SourceFile, message: String) -> Warning {
    Warning {
        path: file.rel.clone(),
        line: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;
    use crate::entities::PassageEntities;
    use crate::passages;
    use crate::search;

    /// A stand-in recogniser: finds fixed names by substring, tagging a whole article's
    /// passages with a surname's full name once seen, as the real one must.
    struct Gazetteer;

    impl Recognizer for Gazetteer {
        fn recognize(
            &self,
            article: &Article,
            passages: &[passages::Passage],
        ) -> Vec<PassageEntities> {
            let known = [
                ("Ali Vaez", EntityKind::Person),
                ("Sistan-Baluchestan", EntityKind::Place),
                ("International Crisis Group", EntityKind::Org),
            ];
            passages
                .iter()
                .map(|p| {
                    let text = p.text(&article.text);
                    let mut ents = PassageEntities::default();
                    for (name, kind) in known {
                        let surname = name.rsplit(' ').next().unwrap_or(name);
                        let found = text.find(name).map(|at| (at, name.len())).or_else(|| {
                            (kind == EntityKind::Person)
                                .then(|| text.find(surname).map(|at| (at, surname.len())))
                                .flatten()
                        });
                        if let Some((at, len)) = found {
                            ents.mention(kind, name, at, at + len);
                        }
                    }
                    ents
                })
                .collect()
        }
    }

    struct Quiet;
    impl Observer for Quiet {}

    fn setup(files: &[(&str, &str)]) -> (tempfile::TempDir, NewsIndex) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("corpus").join(name), text).unwrap();
        }
        let idx = super::super::open_or_create(&dir.path().join("index"), false).unwrap();
        (dir, idx)
    }

    /// [`setup`], then a first update; also returns the corpus folder.
    fn indexed(files: &[(&str, &str)]) -> (tempfile::TempDir, NewsIndex, std::path::PathBuf) {
        let (dir, idx) = setup(files);
        let corpus = dir.path().join("corpus");
        update(&idx, &Gazetteer, &opts(&corpus), &Quiet).unwrap();
        (dir, idx, corpus)
    }

    fn opts(corpus: &Path) -> UpdateOptions<'_> {
        UpdateOptions {
            corpus,
            verify: false,
            rebuild: false,
            heap_bytes: 50_000_000,
            threads: 1,
        }
    }

    /// The best hit for a query.
    fn top_hit(idx: &NewsIndex, query: &str) -> search::Hit {
        let q = search::parse_query(idx, query).unwrap();
        search::search(idx, q.as_ref(), 1).unwrap().remove(0)
    }

    fn count(idx: &NewsIndex, query: &str) -> usize {
        let q = search::parse_query(idx, query).unwrap();
        search::search(idx, q.as_ref(), 100).unwrap().len()
    }

    #[test]
    fn entity_fields_are_filled_and_queryable() {
        let (_dir, idx, _corpus) = indexed(&[(
            "a.txt",
            "T\n\nAli Vaez of the International Crisis Group spoke.\n\nVaez said more.\n\nSistan-Baluchestan is a province.\n",
        )]);
        assert_eq!(
            count(&idx, "person:\"Ali Vaez\""),
            2,
            "the surname-only passage carries the full name"
        );
        assert_eq!(count(&idx, "person:vaez AND said"), 1);
        assert_eq!(count(&idx, "org:\"crisis group\""), 1);
        assert_eq!(count(&idx, "place:\"Sistan Baluchestan\""), 1);
        let hit = top_hit(&idx, "province");
        assert_eq!(hit.place, ["Sistan-Baluchestan"]);
        assert!(hit.person.is_empty());
    }

    #[test]
    fn small_segments_left_beside_a_large_one_are_merged() {
        let big: String = (0..200).map(|i| format!("Paragraph {i}.\n\n")).collect();
        let (_dir, idx, corpus) = indexed(&[("big.txt", &big)]);
        let segments = || idx.index.searchable_segment_ids().unwrap().len();
        for i in 0..4 {
            assert_eq!(
                segments(),
                1 + i,
                "each run adds a small segment until there are four"
            );
            std::fs::write(corpus.join(format!("small{i}.txt")), "Title\n\nOne line.\n").unwrap();
            update(&idx, &Gazetteer, &opts(&corpus), &Quiet).unwrap();
        }
        assert_eq!(segments(), 2, "the four small segments are one");
        let stores = std::fs::read_dir(idx.dir.as_path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension() == Some("store".as_ref()))
            .count();
        assert_eq!(stores, 2, "the merged segments' files are gone");
        assert_eq!(idx.searcher().unwrap().num_docs(), 200 + 4 * 2);
        assert_eq!(count(&idx, "line"), 4);
    }

    #[test]
    fn a_title_word_and_a_passage_word_find_the_passage() {
        let (_dir, idx, _corpus) =
            indexed(&[("a.txt", "Zebras cross Iran\n\nOne herd.\n\nTwo herds.\n")]);
        assert_eq!(
            count(&idx, "title:zebras"),
            3,
            "every passage carries its title"
        );
        assert_eq!(count(&idx, "zebras herds"), 1);
        let hit = top_hit(&idx, "zebras two");
        assert_eq!(hit.title, "Zebras cross Iran");
        assert_eq!(hit.passage, 2);
    }

    /// Panics after a number of files, like a process killed mid-run.
    struct Crash(AtomicUsize);
    impl Observer for Crash {
        fn file_done(&self, _bytes: u64) {
            if self.0.fetch_add(1, Ordering::SeqCst) == 2 {
                panic!("simulated crash");
            }
        }
    }

    #[test]
    fn interrupted_run_leaves_the_last_commit_intact() {
        let files: Vec<(String, String)> = (0..6)
            .map(|i| (format!("f{i}.txt"), format!("T{i}\n\nfirst version {i}\n")))
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (dir, idx, corpus) = indexed(&refs);
        for i in 0..6 {
            let path = corpus.join(format!("f{i}.txt"));
            std::fs::write(&path, format!("T{i}\n\nsecond edition {i}\n")).unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
                .unwrap();
        }
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            update(
                &idx,
                &Gazetteer,
                &opts(&corpus),
                &Crash(AtomicUsize::new(0)),
            )
        }));
        assert!(crashed.is_err());
        let reopened = super::super::open(&dir.path().join("index")).unwrap();
        assert_eq!(count(&reopened, "first"), 6);
        assert_eq!(count(&reopened, "second"), 0);
        let summary = update(&reopened, &Gazetteer, &opts(&corpus), &Quiet).unwrap();
        assert_eq!(summary.changed, 6);
        assert_eq!(count(&reopened, "second"), 6);
        assert_eq!(reopened.searcher().unwrap().num_docs(), 12);
    }

    /// Deletes a file after the walk listed it and before it is read.
    struct Vanish(std::path::PathBuf);
    impl Observer for Vanish {
        fn start(&self, _files: u64, _bytes: u64) {
            std::fs::remove_file(&self.0).unwrap();
        }
    }

    #[test]
    fn file_vanishing_mid_walk_is_removed_with_a_warning() {
        let (_dir, idx, corpus) = indexed(&[("a.txt", "A\n\nalpha\n"), ("b.txt", "B\n\nbeta\n")]);
        std::fs::write(corpus.join("b.txt"), "B\n\nbeta gamma delta\n").unwrap();
        let summary = update(
            &idx,
            &Gazetteer,
            &opts(&corpus),
            &Vanish(corpus.join("b.txt")),
        )
        .unwrap();
        assert_eq!(summary.removed, 1);
        assert_eq!(summary.warnings, 1);
        assert_eq!(count(&idx, "beta"), 0);
        assert_eq!(count(&idx, "alpha"), 1);
    }
}
