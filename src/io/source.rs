//! Reading source files: bytes from disk to checked UTF-8 text.

use std::path::{Path, PathBuf};

/// A Python source file as read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (or as discovered under a given directory).
    pub path: PathBuf,
    /// The full text, including a UTF-8 byte order mark if the file has one.
    pub text: String,
}

/// Why a file could not be read as Python source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    /// Larger than [`crate::analysis::MAX_FILE_SIZE`].
    TooLarge(u64),
    NotUtf8 {
        line: usize,
        declared: Option<String>,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(message) => write!(f, "cannot read file: {message}"),
            ReadError::TooLarge(size) => write!(
                f,
                "file is too large to check ({} MiB; the limit is {} MiB); skipped",
                size / (1024 * 1024),
                crate::analysis::MAX_FILE_SIZE / (1024 * 1024)
            ),
            ReadError::NotUtf8 { line, declared } => {
                write!(f, "file is not valid UTF-8 (first bad byte on line {line})")?;
                if let Some(encoding) = declared {
                    write!(
                        f,
                        "; it declares `coding: {encoding}`, which is not supported"
                    )?;
                }
                write!(f, "; left untouched")
            }
        }
    }
}

impl SourceFile {
    /// Reads a file of at most [`crate::analysis::MAX_FILE_SIZE`] bytes
    /// (a larger one is not read at all).
    pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
        use std::io::Read;
        let limit = crate::analysis::MAX_FILE_SIZE;
        let io = |e: std::io::Error| ReadError::Io(e.to_string());
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > limit {
            return Err(ReadError::TooLarge(size));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        // The file may grow after its size was read.
        file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge(bytes.len() as u64));
        }
        Self::from_bytes(path, bytes)
    }

    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile {
                path: path.to_path_buf(),
                text,
            }),
            Err(err) => {
                let bytes = err.as_bytes();
                let valid = err.utf8_error().valid_up_to();
                let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(ReadError::NotUtf8 {
                    line,
                    declared: declared_encoding(bytes),
                })
            }
        }
    }
}

/// The encoding named by a PEP 263 `coding:` comment on the first two lines.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        if let Some(pos) = comment.find("coding") {
            let rest = comment[pos + "coding".len()..].trim_start_matches([':', '=']);
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_file_is_rejected_with_declared_encoding() {
        let bytes = b"# -*- coding: latin-1 -*-\nname = '\xe9'\n".to_vec();
        let err = SourceFile::from_bytes(Path::new("x.py"), bytes).unwrap_err();
        assert_eq!(
            err,
            ReadError::NotUtf8 {
                line: 2,
                declared: Some("latin-1".to_string())
            }
        );
    }
}
