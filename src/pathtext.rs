//! A path as text for records, reports and messages: exactly its bytes
//! where they are UTF-8, each other byte escaped as `\xNN`, so a name in a
//! legacy encoding (GBK file names from a Windows archive) can be mapped
//! back to the file. And text made safe for a terminal or a log: control
//! characters, bidi overrides and line breaks escaped, so a file name or a
//! cell can neither send an escape sequence nor forge a line.

use std::path::Path;

/// The path's text, lossless: invalid UTF-8 bytes become `\xNN`.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        escape_bytes(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Bytes as text: UTF-8 runs kept, other bytes as `\xNN`.
pub fn escape_bytes(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                for b in &rest[..bad] {
                    out.push_str(&format!("\\x{b:02X}"));
                }
                bytes = &rest[bad..];
            }
        }
    }
}

/// Characters a terminal or a log viewer acts on instead of drawing:
/// C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks,
/// and the Unicode line and paragraph separators.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

fn escape_into(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = if (c as u32) < 0x80 {
        write!(out, "\\x{:02X}", c as u32)
    } else {
        write!(out, "\\u{{{:X}}}", c as u32)
    };
}

/// One line for stderr or a log: every control character (line breaks
/// too), bidi control and line separator escaped as `\x1B` or `\u{202E}`.
pub fn terminal_line(s: &str) -> String {
    terminal(s, false)
}

/// Text of several lines for a terminal (`inspect`, `labels`): as
/// [`terminal_line`], but line feeds and tabs are kept.
pub fn terminal_text(s: &str) -> String {
    terminal(s, true)
}

fn terminal(s: &str, lines: bool) -> String {
    if !s.chars().any(acts) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts(c) && !(lines && matches!(c, '\n' | '\t')) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a path that is not a directory is no regular file: what a one-line
/// error says of a pipe, a device or a socket.
pub fn not_regular(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "not a regular file (a named pipe)";
        } else if t.is_char_device() || t.is_block_device() {
            return "not a regular file (a device)";
        } else if t.is_socket() {
            return "not a regular file (a socket)";
        }
    }
    let _ = m;
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_escapes_what_a_terminal_would_act_on() {
        assert_eq!(terminal_line("bad\x1b]0;T\x07.txt"), "bad\\x1B]0;T\\x07.txt");
        assert_eq!(terminal_line("a\nb\rc"), "a\\x0Ab\\x0Dc");
        assert_eq!(terminal_line("x\u{202e}y\u{85}z\u{7f}"), "x\\u{202E}y\\u{85}z\\x7F");
        assert_eq!(terminal_text("a\tb\nc\x1b"), "a\tb\nc\\x1B");
        assert_eq!(terminal_line("表1.xls"), "表1.xls");
    }

    #[test]
    fn invalid_bytes_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_bytes("表1.xls".as_bytes()), "表1.xls");
        assert_eq!(escape_bytes(b"bad\xB1\xED.txt"), "bad\\xB1\\xED.txt");
        assert_eq!(escape_bytes(b"\xFF"), "\\xFF");
    }
}
