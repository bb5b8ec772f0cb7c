//! Tokens and sentences of raw news text, shaped like CoNLL-2003's so the tagger sees what it learned on.
//!
//! A token is a run of letters and digits, kept whole across inner hyphens
//! ("Anwaar-ul-Haq", "al-Adl", "Sistan-Baluchestan"), inner apostrophes
//! ("O'Brien") and number punctuation ("1,200.5"); initials and dotted
//! abbreviations keep their periods ("U.S.", "J."). A possessive is split off
//! ("Pakistan’s" → "Pakistan" + "’s") and every other punctuation mark is a
//! token of its own. Sentences end at `.`, `?` or `!` before a capital, digit
//! or quote, and at every line break (headlines and paragraphs are sentences).
//! Tokens borrow from the text and carry byte offsets; the only allocation is
//! the output vector, reused across calls.
//!
//! May import: other files of `ner`, and `corpus` (to read unlabelled news for training).

/// One token: a byte range of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// Whether the token opens a sentence.
    pub sentence_start: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’' || c == '‘'
}

fn is_joiner(c: char) -> bool {
    c == '-' || c == '‐' || c == '‑'
}

/// Splits `text` into tokens, appending to `out` (cleared first).
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut sentence_start = true;
    let mut pending_break = false;
    while i < bytes.len() {
        let c = char_at(text, i);
        if c.is_whitespace() {
            if c == '\n' {
                sentence_start = true;
            }
            i += c.len_utf8();
            continue;
        }
        if pending_break {
            if c.is_uppercase() || c.is_ascii_digit() || is_quote(c) {
                sentence_start = true;
            }
            pending_break = false;
        }
        let start = i;
        let end = if c.is_alphanumeric() {
            word_end(text, i)
        } else {
            i + c.len_utf8()
        };
        // split a trailing possessive: Pakistan's → Pakistan + 's
        let (word_end_at, poss) = possessive_split(text, start, end);
        out.push(Token {
            start: start as u32,
            end: word_end_at as u32,
            sentence_start,
        });
        sentence_start = false;
        if let Some(p) = poss {
            out.push(Token {
                start: word_end_at as u32,
                end: p as u32,
                sentence_start: false,
            });
        }
        let end = poss.unwrap_or(end);
        let last = &text[start..end];
        let ends_sentence = matches!(last, "." | "?" | "!")
            || (last.ends_with('.') && last.len() > 2 && !is_abbreviation(last));
        if ends_sentence {
            pending_break = true;
        }
        i = end;
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | '(' | '[')
}

/// Dotted abbreviations and initials that do not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    let core = word.trim_end_matches('.');
    core.chars().count() == 1
        || core.contains('.')
        || matches!(
            core,
            "Mr" | "Mrs"
                | "Ms"
                | "Dr"
                | "Prof"
                | "Gen"
                | "Col"
                | "Lt"
                | "Sgt"
                | "Capt"
                | "Rev"
                | "St"
                | "Jr"
                | "Sr"
                | "Co"
                | "Corp"
                | "Inc"
                | "Ltd"
                | "vs"
                | "Gov"
                | "Sen"
                | "Rep"
                | "Maj"
                | "Brig"
                | "Adm"
                | "Jan"
                | "Feb"
                | "Aug"
                | "Sept"
                | "Oct"
                | "Nov"
                | "Dec"
                | "No"
        )
}

fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().expect("index on a char boundary")
}

/// End of the word starting at `i`: letters/digits joined by hyphens, apostrophes, or dots.
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    let numeric = bytes[i].is_ascii_digit();
    loop {
        // the alphanumeric run
        while i < bytes.len() {
            let c = char_at(text, i);
            if !c.is_alphanumeric() {
                break;
            }
            i += c.len_utf8();
        }
        if i >= bytes.len() {
            return i;
        }
        let c = char_at(text, i);
        let next = text[i + c.len_utf8()..].chars().next();
        let next_alnum = next.is_some_and(|n| n.is_alphanumeric());
        let joins = (is_joiner(c) && next_alnum)
            || (is_apostrophe(c) && next_alnum && !is_possessive_tail(text, i))
            || (numeric && (c == ',' || c == '.') && next.is_some_and(|n| n.is_ascii_digit()));
        if joins {
            i += c.len_utf8();
            continue;
        }
        // U.S. / J. : a dot after a single letter, or after a dotted run
        if c == '.' {
            let word_start = text[..i]
                .rfind(|ch: char| !(ch.is_alphanumeric() || ch == '.'))
                .map_or(0, |p| p + char_at(text, p).len_utf8());
            let word = &text[word_start..i];
            let single = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            let dotted = word.contains('.');
            let title =
                is_abbreviation(word) && word.chars().next().is_some_and(char::is_uppercase);
            if single
                || dotted
                || title
                || (next_alnum && next.is_some_and(char::is_uppercase) && word.len() <= 3)
            {
                i += 1;
                if next_alnum {
                    continue;
                }
                return i;
            }
        }
        return i;
    }
}

/// Whether the apostrophe at `i` starts a possessive `'s` that ends the word.
fn is_possessive_tail(text: &str, i: usize) -> bool {
    let c = char_at(text, i);
    let rest = &text[i + c.len_utf8()..];
    let mut chars = rest.chars();
    matches!(chars.next(), Some('s' | 'S')) && chars.next().is_none_or(|n| !n.is_alphanumeric())
}

/// Splits "word's" into the word and "'s"; returns (word end, possessive end).
fn possessive_split(text: &str, start: usize, end: usize) -> (usize, Option<usize>) {
    let word = &text[start..end];
    if !word.chars().next().is_some_and(char::is_alphanumeric) {
        return (end, None);
    }
    let rest = &text[end..];
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some('s' | 'S'))
            if is_apostrophe(a) && chars.next().is_none_or(|n| !n.is_alphanumeric()) =>
        {
            (end, Some(end + a.len_utf8() + 1))
        }
        _ => (end, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.iter().map(|t| t.text(text)).collect()
    }

    fn starts(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.iter()
            .filter(|t| t.sentence_start)
            .map(|t| t.text(text))
            .collect()
    }

    #[test]
    fn news_tokens() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Pakistan’s Balochistan province",
                &["Pakistan", "’s", "Balochistan", "province"],
            ),
            ("Anwaar-ul-Haq Kakar", &["Anwaar-ul-Haq", "Kakar"]),
            (
                "Jaish al-Adl, a group",
                &["Jaish", "al-Adl", ",", "a", "group"],
            ),
            (
                "the U.S. and J. Smith",
                &["the", "U.S.", "and", "J.", "Smith"],
            ),
            (
                "O'Brien said “no.”",
                &["O'Brien", "said", "“", "no", ".", "”"],
            ),
            (
                "1,200.5 people (ISIL/ISIS)",
                &["1,200.5", "people", "(", "ISIL", "/", "ISIS", ")"],
            ),
            ("Ministers' talks", &["Ministers", "'", "talks"]),
            ("Sistan and Baluchestan", &["Sistan", "and", "Baluchestan"]),
        ];
        for (text, want) in cases {
            assert_eq!(toks(text), *want, "{text}");
        }
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Iran’s  move\u{a0}— Vaez.";
        let mut out = Vec::new();
        tokenize(text, &mut out);
        for t in &out {
            assert!(!t.text(text).is_empty());
            assert!(!t.text(text).contains(char::is_whitespace));
        }
    }

    #[test]
    fn sentences() {
        assert_eq!(
            starts("Vaez spoke. He said no. Mr. White agreed.\nHeadline here\nThe U.S. Army left"),
            ["Vaez", "He", "Mr.", "Headline", "The"]
        );
    }
}
