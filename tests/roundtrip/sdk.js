#!/usr/bin/env node
// Loads every collection of a folder with Postman's official SDK (npm `postman-collection`,
// pinned in package.json), writes it back with `toJSON()`, and prints per file how many
// JSON leaves the round trip loses or changes: the reference the Rust client's round trip
// (tests/tests/roundtrip.rs) is measured against.
//
//   node tests/roundtrip/sdk.js <collections dir> [--paths N] [--report <file.json>]
//
// A leaf is a scalar or an empty array or object, named by its JSON pointer. "lost": in
// the input, not in the output; "changed": at the same pointer with another value;
// "added": only in the output. `--paths N` also lists up to N lost or changed pointers per
// file; `--report` writes the counts as JSON (`{file: {total, lost, changed, added}}`),
// which tests/tests/roundtrip.rs prints next to the Rust client's.

'use strict';

const fs = require('fs');
const path = require('path');

/** Every leaf of a JSON value, as a map from JSON pointer to the leaf. */
function leaves(value, pointer = '', out = new Map()) {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(pointer, value);
    value.forEach((v, i) => leaves(v, `${pointer}/${i}`, out));
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(pointer, value);
    for (const k of keys) {
      leaves(value[k], `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
  } else {
    out.set(pointer, value);
  }
  return out;
}

/** Compares two JSON values leaf by leaf. */
function compare(before, after) {
  const a = leaves(before);
  const b = leaves(after);
  const lost = [];
  const changed = [];
  let added = 0;
  for (const [pointer, value] of a) {
    if (!b.has(pointer)) lost.push(pointer);
    else if (JSON.stringify(b.get(pointer)) !== JSON.stringify(value)) changed.push(pointer);
  }
  for (const pointer of b.keys()) if (!a.has(pointer)) added += 1;
  return { total: a.size, lost, changed, added };
}

function percent(n, total) {
  return total === 0 ? '0.0%' : `${((100 * n) / total).toFixed(1)}%`;
}

function main() {
  const args = process.argv.slice(2);
  const dir = args[0];
  const at = args.indexOf('--paths');
  const show = at >= 0 ? Number(args[at + 1]) : 0;
  const reportAt = args.indexOf('--report');
  const report = reportAt >= 0 ? args[reportAt + 1] : null;
  if (!dir) {
    console.error('usage: node tests/roundtrip/sdk.js <collections dir> [--paths N]');
    process.exit(2);
  }
  const { Collection } = require('postman-collection');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const rows = [];
  let failed = 0;
  for (const file of files) {
    const input = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    let output;
    try {
      output = JSON.parse(JSON.stringify(new Collection(input).toJSON()));
    } catch (err) {
      failed += 1;
      rows.push({ file, error: err && err.message ? err.message : String(err) });
      continue;
    }
    rows.push({ file, ...compare(input, output) });
  }
  const width = Math.max(4, ...rows.map((r) => r.file.length));
  console.log(
    `${'file'.padEnd(width)}  ${'leaves'.padStart(7)}  ${'lost'.padStart(13)}  ${'changed'.padStart(13)}  ${'added'.padStart(6)}`,
  );
  for (const r of rows) {
    if (r.error) {
      console.log(`${r.file.padEnd(width)}  does not load: ${r.error}`);
      continue;
    }
    const lost = `${r.lost.length} (${percent(r.lost.length, r.total)})`;
    const changed = `${r.changed.length} (${percent(r.changed.length, r.total)})`;
    console.log(
      `${r.file.padEnd(width)}  ${String(r.total).padStart(7)}  ${lost.padStart(13)}  ${changed.padStart(13)}  ${String(r.added).padStart(6)}`,
    );
    if (show > 0) {
      for (const p of r.lost.slice(0, show)) console.log(`    lost    ${p}`);
      for (const p of r.changed.slice(0, show)) console.log(`    changed ${p}`);
    }
  }
  console.log(`${rows.length - failed} of ${rows.length} collections load in the SDK`);
  if (report) {
    const counts = {};
    for (const r of rows) {
      counts[r.file] = r.error
        ? { error: r.error }
        : { total: r.total, lost: r.lost.length, changed: r.changed.length, added: r.added };
    }
    fs.writeFileSync(report, JSON.stringify(counts, null, 2) + '\n');
  }
  if (failed) process.exitCode = 1;
}

main();
