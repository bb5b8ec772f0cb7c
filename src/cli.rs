//! The command line: clap types only, validated into [`crate::config::Config`] before any work starts.
//!
//! May import: `config`, `entities` (the entity kinds).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{
    ColorChoice, Command, CompareConfig, Config, EntitiesConfig, IndexConfig, MentionsConfig,
    NerConfig, PushConfig, SearchConfig, ServeConfig, SolrTarget, TrainConfig, VersionsConfig,
};
use crate::entities::EntityKind;

/// Search a news archive: ranked passages, entity filters and every mention of a name.
///
/// Index a folder of articles (.txt, .md, .html, .json, .jsonl/.ndjson) once with
/// `newsdex index`; re-running it updates only what changed. Then `newsdex search`
/// ranks passages and `newsdex mentions` lists every passage that names someone.
///
/// Exit status: 0 when something was found (or indexing succeeded), 1 when nothing
/// was found, 2 on error.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, max_term_width = 100)]
pub struct Cli {
    /// The index folder.
    #[arg(
        long,
        global = true,
        env = "NEWSDEX_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,

    /// No progress bars or summaries on stderr (warnings and errors still print).
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// When to colour matches: auto colours on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    #[command(subcommand)]
    pub command: Sub,
}

/// `--color` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    /// Colour on a terminal when NO_COLOR is unset; elsewhere mark matches with **…**.
    Auto,
    /// Always ANSI colour.
    Always,
    /// Never colour; mark matches with **…**.
    Never,
}

/// Entity types for `--type`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    /// People.
    Person,
    /// Places.
    Place,
    /// Organisations.
    Org,
}

/// Where a query command asks instead of the local index.
#[derive(Debug, clap::Args)]
pub struct SolrArgs {
    /// Ask this SolrCloud cluster (node URLs, comma-separated) instead of the local index.
    #[arg(long, env = "NEWSDEX_SOLR", value_name = "URL")]
    pub solr: Option<String>,
    /// The collection `newsdex push` filled.
    #[arg(
        long,
        env = "NEWSDEX_SOLR_COLLECTION",
        default_value = "newsdex",
        value_name = "NAME"
    )]
    pub collection: String,
}

impl SolrArgs {
    fn target(self) -> Option<SolrTarget> {
        let collection = self.collection;
        self.solr.map(|url| SolrTarget { url, collection })
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Build or update the index from a corpus folder, touching only what changed.
    ///
    /// Files are compared with what the index recorded: unchanged files are not
    /// re-read, changed files are re-indexed, removed files are deleted, all in
    /// one commit (an interrupted run leaves the previous index intact).
    /// Unreadable files and broken JSON lines are reported and skipped.
    Index {
        /// The corpus folder to walk.
        #[arg(long, default_value = "corpus", value_name = "DIR")]
        corpus: PathBuf,
        /// Re-index everything from scratch (needed after a newsdex upgrade changes the schema).
        #[arg(long)]
        rebuild: bool,
        /// Hash every file even when its size and modification time are unchanged.
        #[arg(long)]
        verify: bool,
        /// Memory for the index writer, in MB.
        #[arg(long, default_value_t = 256, value_name = "MB", value_parser = clap::value_parser!(u64).range(16..=65536))]
        heap_mb: u64,
        /// Indexing threads (0: one per core).
        #[arg(long, default_value_t = 0, value_name = "N")]
        threads: usize,
        /// Print the summary as one JSON object on stdout.
        #[arg(long)]
        json: bool,
        /// Build a plain full-text index: no entity recognition and no spelling keys, so
        /// `mentions` and --person/--place/--org match the exact text only. The index
        /// records it; a later run with the other setting is refused until --rebuild.
        #[arg(long)]
        no_entities: bool,
    },
    /// Keep the index in sync with the corpus: reconcile now, then follow every change.
    ///
    /// Changes made while watch was not running are picked up at start-up. File events
    /// are debounced and coalesced, so a burst of edits, renames or copies becomes one
    /// commit; each commit is logged on stderr. Ctrl-C finishes the current update and
    /// exits; a second Ctrl-C abandons it (the index keeps its last commit).
    Watch {
        /// The corpus folder to watch.
        #[arg(long, default_value = "corpus", value_name = "DIR")]
        corpus: PathBuf,
        /// How long the corpus must be quiet before an update starts, in milliseconds.
        #[arg(long, default_value_t = 300, value_name = "MS")]
        debounce_ms: u64,
        /// Keep a plain full-text index (see `newsdex index --no-entities`).
        #[arg(long)]
        no_entities: bool,
        /// Memory for the index writer, in MB.
        #[arg(long, default_value_t = 256, value_name = "MB", value_parser = clap::value_parser!(u64).range(16..=65536))]
        heap_mb: u64,
    },
    /// Rank passages for a query (tantivy syntax), best first, matches highlighted.
    ///
    /// Words are all required unless joined by OR; "quoted phrases" match across
    /// hyphens and apostrophes ("Lashkar-e-Taiba" = "Lashkar e Taiba"). Fields:
    /// title:, person:, place:, org:, source:, path:. Examples:
    ///   newsdex search 'strikes Balochistan'
    ///   newsdex search '"Crisis Group" AND (Iran OR Tehran)'
    ///   newsdex search 'place:Davos'
    ///   newsdex search strikes --person "Ali Vaez"
    #[command(verbatim_doc_comment)]
    Search {
        /// The query (may be omitted when a --person/--place/--org filter is given).
        #[arg(default_value = "")]
        query: String,
        /// Only passages naming this person (repeatable; "Ali Vaez" also matches "Vaez" passages
        /// that the recogniser linked to him).
        #[arg(long, value_name = "NAME")]
        person: Vec<String>,
        /// Only passages naming this place (repeatable).
        #[arg(long, value_name = "NAME")]
        place: Vec<String>,
        /// Only passages naming this organisation (repeatable).
        #[arg(long, value_name = "NAME")]
        org: Vec<String>,
        /// Most hits to print.
        #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
        limit: usize,
        /// JSON Lines on stdout, one object per hit.
        #[arg(long)]
        json: bool,
        /// Not offered: ranked search stays on the local index (the command says why);
        /// `mentions --solr` and `entities --solr` ask a SolrCloud collection.
        #[arg(long, value_name = "URL")]
        solr: Option<String>,
    },
    /// List every passage that mentions a name, in any spelling, in corpus order.
    ///
    /// Not ranked and not cut off. A passage mentions the name when its text holds it as a
    /// phrase (across case, hyphens and apostrophes), or when an entity recorded in it is a
    /// spelling variant ("Ali Fayez" or a "Faiz" linked to him, for "Ali Vaez"; Gaddafi,
    /// Qaddafi, Gadhafi). Names declared the same in the corpus's newsdex.toml are found
    /// too. stderr says how many passages and which spellings matched.
    Mentions {
        /// The name to find, e.g. "Lashkar-e-Taiba".
        name: String,
        /// Only the name as written: no spelling variants, no aliases.
        #[arg(long)]
        exact: bool,
        /// Print only the number of passages (with --exact, without reading any passage).
        #[arg(long, short = 'c', conflicts_with = "json")]
        count: bool,
        /// Aliases file to use instead of newsdex.toml in the corpus folder (with --solr, the
        /// only way to give aliases: a collection knows no corpus folder).
        #[arg(long, value_name = "FILE")]
        aliases: Option<PathBuf>,
        /// JSON Lines on stdout, one object per passage.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        solr: SolrArgs,
    },
    /// List the people, places and organisations the corpus mentions, most passages first.
    ///
    /// Each line: type, passages, articles, name. With --cooccur NAME, lists the entities
    /// that share passages with NAME instead (counts are of shared passages).
    Entities {
        /// Only this type.
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        /// Most entities to print (0: all).
        #[arg(long, short = 'n', default_value_t = 50)]
        limit: usize,
        /// List the entities that share passages with this name.
        #[arg(long, value_name = "NAME")]
        cooccur: Option<String>,
        /// Under each entity, list its other spellings one per line with the evidence that
        /// merged them (same variant key, or a short form linked within an article). `--json` always carries it as "why".
        #[arg(long)]
        explain: bool,
        /// JSON Lines: {"type","name","passages","articles","variants","why"}.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        solr: SolrArgs,
    },
    /// Send the corpus's passages to a SolrCloud collection, touching only what changed.
    ///
    /// Each passage goes with its article, title, text, people, places, organisations and
    /// their spelling keys, made as `newsdex index` makes them. The collection's schema is
    /// checked first (src/solr/configset/ ships it); a collection made from Solr's _default
    /// configset gets the missing fields added. Files already in the collection with the
    /// same content are skipped, changed ones replaced, removed ones deleted. Failed
    /// requests are retried on the cluster's other nodes; an interrupted push is finished
    /// by the next one. With --shard I/N, N machines push one corpus together, each the
    /// files whose path hashes to its slice.
    Push {
        /// Node URL(s) of the SolrCloud cluster, comma-separated.
        #[arg(long, env = "NEWSDEX_SOLR", value_name = "URL")]
        solr: String,
        /// The collection to fill.
        #[arg(
            long,
            env = "NEWSDEX_SOLR_COLLECTION",
            default_value = "newsdex",
            value_name = "NAME"
        )]
        collection: String,
        /// The corpus folder to walk.
        #[arg(long, default_value = "corpus", value_name = "DIR")]
        corpus: PathBuf,
        /// Push only slice I of N (1-based): the files whose path hashes to it.
        #[arg(long, value_name = "I/N", value_parser = crate::config::parse_shard)]
        shard: Option<(u64, u64)>,
        /// Passages (and deletions) per update request.
        #[arg(long, default_value_t = 500, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
        batch: u64,
        /// Hash every file even when its size and modification time are unchanged.
        #[arg(long)]
        verify: bool,
        /// Skip entity recognition.
        #[arg(long)]
        no_entities: bool,
        /// Print the summary as one JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Serve a local, read-only web interface and JSON API over the index.
    ///
    /// Pages: a search box with entity facets, an entity page (spellings, passages over
    /// time, names seen with it), an article page with its names marked. API:
    ///   GET /api/search?q=&person=&place=&org=&limit=&offset=
    ///   GET /api/mentions?name=&exact=&limit=&offset=
    ///   GET /api/entities?type=&cooccur=&limit=
    ///   GET /api/article/{id}
    /// The hits are the objects `search --json` prints. Prints `listening on http://ADDR`
    /// on stderr when ready; follows the index as `index` or `watch` commit beside it;
    /// Ctrl-C or SIGTERM stops it. There is no authentication: it listens on loopback
    /// only, unless --public.
    #[command(verbatim_doc_comment)]
    Serve {
        /// Address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:7700", value_name = "HOST:PORT")]
        addr: String,
        /// Allow an address other than loopback: anyone who can reach it reads the archive.
        #[arg(long)]
        public: bool,
        /// Requests answered at once (others wait their turn).
        #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
        workers: u16,
    },
    /// Show where the index's bytes go: stored passages and each field's terms, postings,
    /// positions, fast values and norms, beside the size of the corpus it was built from.
    Stats {
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show the people, places and organisations the index records for a file (or score a
    /// CoNLL-2003 file).
    ///
    /// The file is read as `newsdex index` reads it (by its extension: .txt, .md, .html,
    /// .json, .jsonl) and goes through the same recogniser, so what this prints is what
    /// `search --person` and `mentions` find. One entity per line:
    /// `ARTICLE<TAB>TYPE<TAB>start-end<TAB>name as written<TAB>name recorded`, byte offsets
    /// into the article's text; the recorded name is the full name a surname stands for
    /// (`--json`: one object per entity with the same fields and the passage number).
    /// With --conll, reads CoNLL-2003 and prints each line with the bare tagger's IOB2 tag
    /// appended, for any standard scorer (no article-level passes); --score prints
    /// entity-level precision, recall and F1 for PER, LOC, ORG and their micro-average.
    Ner {
        /// The file to tag.
        file: PathBuf,
        /// Read CoNLL-2003 format (one token per line, tag in the last column).
        #[arg(long)]
        conll: bool,
        /// With --conll: print scores against the file's own tags instead of tagged lines.
        #[arg(long, requires = "conll")]
        score: bool,
        /// With --conll: tag and score the spans newsdex keeps after the tagger (gazetteer
        /// names and organisation words applied), not the bare tagger's labels.
        #[arg(long, requires = "conll")]
        spans: bool,
        /// Use this model file (from train-ner) instead of the one built in.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Curation file ([retype], [not_entity]) to apply instead of newsdex.toml in the
        /// file's folder.
        #[arg(long, value_name = "FILE")]
        aliases: Option<PathBuf>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// What changed between two versions of one story: who, which figures, which quotes.
    ///
    /// A and B are articles in the index (article id or corpus path) or files (read, split
    /// and tagged as `index` would; FILE#ID picks one article of a JSON or JSON Lines file).
    /// Passages are aligned even when a rewrite reorders, merges or splits them or a
    /// translation shares few words, by the names, numbers, quotes and words they share.
    /// Then it lists the people, places and organisations named in one version only
    /// (spelling variants and surnames are one person: "Ali Vaez" = "Ali Fayez" = "Faiz"),
    /// the figures that differ between counterpart passages ("two children" / "three
    /// children"), the quotations quoted in one version only or put in another mouth, and
    /// the passages cut or added. Exit 0 when they differ, 1 when nothing differs. Example:
    ///   newsdex compare iran-pakistan-strikes.txt iran-pakistan-translated.md
    #[command(verbatim_doc_comment)]
    Compare {
        /// The first version (article id, corpus path, or file).
        a: String,
        /// The second version.
        b: String,
        /// Aliases file to use instead of newsdex.toml in the indexed corpus folder.
        #[arg(long, value_name = "FILE")]
        aliases: Option<PathBuf>,
        /// One JSON object: both versions, the alignment and every difference, with byte
        /// offsets into each version's article text.
        #[arg(long)]
        json: bool,
    },
    /// Find articles in the index that are versions of one story.
    ///
    /// Articles that share many of their rarer names and numbers (and, where both are
    /// dated, lie within two weeks) are grouped; candidates come from the index's entity
    /// and number terms, so the cost does not grow with all pairs of articles. With an
    /// article id or corpus path, lists that article's versions; with any other text, the
    /// stories where an article names it (any spelling). Compare two of them with
    /// `newsdex compare`.
    Versions {
        /// An article (id or corpus path) or a name; all stories when left out.
        target: Option<String>,
        /// Most stories to print (0: all).
        #[arg(long, short = 'n', default_value_t = 20, value_name = "N")]
        limit: usize,
        /// JSON Lines: one story per line, {"articles":[…],"shared":[…],"score":…}.
        #[arg(long)]
        json: bool,
    },
    /// Retrain the entity model from CoNLL-2003 (train.txt, dev.txt) and unlabelled news.
    ///
    /// Writes the model to --out; the one newsdex ships is src/ner/ner.model, so
    ///   newsdex train-ner --conll ../shared/data/conll2003 --news ../shared/data/news \
    ///       --out src/ner/ner.model
    /// followed by `cargo build --release` rebuilds newsdex with it.
    #[command(verbatim_doc_comment)]
    TrainNer {
        /// Folder with CoNLL-2003 train.txt and dev.txt.
        #[arg(long, value_name = "DIR")]
        conll: PathBuf,
        /// Folders of unlabelled news articles for capitalisation statistics (repeatable).
        #[arg(long, value_name = "DIR")]
        news: Vec<PathBuf>,
        /// Brown word clusters of a large English corpus, as JSON {word: path-as-integer},
        /// plain or gzipped: `en_lexeme_cluster.json.gz` from the spacy-lookups-data
        /// package (MIT). The model keeps the cluster of every word it lists.
        #[arg(long, value_name = "FILE")]
        clusters: Option<PathBuf>,
        /// Where to write the model.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// log2 of the weight table's rows.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(12..=24))]
        bits: u32,
        /// Passes over the training data (the best on dev.txt is kept).
        #[arg(long, default_value_t = 12)]
        epochs: usize,
    },
}

impl Cli {
    /// Turns parsed flags into the library's configuration.
    pub fn into_config(self) -> Config {
        let color = match self.color {
            Color::Auto => ColorChoice::Auto,
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
        };
        let command = match self.command {
            Sub::Index {
                corpus,
                rebuild,
                verify,
                heap_mb,
                threads,
                json,
                no_entities,
            } => Command::Index(IndexConfig {
                corpus,
                rebuild,
                verify,
                heap_bytes: (heap_mb * 1_000_000) as usize,
                threads,
                json,
                entities: !no_entities,
            }),
            Sub::Watch {
                corpus,
                debounce_ms,
                no_entities,
                heap_mb,
            } => Command::Watch(
                IndexConfig {
                    corpus,
                    rebuild: false,
                    verify: false,
                    heap_bytes: (heap_mb * 1_000_000) as usize,
                    threads: 0,
                    json: false,
                    entities: !no_entities,
                },
                std::time::Duration::from_millis(debounce_ms),
            ),
            Sub::Search {
                query,
                person,
                place,
                org,
                limit,
                json,
                solr,
            } => {
                let mut filters = Vec::new();
                for (kind, names) in [
                    (EntityKind::Person, person),
                    (EntityKind::Place, place),
                    (EntityKind::Org, org),
                ] {
                    filters.extend(names.into_iter().map(|n| (kind, n)));
                }
                Command::Search(SearchConfig {
                    query,
                    filters,
                    limit,
                    json,
                    solr,
                })
            }
            Sub::Entities {
                kind,
                limit,
                cooccur,
                explain,
                json,
                solr,
            } => Command::Entities(EntitiesConfig {
                kind: kind.map(|k| match k {
                    Kind::Person => EntityKind::Person,
                    Kind::Place => EntityKind::Place,
                    Kind::Org => EntityKind::Org,
                }),
                limit,
                cooccur,
                explain,
                json,
                solr: solr.target(),
            }),
            Sub::Stats { json } => Command::Stats { json },
            Sub::Serve {
                addr,
                public,
                workers,
            } => Command::Serve(ServeConfig {
                addr,
                public,
                workers: usize::from(workers),
            }),
            Sub::Mentions {
                name,
                exact,
                count,
                aliases,
                json,
                solr,
            } => Command::Mentions(MentionsConfig {
                name,
                exact,
                count,
                aliases,
                json,
                solr: solr.target(),
            }),
            Sub::Push {
                solr,
                collection,
                corpus,
                shard,
                batch,
                verify,
                no_entities,
                json,
            } => Command::Push(PushConfig {
                target: SolrTarget {
                    url: solr,
                    collection,
                },
                corpus,
                shard: shard.unwrap_or((1, 1)),
                batch: batch as usize,
                verify,
                entities: !no_entities,
                json,
            }),
            Sub::Ner {
                file,
                conll,
                score,
                spans,
                model,
                aliases,
                json,
            } => Command::Ner(NerConfig {
                file,
                conll,
                score,
                spans,
                model,
                aliases,
                json,
            }),
            Sub::TrainNer {
                conll,
                news,
                clusters,
                out,
                bits,
                epochs,
            } => Command::TrainNer(TrainConfig {
                conll,
                news,
                clusters,
                out,
                bits,
                epochs,
            }),
            Sub::Compare {
                a,
                b,
                aliases,
                json,
            } => Command::Compare(CompareConfig {
                a,
                b,
                aliases,
                json,
            }),
            Sub::Versions {
                target,
                limit,
                json,
            } => Command::Versions(VersionsConfig {
                target,
                limit,
                json,
            }),
        };
        Config {
            index: self.index,
            quiet: self.quiet,
            color,
            command,
        }
    }
}
