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
    write_with(path, read_text, new_text, |file, bytes| {
        file.write_all(bytes)
    })
}

/// [`write_if_unchanged`] with the step that writes the bytes to the
/// temporary file given, so tests can make it fail (a full disk, say).
fn write_with(
    path: &Path,
    read_text: &str,
    new_text: &str,
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let link = std::fs::symlink_metadata(path).map_err(|e| WriteError::Io(e.to_string()))?;
    if link.file_type().is_symlink() {
        return Err(WriteError::Io(
            "is a symbolic link; not written through (fix the file it points to)".to_string(),
        ));
    }
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
    // On any error below, dropping `temp` removes the temporary file and the
    // original is untouched.
    write(temp.as_file_mut(), new_text.as_bytes()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    std::fs::set_permissions(temp.path(), metadata.permissions()).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "x = 1\n").unwrap();
        let err = write_with(&path, "x = 1\n", "x = 2\n", |file, bytes| {
            // Half the bytes land, then the disk is full.
            file.write_all(&bytes[..3])?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ))
        })
        .unwrap_err();
        assert!(err.to_string().contains("no space left"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x = 1\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn deleted_file_is_reported_not_recreated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.py");
        assert!(write_if_unchanged(&path, "x = 1\n", "x = 2\n").is_err());
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("real.py");
        std::fs::write(&target, "x = 1\n").unwrap();
        let link = dir.path().join("link.py");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_if_unchanged(&link, "x = 1\n", "x = 2\n").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "x = 1\n");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

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
