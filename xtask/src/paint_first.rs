//! The citizen pages paint their static shell before the wasm download starts.
//!
//! On a weak signal (issue 20: 400 Kbps, 400 ms round trips) every request the shell waits
//! for costs a round trip, and hundreds of KB of wasm on the wire beside it slow it further.
//! So, after Trunk's build:
//! - each page carries its stylesheet inline ([`inline_stylesheet`]): the shell paints as soon
//!   as the page arrives, one round trip earlier than with a `<link>`;
//! - each page's loader (`wasm_split::insert_loader`) starts the wasm download only after one
//!   frame is painted, or after 500 ms for a tab opened in the background, where frames do
//!   not come ([`AFTER_FIRST_PAINT`]).
//!
//! The service hashes inline scripts and styles into its Content-Security-Policy from the
//! served pages (`http/security_headers.rs`), so both stay allowed.

use std::path::Path;

use crate::Result;

/// Waits for the shell's first frame, then lets the loader go on.
pub const AFTER_FIRST_PAINT: &str = "await new Promise((painted) => { \
requestAnimationFrame(() => setTimeout(painted, 0)); setTimeout(painted, 500); });\n";

/// Puts the stylesheet `page` links into the page itself and returns the stylesheet's file
/// name (the caller removes the file once no page links it). A page without a stylesheet
/// link is returned unchanged, with `None`.
pub fn inline_stylesheet(build_dir: &Path, page: &str) -> Result<Option<String>> {
    let path = build_dir.join(page);
    let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let Some((start, end, file)) = stylesheet_link(&html) else {
        return Ok(None);
    };
    let css_path = build_dir.join(&file);
    let css =
        std::fs::read_to_string(&css_path).map_err(|e| format!("{}: {e}", css_path.display()))?;
    let inlined =
        with_style(&html, start, end, &css).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(&path, inlined).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some(file))
}

/// The page with the tag at `start..end` replaced by `<style>css</style>`.
fn with_style(
    html: &str,
    start: usize,
    end: usize,
    css: &str,
) -> std::result::Result<String, String> {
    if css.contains("</style") {
        return Err("the stylesheet contains `</style`, which would end it early inline".into());
    }
    Ok(format!(
        "{}<style>{css}</style>{}",
        &html[..start],
        &html[end..]
    ))
}

/// Where the page's `<link rel=stylesheet>` is (start, end) and the file it names (quoted or,
/// after Trunk's minifier, not; the page and the file are both at the root).
fn stylesheet_link(html: &str) -> Option<(usize, usize, String)> {
    let mut from = 0;
    while let Some(offset) = html[from..].find("<link") {
        let start = from + offset;
        let end = start + html[start..].find('>')? + 1;
        let tag = &html[start..end];
        if tag.contains("stylesheet") {
            let value = &tag[tag.find("href=")? + "href=".len()..];
            let value = value.trim_start_matches(['"', '\'']);
            let file = value[..value.find(['"', '\'', ' ', '>'])?].trim_start_matches('/');
            return Some((start, end, file.to_owned()));
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The head of a page as Trunk 0.21 writes it, minified.
    const TRUNK_PAGE: &str = "<meta charset=utf-8><link href=/manifest.webmanifest rel=manifest>\
<link href=/main-1a2b.css integrity=sha384-x rel=stylesheet><script type=module>boot()</script>\
</head><body><div id=shell></div>";

    #[test]
    fn the_stylesheet_link_is_found_quoted_or_not() {
        let (start, end, file) = stylesheet_link(TRUNK_PAGE).expect("a link");
        assert_eq!(file, "main-1a2b.css");
        assert_eq!(
            &TRUNK_PAGE[start..end],
            "<link href=/main-1a2b.css integrity=sha384-x rel=stylesheet>"
        );
        let quoted = r#"<link rel="stylesheet" href="/main-9.css" />"#;
        assert_eq!(stylesheet_link(quoted).expect("quoted").2, "main-9.css");
        assert_eq!(
            stylesheet_link("<link href=/m.webmanifest rel=manifest>"),
            None
        );
    }

    #[test]
    fn the_page_carries_its_stylesheet_and_no_longer_links_it() {
        let (start, end, _) = stylesheet_link(TRUNK_PAGE).expect("a link");
        let page = with_style(TRUNK_PAGE, start, end, "body{margin:0}").expect("inlined");
        assert!(
            page.contains("<style>body{margin:0}</style><script type=module>"),
            "{page}"
        );
        assert!(!page.contains("stylesheet"), "{page}");
        assert!(with_style(TRUNK_PAGE, start, end, "a{}</style><script>").is_err());
    }

    #[test]
    fn inlining_in_a_build_folder_returns_the_file_and_a_second_run_finds_none() {
        let dir = std::env::temp_dir().join(format!("xtask-paint-first-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("index.html"), TRUNK_PAGE).expect("page");
        std::fs::write(dir.join("main-1a2b.css"), "p{color:red}").expect("css");
        let file = inline_stylesheet(&dir, "index.html").expect("inline");
        assert_eq!(file.as_deref(), Some("main-1a2b.css"));
        let page = std::fs::read_to_string(dir.join("index.html")).expect("page");
        assert!(page.contains("<style>p{color:red}</style>"));
        assert_eq!(inline_stylesheet(&dir, "index.html").expect("again"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
