//! New code in the file's style.
