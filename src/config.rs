//! Typed configuration: what one invocation asks for, validated from the command line.
//!
//! `cli.rs` turns clap's flags into these types before any work starts; the commands
//! in `commands/` take them. Imports nothing of the crate but [`crate::entities::EntityKind`].

use std::path::PathBuf;

use crate::entities::EntityKind;

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// A validated invocation.
#[derive(Clone, Debug)]
pub struct Config {
    /// The index folder.
    pub index: PathBuf,
    /// Silence progress and summaries.
    pub quiet: bool,
    /// Colouring of matches.
    pub color: ColorChoice,
    /// What to do.
    pub command: Command,
}

/// The modes newsdex runs in.
#[derive(Clone, Debug)]
pub enum Command {
    /// Build or update the index.
    Index(IndexConfig),
    /// Keep the index updated as the corpus changes.
    Watch(IndexConfig, std::time::Duration),
    /// Ranked search.
    Search(SearchConfig),
    /// Every mention of a name.
    Mentions(MentionsConfig),
    /// List entities.
    Entities(EntitiesConfig),
    /// Where the index's bytes go.
    Stats {
        /// JSON instead of a table.
        json: bool,
    },
    /// Serve the web interface and JSON API.
    Serve(ServeConfig),
    /// Tag or score a file with the entity model.
    Ner(NerConfig),
    /// Retrain the entity model.
    TrainNer(TrainConfig),
    /// What changed between two versions of a story.
    Compare(CompareConfig),
    /// Groups of articles that are versions of one story.
    Versions(VersionsConfig),
}

/// Settings of `newsdex compare`.
#[derive(Clone, Debug)]
pub struct CompareConfig {
    /// The first version: article id, corpus path or file.
    pub a: String,
    /// The second version.
    pub b: String,
    /// Aliases file overriding the corpus's newsdex.toml.
    pub aliases: Option<PathBuf>,
    /// One JSON object instead of text.
    pub json: bool,
}

/// Settings of `newsdex versions`.
#[derive(Clone, Debug)]
pub struct VersionsConfig {
    /// An article (id or corpus path) or a name to start from; all stories when absent.
    pub target: Option<String>,
    /// Most stories to print (0 = all).
    pub limit: usize,
    /// JSON Lines output.
    pub json: bool,
}

/// Settings of `newsdex serve`.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The address to listen on, as given (`127.0.0.1:7700`, `localhost:0`, `[::1]:8080`).
    pub addr: String,
    /// Allow an address that is not loopback.
    pub public: bool,
    /// Requests answered at once.
    pub workers: usize,
}

/// Settings of `newsdex entities`.
#[derive(Clone, Debug)]
pub struct EntitiesConfig {
    /// Only this kind.
    pub kind: Option<EntityKind>,
    /// Most to print (0 = all).
    pub limit: usize,
    /// List co-occurring entities of this name instead.
    pub cooccur: Option<String>,
    /// Say why each spelling is listed under its entity.
    pub explain: bool,
    /// JSON Lines output.
    pub json: bool,
}

/// Settings of `newsdex ner`.
#[derive(Clone, Debug)]
pub struct NerConfig {
    /// The file to tag.
    pub file: PathBuf,
    /// CoNLL-2003 input.
    pub conll: bool,
    /// Print scores instead of tags.
    pub score: bool,
    /// With `conll`: the spans kept after the tagger, not the bare tagger's labels.
    pub spans: bool,
    /// A model file to use instead of the built-in one.
    pub model: Option<PathBuf>,
    /// JSON output.
    pub json: bool,
}

/// Settings of `newsdex train-ner`.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Folder with train.txt and dev.txt.
    pub conll: PathBuf,
    /// Unlabelled news folders.
    pub news: Vec<PathBuf>,
    /// Word clusters learned elsewhere (spaCy's `en_lexeme_cluster.json[.gz]`).
    pub clusters: Option<PathBuf>,
    /// Output model file.
    pub out: PathBuf,
    /// log2 of weight rows.
    pub bits: u32,
    /// Training passes.
    pub epochs: usize,
}

/// Settings of `newsdex index`.
#[derive(Clone, Debug)]
pub struct IndexConfig {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Hash files even when size and mtime match.
    pub verify: bool,
    /// Writer memory in bytes.
    pub heap_bytes: usize,
    /// Writer threads (0 = auto).
    pub threads: usize,
    /// Summary as JSON on stdout.
    pub json: bool,
    /// Recognise entities.
    pub entities: bool,
}

/// Settings of `newsdex search`.
#[derive(Clone, Debug)]
pub struct SearchConfig {
    /// The query text (may be empty when filters are given).
    pub query: String,
    /// Required entities.
    pub filters: Vec<(EntityKind, String)>,
    /// Most hits.
    pub limit: usize,
    /// JSON Lines output.
    pub json: bool,
}

/// Settings of `newsdex mentions`.
#[derive(Clone, Debug)]
pub struct MentionsConfig {
    /// The name.
    pub name: String,
    /// No spelling variants or aliases.
    pub exact: bool,
    /// Print only the number of passages.
    pub count: bool,
    /// Aliases file overriding the corpus's newsdex.toml.
    pub aliases: Option<PathBuf>,
    /// JSON Lines output.
    pub json: bool,
}
