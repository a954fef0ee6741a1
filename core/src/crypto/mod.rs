//! (in progress: crypto)
