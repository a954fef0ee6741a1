//! UniFFI's binding generator, pinned to the workspace's uniffi version so the
//! generated Kotlin and Swift always match the scaffolding in `komek-ffi`.
//! Usage: `cargo run -p uniffi-bindgen -- generate --library <lib> --language kotlin ...`

fn main() {
    uniffi::uniffi_bindgen_main()
}
