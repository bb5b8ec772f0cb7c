//! `newsdex versions [NAME|ARTICLE]`: groups of articles in the index that are versions of
//! one story, so that a user finds what to `compare` without knowing it in advance.
//!
//! Without an argument every story of two articles or more is listed, largest first; an
//! argument that is an article id or corpus path in the index lists that article's story;
//! any other argument is a name, and lists the stories with an article naming it. Each
//! story is a heading line (articles, shared names and numbers, weakest link's score) and
//! one line per article: `path [article id]  title  (date)`. `--json` prints one
//! [`crate::compare::versions::Story`] per line.
//!
//! Exit status as grep: 0 when a story was found, 1 when none, 2 on error.
//!
//! May import: compare, index, output (colour choice), config types.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::compare::versions::{self, Scope};
use crate::config::{Config, VersionsConfig};
use crate::{compare, index, output};

/// A title cut to about 100 characters at a word (a text file's "title" is its first line).
fn shortened(title: &str) -> String {
    match title.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &title[..title[..i].rfind(' ').unwrap_or(i)]),
        None => title.to_string(),
    }
}

/// Runs `newsdex versions`.
pub fn run(config: &Config, c: &VersionsConfig) -> anyhow::Result<ExitCode> {
    let idx = index::open(&config.index)?;
    let scope = match &c.target {
        None => Scope::All,
        Some(t) if compare::load::from_index(&idx, t)?.is_some() => Scope::Article(t.clone()),
        Some(t) => Scope::Name(t.clone()),
    };
    let (stories, total) = versions::find(&idx, &scope, c.limit)?;
    let color = output::use_color(config.color);
    let (dim, off) = if color {
        ("\x1b[35m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, s) in stories.iter().enumerate() {
        if c.json {
            serde_json::to_writer(&mut out, s)?;
            writeln!(out)?;
            continue;
        }
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "story {}: {} versions sharing {} (score {:.2})",
            n + 1,
            s.articles.len(),
            s.shared.join(", "),
            s.score
        )?;
        for m in &s.articles {
            let id = if m.article != m.path {
                format!(" [{}]", m.article)
            } else {
                String::new()
            };
            let date = m
                .date
                .as_ref()
                .map(|d| format!("  ({d})"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {dim}{}{off}{id}  {}{date}",
                m.path,
                shortened(&m.title)
            )?;
        }
    }
    out.flush().context("writing results")?;
    if !config.quiet {
        let scope = match &scope {
            Scope::All => String::new(),
            Scope::Name(n) => format!(" with an article naming {n:?}"),
            Scope::Article(a) => format!(" of {a}"),
        };
        let noun = if total == 1 { "story" } else { "stories" };
        eprintln!(
            "{total} {noun}{scope} in more than one version; {} shown",
            stories.len()
        );
    }
    Ok(if total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
