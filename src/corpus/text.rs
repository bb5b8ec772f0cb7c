//! Plain text and Markdown: the first non-empty line is the title when it reads as one,
//! the whole file the body.
//!
//! Plain text has no markup for a title, and many files (wire copy, pasted
//! articles, the seed story) start straight with the first paragraph; shown as a
//! title on every hit, that paragraph buries the passage. So a first line is a
//! title only when it looks like a headline (see [`looks_like_title`]); otherwise
//! the article has no title and readers show its path instead. A Markdown `#`
//! heading is always a title. The body keeps the first line either way, so passage
//! offsets are offsets into the file as the user has it, and nothing the file says
//! is left out of the index.
//!
//! May import: nothing of the crate (the bottom room).

use super::Article;

/// Reads a text or Markdown file as one article.
pub fn read(rel: &str, text: &str, markdown: bool) -> Option<Article> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let title = match first.strip_prefix('#') {
        Some(heading) if markdown => heading.trim_start_matches('#').trim(),
        _ if looks_like_title(first) => first,
        _ => "",
    };
    Some(Article {
        id: rel.to_string(),
        title: title.to_string(),
        text: text.to_string(),
        ..Article::default()
    })
}

/// Longest first line taken for a title, in characters: news headlines run to about
/// 70–110 characters, and a headline with a subtitle rarely passes 150.
const MAX_TITLE_CHARS: usize = 150;

/// Whether a first line reads as a headline rather than a paragraph: short (at most
/// [`MAX_TITLE_CHARS`]), not ending in a full stop (English headlines do not; an
/// ellipsis is allowed), and not a run of sentences (at most one sentence break inside,
/// for a headline and its subtitle: "Who is Ali Vaez? The analyst reporters call on").
/// A sentence break is `.`, `?` or `!` after a lowercase letter, then a space and a capital
/// or an opening quote. These are general rules of news layout, not a list of words.
pub fn looks_like_title(line: &str) -> bool {
    if line.chars().count() > MAX_TITLE_CHARS {
        return false;
    }
    if line.ends_with('.') && !line.ends_with("...") {
        return false;
    }
    let chars: Vec<char> = line.chars().collect();
    let breaks = chars
        .windows(4)
        .filter(|w| {
            w[0].is_lowercase()
                && matches!(w[1], '.' | '?' | '!')
                && w[2] == ' '
                && (w[3].is_uppercase() || matches!(w[3], '"' | '“' | '\''))
        })
        .count();
    breaks <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_first_non_empty_line() {
        let a = read("a.txt", "\n\n  Strikes on the border \nBody.", false).unwrap();
        assert_eq!(a.title, "Strikes on the border");
        assert_eq!(a.id, "a.txt");
        assert!(a.text.contains("Body."));
    }

    #[test]
    fn markdown_heading_marks_are_stripped() {
        assert_eq!(
            read("a.md", "## Kakar cuts visit short\n\nText", true)
                .unwrap()
                .title,
            "Kakar cuts visit short"
        );
    }

    #[test]
    fn a_paragraph_is_not_a_title() {
        // the seed story's original starts straight with a 389-character paragraph
        let para = "On Friday evening Pakistan’s Foreign Minister Jalil Abbas Jilani spoke to his \
                    Iranian counterpart. “The two ministers agreed to de-escalate,” a statement read.";
        let a = read(
            "a.txt",
            &format!("{para}\nLate on Tuesday, Iran struck."),
            false,
        )
        .unwrap();
        assert_eq!(a.title, "");
        assert!(a.text.starts_with("On Friday"));
        for (line, is_title) in [
            (
                "Iran and Pakistan step back from the brink after tit-for-tat strikes",
                true,
            ),
            ("Who is Ali Vaez? The analyst reporters call on Iran", true),
            ("Kakar leaves Davos...", true),
            ("U.S. Strikes Back", true),
            ("Nothing happened at the border today.", false),
            ("He spoke. She left. They met", false),
            (&"A very long line ".repeat(10), false),
        ] {
            assert_eq!(looks_like_title(line), is_title, "{line}");
        }
        // a Markdown heading is a title whatever its length; a plain first line is judged
        let long = "word ".repeat(40);
        assert_eq!(
            read("a.md", &format!("# {long}\n\nx"), true).unwrap().title,
            long.trim()
        );
        assert_eq!(read("a.md", "Ends here.\n\nx", true).unwrap().title, "");
    }

    #[test]
    fn blank_file_has_no_article() {
        assert!(read("a.txt", " \n\t\n", false).is_none());
    }
}
