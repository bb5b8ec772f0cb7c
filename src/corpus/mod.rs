//! The corpus: walking a folder of news files and reading each into [`Article`]s.
//!
//! A corpus is a folder tree of `.txt`, `.md`, `.html`/`.htm`, `.json` and
//! `.jsonl`/`.ndjson` files. [`walk`] lists the files newsdex can read (hidden
//! files and the index folder are skipped, symlinks are not followed), and
//! [`read_file`] turns one file's bytes into articles. A reader never fails on
//! bad content: what it cannot use becomes a [`Warning`] naming the file (and
//! line, for JSON Lines) and the rest of the file is still read.
//!
//! May import: nothing of the crate (the bottom room).

mod decode;
mod html;
mod json;
mod text;

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context;

pub use decode::decode;
pub use json::stream_lines;

/// One news article, the unit that is split into passages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Article {
    /// Stable id: the file's corpus path, plus `#id` or `#L<line>` for JSON Lines.
    pub id: String,
    /// The title (`<title>` of HTML, `title` of JSON, a plain-text first line that reads as a
    /// headline); empty when the article has none.
    pub title: String,
    /// The body; passage offsets are byte offsets into this string.
    pub text: String,
    /// Publication date as given by the source, if any.
    pub date: Option<String>,
    /// Publisher or wire service, if any.
    pub source: Option<String>,
    /// Original address, if any.
    pub url: Option<String>,
}

/// Something in a file that could not be used; the rest of the file still is.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// The corpus path of the file.
    pub path: String,
    /// The 1-based line, where the problem is tied to one.
    pub line: Option<usize>,
    /// What went wrong, lowercase, no trailing period.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The kinds of file newsdex reads, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text: the first non-empty line is the title when it reads as one.
    Text,
    /// Markdown, read as plain text; a `#` heading first is the title.
    Markdown,
    /// HTML: visible text only, blocks become paragraphs.
    Html,
    /// One JSON article object (or an array of them).
    Json,
    /// One JSON article object per line.
    JsonLines,
}

impl Format {
    /// The format a path's extension names, or `None` for files newsdex does not read.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            _ => return None,
        })
    }
}

/// A readable file found by [`walk`].
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the corpus root with `/` separators: the file's id in the index.
    pub rel: String,
    /// Path to open.
    pub abs: PathBuf,
    /// Size in bytes when walked.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 if unknown).
    pub mtime: u64,
    /// How to read it.
    pub format: Format,
}

/// What a walk found: the readable files, plus problems met on the way.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files newsdex can read, sorted by corpus path.
    pub files: Vec<SourceFile>,
    /// Folders or entries that could not be listed.
    pub warnings: Vec<Warning>,
    /// Visible files skipped because newsdex does not read their type.
    pub unsupported: usize,
}

/// Lists the readable files under `root`, skipping hidden entries and `exclude` (the index).
pub fn walk(root: &Path, exclude: Option<&Path>) -> anyhow::Result<Walk> {
    let meta = std::fs::metadata(root)
        .with_context(|| format!("cannot read corpus folder {}", root.display()))?;
    anyhow::ensure!(meta.is_dir(), "corpus {} is not a folder", root.display());
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut out = Walk::default();
    let entries = walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let excluded = e.file_type().is_dir()
                && exclude
                    .as_deref()
                    .is_some_and(|x| e.path().canonicalize().ok().as_deref() == Some(x));
            !hidden && !excluded
        });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| root.display().to_string());
                out.warnings.push(Warning {
                    path,
                    line: None,
                    message: format!("cannot list: {}", io_reason(&err)),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(format) = Format::from_path(entry.path()) else {
            out.unsupported += 1;
            continue;
        };
        let rel = relative(root, entry.path());
        match entry.metadata() {
            Ok(meta) => out.files.push(SourceFile {
                rel,
                abs: entry.path().to_path_buf(),
                size: meta.len(),
                mtime: mtime_nanos(&meta),
                format,
            }),
            Err(err) => out.warnings.push(Warning {
                path: rel,
                line: None,
                message: format!("cannot stat: {}", io_reason(&err)),
            }),
        }
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn io_reason(err: &dyn std::error::Error) -> String {
    let text = err.to_string();
    // walkdir prefixes its own path; keep only the OS reason
    match text.rfind(": ") {
        Some(i) if text.starts_with("IO error") => text[i + 2..].to_string(),
        _ => text,
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

fn mtime_nanos(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// What reading one file produced.
#[derive(Debug, Default)]
pub struct FileContent {
    /// The articles the file holds, in file order.
    pub articles: Vec<Article>,
    /// Problems met; each names the file.
    pub warnings: Vec<Warning>,
}

/// Reads one file's bytes as `format`; `rel` names the file in ids and warnings.
pub fn read_bytes(rel: &str, format: Format, bytes: &[u8]) -> FileContent {
    let mut content = FileContent::default();
    let text = match decode(bytes) {
        Ok((text, note)) => {
            if let Some(note) = note {
                content.warnings.push(Warning {
                    path: rel.to_string(),
                    line: None,
                    message: note,
                });
            }
            text
        }
        Err(reason) => {
            content.warnings.push(Warning {
                path: rel.to_string(),
                line: None,
                message: reason,
            });
            return content;
        }
    };
    match format {
        Format::Text => content.articles.extend(text::read(rel, &text, false)),
        Format::Markdown => content.articles.extend(text::read(rel, &text, true)),
        Format::Html => content.articles.extend(html::read(rel, &text)),
        Format::Json => json::read_json(rel, &text, &mut content),
        Format::JsonLines => json::read_lines(rel, &text, &mut content),
    }
    content.articles.retain(|a| !a.text.trim().is_empty());
    content
}

/// Reads a file from disk, returning its raw bytes' hash alongside the articles.
pub fn read_file(file: &SourceFile) -> std::io::Result<(u64, FileContent)> {
    let bytes = std::fs::read(&file.abs)?;
    let hash = content_hash(&bytes);
    Ok((hash, read_bytes(&file.rel, file.format, &bytes)))
}

/// The content hash newsdex uses to tell whether a file changed (xxh3, 64 bits).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        let cases = [
            ("a.txt", Some(Format::Text)),
            ("a.MD", Some(Format::Markdown)),
            ("a.htm", Some(Format::Html)),
            ("a.html", Some(Format::Html)),
            ("a.json", Some(Format::Json)),
            ("a.jsonl", Some(Format::JsonLines)),
            ("a.ndjson", Some(Format::JsonLines)),
            ("a.pdf", None),
            ("README", None),
        ];
        for (name, want) in cases {
            assert_eq!(Format::from_path(Path::new(name)), want, "{name}");
        }
    }

    #[test]
    fn walk_skips_hidden_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("idx")).unwrap();
        std::fs::write(root.join("sub/a.txt"), "A\n\nbody").unwrap();
        std::fs::write(root.join(".hidden.txt"), "x").unwrap();
        std::fs::write(root.join(".git/b.txt"), "x").unwrap();
        std::fs::write(root.join("idx/c.txt"), "x").unwrap();
        std::fs::write(root.join("d.pdf"), "x").unwrap();
        let walk = walk(root, Some(&root.join("idx"))).unwrap();
        let rels: Vec<_> = walk.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["sub/a.txt"]);
        assert_eq!(walk.unsupported, 1);
    }

    #[test]
    fn missing_corpus_is_an_error() {
        let err = walk(Path::new("/no/such/folder"), None).unwrap_err();
        assert!(format!("{err:#}").contains("/no/such/folder"));
    }
}
