//! Reports what a phone downloads on first load: html, js, wasm and css of `dist/`, raw and
//! brotli-compressed (as a server or CDN would send them). A measurement, not a test.

use std::process::Command;

use crate::{Result, pwa};

/// Node's zlib has brotli built in, so no extra tool is needed.
const SCRIPT: &str = r#"
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const dist = process.argv[1];
const rows = fs.readdirSync(dist)
  .filter((f) => /\.(html|js|wasm|css)$/.test(f) && f !== 'sw.js')
  .map((f) => {
    const raw = fs.readFileSync(path.join(dist, f));
    const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    return [f, raw.length, br.length];
  });
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KB';
for (const [f, raw, br] of rows) console.log(`  ${kb(raw)} raw ${kb(br)} brotli  ${f}`);
const total = rows.reduce((a, r) => [a[0] + r[1], a[1] + r[2]], [0, 0]);
console.log(`  ${kb(total[0])} raw ${kb(total[1])} brotli  first load (html+js+wasm+css)`);
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
