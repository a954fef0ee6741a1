//! (in progress: rules)
