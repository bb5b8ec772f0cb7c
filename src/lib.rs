//! newsdex: a search engine for news archives.
//!
//! The data flows one way:
//!
//! ```text
//! corpus files ──corpus──▶ articles ──passages──▶ passages ──entities──▶ + people/places/orgs
//!      ──index──▶ tantivy index on disk ──search──▶ ranked, highlighted passages ──output──▶ user
//! ```
//!
//! [`corpus`] walks a folder and reads each format into [`corpus::Article`]s;
//! [`passages`] splits articles into paragraphs; [`entities`] finds who and
//! what each passage names; [`index`] keeps the tantivy index in line with the
//! corpus, incrementally and in one commit per run; [`search`] answers ranked
//! queries and exhaustive mention look-ups; [`output`] prints them. [`run`] is
//! the one entry point the binary calls.

pub mod cli;
pub mod corpus;
pub mod entities;
pub mod index;
pub mod output;
pub mod passages;
pub mod search;
pub mod serve;
pub mod watch;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::entities::NoEntities;
use crate::output::{Printer, Reporter};

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
    Serve(serve::ServeConfig),
    /// Tag or score a file with the entity model.
    Ner(NerConfig),
    /// Retrain the entity model.
    TrainNer(TrainConfig),
}

/// Settings of `newsdex entities`.
#[derive(Clone, Debug)]
pub struct EntitiesConfig {
    /// Only this kind.
    pub kind: Option<entities::EntityKind>,
    /// Most to print (0 = all).
    pub limit: usize,
    /// List co-occurring entities of this name instead.
    pub cooccur: Option<String>,
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
    pub filters: Vec<(entities::EntityKind, String)>,
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

/// Runs one invocation; the exit code follows grep: 0 found, 1 nothing found, 2 error.
pub fn run(config: Config) -> anyhow::Result<ExitCode> {
    match &config.command {
        Command::Index(c) => run_index(&config, c),
        Command::Watch(c, debounce) => run_watch(&config, c, *debounce),
        Command::Search(c) => run_search(&config, c),
        Command::Mentions(c) => run_mentions(&config, c),
        Command::Entities(c) => run_entities(&config, c),
        Command::Stats { json } => run_stats(&config, *json),
        Command::Serve(c) => serve::run(config.index.clone(), c),
        Command::Ner(c) => entities::cmd::ner(c),
        Command::TrainNer(c) => entities::cmd::train(config.quiet, c),
    }
}

fn recognizer(c: &IndexConfig) -> Box<dyn entities::Recognizer> {
    if c.entities {
        Box::new(entities::ShippedRecognizer)
    } else {
        Box::new(NoEntities)
    }
}

fn update_options(c: &IndexConfig) -> index::UpdateOptions<'_> {
    index::UpdateOptions {
        corpus: &c.corpus,
        verify: c.verify,
        rebuild: c.rebuild,
        heap_bytes: c.heap_bytes,
        threads: c.threads,
    }
}

fn run_watch(
    config: &Config,
    c: &IndexConfig,
    debounce: std::time::Duration,
) -> anyhow::Result<ExitCode> {
    let reporter = Reporter::new(config.quiet);
    let idx = index::open_or_create(&config.index, false)?;
    let stop = watch::ctrl_c_flag(&config.index)?;
    watch::watch(
        &idx,
        recognizer(c).as_ref(),
        &update_options(c),
        &reporter,
        debounce,
        stop,
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_index(config: &Config, c: &IndexConfig) -> anyhow::Result<ExitCode> {
    let reporter = Reporter::new(config.quiet);
    let idx = index::open_or_create(&config.index, c.rebuild)?;
    let opts = update_options(c);
    let recognizer = recognizer(c);
    let summary = index::update(&idx, recognizer.as_ref(), &opts, &reporter);
    reporter.finish();
    let summary = summary?;
    if c.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    }
    reporter.info(&format!(
        "indexed {} into {}: {} added, {} changed, {} removed, {} unchanged, {} empty, {} failed; \
         {} passages from {} articles ({} in the index); {} warnings; {:.2} s",
        c.corpus.display(),
        config.index.display(),
        summary.added,
        summary.changed,
        summary.removed,
        summary.unchanged,
        summary.empty,
        summary.failed,
        summary.passages,
        summary.articles,
        summary.total_passages,
        summary.warnings,
        summary.seconds,
    ));
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_search(config: &Config, c: &SearchConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let parsed = if c.query.trim().is_empty() && !c.filters.is_empty() {
        None
    } else {
        Some(search::parse_query(&idx, &c.query)?)
    };
    let query = search::with_filters(&idx, parsed, &c.filters)?;
    let hits = search::search(&idx, query.as_ref(), c.limit)?;
    print_hits(config, c.json, &hits)?;
    Ok(found(!hits.is_empty()))
}

fn run_mentions(config: &Config, c: &MentionsConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let opts = search::mentions::MentionOptions {
        exact: c.exact,
        aliases: search::mentions::aliases_for(&idx, c.aliases.as_deref())?,
    };
    if c.count {
        let n = search::mentions::count(&idx, &c.name, &opts)?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{n}").context("writing results")?;
        return Ok(found(n > 0));
    }
    let found_mentions = search::mentions::mentions(&idx, &c.name, &opts)?;
    let hits = &found_mentions.hits;
    print_hits(config, c.json, hits)?;
    if !config.quiet {
        let mut articles: Vec<&str> = hits.iter().map(|h| h.article.as_str()).collect();
        articles.dedup();
        let spellings: Vec<String> = found_mentions
            .spellings
            .iter()
            .map(|(s, n)| format!("{s:?} ({n})"))
            .collect();
        eprintln!(
            "{} passages in {} articles mention {:?}; spellings: {}",
            hits.len(),
            articles.len(),
            c.name,
            if spellings.is_empty() {
                "none".to_string()
            } else {
                spellings.join(", ")
            }
        );
    }
    Ok(found(!hits.is_empty()))
}

fn run_entities(config: &Config, c: &EntitiesConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let mut list = match &c.cooccur {
        Some(name) => {
            let (list, passages) = search::entities::cooccurring(&idx, name)?;
            if !config.quiet {
                eprintln!("{passages} passages name {name:?}");
            }
            list
        }
        None => search::entities::list(&idx, c.kind)?,
    };
    if let Some(kind) = c.kind {
        list.retain(|e| e.kind == kind.field_name());
    }
    if c.limit > 0 {
        list.truncate(c.limit);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in &list {
        if c.json {
            serde_json::to_writer(&mut out, e)?;
            writeln!(out)?;
        } else {
            let also = if e.variants.is_empty() {
                String::new()
            } else {
                format!(" (also: {})", e.variants.join(", "))
            };
            writeln!(
                out,
                "{:<7}{:>7}{:>7}  {}{also}",
                e.kind, e.passages, e.articles, e.name
            )?;
        }
    }
    out.flush().context("writing results")?;
    Ok(found(!list.is_empty()))
}

fn run_stats(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let human = |bytes: u64| indicatif::DecimalBytes(bytes).to_string();
    let idx = index::open(&config.index)?;
    let s = index::stats(&idx)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
    } else {
        let ratio = if s.corpus_bytes > 0 {
            format!(
                " = {:.2}x the corpus",
                s.index_bytes as f64 / s.corpus_bytes as f64
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "{} passages from {} files in {} segments",
            s.passages, s.files, s.segments
        )?;
        writeln!(
            out,
            "index {} for a corpus of {}{ratio}",
            human(s.index_bytes),
            human(s.corpus_bytes)
        )?;
        writeln!(out, "stored passages {}", human(s.stored))?;
        if s.deletes > 0 {
            writeln!(out, "deleted-passage lists {}", human(s.deletes))?;
        }
        // a field's name, then its six byte counts in columns
        let row = |name: &str, cells: [String; 6]| {
            format!("{name:<14}{}", cells.map(|c| format!("{c:>10}")).concat())
        };
        let header = ["terms", "postings", "positions", "fast", "norms", "total"];
        writeln!(out, "\n{}", row("field", header.map(String::from)))?;
        for f in &s.fields {
            let bytes = [f.terms, f.postings, f.positions, f.fast, f.norms, f.total()];
            writeln!(out, "{}", row(&f.field, bytes.map(human)))?;
        }
    }
    out.flush().context("writing results")?;
    Ok(ExitCode::SUCCESS)
}

fn print_hits(config: &Config, json: bool, hits: &[search::Hit]) -> anyhow::Result<()> {
    let stdout = std::io::stdout().lock();
    let mut printer = Printer::new(
        std::io::BufWriter::new(stdout),
        json,
        output::use_color(config.color),
    );
    for hit in hits {
        printer.hit(hit).context("writing results")?;
    }
    printer.flush().context("writing results")?;
    Ok(())
}

fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
