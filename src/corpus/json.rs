//! JSON and JSON Lines articles.
//!
//! An article object has `text` or `body` (required) and may have `title`,
//! `url`, `date`, `source` and `id`; other keys are ignored. A `.json` file
//! holds one object or an array of them; a `.jsonl`/`.ndjson` file holds one
//! object per line. A broken line is reported with its line number and the
//! other lines are still read; lines are parsed one at a time, so a large file
//! never has to fit in memory as one JSON value.
//!
//! May import: nothing of the crate (the bottom room).

use serde_json::{Map, Value};

use super::{Article, FileContent, Warning};

/// Reads a `.json` file: one article object, or an array of them.
pub fn read_json(rel: &str, text: &str, out: &mut FileContent) {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => {
            for (i, item) in items.into_iter().enumerate() {
                let fallback = format!("{rel}#{}", i + 1);
                match article(rel, item, &fallback) {
                    Ok(a) => out.articles.push(a),
                    Err(msg) => {
                        out.warnings
                            .push(warn(rel, None, format!("item {}: {msg}", i + 1)))
                    }
                }
            }
        }
        Ok(value) => match article(rel, value, rel) {
            Ok(mut a) => {
                a.id = rel.to_string();
                out.articles.push(a)
            }
            Err(msg) => out.warnings.push(warn(rel, None, msg)),
        },
        Err(err) => out
            .warnings
            .push(warn(rel, Some(err.line()), format!("invalid JSON: {err}"))),
    }
}

/// Reads a JSON Lines file, one article per non-blank line (see [`stream_lines`]).
pub fn read_lines(rel: &str, text: &str, out: &mut FileContent) {
    let read = stream_lines(
        rel,
        text.as_bytes(),
        |a| {
            out.articles.push(a);
            Ok(())
        },
        &mut |w| out.warnings.push(w),
    );
    // reading from memory fails only if an article is refused, and none is here
    debug_assert!(read.is_ok());
}

/// Streams a JSON Lines file: one line in memory at a time, however large the file.
/// Each article goes to `on_article`; bad lines become warnings with their line number;
/// a line of nothing but white space (of any script: a no-break space too) is skipped.
pub fn stream_lines(
    rel: &str,
    mut reader: impl std::io::BufRead,
    mut on_article: impl FnMut(Article) -> anyhow::Result<()>,
    on_warning: &mut dyn FnMut(Warning),
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|err| anyhow::anyhow!("{rel}: cannot read line {}: {err}", line_no + 1))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let mut bytes = buf.as_slice();
        if line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        while let Some(rest) = bytes
            .strip_suffix(b"\n")
            .or_else(|| bytes.strip_suffix(b"\r"))
        {
            bytes = rest;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = match super::decode(bytes) {
            Ok((text, _)) if text.trim().is_empty() => continue,
            Ok((text, note)) => {
                if let Some(note) = note {
                    on_warning(warn(rel, Some(line_no), note));
                }
                text
            }
            Err(reason) => {
                on_warning(warn(rel, Some(line_no), reason));
                continue;
            }
        };
        let fallback = format!("{rel}#L{line_no}");
        let parsed = serde_json::from_str::<Value>(&text)
            .map_err(|err| format!("invalid JSON: {err}"))
            .and_then(|value| article(rel, value, &fallback));
        match parsed {
            Ok(a) if a.text.trim().is_empty() => {}
            Ok(a) => on_article(a)?,
            Err(msg) => on_warning(warn(rel, Some(line_no), msg)),
        }
    }
}

fn warn(rel: &str, line: Option<usize>, message: String) -> Warning {
    Warning {
        path: rel.to_string(),
        line,
        message,
    }
}

fn article(rel: &str, value: Value, fallback_id: &str) -> Result<Article, String> {
    let Value::Object(obj) = value else {
        return Err("expected a JSON object with a `text` or `body` field".to_string());
    };
    let body = obj
        .get("text")
        .filter(|v| !v.is_null())
        .or_else(|| obj.get("body"));
    let text = match body {
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err("`text`/`body` must be a string".to_string()),
        None => return Err("article has no `text` or `body` field".to_string()),
    };
    let id = scalar(&obj, "id")
        .map(|id| format!("{rel}#{id}"))
        .unwrap_or_else(|| fallback_id.to_string());
    Ok(Article {
        id,
        title: scalar(&obj, "title").unwrap_or_default(),
        text,
        date: scalar(&obj, "date"),
        source: scalar(&obj, "source"),
        url: scalar(&obj, "url"),
    })
}

fn scalar(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_object_with_metadata() {
        let mut out = FileContent::default();
        read_json(
            "a.json",
            r#"{"title":"T","body":"B","date":"2024-01-19","source":"Wire","url":"http://x","id":7}"#,
            &mut out,
        );
        let a = &out.articles[0];
        assert_eq!((a.title.as_str(), a.text.as_str()), ("T", "B"));
        assert_eq!(a.date.as_deref(), Some("2024-01-19"));
        assert_eq!(a.source.as_deref(), Some("Wire"));
        assert_eq!(a.id, "a.json");
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn array_of_objects() {
        let mut out = FileContent::default();
        read_json(
            "a.json",
            r#"[{"text":"one"},{"text":"two","id":"x"},{"title":"no text"}]"#,
            &mut out,
        );
        let ids: Vec<_> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a.json#1", "a.json#x"]);
        assert_eq!(out.warnings.len(), 1);
        assert!(out.warnings[0].message.contains("item 3"));
    }

    #[test]
    fn broken_lines_are_reported_and_skipped() {
        let mut out = FileContent::default();
        let text = "{\"text\":\"first\"}\n{broken\n\n[1,2]\n{\"id\":9,\"text\":\"fourth\"}\n{\"text\":5}\n";
        read_lines("w.jsonl", text, &mut out);
        let ids: Vec<_> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["w.jsonl#L1", "w.jsonl#9"]);
        let lines: Vec<_> = out.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(2), Some(4), Some(6)]);
        assert!(out.warnings[0]
            .to_string()
            .starts_with("w.jsonl:2: invalid JSON"));
    }

    #[test]
    fn streaming_skips_byte_order_mark_line_ends_and_blank_lines() {
        let text = "\u{feff}{\"text\":\"first\"}\r\n{broken\n \t\n[1,2]\n\u{a0}\u{3000}\n{\"id\":9,\"text\":\"fourth\"}\n{\"text\":5}";
        let mut articles = Vec::new();
        let mut warnings = Vec::new();
        stream_lines(
            "w.jsonl",
            text.as_bytes(),
            |a| {
                articles.push(a);
                Ok(())
            },
            &mut |w| warnings.push(w),
        )
        .unwrap();
        let ids: Vec<_> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["w.jsonl#L1", "w.jsonl#9"]);
        assert_eq!(articles[0].text, "first");
        // the no-break and ideographic spaces make a blank line, not invalid JSON
        let lines: Vec<_> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(2), Some(4), Some(7)]);
    }

    #[test]
    fn invalid_json_file_names_the_line() {
        let mut out = FileContent::default();
        read_json("a.json", "{\n\"text\": \"x\",\n oops }", &mut out);
        assert!(out.articles.is_empty());
        assert_eq!(out.warnings[0].line, Some(3));
    }
}
