#!/usr/bin/env node
// Converts OpenAPI documents to Postman Collection v2.1 files with Postman's own
// converter (npm `openapi-to-postmanv2`, pinned in package.json), deterministically:
// the converter's random choices (example values it makes up) use a PRNG seeded from the
// document's file name, and the random IDs it gives the collection, its items and saved
// responses are replaced by IDs numbered in document order.
//
//   node tests/roundtrip/convert.js <output dir> <openapi.json|yaml>...
//
// Writes `<output dir>/<name>.json` per document (`name`: the file name with its
// extension dropped and any folder prefix joined with `-`) and prints one line per document.

'use strict';

const fs = require('fs');
const path = require('path');

/** A small seeded PRNG (mulberry32) standing in for Math.random. */
function seeded(text) {
  let seed = 0;
  for (const ch of text) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  return function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Replaces every UUID-valued `id` / `_postman_id` by one numbered in document order. */
function numberIds(value) {
  let next = 0;
  const fresh = new Map();
  const walk = (node) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const v = node[key];
        if ((key === 'id' || key === '_postman_id') && typeof v === 'string' && UUID.test(v)) {
          if (!fresh.has(v)) {
            next += 1;
            fresh.set(v, `00000000-0000-4000-8000-${next.toString(16).padStart(12, '0')}`);
          }
          node[key] = fresh.get(v);
        } else {
          walk(v);
        }
      }
    }
  };
  walk(value);
  return value;
}

// The converter's example faker keeps a reference to `Math.random` from when it is loaded,
// so a stand-in that draws from the current document's PRNG is installed before loading it.
let current = seeded('');
Math.random = () => current();

async function convertOne(converter, file) {
  const text = fs.readFileSync(file, 'utf8');
  current = seeded(path.basename(file));
  const result = await new Promise((resolve, reject) => {
    converter.convert({ type: 'string', data: text }, {}, (err, res) =>
      err ? reject(err) : resolve(res));
  });
  if (!result.result) throw new Error(result.reason);
  const collection = result.output.find((o) => o.type === 'collection');
  if (!collection) throw new Error('the converter returned no collection');
  return numberIds(collection.data);
}

function outputName(file) {
  // `.../package/api/github.com/api.github.com.json` -> `github.com-api.github.com`
  const parts = path.resolve(file).split(path.sep);
  const at = parts.lastIndexOf('api');
  const rel = at >= 0 ? parts.slice(at + 1) : [path.basename(file)];
  return rel.join('-').replace(/\.(json|ya?ml)$/, '');
}

async function main() {
  const [out, ...files] = process.argv.slice(2);
  if (!out || files.length === 0) {
    console.error('usage: node tests/roundtrip/convert.js <output dir> <openapi file>...');
    process.exit(2);
  }
  const converter = require('openapi-to-postmanv2');
  fs.mkdirSync(out, { recursive: true });
  let failed = 0;
  for (const file of files) {
    const name = outputName(file);
    const started = Date.now();
    try {
      const collection = await convertOne(converter, file);
      const target = path.join(out, `${name}.json`);
      fs.writeFileSync(target, JSON.stringify(collection, null, 2) + '\n');
      console.log(`converted ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed += 1;
      console.log(`FAILED    ${name}: ${err && err.message ? err.message : err}`);
    }
  }
  if (failed) process.exitCode = 1;
}

main();
