//! The command line: clap types only, validated into [`crate::Config`] before any work starts.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::{ColorChoice, Command, Config, IndexConfig, MentionsConfig, SearchConfig};

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
    },
    /// Rank passages for a query (tantivy syntax), best first, matches highlighted.
    ///
    /// Words are all required unless joined by OR; "quoted phrases" match across
    /// hyphens and apostrophes ("Jaish al-Adl" = "Jaish al Adl"). Fields:
    /// title:, person:, place:, org:, source:, path:. Examples:
    ///   newsdex search 'strikes Balochistan'
    ///   newsdex search '"Crisis Group" AND (Iran OR Tehran)'
    ///   newsdex search 'place:Davos'
    #[command(verbatim_doc_comment)]
    Search {
        /// The query.
        query: String,
        /// Most hits to print.
        #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
        limit: usize,
        /// JSON Lines on stdout, one object per hit.
        #[arg(long)]
        json: bool,
    },
    /// List every passage that mentions a name, in corpus order (not ranked, not cut off).
    ///
    /// The name is matched as a phrase across hyphens, apostrophes and case.
    /// The count of passages and articles goes to stderr.
    Mentions {
        /// The name to find, e.g. "Jaish al-Adl".
        name: String,
        /// JSON Lines on stdout, one object per passage.
        #[arg(long)]
        json: bool,
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
            } => Command::Index(IndexConfig {
                corpus,
                rebuild,
                verify,
                heap_bytes: (heap_mb * 1_000_000) as usize,
                threads,
                json,
            }),
            Sub::Search { query, limit, json } => {
                Command::Search(SearchConfig { query, limit, json })
            }
            Sub::Mentions { name, json } => Command::Mentions(MentionsConfig { name, json }),
        };
        Config {
            index: self.index,
            quiet: self.quiet,
            color,
            command,
        }
    }
}
