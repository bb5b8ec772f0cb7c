//! HTML pages: the visible text, one paragraph per block element.
//!
//! Scripts, styles, templates and comments are dropped; character references
//! are decoded. The title is the `<title>` element, or the first `<h1>` when
//! there is none. This is a single linear scan over the markup rather than a
//! full HTML5 tree build: extracting text needs no tree, and a spec parser's
//! cost grows with the square of the nesting depth, which a hostile page
//! (100,000 nested `<div>`s) turns into minutes.
//!
//! May import: nothing of the crate (the bottom room).

use super::Article;

/// Elements whose content is not visible text and is skipped whole.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object",
];
/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "figcaption",
    "figure",
    "main",
    "aside",
    "nav",
    "dd",
    "dt",
    "dl",
    "hr",
    "address",
    "caption",
    "td",
    "th",
    "body",
];

/// Reads an HTML page as one article.
pub fn read(rel: &str, source: &str) -> Option<Article> {
    let mut text = String::new();
    let mut title = String::new();
    let mut h1 = String::new();
    let mut in_title = false;
    let mut in_h1 = false;
    let mut rest = source;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut text, &mut title, &mut h1, rest, in_title, in_h1);
            break;
        };
        push_text(&mut text, &mut title, &mut h1, &rest[..lt], in_title, in_h1);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(tag) = Tag::parse(rest) else {
            // a lone '<' is text
            push_text(&mut text, &mut title, &mut h1, "<", in_title, in_h1);
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        let name = tag.name.as_str();
        if !tag.closing && SKIPPED.contains(&name) && !tag.self_closing {
            rest = skip_past_close(rest, name);
        } else if name == "title" {
            in_title = !tag.closing;
        } else if BLOCKS.contains(&name) {
            if name == "h1" {
                in_h1 = !tag.closing && h1.is_empty();
            }
            break_paragraph(&mut text);
        }
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        return None;
    }
    let title = [collapse(&title), collapse(&h1)]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| text.lines().next().unwrap_or_default().to_string());
    Some(Article {
        id: rel.to_string(),
        title,
        text,
        ..Article::default()
    })
}

fn push_text(
    text: &mut String,
    title: &mut String,
    h1: &mut String,
    raw: &str,
    in_title: bool,
    in_h1: bool,
) {
    if raw.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(raw);
    if in_title {
        title.push_str(&decoded);
        return;
    }
    push_inline(text, &decoded);
    if in_h1 {
        push_inline(h1, &decoded);
    }
}

/// A tag at the start of the input.
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    /// Bytes the tag spans, `<` to `>` inclusive.
    len: usize,
}

impl Tag {
    fn parse(s: &str) -> Option<Tag> {
        let bytes = s.as_bytes();
        let mut i = 1;
        if bytes.get(1) == Some(&b'!') || bytes.get(1) == Some(&b'?') {
            let end = s.find('>')?;
            return Some(Tag {
                name: String::new(),
                closing: false,
                self_closing: true,
                len: end + 1,
            });
        }
        let closing = bytes.get(1) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
            return None;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        let mut quote = None;
        while i < bytes.len() {
            match (quote, bytes[i]) {
                (None, b'>') => {
                    let self_closing = bytes[i - 1] == b'/';
                    return Some(Tag {
                        name,
                        closing,
                        self_closing,
                        len: i + 1,
                    });
                }
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// The input after the closing tag of a skipped element (or nothing, if it is never closed).
fn skip_past_close<'a>(s: &'a str, name: &str) -> &'a str {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("</") {
        let at = from + i + 2;
        let end = at + name.len();
        if end <= bytes.len() && bytes[at..end].eq_ignore_ascii_case(name.as_bytes()) {
            return s[end..].find('>').map_or("", |j| &s[end + j + 1..]);
        }
        from = at;
    }
    ""
}

/// Appends inline text, folding runs of white space (HTML renders them as one space).
fn push_inline(out: &mut String, t: &str) {
    for (i, word) in t.split_whitespace().enumerate() {
        let starts_with_space = i > 0 || t.starts_with(char::is_whitespace);
        if starts_with_space && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        out.push_str(word);
    }
    if t.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

fn break_paragraph(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_in_paragraphs() {
        let page = r#"<html><head><title> Border  strikes </title><style>p{color:red}</style>
            <script>var x = "Jaish";</script></head>
            <body><h1>Headline</h1><p>Iran struck <b>Jaish al-Adl</b> targets.</p>
            <div>Pakistan   replied<br>within two days.</div><script>alert(1)</script></body></html>"#;
        let a = read("p.html", page).unwrap();
        assert_eq!(a.title, "Border strikes");
        assert_eq!(
            a.text,
            "Headline\n\nIran struck Jaish al-Adl targets.\n\nPakistan replied\n\nwithin two days."
        );
    }

    #[test]
    fn h1_is_title_without_title_element() {
        let a = read("p.html", "<body><h1>Kakar returns</h1><p>Text.</p></body>").unwrap();
        assert_eq!(a.title, "Kakar returns");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let page = format!(
            "{}deep{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let a = read("p.html", &page).unwrap();
        assert_eq!(a.text, "deep");
    }

    #[test]
    fn entities_comments_and_broken_markup() {
        let page = "<p>Caf&eacute; &amp; bar<!-- hidden --> 3 &lt; 4</p><p>open <b attr='a>b'>tag</p><p>x < y";
        let a = read("p.html", page).unwrap();
        assert_eq!(a.text, "Café & bar 3 < 4\n\nopen tag\n\nx < y");
    }

    #[test]
    fn unclosed_script_drops_the_rest() {
        let a = read("p.html", "<p>kept</p><script>var a = '</p>';").unwrap();
        assert_eq!(a.text, "kept");
    }

    #[test]
    fn empty_page_has_no_article() {
        assert!(read("p.html", "<html><script>x</script></html>").is_none());
    }
}
