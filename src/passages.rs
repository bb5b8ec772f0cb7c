//! Splitting an article into passages: the unit newsdex indexes, ranks and returns.
//!
//! A passage is a paragraph. Paragraphs are separated by blank lines when the
//! text has any; otherwise (wire copy and scraped text often put one paragraph
//! per line) by single newlines. A paragraph longer than [`MAX_PASSAGE_BYTES`]
//! is cut at sentence ends into windows of at most that size, and a sentence
//! longer than that at a space, so a huge line never becomes a huge passage.
//!
//! Passages carry byte offsets into the article text and borrow nothing: the
//! text shown to the user is always the original, curly quotes and all.
//!
//! May import: `corpus`.

/// Largest passage in bytes; longer paragraphs are split.
pub const MAX_PASSAGE_BYTES: usize = 2_000;

/// One passage: a byte range of its article's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Passage {
    /// 0-based position of the passage in its article.
    pub number: u32,
    /// Byte offset of the first byte in the article text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Passage {
    /// The passage's text within its article's text.
    pub fn text<'a>(&self, article_text: &'a str) -> &'a str {
        &article_text[self.start..self.end]
    }
}

/// Splits `text` into passages of at most [`MAX_PASSAGE_BYTES`] bytes, in order.
pub fn split(text: &str) -> Vec<Passage> {
    split_with_limit(text, MAX_PASSAGE_BYTES)
}

fn split_with_limit(text: &str, limit: usize) -> Vec<Passage> {
    let mut out = Vec::new();
    for (start, end) in paragraphs(text) {
        for (s, e) in windows(text, start, end, limit) {
            out.push(Passage {
                number: out.len() as u32,
                start: s,
                end: e,
            });
        }
    }
    out
}

/// Byte ranges of the trimmed, non-empty paragraphs of `text`.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let blank_separated = has_blank_line(text);
    let mut out = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut para_end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let is_blank = content.trim().is_empty();
        if is_blank || !blank_separated {
            if let Some(s) = para_start.take() {
                push_trimmed(text, s, para_end, &mut out);
            }
        }
        if !is_blank {
            if !blank_separated {
                push_trimmed(text, offset, offset + content.len(), &mut out);
            } else {
                para_start.get_or_insert(offset);
                para_end = offset + content.len();
            }
        }
        offset += line.len();
    }
    if let Some(s) = para_start {
        push_trimmed(text, s, para_end, &mut out);
    }
    out
}

fn has_blank_line(text: &str) -> bool {
    let mut previous_was_line = false;
    for line in text.lines() {
        let blank = line.trim().is_empty();
        if blank && previous_was_line {
            return true;
        }
        previous_was_line = !blank;
    }
    false
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push((start + lead, end - trail));
    }
}

/// Cuts `text[start..end]` into windows of at most `limit` bytes at sentence ends.
fn windows(text: &str, start: usize, end: usize, limit: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    while end - s > limit {
        let cut = sentence_cut(text, s, s + limit)
            .or_else(|| space_cut(text, s, s + limit))
            .unwrap_or_else(|| char_floor(text, s + limit));
        let cut = if cut <= s {
            char_ceil(text, s + 1)
        } else {
            cut
        };
        push_trimmed(text, s, cut, &mut out);
        s = cut;
    }
    push_trimmed(text, s, end, &mut out);
    out
}

/// The last sentence end in `text[start..max]`, past the window's first quarter.
fn sentence_cut(text: &str, start: usize, max: usize) -> Option<usize> {
    let max = char_floor(text, max);
    let window = &text[start..max];
    let bytes = window.as_bytes();
    let min = window.len() / 4;
    (min..bytes.len().saturating_sub(1))
        .rev()
        .find(|&i| matches!(bytes[i], b'.' | b'?' | b'!') && bytes[i + 1] == b' ')
        .map(|i| start + i + 1)
}

fn space_cut(text: &str, start: usize, max: usize) -> Option<usize> {
    let max = char_floor(text, max);
    text[start..max]
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
        .map(|i| start + i)
}

fn char_floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn char_ceil(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, limit: usize) -> Vec<&str> {
        split_with_limit(text, limit)
            .iter()
            .map(|p| p.text(text))
            .collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let text = "Title\n\nFirst line\nsame paragraph.\n \nSecond.\n";
        assert_eq!(
            texts(text, 100),
            ["Title", "First line\nsame paragraph.", "Second."]
        );
    }

    #[test]
    fn single_newlines_separate_when_no_blank_lines() {
        let text = "One paragraph.\r\nTwo paragraph.\n  Three.  ";
        assert_eq!(
            texts(text, 100),
            ["One paragraph.", "Two paragraph.", "Three."]
        );
    }

    #[test]
    fn numbers_and_offsets_are_consistent() {
        let text = "\n\nA b.\n\nC d.";
        let ps = split(text);
        assert_eq!(ps.iter().map(|p| p.number).collect::<Vec<_>>(), [0, 1]);
        assert_eq!((ps[1].start, ps[1].end), (8, 12));
    }

    #[test]
    fn long_paragraph_is_cut_at_sentences() {
        let text = "Aaaa bbbb. Cccc dddd. Eeee ffff. Gggg.";
        let got = texts(text, 22);
        assert_eq!(got, ["Aaaa bbbb. Cccc dddd.", "Eeee ffff. Gggg."]);
        assert!(got.iter().all(|p| p.len() <= 22));
    }

    #[test]
    fn sentence_without_ends_is_cut_at_spaces_and_chars() {
        let text = "ééééé ééééé ééééé";
        for p in texts(text, 7) {
            assert!(p.len() <= 7, "{p:?}");
        }
        let huge = "x".repeat(10_000);
        let ps = split(&huge);
        assert_eq!(ps.len(), 5);
        assert!(ps.iter().all(|p| p.end - p.start <= MAX_PASSAGE_BYTES));
    }

    #[test]
    fn empty_text_has_no_passages() {
        assert!(split(" \n\n \t").is_empty());
    }
}
