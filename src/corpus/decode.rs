//! Bytes to text: UTF-8 first, then UTF-16 by its byte-order mark, then Windows-1252.
//!
//! News files come from scrapers, e-mail and old archives. A file that is not
//! UTF-8 is still read, with a note saying how it was decoded, so the user can
//! tell when a decoding guess may have garbled a name. Files that look binary
//! (NUL bytes without a UTF-16 mark) are refused rather than indexed as junk.
//!
//! May import: nothing of the crate (the bottom room).

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Decodes `bytes` to text, with a note when it was not plain UTF-8, or the reason it cannot be read.
pub fn decode(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (encoding, name) = if bytes[0] == 0xFF {
            (UTF_16LE, "UTF-16LE")
        } else {
            (UTF_16BE, "UTF-16BE")
        };
        let (text, _, had_errors) = encoding.decode(bytes);
        let note = if had_errors {
            format!("decoded as {name} (byte-order mark); some bytes were invalid and replaced")
        } else {
            format!("decoded as {name} (byte-order mark)")
        };
        return Ok((text.into_owned(), Some(note)));
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    if bytes.contains(&0) {
        return Err("looks binary (contains NUL bytes); skipped".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), None)),
        Err(err) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            let note = format!(
                "not valid UTF-8 (first bad byte at offset {}); decoded as Windows-1252",
                err.valid_up_to()
            );
            Ok((text.into_owned(), Some(note)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        assert_eq!(
            decode("Vaez’s".as_bytes()).unwrap(),
            ("Vaez’s".into(), None)
        );
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (text, note) = decode(b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(text, "hello");
        assert!(note.is_none());
    }

    #[test]
    fn utf16_by_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Kakar".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (text, note) = decode(&bytes).unwrap();
        assert_eq!(text, "Kakar");
        assert!(note.unwrap().contains("UTF-16LE"));

        let mut bytes = vec![0xFE, 0xFF];
        for unit in "Tehran".encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().0, "Tehran");
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        let (text, note) = decode(b"caf\xE9 \x93quoted\x94").unwrap();
        assert_eq!(text, "café “quoted”");
        assert!(note.unwrap().contains("offset 3"));
    }

    #[test]
    fn nul_bytes_are_refused() {
        assert!(decode(b"\x00\x01\x02ELF").unwrap_err().contains("binary"));
    }
}
