//! Trunk's post-build hook: writes the build id and the precache list into `sw.js`.
//!
//! The build id is a hash of every file of the build, so an unchanged build keeps its service
//! worker (no pointless re-download on phones) and any change makes a new one, which replaces
//! the cached shell exactly once.

use std::path::{Path, PathBuf};

use crate::Result;

const SERVICE_WORKER: &str = "sw.js";

pub fn run() -> Result {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from).ok_or(
        "TRUNK_STAGING_DIR is not set: this command is Trunk's post_build hook (see Trunk.toml)",
    )?;
    stamp(&staging)
}

pub fn stamp(build_dir: &Path) -> Result {
    let mut files = Vec::new();
    collect_files(build_dir, build_dir, &mut files)?;
    files.retain(|(url, _)| url != &format!("/{SERVICE_WORKER}"));
    files.sort();
    let build_id = build_id(&files);
    let precache: Vec<String> = files.iter().map(|(url, _)| json_string(url)).collect();

    let sw_path = build_dir.join(SERVICE_WORKER);
    let template =
        std::fs::read_to_string(&sw_path).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    let stamped = template
        .replacen("\"__IKD_BUILD_ID__\"", &json_string(&build_id), 1)
        .replacen(
            "[\"__IKD_PRECACHE__\"]",
            &format!("[{}]", precache.join(", ")),
            1,
        );
    if stamped.contains("__IKD_") {
        return Err(format!(
            "{} lacks the placeholders __IKD_BUILD_ID__ / __IKD_PRECACHE__",
            sw_path.display()
        ));
    }
    std::fs::write(&sw_path, stamped).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    eprintln!(
        "  service worker: build {build_id}, {} files precached",
        files.len()
    );
    precompress(build_dir)
}

/// Brotli (quality 11) and gzip (level 9) copies next to each text and wasm file, which
/// `ikd serve` sends to browsers that accept them: compressing once at build time costs
/// nothing per request, where on-the-fly brotli 11 of the wasm would take a second each time.
const PRECOMPRESS: &str = r#"
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
for (const file of walk(process.argv[1])) {
  if (!/\.(html|js|wasm|css|svg|webmanifest|json)$/.test(file)) continue;
  const raw = fs.readFileSync(file);
  fs.writeFileSync(file + '.br', zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  fs.writeFileSync(file + '.gz', zlib.gzipSync(raw, { level: 9 }));
}
"#;

/// The officer console's post-build hook: it has no service worker, only compressed copies.
pub fn precompress_staging() -> Result {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from).ok_or(
        "TRUNK_STAGING_DIR is not set: this command is Trunk's post_build hook (see crates/console/Trunk.toml)",
    )?;
    precompress(&staging)
}

fn precompress(build_dir: &Path) -> Result {
    let status = std::process::Command::new("node")
        .args(["-e", PRECOMPRESS])
        .arg(build_dir)
        .status()
        .map_err(|e| format!("cannot run node to precompress the build: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("precompressing the build failed with {status}"))
    }
}

/// (URL path, contents) of every file below `dir`.
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).map_err(|e| e.to_string())?;
            let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push((url, bytes));
        }
    }
    Ok(())
}

/// FNV-1a (64-bit) over names and contents: stable across Rust versions, unlike std's hasher.
fn build_id(files: &[(String, Vec<u8>)]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (url, bytes) in files {
        for &byte in url.as_bytes().iter().chain([0u8].iter()).chain(bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_dir_with(index: &str) -> tempdir::Dir {
        let dir = tempdir::Dir::new();
        std::fs::create_dir_all(dir.path().join("icons")).expect("icons");
        std::fs::write(dir.path().join("index.html"), index).expect("index");
        std::fs::write(dir.path().join("icons/a.png"), b"png").expect("icon");
        std::fs::write(
            dir.path().join(SERVICE_WORKER),
            "const BUILD_ID = \"__IKD_BUILD_ID__\";\nconst PRECACHE = [\"__IKD_PRECACHE__\"];\n",
        )
        .expect("sw");
        dir
    }

    #[test]
    fn stamping_lists_every_file_but_the_worker_and_sets_a_content_build_id() {
        let dir = build_dir_with("<html>v1</html>");
        stamp(dir.path()).expect("stamp");
        let sw = std::fs::read_to_string(dir.path().join(SERVICE_WORKER)).expect("sw");
        assert!(
            sw.contains("const PRECACHE = [\"/icons/a.png\", \"/index.html\"];"),
            "{sw}"
        );
        assert!(!sw.contains("__IKD_"), "{sw}");
        // Compressed copies for the server, made after the precache list was written.
        assert!(dir.path().join("index.html.br").exists());
        assert!(dir.path().join("index.html.gz").exists());
    }

    #[test]
    fn the_build_id_changes_exactly_when_a_file_changes() {
        let id_of = |index: &str| {
            let dir = build_dir_with(index);
            stamp(dir.path()).expect("stamp");
            let sw = std::fs::read_to_string(dir.path().join(SERVICE_WORKER)).expect("sw");
            sw.lines().next().expect("first line").to_owned()
        };
        assert_eq!(id_of("<html>v1</html>"), id_of("<html>v1</html>"));
        assert_ne!(id_of("<html>v1</html>"), id_of("<html>v2</html>"));
    }

    /// A minimal temp dir (xtask has no dependencies, so no tempfile crate).
    mod tempdir {
        pub struct Dir(std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                use std::sync::atomic::{AtomicU32, Ordering};
                static N: AtomicU32 = AtomicU32::new(0);
                let path = std::env::temp_dir().join(format!(
                    "xtask-test-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::create_dir_all(&path).expect("temp dir");
                Dir(path)
            }
            pub fn path(&self) -> &std::path::Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
