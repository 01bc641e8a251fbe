//! Reports what a phone downloads on first load of each page of the citizen app: the page and
//! the js, wasm and css it references, raw and brotli-compressed (as a server or CDN would
//! send them). `index.html` is the first load that counts for the budget; registration and the
//! verifier are their own bundles, loaded only on their pages. A measurement, not a test.

use std::process::Command;

use crate::{Result, pwa};

/// Node's zlib has brotli built in, so no extra tool is needed.
const SCRIPT: &str = r#"
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const dist = process.argv[1];
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KB';
const size = (f) => {
  const raw = fs.readFileSync(path.join(dist, f));
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
  return [raw.length, br.length];
};
const pages = fs.readdirSync(dist).filter((f) => f.endsWith('.html')).sort((a, b) =>
  (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)));
for (const page of pages) {
  const html = fs.readFileSync(path.join(dist, page), 'utf8');
  const assets = [...new Set([...html.matchAll(/\/([A-Za-z0-9_.-]+\.(?:js|wasm|css))\b/g)].map((m) => m[1]))]
    .filter((f) => f !== 'sw.js' && fs.existsSync(path.join(dist, f)));
  console.log(page);
  const rows = [page, ...assets].map((f) => [f, ...size(f)]);
  for (const [f, raw, br] of rows) console.log(`  ${kb(raw)} raw ${kb(br)} brotli  ${f}`);
  const total = rows.reduce((a, r) => [a[0] + r[1], a[1] + r[2]], [0, 0]);
  console.log(`  ${kb(total[0])} raw ${kb(total[1])} brotli  first load of ${page} (html+js+wasm+css)`);
}
"#;

pub fn run() -> Result {
    let dist = pwa::CITIZEN_PWA.dist_dir();
    if !dist.join("index.html").exists() {
        return Err(
            "dist/ is empty: build the PWA first (cargo xtask run or cargo xtask test)".into(),
        );
    }
    // Not through cmd::run: echoing the script itself would bury the figures.
    let status = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(&dist)
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the size report failed with {status}"))
    }
}
