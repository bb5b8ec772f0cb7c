//! The `ner` and `train-ner` commands: tagging files, scoring, retraining.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::config::{NerConfig, TrainConfig};
use crate::corpus::Format;
use crate::entities::{self, amend_spans, recognize::ModelRecognizer};
use crate::names::curation::Aliases;
use crate::ner::conll::{self, Line};
use crate::ner::model::{Model, TrainOptions, LABELS};
use crate::ner::tokenize::tokenize;
use crate::ner::{shipped_model, train};
use crate::present::json::{self, NerSpan};
use crate::present::{messages, text};

/// Runs `newsdex ner`: a file read as the indexer reads it, its entities as the index
/// records them ([`entities::article_entities`], the one path both take); with
/// `--conll`, the bare tagger over CoNLL-2003 tokens, for scoring.
pub fn ner(c: &NerConfig) -> anyhow::Result<ExitCode> {
    let model: &'static Model = match &c.model {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read model {}", path.display()))?;
            // one model for the life of the process, as the shipped one is
            Box::leak(Box::new(
                Model::from_bytes(&bytes).with_context(|| format!("model {}", path.display()))?,
            ))
        }
        None => shipped_model().context("this newsdex was built without an entity model")?,
    };
    let bytes =
        std::fs::read(&c.file).with_context(|| format!("cannot read {}", c.file.display()))?;
    if c.conll {
        let (text, note) = crate::corpus::decode(&bytes)
            .map_err(|reason| anyhow::anyhow!("{}: {reason}", c.file.display()))?;
        if let Some(note) = note {
            messages::warn_file(&c.file, &note);
        }
        return ner_conll(model, &text, c);
    }
    let format = Format::from_path(&c.file).unwrap_or(Format::Text);
    let rel = c.file.to_string_lossy();
    let content = crate::corpus::read_bytes(&rel, format, &bytes);
    for warning in &content.warnings {
        messages::warn(warning);
    }
    let curation = curation_for(c)?;
    let recognizer = ModelRecognizer::new(model);
    let started = Instant::now();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut found = 0;
    for article in &content.articles {
        let (passages, entities) = entities::article_entities(&recognizer, article);
        for (p, ents) in passages.iter().zip(&entities) {
            for m in &ents.mentions {
                // the user's curation, as `entities` and the filters apply it
                let Some(kind) = curation.kind_of(&m.name, m.kind.field_name()) else {
                    continue;
                };
                let (start, end) = (p.start + m.start, p.start + m.end);
                let span = NerSpan {
                    article: &article.id,
                    passage: p.number,
                    r#type: kind,
                    start,
                    end,
                    text: &article.text[start..end],
                    name: &m.name,
                };
                if c.json {
                    json::line(&mut out, &span)?;
                } else {
                    text::ner_span(&mut out, &span)?;
                }
                found += 1;
            }
        }
    }
    out.flush()?;
    let secs = started.elapsed().as_secs_f64();
    // counted after the clock stopped, so the rate is the recogniser's alone
    let mut tokens = Vec::new();
    let mut count = 0;
    for article in &content.articles {
        tokenize(&article.text, &mut tokens);
        count += tokens.len();
    }
    eprintln!(
        "{}",
        messages::ner_found(found, content.articles.len(), count, secs)
    );
    Ok(if found == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The curation file `ner` applies: `--aliases`, else `newsdex.toml` beside the file.
fn curation_for(c: &NerConfig) -> anyhow::Result<Aliases> {
    if let Some(path) = &c.aliases {
        return Aliases::load(path);
    }
    let beside = c
        .file
        .parent()
        .map(|d| d.join("newsdex.toml"))
        .filter(|p| p.is_file());
    match beside {
        Some(path) => Aliases::load(&path),
        None => Ok(Aliases::default()),
    }
}

fn ner_conll(model: &Model, text: &str, c: &NerConfig) -> anyhow::Result<ExitCode> {
    let parsed = conll::parse(text).with_context(|| format!("parsing {}", c.file.display()))?;
    let tokens: usize = parsed.docs.iter().map(|d| d.tokens.len()).sum();
    let started = Instant::now();
    let mut predicted = train::tag_all(model, &parsed.docs);
    if c.spans {
        for (doc, labels) in parsed.docs.iter().zip(&mut predicted) {
            let mut spans = conll::spans(&doc.tokens, labels);
            amend_spans(&doc.text, &doc.tokens, &mut spans);
            *labels = conll::labels_of(&spans, labels.len());
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if c.score {
        let s = conll::score(&parsed.docs, &predicted);
        if c.json {
            json::line(&mut out, &s)?;
        } else {
            text::conll_scores(&mut out, &s)?;
        }
    } else {
        for line in &parsed.lines {
            match line {
                Line::Token(d, t, raw) => {
                    writeln!(out, "{raw} {}", LABELS[predicted[*d][*t] as usize])?
                }
                Line::Blank => writeln!(out)?,
                Line::DocStart(raw) => writeln!(out, "{raw} O")?,
            }
        }
    }
    out.flush()?;
    eprintln!("{}", messages::conll_speed(tokens, secs, c.spans));
    Ok(ExitCode::SUCCESS)
}

/// Runs `newsdex train-ner`.
pub fn train(quiet: bool, c: &TrainConfig) -> anyhow::Result<ExitCode> {
    let log = |line: &str| {
        if !quiet {
            eprintln!("{line}");
        }
    };
    let news: Vec<&std::path::Path> = c.news.iter().map(|p| p.as_path()).collect();
    let opts = TrainOptions {
        bits: c.bits,
        epochs: c.epochs,
        seed: 2003,
    };
    let model = train::train_from(&c.conll, &news, c.clusters.as_deref(), &opts, &log)?;
    let bytes = model.to_bytes();
    std::fs::write(&c.out, &bytes).with_context(|| format!("cannot write {}", c.out.display()))?;
    log(&messages::model_written(
        &c.out,
        bytes.len(),
        &model.describe(),
    ));
    Ok(ExitCode::SUCCESS)
}
