//! Reports what a phone downloads on first load of each page of the citizen app: the page and
//! the js, wasm and css it references, raw and brotli-compressed (as a server or CDN would
//! send them). `index.html` is the first load that counts for the budget; registration and
//! the verifier are their own bundles, loaded only on their pages. The wasm chunks of each
//! bundle (`wasm_split.rs`) are not named by its page: they load when a page past the welcome
//! first opens (or a QR is read or checked), and a first visit fetches none of them
//! (`e2e/home.spec.ts`).
//!
//! `cargo xtask test` ends with [`check`]: a measurement of the build, not a timed test. Each
//! page has its budget (issue 20: `/` 200,000 bytes brotli, every other page 220,000), which
//! all three meet; a page over its budget would get a ceiling at its size plus a little until
//! it fits again, so a bundle can only shrink towards its budget.

use std::process::Command;

use crate::{Result, pwa};

/// Node's zlib has brotli built in, so no extra tool is needed.
const SCRIPT: &str = r#"
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const dist = process.argv[1];
const ceilings = JSON.parse(process.argv[2] || '{}');
let over = 0;
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
  const limit = ceilings[page];
  if (limit) {
    const [ceiling, budget] = limit;
    const verdict = total[1] > ceiling ? 'OVER THE CEILING' : total[1] > budget ? 'over budget' : 'within budget';
    console.log(`  ${total[1]} bytes brotli; budget ${budget}, ceiling ${ceiling}: ${verdict}`);
    if (total[1] > ceiling) over++;
  }
}
if (over) { console.error(`${over} page(s) grew past their ceiling (xtask/src/size.rs)`); process.exit(1); }
"#;

/// (page, ceiling, budget) in bytes of brotli (quality 11) over html + js + wasm + css.
/// Every page fits since its wasm is split into chunks (`wasm_split.rs`), so each ceiling is
/// its budget. Measured on 2026-12-02 (`cargo xtask size`): index.html 179,469 (417,228 in one
/// piece), daftar.html 180,284 (261,069), verifikasi.html 172,601 (316,159).
const LIMITS: [(&str, u64, u64); 3] = [
    ("index.html", 200_000, 200_000),
    ("daftar.html", 220_000, 220_000),
    ("verifikasi.html", 220_000, 220_000),
];

/// The report alone (`cargo xtask size`).
pub fn run() -> Result {
    report("{}")
}

/// The report, failing when a page grew past its ceiling (the last check of `cargo xtask test`).
pub fn check() -> Result {
    let limits = LIMITS
        .iter()
        .map(|(page, ceiling, budget)| format!("\"{page}\":[{ceiling},{budget}]"))
        .collect::<Vec<_>>()
        .join(",");
    report(&format!("{{{limits}}}"))
}

fn report(limits: &str) -> Result {
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
        .arg(limits)
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "a page of the citizen app grew past its size ceiling, or the report failed ({status})"
        ))
    }
}
