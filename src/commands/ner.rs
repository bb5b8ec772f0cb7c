//! The `ner` and `train-ner` commands: tagging files, scoring, retraining.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use crate::config::{NerConfig, TrainConfig};
use crate::entities::{amend_spans, recognize_text};
use crate::ner::conll::{self, Line};
use crate::ner::model::{Model, TrainOptions, LABELS};
use crate::ner::{shipped_model, train};

/// One entity found in a text file, as `ner --json` prints it.
#[derive(Serialize)]
struct Found<'a> {
    r#type: &'static str,
    start: usize,
    end: usize,
    text: &'a str,
}

/// Runs `newsdex ner`.
pub fn ner(c: &NerConfig) -> anyhow::Result<ExitCode> {
    let loaded;
    let model = match &c.model {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read model {}", path.display()))?;
            loaded =
                Model::from_bytes(&bytes).with_context(|| format!("model {}", path.display()))?;
            &loaded
        }
        None => shipped_model().context("this newsdex was built without an entity model")?,
    };
    let bytes =
        std::fs::read(&c.file).with_context(|| format!("cannot read {}", c.file.display()))?;
    let (text, note) = crate::corpus::decode(&bytes)
        .map_err(|reason| anyhow::anyhow!("{}: {reason}", c.file.display()))?;
    if let Some(note) = note {
        eprintln!("newsdex: warning: {}: {note}", c.file.display());
    }
    if c.conll {
        return ner_conll(model, &text, c);
    }
    let started = Instant::now();
    let (entities, tokens) = recognize_text(model, &text);
    let secs = started.elapsed().as_secs_f64();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in &entities {
        let name = &text[e.start..e.end];
        if c.json {
            let found = Found {
                r#type: e.kind.field_name(),
                start: e.start,
                end: e.end,
                text: name,
            };
            serde_json::to_writer(&mut out, &found)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{}\t{}-{}\t{}",
                e.kind.field_name(),
                e.start,
                e.end,
                name
            )?;
        }
    }
    out.flush()?;
    eprintln!(
        "{} entities; {tokens} tokens in {secs:.3} s ({:.0} tokens/s)",
        entities.len(),
        tokens as f64 / secs.max(1e-9)
    );
    Ok(if entities.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
            serde_json::to_writer(&mut out, &s)?;
            writeln!(out)?;
        } else {
            writeln!(out, "type   precision  recall  f1      (tp/fp/fn)")?;
            for (name, p) in [
                ("PER", &s.per),
                ("LOC", &s.loc),
                ("ORG", &s.org),
                ("micro", &s.micro),
            ] {
                writeln!(
                    out,
                    "{name:<6} {:.4}     {:.4}  {:.4}  ({}/{}/{})",
                    p.precision,
                    p.recall,
                    p.f1,
                    p.true_positives,
                    p.false_positives,
                    p.false_negatives
                )?;
            }
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
    eprintln!(
        "{tokens} tokens tagged in {secs:.3} s ({:.0} tokens/s, one core); {}",
        tokens as f64 / secs.max(1e-9),
        if c.spans {
            "spans kept after the tagger (gazetteer and organisation words applied)"
        } else {
            "the bare tagger (--spans: the spans newsdex keeps)"
        }
    );
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
    log(&format!(
        "wrote {} ({:.1} MB: {})",
        c.out.display(),
        bytes.len() as f64 / 1e6,
        model.describe()
    ));
    Ok(ExitCode::SUCCESS)
}
