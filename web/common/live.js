// A rifa's numbers as they change, through one interface whatever carries them: the live feed
// (GET /api/v1/rifas/{id}/live upgraded to a WebSocket: a snapshot, then deltas) when the server
// offers it, else polling the REST endpoints (the rifa, its /verificacion for the sold numbers and
// the winners, and, for staff, its reserved tickets). The socket is retried now and then while
// polling. Public frames count one by one (`seq` N, then N+1); a private `mine` frame has no
// `seq` (only an `id` "N.k") and never makes a gap. A gap in the public `seq` means a frame was
// lost: the socket reconnects with ?resume=<last seq> (the host replays what was missed, or sends
// a fresh snapshot); a closed socket falls back to polling until a new snapshot arrives.
//
//   const feed = watchRifa(id, { staff, onState(state), onSource(source) });  feed.stop();
//   state = { rifa_id, estado, total, vendido: Set, reservado: Set, ganadores: Set,
//             vendidos, reservados, disponibles, source: 'live' | 'polling', at: Date }
import { get, getAll } from './api.js';

function expand(ranges) {
  const out = new Set();
  for (const r of ranges || []) {
    const [a, b] = Array.isArray(r) ? r : [r, r];
    for (let n = a; n <= b; n++) out.add(n);
  }
  return out;
}

export function watchRifa(rifaId, { staff = false, onState = () => {}, onSource = () => {}, pollMs = 1500,
  retrySocketMs = 15000 } = {}) {
  let state = null;
  let stopped = false;
  let socket = null;
  let lastSeq = null;
  let resumeFrom = null;  // the last public seq of a socket that closed on a gap
  let gapsInRow = 0;      // resumes that brought no frame: after 3, poll instead
  let pollTimer = null;
  let retryTimer = null;
  let source = '';

  const setSource = (s) => { if (s !== source) { source = s; onSource(s); } };
  const emit = () => {
    state.vendidos = state.vendido.size;
    state.reservados = state.reservado.size;
    state.disponibles = Math.max(0, state.total - state.vendidos - state.reservados);
    state.source = source;
    state.at = new Date();
    onState(state);
  };

  // --- the live feed -------------------------------------------------------------------------
  function openSocket() {
    if (stopped || typeof WebSocket === 'undefined') return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const resume = resumeFrom === null ? '' : `?resume=${resumeFrom}`;
    resumeFrom = null;
    let ws;
    try {
      ws = new WebSocket(`${scheme}//${location.host}/api/v1/rifas/${encodeURIComponent(rifaId)}/live${resume}`);
    } catch { scheduleSocketRetry(); return; }
    socket = ws;
    let gap = false;
    ws.onmessage = (event) => {
      let msg;
      try { msg = JSON.parse(event.data); } catch { return; }
      if (msg.type === 'snapshot') {
        lastSeq = msg.seq;
        gapsInRow = 0;
        state = {
          rifa_id: msg.rifa_id, estado: msg.estado, total: msg.total,
          vendido: expand(msg.vendido), reservado: expand(msg.reservado), ganadores: new Set(msg.ganadores || []),
        };
        stopPolling();
        setSource('live');
        emit();
        return;
      }
      if (!state || lastSeq === null) return;
      if (typeof msg.seq !== 'number') return;  // a private frame: nothing of the public grid
      if (msg.seq <= lastSeq) return;  // already applied (a replay overlapping what was seen)
      if (msg.seq !== lastSeq + 1) {  // a public frame was lost: resume from the last one applied
        gap = ++gapsInRow <= 3;
        resumeFrom = gap ? lastSeq : null;
        ws.close();
        return;
      }
      lastSeq = msg.seq;
      gapsInRow = 0;
      if (msg.type === 'tickets') {
        for (const n of msg.numeros || []) {
          state.vendido.delete(n); state.reservado.delete(n);
          if (msg.estado === 'vendido') state.vendido.add(n);
          else if (msg.estado === 'reservado') state.reservado.add(n);
        }
      } else if (msg.type === 'rifa') {
        state.estado = msg.estado;
      } else if (msg.type === 'ganadores') {
        state.ganadores = new Set(msg.numeros || []);
      }
      emit();
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      if (stopped) return;
      if (gap) {  // at once, keeping the grid: the host replays from resumeFrom or sends a snapshot
        lastSeq = resumeFrom;
        openSocket();
        return;
      }
      lastSeq = null;
      startPolling();
      scheduleSocketRetry();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  function scheduleSocketRetry() {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => { retryTimer = null; openSocket(); }, retrySocketMs);
  }

  // --- polling -----------------------------------------------------------------------------------
  async function pollOnce() {
    const id = encodeURIComponent(rifaId);
    const [rifa, verif] = await Promise.all([
      get(`/rifas/${id}`, { auth: staff }),
      get(`/rifas/${id}/verificacion`, { auth: false }),
    ]);
    let reservado = new Set();
    if (staff) {
      const held = await getAll(`/rifas/${id}/tickets`, { estado: 'reservado' }, rifa.total_boletas);
      reservado = new Set(held.map((t) => t.numero));
    }
    if (socket && source === 'live') return;  // the feed took over meanwhile
    state = {
      rifa_id: rifa.id, estado: rifa.estado, total: rifa.total_boletas,
      vendido: new Set(verif.vendidos || []), reservado,
      ganadores: new Set((verif.ganadores || []).map((g) => g.numero)),
    };
    setSource('polling');
    emit();
  }

  let pollGeneration = 0;  // one chain of polls at a time, even if a stopped one is still in flight
  function startPolling() {
    if (stopped || pollTimer) return;
    const generation = ++pollGeneration;
    const tick = async () => {
      try { await pollOnce(); } catch { /* the next poll tries again */ }
      if (!stopped && pollTimer && generation === pollGeneration) pollTimer = setTimeout(tick, pollMs);
    };
    pollTimer = setTimeout(tick, 0);
  }
  function stopPolling() { if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; } pollGeneration++; }

  startPolling();  // something to show at once, whatever the socket does
  openSocket();

  return {
    stop() {
      stopped = true;
      stopPolling();
      if (retryTimer) clearTimeout(retryTimer);
      if (socket) socket.close();
    },
    refresh: () => pollOnce().catch(() => {}),
  };
}
