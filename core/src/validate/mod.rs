//! (in progress: validate)
