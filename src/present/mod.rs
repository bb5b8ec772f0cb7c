//! What the user sees: results on stdout, progress, warnings and summaries on stderr.
//!
//! The commands hand their results here: [`text`] renders them for a reader (a
//! terminal or a pipe), [`json`] as JSON Lines, [`html`] as the web pages of
//! `newsdex serve` (from [`web`]'s result types, which its JSON API serialises),
//! and [`messages`] holds every line
//! newsdex prints on stderr (progress, warnings, notes and run summaries). Errors are
//! built where they arise, with their context, and printed once by `main`. May import
//! the result types of `search`, `index`, `entities`, `ner` and `compare`; nothing below
//! imports it.
//!
//! Human output shows each hit as a heading line (`path #passage  title  score`)
//! followed by the passage, matches coloured on a terminal or wrapped in `**…**`
//! elsewhere. With `--json` every hit is one JSON object per line (JSON Lines),
//! the fields of [`crate::search::Hit`]:
//!
//! ```text
//! {"path":"…","article":"…","title":"…","passage":3,"score":4.2,"text":"…",
//!  "highlights":[[12,24]],"person":[],"place":[],"org":[],"start":512,"end":733,
//!  "date":null,"source":null,"url":null}
//! ```
//!
//! `highlights` are byte offsets into `text`; `start`/`end` are byte offsets of
//! the passage in its article's text; `score` is `null` for `mentions`.

pub mod compare;
pub mod html;
pub mod json;
pub mod messages;
pub mod text;
pub mod web;

use std::io::{IsTerminal, Write};

use crate::config::ColorChoice;
use crate::search::Hit;

pub use messages::Reporter;

/// Writes hits to stdout.
pub struct Printer<W: Write> {
    out: W,
    json: bool,
    color: bool,
}

impl<W: Write> Printer<W> {
    /// A printer writing human text or JSON Lines to `out`.
    pub fn new(out: W, json: bool, color: bool) -> Self {
        Printer { out, json, color }
    }

    /// Prints one hit.
    pub fn hit(&mut self, hit: &Hit) -> std::io::Result<()> {
        if self.json {
            json::line(&mut self.out, hit)
        } else {
            text::hit(&mut self.out, hit, self.color)
        }
    }

    /// Flushes stdout.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Whether to colour stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
