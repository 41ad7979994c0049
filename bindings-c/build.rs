//! Gives the shared library the soname C users link against. Cargo names the file
//! `libsendivent_c.so`; `build.sh` installs it as `libsendivent.so.<major>.<minor>` with this
//! soname (0.x: every minor release may break the ABI, so the minor is part of the soname).
fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        let soname =
            if major == "0" { format!("libsendivent.so.0.{minor}") } else { format!("libsendivent.so.{major}") };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
