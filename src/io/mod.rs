//! The file system at the edges of the pipeline: finding the files to check
//! ([`discovery`]), reading them ([`source`]) and writing fixed files back
//! atomically ([`writer`]).

pub mod discovery;
pub mod source;
pub mod writer;
