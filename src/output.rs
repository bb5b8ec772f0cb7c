//! What the user sees: results on stdout, progress, warnings and summaries on stderr.
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

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::ColorChoice;
use crate::corpus::Warning;
use crate::index::Observer;
use crate::search::Hit;

const MARK_ON: &str = "\x1b[1;31m";
const MARK_OFF: &str = "\x1b[0m";
const DIM_ON: &str = "\x1b[35m";

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
            serde_json::to_writer(&mut self.out, hit)?;
            return writeln!(self.out);
        }
        let (on, off) = if self.color {
            (DIM_ON, MARK_OFF)
        } else {
            ("", "")
        };
        write!(self.out, "{on}{}{off} #{}", hit.path, hit.passage)?;
        if hit.article != hit.path {
            write!(self.out, " [{}]", hit.article)?;
        }
        write!(self.out, "  {}", hit.title)?;
        if let Some(score) = hit.score {
            write!(self.out, "  ({score:.2})")?;
        }
        writeln!(self.out)?;
        writeln!(self.out, "{}", self.marked(&hit.text, &hit.highlights))?;
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
            writeln!(self.out, "  [{}]", ents.join("; "))?;
        }
        writeln!(self.out)
    }

    fn marked(&self, text: &str, spans: &[[usize; 2]]) -> String {
        let (on, off) = if self.color {
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

/// Progress and warnings of an indexing run, on stderr.
pub struct Reporter {
    bar: ProgressBar,
    quiet: bool,
    lock: Mutex<()>,
}

impl Reporter {
    /// A reporter; the progress bar shows only on a terminal and without `quiet`.
    pub fn new(quiet: bool) -> Reporter {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .expect("a valid progress template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        };
        Reporter {
            bar,
            quiet,
            lock: Mutex::new(()),
        }
    }

    /// Prints a line on stderr without tearing the progress bar (skipped when quiet).
    pub fn info(&self, line: &str) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("{line}"));
        }
    }

    /// Removes the progress bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for Reporter {
    fn start(&self, files: u64, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("indexing {files} files"));
    }

    fn file_done(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn warn(&self, warning: &Warning) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.bar
            .suspend(|| eprintln!("newsdex: warning: {warning}"));
    }

    fn committing(&self) {
        self.bar.set_message("committing");
    }

    fn merging(&self) {
        self.bar.set_message("committed; merging small segments");
    }
}
