//! A path as text for records, reports and messages: exactly its bytes
//! where they are UTF-8, each other byte escaped as `\xNN`, so a name in a
//! legacy encoding (GBK file names from a Windows archive) can be mapped
//! back to the file.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_bytes("表1.xls".as_bytes()), "表1.xls");
        assert_eq!(escape_bytes(b"bad\xB1\xED.txt"), "bad\\xB1\\xED.txt");
        assert_eq!(escape_bytes(b"\xFF"), "\\xFF");
    }
}
