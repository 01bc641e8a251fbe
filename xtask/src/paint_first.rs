//! The citizen pages paint their static shell before the wasm download starts.
//!
//! Trunk writes into each page a `<link rel=preload>` for the wasm and a module script that
//! fetches it as soon as the page is parsed. On a weak signal (issue 20: 400 Kbps) that puts
//! hundreds of KB on the wire beside the 3 KB stylesheet the shell waits for, so the first
//! paint waits too. Here, after Trunk's build, each page loses the wasm preload and its loader
//! first waits for one frame to be painted (or 500 ms, for a tab opened in the background,
//! where frames do not come). The small js still loads at once, as a module preload.
//!
//! The service hashes inline scripts into its Content-Security-Policy from the served pages
//! (`http/security_headers.rs`), so the changed loader stays allowed.

use std::path::Path;

use crate::Result;

/// Trunk's loader line that starts the wasm download.
const INIT: &str = "const wasm = await init(";

/// Waits for the shell's first frame, then lets the loader go on.
pub const AFTER_FIRST_PAINT: &str = "await new Promise((painted) => { \
requestAnimationFrame(() => setTimeout(painted, 0)); setTimeout(painted, 500); });\n";

/// Rewrites `page` in `build_dir` in place (see the module documentation).
pub fn rewrite_page(build_dir: &Path, page: &str) -> Result {
    let path = build_dir.join(page);
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rewritten = rewrite(&html).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(&path, rewritten).map_err(|e| format!("{}: {e}", path.display()))
}

/// The page without the wasm preload and with the loader waiting for a painted frame. A page
/// already rewritten is returned unchanged; a page whose loader looks different is an error,
/// so a new Trunk version cannot silently undo this.
fn rewrite(html: &str) -> std::result::Result<String, String> {
    if html.contains(AFTER_FIRST_PAINT) {
        return Ok(html.to_owned());
    }
    let Some(init_at) = html.find(INIT) else {
        return Err(format!("no Trunk wasm loader (`{INIT}`) in the page"));
    };
    let mut out = String::with_capacity(html.len() + AFTER_FIRST_PAINT.len());
    out.push_str(&html[..init_at]);
    out.push_str(AFTER_FIRST_PAINT);
    out.push_str(&html[init_at..]);
    remove_wasm_preload(&out)
}

fn remove_wasm_preload(html: &str) -> std::result::Result<String, String> {
    let mut rest = html;
    let mut out = String::with_capacity(html.len());
    let mut removed = 0;
    while let Some(start) = rest.find("<link") {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + len + 1];
        out.push_str(&rest[..start]);
        let is_wasm_preload =
            tag.contains("preload") && !tag.contains("modulepreload") && tag.contains(".wasm");
        if is_wasm_preload {
            removed += 1;
        } else {
            out.push_str(tag);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    match removed {
        1 => Ok(out),
        n => Err(format!("expected one wasm preload link, found {n}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The head of a page as Trunk 0.21 writes it, minified.
    const TRUNK_PAGE: &str = "<link href=/main-1.css rel=stylesheet><script type=module>\
import init, * as bindings from '/ikd-web-2.js';\n\
const wasm = await init({ module_or_path: '/ikd-web-2_bg.wasm' });\n</script>\
<link crossorigin href=/ikd-web-2.js integrity=sha384-a rel=modulepreload>\
<link as=fetch crossorigin href=/ikd-web-2_bg.wasm integrity=sha384-b rel=preload type=application/wasm>\
</head><body><div id=shell></div>";

    #[test]
    fn the_wasm_waits_for_a_painted_frame_and_is_no_longer_preloaded() {
        let page = rewrite(TRUNK_PAGE).expect("a Trunk page");
        assert!(
            !page.contains("rel=preload type=application/wasm"),
            "{page}"
        );
        assert!(
            page.contains("rel=modulepreload"),
            "the small js still loads at once"
        );
        assert!(page.contains("rel=stylesheet"));
        let wait = page
            .find("requestAnimationFrame")
            .expect("waits for a frame");
        let init = page.find(INIT).expect("still starts the wasm");
        assert!(wait < init, "{page}");
        // The wasm's address is still in the page: the service worker and the size report
        // find the page's bundle by it.
        assert!(page.contains("/ikd-web-2_bg.wasm"));
    }

    #[test]
    fn a_second_run_changes_nothing() {
        let once = rewrite(TRUNK_PAGE).expect("a Trunk page");
        assert_eq!(rewrite(&once).expect("rewritten page"), once);
    }

    #[test]
    fn a_page_without_trunks_loader_or_preload_is_refused() {
        assert!(rewrite("<html><body></body></html>").is_err());
        let without_preload = TRUNK_PAGE.replace(
            "<link as=fetch crossorigin href=/ikd-web-2_bg.wasm integrity=sha384-b rel=preload type=application/wasm>",
            "",
        );
        assert!(rewrite(&without_preload).is_err());
    }
}
