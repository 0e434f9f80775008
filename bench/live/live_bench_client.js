// bench/live/run.sh's subscribers: N WebSockets (the `ws` npm package) on one URL. Prints "ready"
// once every one has its snapshot, then measures each frame that carries a "ts" (when the change
// was committed, Unix ms) against its arrival, and after the rifa's "cerrada" frame reached them
// all prints one JSON line: {"subscribers":N,"frames":F,"p50_ms":…,"p99_ms":…,"max_ms":…,"closed_early":c}.
// Usage: node live_bench_client.js WS_DIR URL N
'use strict';
const path = require('path');
const {performance} = require('perf_hooks');
const [wsDir, url, nText] = process.argv.slice(2);
const WebSocket = require(path.resolve(wsDir, 'node_modules', 'ws'));
const n = Number(nText);
const lat = [];
let snap = 0, done = 0, closedEarly = 0;
const now = () => performance.timeOrigin + performance.now();
function finish() {
  lat.sort((a, b) => a - b);
  const q = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
  console.log(JSON.stringify({subscribers: n, frames: lat.length, p50_ms: +q(0.5).toFixed(2), p99_ms: +q(0.99).toFixed(2),
                              max_ms: +(lat.length ? lat[lat.length - 1] : NaN).toFixed(2), closed_early: closedEarly}));
  process.exit(0);
}
let i = 0;
function open() {
  if (i >= n) return;
  const ws = new WebSocket(url, ['rifa-live']);
  let seenSnap = false, seenEnd = false;
  ws.on('message', (data) => {
    const t = now();
    const msg = JSON.parse(data);
    if (msg.type === 'snapshot' && !seenSnap) {
      seenSnap = true;
      if (++snap === n) console.log('ready');
    } else if (msg.type === 'rifa' && msg.estado === 'cerrada') {
      seenEnd = true;
      if (++done === n) finish();
    } else if (msg.ts) {
      lat.push(t - msg.ts);
    }
  });
  ws.on('close', () => { if (!seenEnd) { closedEarly++; if (++done === n) finish(); } });
  ws.on('error', () => {});
  i++;
  // Open in small bursts: a listen backlog is not the thing measured.
  if (i % 100 === 0) setTimeout(open, 20); else setImmediate(open);
}
open();
setTimeout(() => { console.log(JSON.stringify({timeout: true, ready: snap, done})); finish(); }, 600000);
