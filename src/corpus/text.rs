//! Plain text and Markdown: the first non-empty line is the title, the whole file the body.
//!
//! The body keeps the title line, so passage offsets are offsets into the file
//! as the user has it, and nothing the file says is left out of the index.
//!
//! May import: nothing of the crate (the bottom room).

use super::Article;

/// Reads a text or Markdown file as one article.
pub fn read(rel: &str, text: &str, markdown: bool) -> Option<Article> {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let title = if markdown {
        first.trim_start_matches('#').trim()
    } else {
        first
    };
    Some(Article {
        id: rel.to_string(),
        title: title.to_string(),
        text: text.to_string(),
        ..Article::default()
    })
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
    fn blank_file_has_no_article() {
        assert!(read("a.txt", " \n\t\n", false).is_none());
    }
}
