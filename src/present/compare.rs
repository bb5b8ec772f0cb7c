//! Text output of `compare` and `versions`: differences grouped for a reader, marks
//! coloured on a terminal and `**…**` in a pipe, as [`super::text`] marks matches.
//!
//! `compare` prints the two versions, the people, places and organisations named in one
//! only, the figures that differ (both passages, each figure marked), the quotations quoted
//! in one only or attributed differently, the passages cut and added, and the alignment.
//! `versions` prints each story as a heading line and one line per article.
//!
//! May import: compare (result types).

use std::io::Write;

use crate::compare::diff::{QuoteChange, QuotePlace, Side};
use crate::compare::versions::Story;
use crate::compare::{Comparison, Version};

const MARK_ON: &str = "\x1b[1;31m";
const HEAD_ON: &str = "\x1b[1m";
const DIM_ON: &str = "\x1b[35m";
const OFF: &str = "\x1b[0m";

/// The marks of one output: colour codes, or `**` around marked text and nothing else.
struct Style {
    mark: (&'static str, &'static str),
    head: (&'static str, &'static str),
    dim: (&'static str, &'static str),
}

impl Style {
    fn new(color: bool) -> Style {
        if color {
            Style {
                mark: (MARK_ON, OFF),
                head: (HEAD_ON, OFF),
                dim: (DIM_ON, OFF),
            }
        } else {
            Style {
                mark: ("**", "**"),
                head: ("", ""),
                dim: ("", ""),
            }
        }
    }

    fn head(&self, s: &str) -> String {
        format!("{}{s}{}", self.head.0, self.head.1)
    }

    fn dim(&self, s: &str) -> String {
        format!("{}{s}{}", self.dim.0, self.dim.1)
    }
}

/// Most characters shown of a passage around a mark, on each side.
const CONTEXT: usize = 70;

/// `text[start..end]` marked, with up to [`CONTEXT`] characters either side, cut at words.
fn excerpt(style: &Style, text: &str, start: usize, end: usize) -> String {
    let before = &text[..start];
    let after = &text[end..];
    let head = match before.char_indices().rev().nth(CONTEXT) {
        Some((i, _)) => {
            let cut = before[i..].find(' ').map_or(i, |s| i + s + 1);
            format!("…{}", &before[cut..])
        }
        None => before.to_string(),
    };
    let tail = match after.char_indices().nth(CONTEXT) {
        Some((i, _)) => {
            let cut = after[..i].rfind(' ').unwrap_or(i);
            format!("{}…", &after[..cut])
        }
        None => after.to_string(),
    };
    let (on, off) = style.mark;
    format!("{head}{on}{}{off}{tail}", &text[start..end])
}

/// A whole passage shortened to about twice [`CONTEXT`] characters.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(2 * CONTEXT) {
        Some((i, _)) => {
            let cut = text[..i].rfind(' ').unwrap_or(i);
            format!("{}…", &text[..cut])
        }
        None => text.to_string(),
    }
}

fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn passage_list(ps: &[usize]) -> String {
    ps.iter()
        .map(|p| format!("#{p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn side_label(side: Side) -> &'static str {
    match side {
        Side::A => "A",
        Side::B => "B",
    }
}

fn quote_line(style: &Style, side: &str, q: &QuotePlace) -> String {
    let who = q.speaker.as_deref().unwrap_or("speaker not named");
    format!(
        "    {side} #{} {}: “{}”",
        q.place.passage,
        style.head(who),
        shortened(q.place.text.trim_end_matches([',', ' ']))
    )
}

/// A comparison for a reader: the two versions, then each kind of difference, then the
/// alignment.
pub fn comparison(
    out: &mut impl Write,
    c: &Comparison,
    a: &Version,
    b: &Version,
    color: bool,
) -> std::io::Result<()> {
    let style = &Style::new(color);
    for (label, v) in [("A", &c.a), ("B", &c.b)] {
        writeln!(
            out,
            "{}  {}  {}  ({} passages{})",
            style.head(label),
            style.dim(&v.id),
            shortened(&v.title),
            v.passages,
            v.date
                .as_ref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default()
        )?;
    }
    let linked_a: usize = c.alignment.iter().map(|g| g.a.len()).sum();
    let linked_b: usize = c.alignment.iter().map(|g| g.b.len()).sum();
    writeln!(
        out,
        "{} of A align with {linked_b} of B; {} cut, {} added; {} named in one version only, \
         {} and {} differ",
        count(linked_a, "passage"),
        c.cut.len(),
        c.added.len(),
        c.entities.len(),
        count(c.figures.len(), "figure"),
        count(c.quotes.len(), "quote"),
    )?;
    for side in [Side::A, Side::B] {
        let only: Vec<_> = c.entities.iter().filter(|e| e.side == side).collect();
        if only.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{}",
            style.head(&format!("Named in {} only", side_label(side)))
        )?;
        for e in only {
            let mut ps: Vec<usize> = e.mentions.iter().map(|m| m.passage).collect();
            ps.dedup();
            let mut spellings: Vec<&str> = e
                .mentions
                .iter()
                .map(|m| m.text.as_str())
                .filter(|s| *s != e.name)
                .collect();
            spellings.sort_unstable();
            spellings.dedup();
            let also = if spellings.is_empty() {
                String::new()
            } else {
                format!(" (as {})", spellings.join(", "))
            };
            writeln!(
                out,
                "  {:<7}{}{also}  {} {}",
                e.kind,
                e.name,
                side_label(side),
                passage_list(&ps)
            )?;
        }
    }
    if !c.figures.is_empty() {
        writeln!(out, "\n{}", style.head("Figures that differ"))?;
        for (n, f) in c.figures.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            for (label, place, v) in [("A", &f.a, a), ("B", &f.b, b)] {
                let p = &v.passages[place.passage];
                let (s, e) = (place.start - p.start, place.end - p.start);
                writeln!(
                    out,
                    "  {label} #{}  {}",
                    place.passage,
                    excerpt(style, &p.text, s, e)
                )?;
            }
        }
    }
    if !c.quotes.is_empty() {
        writeln!(out, "\n{}", style.head("Quotes"))?;
        for q in &c.quotes {
            match q.change {
                QuoteChange::Speaker => {
                    writeln!(out, "  attributed differently:")?;
                    for (label, place) in [("A", &q.a), ("B", &q.b)] {
                        if let Some(place) = place {
                            writeln!(out, "{}", quote_line(style, label, place))?;
                        }
                    }
                }
                QuoteChange::OnlyA | QuoteChange::OnlyB => {
                    let (label, other, place) = match (&q.a, &q.b) {
                        (Some(a), _) => ("A", "B", a),
                        (_, Some(b)) => ("B", "A", b),
                        _ => continue,
                    };
                    let note = q
                        .paraphrased_in
                        .map(|p| format!(" (said without quotes in {other} #{p})"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  quoted in {label} only{note}:\n{}",
                        quote_line(style, label, place)
                    )?;
                }
            }
        }
    }
    for (title, list) in [("Cut (in A only)", &c.cut), ("Added (in B only)", &c.added)] {
        if list.is_empty() {
            continue;
        }
        let label = &title[title.len() - 7..title.len() - 6];
        writeln!(out, "\n{}", style.head(title))?;
        for p in list {
            writeln!(out, "  {label} #{}  {}", p.passage, shortened(&p.text))?;
        }
    }
    if !c.alignment.is_empty() {
        writeln!(out, "\n{}", style.head("Aligned passages"))?;
        for g in &c.alignment {
            writeln!(
                out,
                "  A {:<12} ↔ B {:<12} {:.2}",
                passage_list(&g.a),
                passage_list(&g.b),
                g.similarity
            )?;
        }
    }
    Ok(())
}

/// A title cut to about 100 characters at a word (a text file's "title" is its first line).
fn short_title(title: &str) -> String {
    match title.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &title[..title[..i].rfind(' ').unwrap_or(i)]),
        None => title.to_string(),
    }
}

/// Stories of `versions`, numbered from 1: a heading line (size, shared names and numbers,
/// weakest link), then `path [article id]  title  (date)` per article.
pub fn stories(out: &mut impl Write, stories: &[Story], color: bool) -> std::io::Result<()> {
    let style = Style::new(color);
    for (n, s) in stories.iter().enumerate() {
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
                "  {}{id}  {}{date}",
                style.dim(&m.path),
                short_title(&m.title)
            )?;
        }
    }
    Ok(())
}
