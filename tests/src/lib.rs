//! Shared helpers for Komek's end-to-end tests and demo: things that sit between
//! a device and the registry, like a slow or unreliable network link.

pub mod link;
