//! What a passage says that survives a rewrite or a translation: figures, quotations and
//! their speakers, and content words.
//!
//! A translation keeps few of the original's words but keeps its names, numbers and
//! quotes; these are the features [`super::align`] aligns on and [`super::diff`] compares.
//! Everything here is general English: number words, speech verbs, pronouns and function
//! words; no list names a particular person, place or organisation.
//!
//! - **Figures**: numerals ("2,300", "3.5", "48-hour") and number words ("two",
//!   "twenty-five", "two million"; "one" is left out, being mostly a pronoun), each with
//!   its *unit*, the content word that follows ("two **children**"), a currency sign
//!   before it or a per cent sign after it, plus days of the
//!   week, month-and-day dates and years. "9 people" and "nine people" are one figure.
//! - **Quotations**: text between “…”, "…" or ‘…’ (a ‘ that opens a word), up to the end
//!   of the passage when the closing mark is missing. The speaker is found by rules a
//!   reader would use: a person named next to a speech verb ("said", "told", "added", …)
//!   in the sentence around the quote; "he"/"she" there stands for the last person named
//!   before the quote; a quote with no attribution of its own takes the speaker of the
//!   quote before it in the passage, or of the last person named in a previous passage
//!   that ended with a colon.
//! - **Content words**: words of three letters or more that are not function words, cut
//!   to their first five letters so that "strike"/"strikes" and "escalate"/"escalation"
//!   meet.
//!
//! May import: entities (mention types) only.

use crate::entities::{EntityKind, PassageMention};

/// What a figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    /// A count or an amount.
    Number,
    /// A day of the week (value 0 = Monday).
    Weekday,
    /// A month and day (value month × 100 + day).
    Date,
    /// A year from 1800 to 2100 without a unit.
    Year,
}

/// A number, date or year in a passage.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// What it is.
    pub kind: FigureKind,
    /// Its value (for numbers the amount, scales applied).
    pub value: f64,
    /// The content word it counts, cut like content words ("child" for "children"), or "".
    pub unit: String,
    /// Byte offset in the passage.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

impl Figure {
    /// Whether two figures state the same value of the same kind.
    pub fn same_value(&self, other: &Figure) -> bool {
        self.kind == other.kind && (self.value - other.value).abs() <= 1e-9 * self.value.abs()
    }
}

/// A quotation in a passage.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// Byte offset of its first quoted byte in the passage (after the opening mark).
    pub start: usize,
    /// Byte offset one past its last quoted byte.
    pub end: usize,
    /// Its content words, cut and sorted, without repeats.
    pub words: Vec<String>,
    /// Number of words quoted.
    pub length: usize,
    /// The canonical name of whoever the text says spoke it, if it says.
    pub speaker: Option<String>,
}

/// A word of running text with its byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

/// The words of `text`: runs of letters and digits, keeping `.`/`,` between digits
/// ("2,300", "3.5") and hyphens and apostrophes between letters ("twenty-five", "don't").
pub fn words(text: &str) -> Vec<Word<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let joins = |p: fn(char) -> bool| {
                p(chars[j - 1].1) && chars.get(j + 1).is_some_and(|&(_, n)| p(n))
            };
            let inner = match c {
                '.' | ',' => joins(|c| c.is_ascii_digit()),
                '-' | '\'' | '’' => joins(char::is_alphanumeric),
                _ => c.is_alphanumeric(),
            };
            if !inner {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(o, _)| o);
        out.push(Word {
            text: &text[start..end],
            start,
            end,
        });
        i = j;
    }
    out
}

/// English function words and reporting verbs: words that carry no content of their own.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "are",
    "but",
    "not",
    "you",
    "all",
    "any",
    "can",
    "had",
    "her",
    "was",
    "one",
    "our",
    "out",
    "has",
    "have",
    "his",
    "him",
    "how",
    "its",
    "may",
    "new",
    "now",
    "own",
    "say",
    "says",
    "said",
    "she",
    "too",
    "use",
    "who",
    "why",
    "yet",
    "that",
    "this",
    "with",
    "from",
    "they",
    "them",
    "their",
    "there",
    "then",
    "than",
    "were",
    "been",
    "being",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "would",
    "could",
    "should",
    "might",
    "must",
    "also",
    "into",
    "onto",
    "upon",
    "over",
    "under",
    "about",
    "after",
    "before",
    "again",
    "more",
    "most",
    "much",
    "many",
    "some",
    "such",
    "only",
    "other",
    "very",
    "just",
    "even",
    "each",
    "both",
    "these",
    "those",
    "here",
    "between",
    "through",
    "during",
    "against",
    "because",
    "however",
    "although",
    "though",
    "within",
    "without",
    "whose",
    "whom",
    "told",
    "added",
    "according",
    "did",
    "does",
    "done",
    "our",
    "ours",
    "your",
    "it's",
    "least",
    "less",
    "well",
    "per",
    "via",
    "since",
    "until",
    "still",
    "whether",
    "either",
    "neither",
    "nor",
    "not",
    "off",
    "via",
    "among",
    "amid",
    "across",
    "toward",
    "towards",
];

/// Verbs that attribute speech.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "argued",
    "argues",
    "wrote",
    "writes",
    "stated",
    "states",
    "explained",
    "warned",
    "warns",
    "noted",
    "notes",
    "insisted",
    "concluded",
    "continued",
    "replied",
    "answered",
    "declared",
    "claimed",
    "suggested",
    "wondered",
    "agreed",
    "concurred",
    "according",
    "saying",
    "quoted",
];

/// Number words and their values ("one" is left out: mostly a pronoun or article).
const UNITS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("dozen", 12.0),
];

/// Words that multiply the number before them.
const SCALES: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("bn", 1e9),
    ("m", 1e6),
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A word lower-cased, folded to ASCII and cut to its first five letters; `None` for a
/// function word, a number, or a word under three letters.
pub fn content_stem(word: &str) -> Option<String> {
    let folded = deunicode::deunicode(word).to_lowercase();
    let folded: String = folded
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if folded.len() < 3
        || !folded.chars().any(|c| c.is_ascii_alphabetic())
        || STOPWORDS.contains(&folded.as_str())
        || number_word(&folded).is_some()
    {
        return None;
    }
    Some(folded.chars().take(5).collect())
}

/// The content stems of a text, sorted, without repeats.
pub fn content_stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = words(text)
        .iter()
        .filter_map(|w| content_stem(w.text))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn number_word(lower: &str) -> Option<f64> {
    if let Some((tens, unit)) = lower.split_once('-') {
        let t = UNITS.iter().find(|(w, _)| *w == tens)?.1;
        let u = UNITS.iter().find(|(w, _)| *w == unit)?.1;
        return (t >= 20.0 && u < 10.0).then_some(t + u);
    }
    UNITS.iter().find(|(w, _)| *w == lower).map(|&(_, v)| v)
}

fn numeral(word: &str) -> Option<f64> {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let plain: String = word.chars().filter(|&c| c != ',').collect();
    plain.parse().ok()
}

/// The figures of a passage, in text order.
pub fn figures(text: &str) -> Vec<Figure> {
    let ws = words(text);
    let lower: Vec<String> = ws.iter().map(|w| w.text.to_lowercase()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = &lower[i];
        if let Some(day) = WEEKDAYS.iter().position(|d| d == w) {
            out.push(figure(FigureKind::Weekday, day as f64, "", &ws[i], &ws[i]));
            i += 1;
            continue;
        }
        if let Some(month) = MONTHS.iter().position(|m| m == w) {
            // "May" alone is a verb more often than a month: only a month with a day counts
            let day = lower.get(i + 1).and_then(|d| d.parse::<u32>().ok());
            if let Some(day) = day.filter(|d| (1..=31).contains(d)) {
                let value = ((month + 1) as u32 * 100 + day) as f64;
                out.push(figure(FigureKind::Date, value, "", &ws[i], &ws[i + 1]));
                i += 2;
                continue;
            }
        }
        let (head, compound_unit) = match w.split_once('-') {
            Some((n, rest)) if numeral(n).is_some() => (n.to_string(), Some(rest.to_string())),
            Some((n, rest)) if number_word(w).is_none() && number_word(n).is_some() => {
                (n.to_string(), Some(rest.to_string()))
            }
            _ => (w.clone(), None),
        };
        let Some(mut value) = numeral(&head).or_else(|| number_word(&head)) else {
            i += 1;
            continue;
        };
        let first = i;
        let mut last = i;
        // "twenty five", "two hundred", "2.3 billion"
        if compound_unit.is_none() {
            while let Some(next) = lower.get(last + 1) {
                if let Some(&(_, scale)) = SCALES.iter().find(|(s, _)| s == next) {
                    value *= scale;
                } else if let Some(u) = number_word(next).filter(|u| *u < 10.0 && value >= 20.0) {
                    value += u;
                } else {
                    break;
                }
                last += 1;
            }
        }
        let after = &text[ws[last].end..];
        let currency = text[..ws[first].start]
            .chars()
            .next_back()
            .filter(|c| matches!(c, '$' | '£' | '€' | '¥'));
        let unit = if let Some(c) = currency {
            c.to_string()
        } else if after.starts_with('%') {
            "percent".to_string()
        } else if let Some(rest) = compound_unit {
            content_stem(&rest).unwrap_or_default()
        } else {
            unit_after(text, &ws, &lower, last)
        };
        let kind = if unit.is_empty()
            && (1800.0..=2100.0).contains(&value)
            && ws[first].text.len() == 4
            && value.fract() == 0.0
        {
            FigureKind::Year
        } else {
            FigureKind::Number
        };
        out.push(figure(kind, value, &unit, &ws[first], &ws[last]));
        i = last + 1;
    }
    out
}

/// The unit of a number ending at word `last`: the next content word within two words,
/// in the same clause ("injuring three. Tehran said" has none).
fn unit_after(text: &str, ws: &[Word], lower: &[String], last: usize) -> String {
    for k in last + 1..(last + 3).min(ws.len()) {
        let gap = &text[ws[k - 1].end..ws[k].start];
        if gap.contains(['.', ';', ':', '!', '?', ',', '(', ')']) {
            break;
        }
        if let Some(stem) = content_stem(&lower[k]) {
            return stem;
        }
    }
    String::new()
}

fn figure(kind: FigureKind, value: f64, unit: &str, first: &Word, last: &Word) -> Figure {
    Figure {
        kind,
        value,
        unit: unit.to_string(),
        start: first.start,
        end: last.end,
    }
}

/// Byte ranges of the quotations in a passage: (opening mark, first quoted byte, last
/// quoted byte + 1, end of the closing mark).
fn quote_spans(text: &str) -> Vec<[usize; 4]> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        match (open, c) {
            (None, '“') | (None, '"') => open = Some((i, c)),
            (None, '‘') if !prev.is_some_and(char::is_alphanumeric) => open = Some((i, c)),
            (Some((s, o)), _)
                if (o == '“' && (c == '”' || c == '“'))
                    || (o == '"' && c == '"')
                    || (o == '‘' && c == '’' && !next.is_some_and(char::is_alphanumeric)) =>
            {
                out.push([s, s + o.len_utf8(), i, i + c.len_utf8()]);
                open = None;
            }
            _ => {}
        }
        prev = Some(c);
    }
    if let Some((s, o)) = open {
        out.push([s, s + o.len_utf8(), text.len(), text.len()]);
    }
    out
}

/// Where the sentence holding byte `at` begins: after the last `.`, `!` or `?` followed by
/// white space before it, or the passage's start.
fn sentence_start(text: &str, at: usize) -> usize {
    let head = &text[..at];
    head.char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && head[i + 1..].starts_with(char::is_whitespace)
                && !head[..i].ends_with(|c: char| c.is_uppercase())
        })
        .map_or(0, |(i, _)| i + 1)
}

/// Where the sentence holding byte `at` ends: at the next `.`, `!` or `?` followed by
/// white space, or the passage's end.
fn sentence_end(text: &str, at: usize) -> usize {
    let tail = &text[at..];
    tail.char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && tail[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map_or(text.len(), |(i, _)| at + i + 1)
}

/// Whether the mention starting at `start` is spoken to, not speaking ("told Al Jazeera").
fn is_addressee(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    words(before).last().is_some_and(|w| {
        w.end == before.len()
            && ["told", "tells", "telling", "to"].contains(&w.text.to_lowercase().as_str())
    })
}

fn has_word(text: &str, list: &[&str]) -> bool {
    words(text)
        .iter()
        .any(|w| list.contains(&w.text.to_lowercase().as_str()))
}

/// The quotations of every passage of one version, speakers resolved across passages.
/// `passages` are the passages' texts with their mentions (offsets in the passage).
pub fn quotes(passages: &[(&str, &[PassageMention])]) -> Vec<Vec<Quote>> {
    let mut last_person: Option<String> = None;
    let mut previous_colon = false;
    let mut out = Vec::with_capacity(passages.len());
    for &(text, mentions) in passages {
        // people who may speak: not the one spoken to ("told Al Jazeera")
        let people: Vec<&PassageMention> = mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Person && !is_addressee(text, m.start))
            .collect();
        let before = |at: usize| -> Option<String> {
            people
                .iter()
                .rev()
                .find(|m| m.end <= at)
                .map(|m| m.name.clone())
                .or_else(|| last_person.clone())
        };
        let mut found: Vec<Quote> = Vec::new();
        let spans = quote_spans(text);
        for (n, &[open, start, end, close]) in spans.iter().enumerate() {
            // the sentence around the quote, cut at the quotes beside it
            let lo = sentence_start(text, open).max(if n > 0 { spans[n - 1][3] } else { 0 });
            let hi = sentence_end(text, close).min(spans.get(n + 1).map_or(text.len(), |s| s[0]));
            let hi = hi.max(close);
            let (head, tail) = (&text[lo..open], &text[close..hi]);
            // who a stretch names as speaker: a person, or "he"/"she" for the last one before
            let actor = |from: usize, to: usize, last: bool| -> Option<String> {
                let mut actors: Vec<(usize, Option<String>)> = people
                    .iter()
                    .filter(|m| m.start >= from && m.end <= to)
                    .map(|m| (m.start, Some(m.name.clone())))
                    .collect();
                for w in words(&text[from..to]) {
                    if matches!(w.text.to_lowercase().as_str(), "he" | "she") {
                        actors.push((from + w.start, None));
                    }
                }
                actors.sort_by_key(|a| a.0);
                let pick = if last {
                    actors.pop()
                } else {
                    actors.into_iter().next()
                };
                pick.and_then(|(_, name)| name.or_else(|| before(open)))
            };
            let mut speaker = None;
            if has_word(tail, SPEECH_VERBS) {
                speaker = actor(close, hi, false);
            }
            if speaker.is_none() && (has_word(head, SPEECH_VERBS) || head.trim_end().ends_with(':'))
            {
                speaker = actor(lo, open, true);
            }
            if speaker.is_none() {
                speaker = found.last().and_then(|q: &Quote| q.speaker.clone());
            }
            if speaker.is_none() && n == 0 && text[..open].trim().is_empty() && previous_colon {
                speaker = last_person.clone();
            }
            let quoted = &text[start..end];
            found.push(Quote {
                start,
                end,
                words: content_stems(quoted),
                length: words(quoted).len(),
                speaker,
            });
        }
        if let Some(m) = people.last() {
            last_person = Some(m.name.clone());
        }
        previous_colon = text.trim_end().ends_with(':');
        out.push(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(FigureKind, f64, String, &str)> {
        figures(text)
            .into_iter()
            .map(|f| (f.kind, f.value, f.unit, &text[f.start..f.end]))
            .collect()
    }

    #[test]
    fn figures_read_numerals_number_words_and_dates() {
        use FigureKind::*;
        let text = "On Tuesday two children and 2,300 people died; twenty-five were hurt \
                    in a 48-hour raid costing $2.3 billion, 15% of it, on January 16, 2024.";
        let got = values(text);
        let want = [
            (Weekday, 1.0, "", "Tuesday"),
            (Number, 2.0, "child", "two"),
            (Number, 2300.0, "peopl", "2,300"),
            (Number, 25.0, "hurt", "twenty-five"),
            (Number, 48.0, "hour", "48-hour"),
            (Number, 2.3e9, "$", "2.3 billion"),
            (Number, 15.0, "percent", "15"),
            (Date, 116.0, "", "January 16"),
            (Year, 2024.0, "", "2024"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1, g.2.as_str(), g.3), w, "{got:?}");
        }
    }

    #[test]
    fn nine_and_9_are_one_figure_and_one_is_not_a_number() {
        let a = figures("killed nine people");
        let b = figures("killed 9 people");
        assert!(a[0].same_value(&b[0]) && a[0].unit == b[0].unit);
        assert!(figures("one of the men").is_empty());
        assert!(figures("it may rain").is_empty());
        assert_eq!(figures("injuring three. Tehran said")[0].unit, "");
    }

    #[test]
    fn quotes_get_speakers_from_names_pronouns_and_neighbours() {
        let p0 = "Ali Vaez spoke first. “The strike was reckless and it was feckless,” he said. \
                  “They thought Pakistan would absorb the strike and show restraint.”";
        let m0 = vec![PassageMention {
            kind: EntityKind::Person,
            name: "Ali Vaez".into(),
            start: 0,
            end: 8,
        }];
        let p1 = "Hussain said: “Dialogue between the two countries is necessary now.”";
        let m1 = vec![PassageMention {
            kind: EntityKind::Person,
            name: "Syed Rifaat Hussain".into(),
            start: 0,
            end: 7,
        }];
        let p2 = "He added a word of caution:";
        let p3 = "“This is not likely to escalate beyond a limited tit for tat.”";
        let got = quotes(&[(p0, &m0), (p1, &m1), (p2, &[]), (p3, &[])]);
        let speakers: Vec<Vec<Option<&str>>> = got
            .iter()
            .map(|qs| qs.iter().map(|q| q.speaker.as_deref()).collect())
            .collect();
        assert_eq!(
            speakers,
            [
                vec![Some("Ali Vaez"), Some("Ali Vaez")],
                vec![Some("Syed Rifaat Hussain")],
                vec![],
                vec![Some("Syed Rifaat Hussain")],
            ]
        );
        assert_eq!(
            &p0[got[0][0].start..got[0][0].end],
            "The strike was reckless and it was feckless,"
        );
    }

    #[test]
    fn an_apostrophe_does_not_open_a_quote() {
        let text = "Pakistan’s army said the group’s base was hit, calling it ‘a red line’ today.";
        let spans = quote_spans(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0][1]..spans[0][2]], "a red line");
    }

    #[test]
    fn content_stems_meet_across_inflections() {
        assert_eq!(content_stem("Strikes"), content_stem("strike"));
        assert_eq!(content_stem("escalation"), content_stem("escalate"));
        assert_eq!(content_stem("the"), None);
        assert_eq!(content_stem("three"), None);
    }
}
