//! Removing the imports a fix left unused.
