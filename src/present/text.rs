//! Text output for a reader: hits, entity tables, index statistics and tagger output,
//! matches coloured on a terminal and wrapped in `**…**` in a pipe.
//!
//! May import: the result types of `search`, `index`, `ner` and `corpus`; `config`.

use std::io::Write;

use crate::index::Stats;
use crate::ner::conll::Scores;
use crate::present::json::NerSpan;
use crate::search::entities::EntityCount;
use crate::search::Hit;

const MARK_ON: &str = "\x1b[1;31m";
const MARK_OFF: &str = "\x1b[0m";
const DIM_ON: &str = "\x1b[35m";

/// One hit: a heading line (`path #passage [article]  title  (score)`), the passage with
/// its matches marked, and the people, places and organisations it names.
pub fn hit<W: Write>(out: &mut W, hit: &Hit, color: bool) -> std::io::Result<()> {
    let (on, off) = if color { (DIM_ON, MARK_OFF) } else { ("", "") };
    write!(out, "{on}{}{off} #{}", hit.path, hit.passage)?;
    if hit.article != hit.path {
        write!(out, " [{}]", hit.article)?;
    }
    if !hit.title.is_empty() {
        write!(out, "  {}", hit.title)?;
    }
    if let Some(score) = hit.score {
        write!(out, "  ({score:.2})")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", marked(&hit.text, &hit.highlights, color))?;
    let mut ents = Vec::new();
    for (label, names) in [
        ("person", &hit.person),
        ("place", &hit.place),
        ("org", &hit.org),
    ] {
        if !names.is_empty() {
            ents.push(format!("{label}: {}", names.join(", ")));
        }
    }
    if !ents.is_empty() {
        writeln!(out, "  [{}]", ents.join("; "))?;
    }
    writeln!(out)
}

/// `text` with the byte ranges `spans` marked; ranges out of order or off a character
/// boundary are left unmarked.
fn marked(text: &str, spans: &[[usize; 2]], color: bool) -> String {
    let (on, off) = if color {
        (MARK_ON, MARK_OFF)
    } else {
        ("**", "**")
    };
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut at = 0;
    for &[s, e] in spans {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(on);
        out.push_str(&text[s..e]);
        out.push_str(off);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// One row of `newsdex entities`: type, passages, articles, name and its other spellings;
/// with `explain`, each spelling on a line of its own with why it is listed there.
pub fn entity<W: Write>(out: &mut W, e: &EntityCount, explain: bool) -> std::io::Result<()> {
    if explain {
        writeln!(
            out,
            "{:<7}{:>7}{:>7}  {}",
            e.kind, e.passages, e.articles, e.name
        )?;
        for (v, why) in e.variants.iter().zip(&e.why) {
            writeln!(out, "{:21}  = {v}: {why}", "")?;
        }
        return Ok(());
    }
    let also = if e.variants.is_empty() {
        String::new()
    } else {
        format!(" (also: {})", e.variants.join(", "))
    };
    writeln!(
        out,
        "{:<7}{:>7}{:>7}  {}{also}",
        e.kind, e.passages, e.articles, e.name
    )
}

/// The table of `newsdex stats`.
pub fn stats<W: Write>(out: &mut W, s: &Stats) -> std::io::Result<()> {
    let human = |bytes: u64| indicatif::DecimalBytes(bytes).to_string();
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
    Ok(())
}

/// One entity of `newsdex ner FILE`:
/// `article<TAB>type<TAB>start-end<TAB>name as written<TAB>name recorded`.
pub fn ner_span<W: Write>(out: &mut W, s: &NerSpan) -> std::io::Result<()> {
    writeln!(
        out,
        "{}\t{}\t{}-{}\t{}\t{}",
        s.article, s.r#type, s.start, s.end, s.text, s.name
    )
}

/// The score table of `newsdex ner --conll --score`.
pub fn conll_scores<W: Write>(out: &mut W, s: &Scores) -> std::io::Result<()> {
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
            p.precision, p.recall, p.f1, p.true_positives, p.false_positives, p.false_negatives
        )?;
    }
    Ok(())
}
