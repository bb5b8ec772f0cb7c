//! Building HTML safely: every piece of text goes through [`text`] or [`attr`], every
//! value put in a URL through [`url_part`], and marked-up passages through [`marked`],
//! which escapes the text between and inside the marks. Nothing else writes text into
//! a page.
//!
//! May import: nothing of the crate (html-escape and percent-encoding only).

use std::borrow::Cow;
use std::fmt::Write;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters escaped in a URL component: all but RFC 3986's unreserved ones.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Text for an element's content.
pub fn text(s: &str) -> Cow<'_, str> {
    html_escape::encode_text(s)
}

/// Text for a double-quoted attribute value.
pub fn attr(s: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(s)
}

/// A value percent-encoded for a path segment or query string.
pub fn url_part(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A query string from pairs (`?a=1&b=x%20y`), already fit for an `href` attribute
/// once passed through [`attr`].
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        out.push(if out.is_empty() { '?' } else { '&' });
        let _ = write!(out, "{}={}", url_part(k), url_part(v));
    }
    out
}

/// One span of a passage to wrap: `open` and `close` are trusted markup.
pub struct Wrap {
    pub start: usize,
    pub end: usize,
    pub open: String,
    pub close: &'static str,
}

/// `text` escaped, with each span wrapped in its markup; spans that overlap an
/// earlier one, run past the end or split a character are left unwrapped.
pub fn wrapped(s: &str, spans: &[Wrap]) -> String {
    let mut out = String::with_capacity(s.len() + spans.len() * 32);
    let mut at = 0;
    for w in spans {
        if w.start < at
            || w.end > s.len()
            || w.start >= w.end
            || !s.is_char_boundary(w.start)
            || !s.is_char_boundary(w.end)
        {
            continue;
        }
        out.push_str(&text(&s[at..w.start]));
        out.push_str(&w.open);
        out.push_str(&text(&s[w.start..w.end]));
        out.push_str(w.close);
        at = w.end;
    }
    out.push_str(&text(&s[at..]));
    out
}

/// A passage with its highlights in `<mark>`.
pub fn marked(s: &str, spans: &[[usize; 2]]) -> String {
    let wraps: Vec<Wrap> = spans
        .iter()
        .map(|&[start, end]| Wrap {
            start,
            end,
            open: "<mark>".to_string(),
            close: "</mark>",
        })
        .collect();
    wrapped(s, &wraps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_marks_are_escaped() {
        let s = "a <script>alert(1)</script> & \"b\"";
        let out = marked(s, &[[2, 10], [5, 3], [30, 99]]);
        assert_eq!(
            out,
            "a <mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt; &amp; \"b\""
        );
        assert_eq!(attr("\"x\" & <y>"), "&quot;x&quot; &amp; &lt;y&gt;");
    }

    #[test]
    fn marks_never_split_a_character() {
        let s = "é<b>";
        assert_eq!(marked(s, &[[1, 3]]), "é&lt;b&gt;");
    }

    #[test]
    fn urls_escape_everything_reserved() {
        assert_eq!(url_part("a/b c#d?&é"), "a%2Fb%20c%23d%3F%26%C3%A9");
        assert_eq!(
            query_string([("q", "\"x\" y"), ("person", "A&B")]),
            "?q=%22x%22%20y&person=A%26B"
        );
    }
}
