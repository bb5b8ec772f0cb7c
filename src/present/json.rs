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

/// One entity of a file as the index records it, as `ner FILE` prints it.
#[derive(Serialize)]
pub struct NerSpan<'a> {
    /// The article's id (the file, plus `#id` or `#L<line>` for one of several).
    pub article: &'a str,
    /// The passage it stands in, from 0.
    pub passage: u32,
    /// `person`, `place` or `org`.
    pub r#type: &'a str,
    /// Byte offset of its first byte in the article's text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The name as written.
    pub text: &'a str,
    /// The name the index records it under (the full name a surname stands for).
    pub name: &'a str,
}
