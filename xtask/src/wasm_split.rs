//! The citizen app's bundles, each split into wasm chunks (issue 20: the first load of `/`
//! ≤ 200 KB brotli, every other page ≤ 220 KB). Trunk cannot split a wasm, so this builds each
//! bundle's wasm itself, before Trunk's runs (whose pages skip their wasm: `data-trunk-skip`),
//! and Trunk's post-build hook merges the result (`stamp_service_worker.rs`, [`insert_loader`]):
//!
//! 1. `cargo rustc` links the binary with `--emit-relocs` (only that final link, so no
//!    dependency is rebuilt with other flags);
//! 2. `wasm-split-cli` (crate `wasm_split_cli_support`, the splitter Leptos's `#[lazy]`
//!    functions are made for) cuts the wasm at every split point (`wasm_split`) of the binary
//!    (`src/main.rs`, `src/bin/`) into a main module, one module per split point and chunks of
//!    code they share, with a small js that fetches them;
//! 3. wasm-bindgen writes the main module's js, keeping the exports the chunks link against;
//! 4. wasm-opt -Oz shrinks each module, and every file gets the binary's name and the build's
//!    content hash in its name, so the service may let browsers keep it for a year
//!    (`http/web_assets.rs`) and the service worker can tell the bundles apart.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, cmd, project_root};

/// The citizen app's bundles: (binary, its page).
pub const BUNDLES: [(&str, &str); 3] = [
    ("ikd-web", "index.html"),
    ("ikd-daftar", "daftar.html"),
    ("ikd-verifikasi", "verifikasi.html"),
];

/// What the splitter names the js that fetches the chunks.
const SPLIT_LINK: &str = "__wasm_split.js";

/// The files of one split bundle, as named in `dist/`.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitBundle {
    /// `<bin>-<hash>.js`: wasm-bindgen's js, which the page imports.
    pub js: String,
    /// `<bin>-<hash>_bg.wasm`: the main module, all the first screen needs.
    pub wasm: String,
    /// `<bin>-split-<hash>.js`: imported by the js; fetches a chunk when it is needed.
    pub link: String,
}

/// Where the split build of `bin` is written (then merged into `dist/` by the post-build hook).
pub fn out_dir(bin: &str) -> PathBuf {
    project_root().join("target/wasm-split/out").join(bin)
}

/// Builds and splits every bundle (see the module documentation).
pub fn build_all() -> Result {
    for (bin, _) in BUNDLES {
        build(bin)?;
    }
    Ok(())
}

fn build(bin: &str) -> Result {
    let root = project_root();
    cmd::run(cmd::cargo().args([
        "rustc",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "--bin",
        bin,
        "--",
        "-Clink-args=--emit-relocs",
    ]))?;
    let linked = root.join(format!(
        "target/wasm32-unknown-unknown/wasm-release/{bin}.wasm"
    ));
    let work = root.join("target/wasm-split/work").join(bin);
    let _ = std::fs::remove_dir_all(&work);
    let split = work.join("split");
    let bindgen = work.join("bindgen");
    cmd::run(
        Command::new("wasm-split-cli")
            .env("PATH", cmd::tool_path())
            .arg(&linked)
            .arg(&split)
            .args(["--out-name", bin]),
    )?;
    cmd::run(
        Command::new("wasm-bindgen")
            .env("PATH", cmd::tool_path())
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--keep-lld-exports",
                "--no-demangle",
                "--out-name",
                bin,
                "--out-dir",
            ])
            .arg(&bindgen)
            .arg(split.join(format!("{bin}.wasm"))),
    )?;

    let out = out_dir(bin);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let main_wasm = bindgen.join(format!("{bin}_bg.wasm"));
    let chunks = wasm_files(&split)?
        .into_iter()
        .filter(|name| name != &format!("{bin}.wasm"))
        .collect::<Vec<_>>();
    let mut contents = vec![read(&main_wasm)?, read(&split.join(SPLIT_LINK))?];
    for chunk in &chunks {
        contents.push(read(&split.join(chunk))?);
    }
    let hash = crate::stamp_service_worker::fnv1a_hex(contents.iter().map(Vec::as_slice));
    let bundle = names(bin, &hash);

    optimise(&main_wasm, &out.join(&bundle.wasm))?;
    for chunk in &chunks {
        optimise(&split.join(chunk), &out.join(hashed(bin, chunk, &hash)))?;
    }
    // Only the import statements are renamed: the keys of the import object must stay the
    // module name written in the wasm.
    let js = read_text(&bindgen.join(format!("{bin}.js")))?;
    let js = replace_all(
        &js,
        &format!("from \"./{SPLIT_LINK}\""),
        &format!("from \"./{}\"", bundle.link),
    )?;
    write(&out.join(&bundle.js), &js)?;
    let mut link = read_text(&split.join(SPLIT_LINK))?;
    link = replace_all(
        &link,
        &format!("from \"./{bin}.js\""),
        &format!("from \"./{}\"", bundle.js),
    )?;
    for chunk in &chunks {
        link = replace_all(
            &link,
            &format!("\"./{chunk}\""),
            &format!("\"./{}\"", hashed(bin, chunk, &hash)),
        )?;
    }
    write(&out.join(&bundle.link), &link)?;
    eprintln!(
        "  {bin}: {}, {} chunks, split link {}",
        bundle.wasm,
        chunks.len(),
        bundle.link
    );
    Ok(())
}

/// The split bundle of `bin` in `dir`, found by its names.
pub fn find(dir: &Path, bin: &str) -> Result<SplitBundle> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(hash) = name
            .strip_prefix(&format!("{bin}-split-"))
            .and_then(|rest| rest.strip_suffix(".js"))
        {
            return Ok(names(bin, hash));
        }
    }
    Err(format!(
        "{} holds no split bundle of {bin} ({bin}-split-<hash>.js): build it with `cargo xtask build`",
        dir.display()
    ))
}

/// Puts the loader of `bundle` into the page: module preloads of both js (the link js is
/// imported by the other, so it would come a round trip later), and a module script that
/// waits for the shell's first frame (`paint_first::AFTER_FIRST_PAINT`), then starts the wasm
/// download at once, while the js may still be on its way (a static import would hold the
/// whole script until the js arrived). A page that has it is unchanged.
pub fn insert_loader(html: &str, bundle: &SplitBundle) -> std::result::Result<String, String> {
    let import = format!("const bindings = await import('/{}');", bundle.js);
    if html.contains(&import) {
        return Ok(html.to_owned());
    }
    let Some(head_end) = html.find("</head>") else {
        return Err("no </head> in the page to put the wasm loader before".into());
    };
    let loader = format!(
        "<script type=module>{wait}const wasmResponse = fetch('/{wasm}');\n{import}\n\
         const wasm = await bindings.default({{ module_or_path: wasmResponse }});\n\
         window.wasmBindings = bindings;\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{detail: {{wasm}}}}));</script>\
         <link crossorigin href=/{js} rel=modulepreload><link crossorigin href=/{link} rel=modulepreload>",
        wait = crate::paint_first::AFTER_FIRST_PAINT,
        wasm = bundle.wasm,
        js = bundle.js,
        link = bundle.link,
    );
    Ok(format!(
        "{}{loader}{}",
        &html[..head_end],
        &html[head_end..]
    ))
}

fn names(bin: &str, hash: &str) -> SplitBundle {
    SplitBundle {
        js: format!("{bin}-{hash}.js"),
        wasm: format!("{bin}-{hash}_bg.wasm"),
        link: format!("{bin}-split-{hash}.js"),
    }
}

/// `chunk_3.wasm` → `<bin>-chunk_3-<hash>.wasm`: whose it is, in the form `web_assets.rs`
/// knows as content-hashed.
fn hashed(bin: &str, file: &str, hash: &str) -> String {
    let stem = file.strip_suffix(".wasm").unwrap_or(file);
    format!("{bin}-{stem}-{hash}.wasm")
}

/// Replaces every `from` in `text`, which must occur: a splitter or wasm-bindgen that names
/// its files differently must fail the build, not ship a bundle that cannot load.
fn replace_all(text: &str, from: &str, to: &str) -> std::result::Result<String, String> {
    if text.contains(from) {
        Ok(text.replace(from, to))
    } else {
        Err(format!(
            "expected {from} in the split bundle's js: has wasm-split or wasm-bindgen changed?"
        ))
    }
}

/// wasm-opt as Trunk runs it for the other bundles (-Oz), also dropping the names and
/// producers the split build keeps.
fn optimise(input: &Path, output: &Path) -> Result {
    cmd::run(
        Command::new("wasm-opt")
            .env("PATH", cmd::tool_path())
            .args([
                "-Oz",
                "--strip-debug",
                "--strip-producers",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "-o",
            ])
            .arg(output)
            .arg(input),
    )
}

fn wasm_files(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".wasm"))
        .collect();
    names.sort();
    Ok(names)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_bundle_carries_the_hash_the_service_calls_immutable() {
        let bundle = names("ikd-web", "0123456789abcdef");
        assert_eq!(bundle.js, "ikd-web-0123456789abcdef.js");
        assert_eq!(bundle.wasm, "ikd-web-0123456789abcdef_bg.wasm");
        assert_eq!(bundle.link, "ikd-web-split-0123456789abcdef.js");
        assert_eq!(
            hashed("ikd-web", "split_card_page_42.wasm", "0123456789abcdef"),
            "ikd-web-split_card_page_42-0123456789abcdef.wasm"
        );
    }

    #[test]
    fn a_renamed_file_the_js_does_not_mention_fails_the_build() {
        assert_eq!(
            replace_all(
                "import x from \"./a.js\"; \"./a.js\"",
                "\"./a.js\"",
                "\"./b.js\""
            ),
            Ok("import x from \"./b.js\"; \"./b.js\"".to_owned())
        );
        assert!(replace_all("nothing", "\"./a.js\"", "\"./b.js\"").is_err());
    }

    #[test]
    fn the_loader_goes_before_the_head_ends_once_and_waits_for_the_first_paint() {
        let bundle = names("ikd-web", "0123456789abcdef");
        let page = "<html><link href=/main-1.css rel=stylesheet></head><body></body></html>";
        let with = insert_loader(page, &bundle).expect("loader");
        assert!(
            with.starts_with("<html><link href=/main-1.css rel=stylesheet><script type=module>")
        );
        // The wasm download starts after the first paint, before the js is awaited.
        let wait = with
            .find(crate::paint_first::AFTER_FIRST_PAINT)
            .expect("waits");
        let fetch = with
            .find("fetch('/ikd-web-0123456789abcdef_bg.wasm')")
            .expect("fetch");
        let import = with
            .find("await import('/ikd-web-0123456789abcdef.js')")
            .expect("import");
        assert!(wait < fetch && fetch < import, "{with}");
        assert!(with.contains("href=/ikd-web-split-0123456789abcdef.js rel=modulepreload"));
        assert!(with.ends_with("</head><body></body></html>"));
        assert_eq!(insert_loader(&with, &bundle).expect("again"), with);
        assert!(insert_loader("<html><body></body></html>", &bundle).is_err());
    }
}
