// A live feed subscriber with the `ws` npm package (tests/integration/live): opens `count`
// WebSockets on `url`, keeps each one's grid from the snapshot and the deltas, and prints one JSON
// line per event to stdout:
//   {"conn":i,"open":true,"protocol":"rifa-live"}
//   {"conn":i,"msg":{...}}                      every message as received
//   {"conn":i,"close":code,"reason":"..."}      then, once, the grid it ended with:
//   {"conn":i,"final":{"vendido":[...],"reservado":[...],"disponibles":d,"ganadores":[...],"estado":"..."}}
// It exits when every connection has closed (or after `deadline_ms`).
// With QUIT_FILE, each connection closes (1000) once that file exists.
// Usage: node live_ws_client.js WS_DIR URL COUNT [TOKEN] [DEADLINE_MS] [QUIT_FILE]
'use strict';
const path = require('path');
const fs = require('fs');
const [wsDir, url, countText, token, deadlineText, quitFile] = process.argv.slice(2);
const WebSocket = require(path.resolve(wsDir, 'node_modules', 'ws'));
const count = Number(countText || 1);
const deadline = Number(deadlineText || 60000);
let open = count;

function out(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

for (let i = 0; i < count; i++) {
  const protocols = ['rifa-live'];
  if (token) protocols.push('bearer.' + token);
  const ws = new WebSocket(url, protocols);
  const grid = new Map();  // numero -> estado
  let total = 0, estado = '', ganadores = [];
  ws.on('open', () => {
    out({conn: i, open: true, protocol: ws.protocol});
    if (quitFile) {
      const poll = setInterval(() => {
        if (!fs.existsSync(quitFile)) return;
        clearInterval(poll);
        ws.close(1000, 'bye');
      }, 50);
    }
  });
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    out({conn: i, msg});
    if (msg.type === 'snapshot') {
      grid.clear();
      total = msg.total;
      estado = msg.estado;
      ganadores = msg.ganadores;
      for (const [name, ranges] of [['vendido', msg.vendido], ['reservado', msg.reservado], ['anulado', msg.anulado || []]]) {
        for (const [a, b] of ranges) for (let n = a; n <= b; n++) grid.set(n, name);
      }
    } else if (msg.type === 'tickets') {
      for (const n of msg.numeros) {
        if (msg.estado === 'disponible') grid.delete(n); else grid.set(n, msg.estado);
      }
    } else if (msg.type === 'rifa') {
      estado = msg.estado;
    } else if (msg.type === 'ganadores') {
      ganadores = msg.numeros;
    }
  });
  ws.on('error', (err) => out({conn: i, error: String(err)}));
  ws.on('close', (code, reason) => {
    out({conn: i, close: code, reason: reason.toString()});
    const pick = (e) => [...grid].filter(([, v]) => v === e).map(([n]) => n).sort((a, b) => a - b);
    out({conn: i, final: {vendido: pick('vendido'), reservado: pick('reservado'), anulado: pick('anulado'),
                          disponibles: total - grid.size, ganadores, estado}});
    if (--open === 0) process.exit(0);
  });
}
setTimeout(() => { out({timeout: true}); process.exit(2); }, deadline);
