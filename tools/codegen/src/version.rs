//! The version, written once (`[workspace.package] version` in the root Cargo.toml, which the
//! description reports as `constants.version`), into the files that must state it as a literal:
//!
//! - `bindings-c/src/version_gen.rs`: the C header's `SENDIVENT_VERSION_*` defines (cbindgen
//!   copies the constants into `include/sendivent.h`);
//! - stamped files, hand-written except for the version: the Kotlin package's `pom.xml`, the
//!   Kotlin demo's dependency on it, and the Kotlin guide's Maven snippet and jar name. Maven
//!   and a reader need a literal there; `make generate` rewrites it and `--check` fails when it
//!   lags.
//!
//! Everything else takes the version at build time (Cargo, maturin's `dynamic = ["version"]`,
//! `bindings-wasm/build.sh` for package.json) or through the other generated modules;
//! `tools/check-version.py` (`make version-check`) checks every place.

use minijinja::{Environment, context};

use crate::ir::Ir;
use crate::{Output, header, root, templates};

/// A hand-written file holding the version between `before` and `after` (each occurrence).
struct Stamp {
    path: &'static str,
    before: &'static str,
    after: &'static str,
}

/// Grouped by file (`render` reads each file once).
const STAMPS: &[Stamp] = &[
    Stamp {
        path: "bindings-uniffi/kotlin/pom.xml",
        before: "<artifactId>sendivent</artifactId>\n  <version>",
        after: "</version>",
    },
    Stamp {
        path: "bindings-uniffi/kotlin/demo/pom.xml",
        before: "<artifactId>sendivent</artifactId>\n      <version>",
        after: "</version>",
    },
    Stamp {
        path: "bindings-uniffi/README.md",
        before: "<artifactId>sendivent</artifactId>\n  <version>",
        after: "</version>",
    },
    Stamp { path: "bindings-uniffi/README.md", before: "kotlin/target/sendivent-", after: ".jar" },
];

/// The characters of a version (SemVer, with pre-release and build parts).
fn is_version_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')
}

/// `text` with the version between every `before` and `after` replaced by `version`. An anchor
/// that no longer occurs is an error: the stamp would silently stop following the version.
fn stamp(text: &str, before: &str, after: &str, version: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut found = 0;
    while let Some(start) = rest.find(before) {
        let value_start = start + before.len();
        let tail = &rest[value_start..];
        let Some(end) = tail.find(after) else { break };
        if end == 0 || !tail[..end].chars().all(is_version_char) {
            // Not a version between the anchors (the text goes on differently): keep it.
            out.push_str(&rest[..value_start]);
            rest = tail;
            continue;
        }
        out.push_str(&rest[..value_start]);
        out.push_str(version);
        out.push_str(after);
        rest = &tail[end + after.len()..];
        found += 1;
    }
    out.push_str(rest);
    if found == 0 {
        return Err(format!("no version between {before:?} and {after:?}"));
    }
    Ok(out)
}

/// `(major, minor, patch)` of a SemVer version; the pre-release and build parts are not part
/// of the C defines.
fn numbers(version: &str) -> Result<(u32, u32, u32), String> {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<u32> = core
        .split('.')
        .map(|p| p.parse::<u32>().map_err(|_| format!("version {version:?} is not MAJOR.MINOR.PATCH")))
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [major, minor, patch] => Ok((*major, *minor, *patch)),
        _ => Err(format!("version {version:?} is not MAJOR.MINOR.PATCH")),
    }
}

pub fn render(ir: &Ir, env: &Environment<'static>) -> Result<Vec<Output>, String> {
    let version = ir.version();
    let (major, minor, patch) = numbers(version)?;
    let mut outputs = vec![Output {
        path: "bindings-c/src/version_gen.rs",
        contents: templates::render(
            env,
            "version/version_gen.rs.j2",
            context! { header => header("//"), major => major, minor => minor, patch => patch },
        )?,
    }];
    let root = root();
    let mut paths: Vec<&'static str> = STAMPS.iter().map(|s| s.path).collect();
    paths.dedup();
    for path in paths {
        let mut text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))?;
        for s in STAMPS.iter().filter(|s| s.path == path) {
            text = stamp(&text, s.before, s.after, version).map_err(|e| format!("{path}: {e}"))?;
        }
        outputs.push(Output { path, contents: text });
    }
    Ok(outputs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{numbers, stamp};

    #[test]
    fn stamps_every_occurrence_and_nothing_else() {
        // Sample versions that are not the SDK's (`make version-check` flags a copy of that).
        let text = "a <v>7.6.5</v> b <v>7.6.5-rc.1</v> <v>not a version!</v> <w>7.6.5</w>";
        assert_eq!(
            stamp(text, "<v>", "</v>", "8.0.0").unwrap(),
            "a <v>8.0.0</v> b <v>8.0.0</v> <v>not a version!</v> <w>7.6.5</w>"
        );
    }

    #[test]
    fn a_missing_anchor_is_an_error() {
        assert!(stamp("<version>7.6.5</version>", "<v>", "</v>", "8.0.0").is_err());
    }

    #[test]
    fn numbers_drop_pre_release_and_build() {
        assert_eq!(numbers("1.2.3").unwrap(), (1, 2, 3));
        assert_eq!(numbers("1.2.3-rc.1+build.5").unwrap(), (1, 2, 3));
        assert!(numbers("1.2").is_err());
        assert!(numbers("1.x.3").is_err());
    }
}
