//! (in progress: store)
