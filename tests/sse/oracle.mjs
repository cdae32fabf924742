// The oracle of the runtime's server-sent events parser: feeds event streams, cut into
// chunks at arbitrary byte positions, through `eventsource-parser` (npm, pinned in
// package.json), a widely used implementation of the WHATWG parsing rules, and writes
// what it dispatched. `runtime/src/tests/stream/oracle.rs` feeds the same chunks to our
// framer and must dispatch the same events.
//
//   node tests/sse/oracle.mjs <out.json>
//
// The streams are the hand-written cases below and 400 made by a seeded generator (the
// same file on every run and machine). Left out on purpose, where eventsource-parser
// departs from the WHATWG text: an `id` with a NUL character (the text ignores the line;
// eventsource-parser clears the id), and a stream whose last byte is a CR (the text ends
// the line there; eventsource-parser waits for a LF that may follow, and never learns
// that the stream ended): such a stream gets a LF after it.

import {createParser} from 'eventsource-parser'
import {writeFileSync} from 'node:fs'

const encoder = new TextEncoder()

const HAND_WRITTEN = [
  'data: one\n\n',
  'data: one\r\n\r\ndata: two\r\rdata: three\n\r\n',
  'data\n\ndata:\n\ndata:  two spaces\n\n',
  ': comment\nevent: add\nid: 7\nretry: 3000\ndata: {"n": 1}\n\n',
  'data: a\ndata: b\n\ndata: c\n',
  'event: only an event\n\nid: only an id\n\nretry: 5\n\n',
  'retry: soon\ndata: x\nretry: 12\n\n',
  '\uFEFFdata: after a byte order mark\n\n',
  'data: é 雪 😀\n\nevent: 雪\ndata: unicode\n\n',
  'data:no space\n\ndata :field with a space\n\nDATA: case\n\n',
  'data: colon: in value\nid:\ndata: second\n\n',
  'data: ends without blank line\n',
  '\n\n\n:\n:\n\ndata: late\n\n',
]

// A seeded generator (mulberry32), so the file is the same on every run.
function random(seed) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const next = random(20261130)
const pick = (list) => list[Math.floor(next() * list.length)]

const FIELDS = ['data', 'data', 'data', 'event', 'id', 'retry', '', 'foo', 'data ']
const VALUES = [
  '', 'x', ' leading', 'two  spaces ', '{"n": 1}', '[DONE]', 'a:b', '123', '-1', '12a',
  'é', '雪の日', '😀 emoji', 'tab\there', ' ',
]
const RETRIES = ['1000', '0', '42', '007', '12a', '', ' 5', '99999999999999999999']
const ENDINGS = ['\n', '\n', '\r\n', '\r']

function generated() {
  let text = next() < 0.1 ? '\uFEFF' : ''
  const lines = 1 + Math.floor(next() * 14)
  for (let i = 0; i < lines; i++) {
    const roll = next()
    if (roll < 0.25) {
      text += pick(ENDINGS) // a blank line: dispatch
      continue
    }
    const field = pick(FIELDS)
    if (field === '') {
      text += `:${pick(VALUES)}` // a comment
    } else if (roll < 0.3) {
      text += field // a field without a colon
    } else {
      const value = field === 'retry' ? pick(RETRIES) : pick(VALUES)
      text += `${field}:${pick(['', ' ', '  '])}${value}`
    }
    text += pick(ENDINGS)
  }
  return text.endsWith('\r') ? `${text}\n` : text
}

/// Cuts `bytes` at random positions (inside characters and line breaks too).
function chunks(bytes) {
  const out = []
  let at = 0
  while (at < bytes.length) {
    const size = 1 + Math.floor(next() * 9)
    out.push(bytes.slice(at, at + size))
    at += size
  }
  return out
}

const cases = []
for (const text of [...HAND_WRITTEN, ...Array.from({length: 400}, generated)]) {
  const pieces = chunks(encoder.encode(text))
  const events = []
  let retry = null
  const parser = createParser({
    onEvent: (event) =>
      events.push({event: event.event ?? null, data: event.data, id: event.id ?? null}),
    onRetry: (ms) => {
      retry = ms
    },
  })
  const decoder = new TextDecoder('utf-8', {ignoreBOM: false})
  for (const piece of pieces) {
    parser.feed(decoder.decode(piece, {stream: true}))
  }
  parser.feed(decoder.decode())
  cases.push({
    chunks: pieces.map((p) => Buffer.from(p).toString('base64')),
    events,
    retry,
  })
}

const out = process.argv[2]
if (!out) {
  console.error('usage: node tests/sse/oracle.mjs <out.json>')
  process.exit(2)
}
writeFileSync(out, `${JSON.stringify({parser: 'eventsource-parser@3.0.6', cases}, null, 1)}\n`)
console.log(`${cases.length} event streams written to ${out}`)
