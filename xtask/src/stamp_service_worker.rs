//! Trunk's post-build hook: merges the citizen app's other pages and the split bundles into
//! the build, puts each page's stylesheet into the page so its shell paints without another
//! request (`paint_first.rs`), then writes the build id, the precache list and the pages into
//! `sw.js`.
//!
//! The citizen app is three bundles (`ikd_core::web_shells`), each with its own page and its
//! own Trunk run (`pwa::CITIZEN_PAGES`). The other two build first into
//! `target/citizen-pages/`; the main build (index.html) copies them into its staging folder,
//! so `dist/` holds all three and one service worker precaches them all. The wasm of all three,
//! split into chunks, is built before any Trunk run (`wasm_split.rs`, into
//! `target/wasm-split/out/`) and merged here too, with each page's loader.
//!
//! The build id is a hash of every file of the build, so an unchanged build keeps its service
//! worker (no pointless re-download on phones) and any change makes a new one, which replaces
//! the cached shell exactly once.

use std::path::{Path, PathBuf};

use crate::{Result, pwa};

const SERVICE_WORKER: &str = "sw.js";

pub fn run() -> Result {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from).ok_or(
        "TRUNK_STAGING_DIR is not set: this command is Trunk's post_build hook (see Trunk.toml)",
    )?;
    let page = std::env::var_os("TRUNK_HTML_FILE").map(PathBuf::from);
    let page_name = page
        .as_deref()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned());
    if page_name.as_deref() != Some("index.html") {
        // One of the other pages: the main build merges it and stamps once for all.
        return Ok(());
    }
    for page in pwa::CITIZEN_PAGES {
        merge_page(&pwa::citizen_page_dir(page), page, &staging)?;
    }
    merge_split_bundles(&staging)?;
    let mut inlined = Vec::new();
    for page in std::iter::once("index.html").chain(pwa::CITIZEN_PAGES) {
        inlined.extend(crate::paint_first::inline_stylesheet(&staging, page)?);
    }
    // Each page carries its stylesheet now: the file would only cost the precache.
    inlined.sort();
    inlined.dedup();
    for file in inlined {
        let path = staging.join(&file);
        std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    stamp(&staging)
}

/// Copies the split bundles (`wasm_split.rs`, built before the Trunk runs) into the build
/// and puts each one's loader into its page.
fn merge_split_bundles(build_dir: &Path) -> Result {
    for (bin, page) in crate::wasm_split::BUNDLES {
        let split = crate::wasm_split::out_dir(bin);
        let bundle = crate::wasm_split::find(&split, bin)?;
        let entries = std::fs::read_dir(&split).map_err(|e| format!("{}: {e}", split.display()))?;
        for entry in entries.flatten() {
            let target = build_dir.join(entry.file_name());
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{} -> {}: {e}", entry.path().display(), target.display()))?;
        }
        let page = build_dir.join(page);
        let html =
            std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
        let html = crate::wasm_split::insert_loader(&html, &bundle)
            .map_err(|e| format!("{}: {e}", page.display()))?;
        std::fs::write(&page, html).map_err(|e| format!("{}: {e}", page.display()))?;
    }
    Ok(())
}

/// Copies one page's build (its html; the css is the same file as the main build's, and its
/// wasm is a split bundle, merged by [`merge_split_bundles`]) into the main build's folder.
fn merge_page(page_dir: &Path, page: &str, build_dir: &Path) -> Result {
    if !page_dir.join(page).exists() {
        return Err(format!(
            "{} is missing: build the citizen app with `cargo xtask run` (or `cargo xtask test`), \
             which builds {page} before index.html",
            page_dir.join(page).display()
        ));
    }
    let entries =
        std::fs::read_dir(page_dir).map_err(|e| format!("{}: {e}", page_dir.display()))?;
    for entry in entries.flatten() {
        let target = build_dir.join(entry.file_name());
        if entry.path().is_file() && !target.exists() {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{} -> {}: {e}", entry.path().display(), target.display()))?;
        }
    }
    Ok(())
}

pub fn stamp(build_dir: &Path) -> Result {
    let mut files = Vec::new();
    collect_files(build_dir, build_dir, &mut files)?;
    files.retain(|(url, _)| url != &format!("/{SERVICE_WORKER}"));
    files.sort();
    let build_id = build_id(&files);
    let precache: Vec<String> = files.iter().map(|(url, _)| json_string(url)).collect();

    // Which page opens which address: every page but index.html declares its own.
    let mut pages = Vec::new();
    for (url, bytes) in &files {
        if !url.ends_with(".html") || url == "/index.html" || url[1..].contains('/') {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let addresses = declared_addresses(&html)
            .ok_or_else(|| format!("{url} lacks <meta name=\"ikd-addresses\" content=\"...\">"))?;
        for address in addresses.split_whitespace() {
            pages.push(format!("{}: {}", json_string(address), json_string(url)));
        }
    }

    let sw_path = build_dir.join(SERVICE_WORKER);
    let template =
        std::fs::read_to_string(&sw_path).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    let placeholders = [
        "\"__IKD_BUILD_ID__\"",
        "[\"__IKD_PRECACHE__\"]",
        "\"__IKD_PAGES__\"",
    ];
    if let Some(missing) = placeholders.iter().find(|p| !template.contains(*p)) {
        return Err(format!(
            "{} lacks the placeholder {missing}",
            sw_path.display()
        ));
    }
    let stamped = template
        .replacen(placeholders[0], &json_string(&build_id), 1)
        .replacen(placeholders[1], &format!("[{}]", precache.join(", ")), 1)
        .replacen(placeholders[2], &format!("{{{}}}", pages.join(", ")), 1);
    std::fs::write(&sw_path, stamped).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    eprintln!(
        "  service worker: build {build_id}, {} files precached",
        files.len()
    );
    precompress(build_dir)
}

/// The `content` of a page's `<meta name="ikd-addresses">`, quoted or (after Trunk's
/// minifier) not.
fn declared_addresses(html: &str) -> Option<String> {
    html.split("<meta")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())])
        .find(|tag| tag.contains("ikd-addresses"))
        .and_then(|tag| {
            let value = &tag[tag.find("content=")? + "content=".len()..];
            match value.chars().next()? {
                quote @ ('"' | '\'') => {
                    let value = &value[1..];
                    Some(value[..value.find(quote)?].to_owned())
                }
                _ => Some(value.split(char::is_whitespace).next()?.to_owned()),
            }
        })
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
    fnv1a_hex(
        files
            .iter()
            .flat_map(|(url, bytes)| [url.as_bytes(), &[0u8][..], bytes.as_slice()]),
    )
}

/// FNV-1a (64-bit) over `parts` in order, as 16 hex digits: the build id here, and the
/// content hash in the split bundles' file names (`wasm_split.rs`).
pub fn fnv1a_hex<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part {
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
            "const BUILD_ID = \"__IKD_BUILD_ID__\";\nconst PRECACHE = [\"__IKD_PRECACHE__\"];\n\
             const PAGES = \"__IKD_PAGES__\";\n",
        )
        .expect("sw");
        dir
    }

    #[test]
    fn the_other_pages_are_merged_in_with_the_addresses_they_declare() {
        let dir = build_dir_with("<html>main</html>");
        let part = tempdir::Dir::new();
        std::fs::write(
            part.path().join("daftar.html"),
            "<html><meta content=\"/daftar /lupa-sandi\" name=ikd-addresses>daftar</html>",
        )
        .expect("page");
        std::fs::write(part.path().join("ikd-daftar-0123456789_bg.wasm"), b"wasm").expect("wasm");
        merge_page(part.path(), "daftar.html", dir.path()).expect("merge");
        stamp(dir.path()).expect("stamp");
        let sw = std::fs::read_to_string(dir.path().join(SERVICE_WORKER)).expect("sw");
        assert!(
            sw.contains(
                "const PAGES = {\"/daftar\": \"/daftar.html\", \"/lupa-sandi\": \"/daftar.html\"};"
            ),
            "{sw}"
        );
        assert!(sw.contains("\"/ikd-daftar-0123456789_bg.wasm\""), "{sw}");
        // A page that was never built is an error that says how to build it.
        let err = merge_page(part.path(), "verifikasi.html", dir.path()).expect_err("missing");
        assert!(err.contains("cargo xtask run"), "{err}");
    }

    #[test]
    fn declared_addresses_are_read_quoted_or_not() {
        let quoted = r#"<meta charset="utf-8"><meta name="ikd-addresses" content="/a /b" />"#;
        assert_eq!(declared_addresses(quoted).as_deref(), Some("/a /b"));
        let bare = "<meta name=ikd-addresses content=/verifikasi>";
        assert_eq!(declared_addresses(bare).as_deref(), Some("/verifikasi"));
        assert_eq!(declared_addresses("<meta name=x content=y>"), None);
    }

    #[test]
    fn a_worker_without_its_placeholders_is_refused() {
        let dir = build_dir_with("<html>v1</html>");
        std::fs::write(dir.path().join(SERVICE_WORKER), "const PRECACHE = [];").expect("sw");
        assert!(
            stamp(dir.path())
                .expect_err("no placeholders")
                .contains("__IKD_")
        );
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
