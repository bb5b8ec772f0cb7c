//! The on-disk index: opening it safely, and the change-detection state kept inside it.
//!
//! Every commit carries a payload `{"newsdex_schema": N}`; an index written with
//! another schema version is refused with a message that says how to rebuild.
//! The state that incremental indexing compares the corpus against (each
//! file's hash, size and modification time) is read from the index itself,
//! from the last commit, so it can never disagree with what search sees.
//!
//! May import: `entities` (types), `names`, `passages`, `corpus`.

pub mod record;
pub mod schema;
mod stats;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use tantivy::columnar::ColumnIndex;
use tantivy::directory::MmapDirectory;
use tantivy::{DocId, Index, IndexReader, ReloadPolicy, Searcher};

pub use schema::{Fields, SCHEMA_VERSION};
pub use stats::{stats, FieldBytes, Stats};
pub use update::{
    running_marker, update, update_with, with_writer, Observer, Summary, UpdateOptions,
};

/// An open newsdex index.
pub struct NewsIndex {
    /// The tantivy index, with newsdex's analysers registered.
    pub index: Index,
    /// The schema's fields.
    pub fields: Fields,
    /// Where it lives.
    pub dir: PathBuf,
    /// A reader kept open and reloaded on every commit (see [`NewsIndex::follow_commits`]).
    live: Option<IndexReader>,
    /// With a live reader: what the commit of the reader generation it names recorded.
    live_recorded: std::sync::Mutex<Option<(u64, Recorded)>>,
}

/// What the index last recorded about one corpus file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileState {
    /// xxh3 of the file's bytes.
    pub hash: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, ns since the epoch.
    pub mtime: u64,
}

fn payload(corpus: &Path, entities: bool) -> String {
    let corpus = corpus
        .canonicalize()
        .unwrap_or_else(|_| corpus.to_path_buf());
    serde_json::json!({"newsdex_schema": SCHEMA_VERSION, "corpus": corpus, "entities": entities})
        .to_string()
}

fn rebuild_hint(dir: &Path) -> String {
    format!(
        "rebuild it with `newsdex index --rebuild --index {}`",
        dir.display()
    )
}

/// Opens an existing index for searching, or explains why it cannot.
pub fn open(dir: &Path) -> anyhow::Result<NewsIndex> {
    if !dir.join("meta.json").is_file() {
        bail!(
            "no index at {}; run `newsdex index` first",
            display_dir(dir)
        );
    }
    let directory = MmapDirectory::open(dir)
        .with_context(|| format!("cannot open index folder {}", dir.display()))?;
    let index = Index::open(directory).map_err(|err| {
        anyhow::anyhow!(
            "index at {} is corrupt or unreadable ({err}); {}",
            dir.display(),
            rebuild_hint(dir)
        )
    })?;
    check_version(&index, dir)?;
    let fields = Fields::from_schema(&index.schema()).map_err(|err| {
        anyhow::anyhow!(
            "index at {} was not built by this newsdex ({err}); {}",
            dir.display(),
            rebuild_hint(dir)
        )
    })?;
    schema::register_tokenizers(&index);
    Ok(NewsIndex {
        index,
        fields,
        dir: dir.to_path_buf(),
        live: None,
        live_recorded: Default::default(),
    })
}

fn display_dir(dir: &Path) -> String {
    let s = dir.display().to_string();
    if s.ends_with('/') {
        s
    } else {
        format!("{s}/")
    }
}

fn check_version(index: &Index, dir: &Path) -> anyhow::Result<()> {
    let metas = index.load_metas().map_err(|err| {
        anyhow::anyhow!(
            "index at {} is corrupt ({err}); {}",
            dir.display(),
            rebuild_hint(dir)
        )
    })?;
    let version = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .and_then(|v| v.get("newsdex_schema").and_then(|n| n.as_u64()));
    match version {
        Some(v) if v == u64::from(SCHEMA_VERSION) => Ok(()),
        // created but never committed: nothing to be incompatible with
        None if metas.segments.is_empty() => Ok(()),
        Some(v) => bail!(
            "index at {} has schema version {v}, this newsdex reads version {SCHEMA_VERSION}; {}",
            dir.display(),
            rebuild_hint(dir)
        ),
        None => bail!(
            "index at {} was not built by newsdex; {}",
            dir.display(),
            rebuild_hint(dir)
        ),
    }
}

/// Opens the index for writing, creating it if absent; `rebuild` starts afresh from an unusable one.
pub fn open_or_create(dir: &Path, rebuild: bool) -> anyhow::Result<NewsIndex> {
    if dir.join("meta.json").is_file() {
        match open(dir) {
            Ok(idx) => return Ok(idx),
            Err(err) if !rebuild => return Err(err),
            Err(_) => clear_index_dir(dir)?,
        }
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create index folder {}", dir.display()))?;
    let directory = MmapDirectory::open(dir)
        .with_context(|| format!("cannot open index folder {}", dir.display()))?;
    let index = Index::create(directory, schema::build(), schema::settings())
        .with_context(|| format!("cannot create an index in {}", dir.display()))?;
    schema::register_tokenizers(&index);
    let fields = Fields::from_schema(&index.schema()).expect("the schema newsdex just built");
    Ok(NewsIndex {
        index,
        fields,
        dir: dir.to_path_buf(),
        live: None,
        live_recorded: Default::default(),
    })
}

/// Removes an unusable index's files, keeping the folder and any dotfile the user put there.
fn clear_index_dir(dir: &Path) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_ours = segment_of(&name).is_some()
            || name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy-");
        if is_ours && entry.path().is_file() {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The segment id a tantivy segment file belongs to (`<32 hex digits>.<component>`).
fn segment_of(file_name: &str) -> Option<&str> {
    let is_segment_file = file_name.len() > 33
        && file_name.as_bytes()[32] == b'.'
        && file_name[..32].bytes().all(|b| b.is_ascii_hexdigit());
    is_segment_file.then(|| &file_name[..32])
}

/// Deletes segment files the last commit does not use: what a killed indexer wrote before
/// it could commit. Left in place, such a file (a deletion bitset named by segment and
/// opstamp) collides with the next run's commit. Call only while holding the writer lock.
pub fn remove_uncommitted_files(idx: &NewsIndex) -> anyhow::Result<usize> {
    let metas = idx.index.load_metas()?;
    let live: HashMap<String, Option<String>> = metas
        .segments
        .iter()
        .map(|seg| {
            let del = seg.delete_opstamp().map(|_| {
                seg.relative_path(tantivy::index::SegmentComponent::Delete)
                    .to_string_lossy()
                    .into_owned()
            });
            (seg.id().uuid_string(), del)
        })
        .collect();
    let mut removed = 0;
    let entries = std::fs::read_dir(&idx.dir)
        .with_context(|| format!("cannot list {}", idx.dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", idx.dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(segment) = segment_of(&name) else {
            continue;
        };
        let stale = match live.get(segment) {
            None => true,
            Some(del) => name.ends_with(".del") && del.as_deref() != Some(name.as_str()),
        };
        if stale {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove {}", entry.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

impl NewsIndex {
    /// Keeps one reader open and lets tantivy reload it when a commit lands (it polls
    /// `meta.json`), for a resident process such as `serve`: a fresh reader per query opens
    /// every segment again, which a one-shot command pays once and a server on every request.
    pub fn follow_commits(mut self) -> anyhow::Result<NewsIndex> {
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .with_context(|| format!("cannot read index at {}", self.dir.display()))?;
        self.live = Some(reader);
        Ok(self)
    }

    /// A searcher on the last commit (with [`NewsIndex::follow_commits`], the last one the
    /// reader has seen, at most about a second old).
    pub fn searcher(&self) -> anyhow::Result<Searcher> {
        if let Some(reader) = &self.live {
            return Ok(reader.searcher());
        }
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("cannot read index at {}", self.dir.display()))?;
        Ok(reader.searcher())
    }

    /// The commit payload newsdex writes after indexing `corpus`, with or without entities.
    pub fn payload(&self, corpus: &Path, entities: bool) -> String {
        payload(corpus, entities)
    }

    /// Whether the index holds entities and spelling keys: false when it was built with
    /// `--no-entities`, a plain full-text index (indexes from before this was recorded
    /// were built either way and count as built with entities).
    pub fn has_entities(&self) -> bool {
        self.recorded().entities
    }

    /// The corpus folder the last commit was built from, if recorded.
    pub fn corpus_root(&self) -> Option<PathBuf> {
        self.recorded().corpus
    }

    /// What the last commit recorded. With a live reader, read from `meta.json` once for
    /// each reader generation: a resident server asks on every filtered request, and
    /// parsing `meta.json` (the whole schema) each time cost it 6% of its CPU.
    fn recorded(&self) -> Recorded {
        let Some(reader) = &self.live else {
            return Recorded::read(&self.index);
        };
        let generation = reader.searcher().generation().generation_id();
        let mut known = self.live_recorded.lock().unwrap_or_else(|e| e.into_inner());
        match &*known {
            Some((g, recorded)) if *g == generation => recorded.clone(),
            _ => {
                let recorded = Recorded::read(&self.index);
                *known = Some((generation, recorded.clone()));
                recorded
            }
        }
    }
}

/// The parts of a commit's payload newsdex reads back.
#[derive(Clone, Debug)]
struct Recorded {
    entities: bool,
    corpus: Option<PathBuf>,
}

impl Recorded {
    fn read(index: &Index) -> Recorded {
        let payload: Option<serde_json::Value> = index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str(&p).ok());
        let field = |name: &str| payload.as_ref().and_then(|v| v.get(name));
        Recorded {
            entities: field("entities").and_then(|e| e.as_bool()).unwrap_or(true),
            corpus: field("corpus").and_then(|c| c.as_str()).map(PathBuf::from),
        }
    }
}

/// Reads every indexed file's state from a searcher. One passage per file carries it
/// (the first written; see `update`), so this visits only the rows of the sparse state
/// columns and reads each one's path.
pub fn file_states(searcher: &Searcher) -> anyhow::Result<HashMap<String, FileState>> {
    let mut states = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let hash = fast.u64("file_hash")?;
        let size = fast.u64("file_size")?;
        let mtime = fast.u64("file_mtime")?;
        let paths = fast
            .str("path")?
            .context("the index has no path column; rebuild it")?;
        let docs: Box<dyn Iterator<Item = DocId>> = match &hash.index {
            ColumnIndex::Empty { .. } => Box::new(std::iter::empty()),
            ColumnIndex::Full => Box::new(0..segment.max_doc()),
            ColumnIndex::Optional(rows) => Box::new(rows.iter_non_null_docs()),
            ColumnIndex::Multivalued(rows) => Box::new(rows.iter_non_null_docs()),
        };
        let mut found: Vec<(u64, FileState)> = docs
            .filter(|&doc| !segment.is_deleted(doc))
            .filter_map(|doc| {
                let ord = paths.term_ords(doc).next()?;
                let state = FileState {
                    hash: hash.first(doc).unwrap_or_default(),
                    size: size.first(doc).unwrap_or_default(),
                    mtime: mtime.first(doc).unwrap_or_default(),
                };
                Some((ord, state))
            })
            .collect();
        // the path dictionary is read in one ordered pass: a look-up per path would
        // decompress a dictionary block each time
        found.sort_unstable_by_key(|(ord, _)| *ord);
        let ords: Vec<u64> = found.iter().map(|(ord, _)| *ord).collect();
        let mut next = found.iter();
        paths.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some((_, state)) = next.next() {
                states.insert(String::from_utf8_lossy(bytes).into_owned(), *state);
            }
        })?;
    }
    Ok(states)
}
