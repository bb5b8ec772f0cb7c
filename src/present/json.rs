//! JSON output: one object per line (JSON Lines), the serde form of each result type.
//!
//! May import: the result types of `search`, `index`, `ner` and `corpus`; `config`.

use std::io::Write;

use serde::Serialize;

/// Writes `value` as one line of JSON.
pub fn line<W: Write, T: Serialize + ?Sized>(out: &mut W, value: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// One entity found in a text file, as `ner --json` prints it.
#[derive(Serialize)]
pub struct NerSpan<'a> {
    /// `person`, `place` or `org`.
    pub r#type: &'static str,
    /// Byte offset of its first byte in the file's decoded text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The name as written.
    pub text: &'a str,
}
