//! Writing fixed files: once, atomically, and only if nobody changed them
//! since they were read.

use std::io::Write;
use std::path::Path;

#[derive(Debug)]
pub enum WriteError {
    /// The file on disk is no longer what was read and fixed.
    ChangedOnDisk,
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ChangedOnDisk => {
                write!(
                    f,
                    "file changed on disk while it was being fixed; not written"
                )
            }
            WriteError::Io(message) => write!(f, "cannot write file: {message}; left untouched"),
        }
    }
}

/// Replaces the contents of `path` with `new_text`, provided the file still
/// holds `read_text`. The new content goes to a temporary file in the same
/// directory, takes the original's permissions, is flushed to disk and then
/// renamed over the original, so the file is at every moment either fully
/// old or fully new.
pub fn write_if_unchanged(path: &Path, read_text: &str, new_text: &str) -> Result<(), WriteError> {
    let metadata = std::fs::metadata(path).map_err(|e| WriteError::Io(e.to_string()))?;
    if metadata.permissions().readonly() {
        return Err(WriteError::Io("file is read-only".to_string()));
    }
    let current = std::fs::read(path).map_err(|e| WriteError::Io(e.to_string()))?;
    if current != read_text.as_bytes() {
        return Err(WriteError::ChangedOnDisk);
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let io = |e: std::io::Error| WriteError::Io(e.to_string());
    let mut temp = tempfile::Builder::new()
        .prefix(".codesight-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(new_text.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    std::fs::set_permissions(temp.path(), metadata.permissions()).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_file_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 2\n").unwrap();
        let err = write_if_unchanged(&path, "x = 1\n", "x = 3\n").unwrap_err();
        assert!(matches!(err, WriteError::ChangedOnDisk));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x = 2\n");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_no_temp_file_is_left() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
        write_if_unchanged(&path, "x = 1\n", "x = 2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x = 2\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o751);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
