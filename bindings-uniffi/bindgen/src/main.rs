//! `uniffi-bindgen` for this repository, pinned to the library's uniffi version: a separate binary
//! so that the generator (clap, askama, goblin) never links into `libsendivent_uniffi`.
//! `bindings-uniffi/generate.sh` runs it on the unstripped debug library.

fn main() {
    uniffi::uniffi_bindgen_main()
}
