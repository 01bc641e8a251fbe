// Regenerates crates/core/data/ (the embedded Indonesian region codes) from the npm package
// idn-area-data, whose data is licensed under the Open Database License (ODbL) 1.0.
//
// Run from the repository root:
//
//     npm ci --prefix tools/regions
//     node tools/regions/regenerate.mjs
//
// The package version is pinned in tools/regions/package.json (and its lock file). To move to a
// newer release, change the pin, run the two commands above, review `git diff crates/core/data`,
// and run `cargo test -p ikd-core --features villages`. Rerunning with the same version rewrites
// the files byte for byte, so a clean diff proves the committed data came from that version.
//
// Output, one file per level (UTF-8, LF line endings, sorted by code, no trailing spaces):
//
//   provinces.txt  regencies.txt  districts.txt  villages.txt
//
// Each file is a list of `CODE<TAB>NAME` lines. To keep the files small, a code is written
// relative to the group it belongs to: a line without a tab is a group header holding the full
// code of the parent level, and the full code of an entry is `HEADER.CODE`. provinces.txt has
// no header (province codes are already full). For example districts.txt begins
//
//   11.01
//   01<TAB>Bakongan
//   02<TAB>Kluet Utara
//
// meaning district 11.01.01 "Bakongan", 11.01.02 "Kluet Utara", both in regency 11.01. Names
// are kept exactly as the package spells them. The islands list of the package is not used.
//
// The script also writes LICENSE-idn-area-data.md: the attribution, the version, what we
// changed, and the package's ODbL text verbatim.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDistricts, getProvinces, getRegencies, getVillages } from 'idn-area-data';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, 'node_modules', 'idn-area-data');
const outDir = join(here, '..', '..', 'crates', 'core', 'data');
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

// Full code patterns per level: a parsing slip in the package would otherwise slip into the
// binary unnoticed.
const CODE = {
  province: /^\d{2}$/,
  regency: /^\d{2}\.\d{2}$/,
  district: /^\d{2}\.\d{2}\.\d{2}$/,
  village: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
};

function fail(message) {
  console.error(`regenerate: ${message}`);
  process.exit(1);
}

/** Checks one level and returns its entries sorted by code. */
function checked(level, entries, parents, parentCodeOf) {
  const sorted = [...entries].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  let previous = null;
  for (const entry of sorted) {
    if (!CODE[level].test(entry.code)) fail(`${level} code ${JSON.stringify(entry.code)} malformed`);
    if (entry.code === previous) fail(`${level} code ${entry.code} appears twice`);
    previous = entry.code;
    const name = entry.name;
    if (typeof name !== 'string' || name.length === 0 || name !== name.trim() || /[\t\r\n]/.test(name)) {
      fail(`${level} ${entry.code} has an unusable name ${JSON.stringify(name)}`);
    }
    if (parents) {
      const parent = entry.code.slice(0, entry.code.lastIndexOf('.'));
      if (parentCodeOf(entry) !== parent) fail(`${level} ${entry.code} names parent ${parentCodeOf(entry)}`);
      if (!parents.has(parent)) fail(`${level} ${entry.code} has no parent ${parent}`);
    }
  }
  return sorted;
}

/** The compact text of one level (format described at the top of this file). */
function render(entries) {
  let out = '';
  let group = '';
  for (const { code, name } of entries) {
    const cut = code.lastIndexOf('.');
    const parent = cut < 0 ? '' : code.slice(0, cut);
    if (parent !== group) {
      out += `${parent}\n`;
      group = parent;
    }
    out += `${code.slice(cut + 1)}\t${name}\n`;
  }
  return out;
}

const provinces = checked('province', await getProvinces(), null);
const provinceCodes = new Set(provinces.map((p) => p.code));
const regencies = checked('regency', await getRegencies(), provinceCodes, (r) => r.province_code);
const regencyCodes = new Set(regencies.map((r) => r.code));
const districts = checked('district', await getDistricts(), regencyCodes, (d) => d.regency_code);
const districtCodes = new Set(districts.map((d) => d.code));
const villages = checked('village', await getVillages(), districtCodes, (v) => v.district_code);

const files = {
  'provinces.txt': render(provinces),
  'regencies.txt': render(regencies),
  'districts.txt': render(districts),
  'villages.txt': render(villages),
};

const odbl = readFileSync(join(packageDir, 'data', 'LICENSE.md'), 'utf8');
files['LICENSE-idn-area-data.md'] = `# Indonesian region codes: idn-area-data (ODbL 1.0)

The files provinces.txt, regencies.txt, districts.txt and villages.txt in this folder are a
Derivative Database of **idn-area-data** version ${version} by Fityan (fityannugroho),
https://github.com/fityannugroho/idn-area-data, published on npm as \`idn-area-data\`. Its data
is made available under the Open Database License (ODbL) 1.0, whose text follows below. These
files are likewise made available under the ODbL 1.0.

What we changed: we took the provinces, regencies, districts and villages (not the islands),
kept every code and name as published, sorted each level by code, and wrote each level in a
compact text form in which a code is written relative to its parent group (format described in
tools/regions/regenerate.mjs, which regenerates these files from the package). No entry was
added, removed or renamed.

Entries: ${provinces.length} provinces, ${regencies.length} regencies, ${districts.length} districts, ${villages.length} villages.

---

${odbl.trimEnd()}\n`;

for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(outDir, name), text);
  console.log(`${name}: ${Buffer.byteLength(text)} bytes`);
}
