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
    /// Send the corpus's passages to a SolrCloud collection.
    Push(PushConfig),
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
    /// Ask this SolrCloud collection instead of the local index.
    pub solr: Option<SolrTarget>,
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
    /// Curation file to use instead of newsdex.toml beside the file.
    pub aliases: Option<PathBuf>,
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
    /// A SolrCloud cluster asked for, which ranked search does not offer.
    pub solr: Option<String>,
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
    /// Ask this SolrCloud collection instead of the local index.
    pub solr: Option<SolrTarget>,
}

/// A SolrCloud collection: node URLs and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolrTarget {
    /// Base URLs of one or more nodes, comma-separated (`http://127.0.0.1:8983/solr`).
    pub url: String,
    /// The collection.
    pub collection: String,
}

/// Settings of `newsdex push`.
#[derive(Clone, Debug)]
pub struct PushConfig {
    /// The collection.
    pub target: SolrTarget,
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The slice of the corpus this machine pushes: (I, N), 1 ≤ I ≤ N.
    pub shard: (u64, u64),
    /// Documents per update request.
    pub batch: usize,
    /// Hash every file even when its size and modification time are unchanged.
    pub verify: bool,
    /// Run the entity recogniser.
    pub entities: bool,
    /// The summary as one JSON object on stdout.
    pub json: bool,
}

/// Reads a `--shard` value `I/N` (1 ≤ I ≤ N).
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: give the slice as I/N, e.g. 2/4"))?;
    let (index, count): (u64, u64) = match (i.trim().parse(), n.trim().parse()) {
        (Ok(i), Ok(n)) => (i, n),
        _ => return Err(format!("{s:?}: I and N in I/N are whole numbers")),
    };
    if count == 0 || index == 0 || index > count {
        return Err(format!("{s:?}: the slice I/N needs 1 ≤ I ≤ N"));
    }
    Ok((index, count))
}
