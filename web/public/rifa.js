// The public page of one rifa (/rifas/{id}): no login. What it shows comes from the public API:
// the rifa, its categoria and loteria, the numbers (live.js), the result and the winners (numbers
// only) and the verification document, whose commitment hash it recomputes (Web Crypto).
import { ApiError, get, getAll, query } from '/web/common/api.js';
import { ESTADOS_RIFA, cop, dia, fecha, h, integer } from '/web/common/format.js';
import { watchRifa } from '/web/common/live.js';
import { createGrid } from '/web/common/grid.js';
import { fetchVerification, verifyCommitment } from '/web/common/verify.js';

const id = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const enc = encodeURIComponent(id);
const $ = (x) => document.getElementById(x);

async function load() {
  let rifa;
  try {
    rifa = await get(`/rifas/${enc}`, { auth: false });
  } catch (e) {
    $('nombre').textContent = 'Rifa no encontrada';
    $('aviso').replaceChildren(h('div', { class: 'alert', role: 'alert' },
      e instanceof ApiError && e.status === 404 ? 'No existe una rifa con esa dirección.' : `No se pudo cargar la rifa: ${e.message}`));
    return;
  }
  document.title = `${rifa.nombre} · Rifa1122`;
  $('nombre').textContent = rifa.nombre;
  $('documento').href = `/api/v1/rifas/${enc}/verificacion`;
  const lotId = encodeURIComponent(rifa.loteria_id);
  const [cat, lot, draw, verif] = await Promise.all([
    // Every page of categorias: the rifa's may be past the first hundred.
    getAll('/categorias', {}, 100000, { auth: false }).then((all) => all.find((c) => c.id === rifa.categoria_id)).catch(() => null),
    get(`/loterias/${lotId}`, { auth: false }).catch(() => null),
    rifa.fecha_sorteo
      ? get(`/loterias/${lotId}/sorteos${query({ desde: rifa.fecha_sorteo, hasta: rifa.fecha_sorteo })}`, { auth: false })
        .then((r) => (r.items || [])[0] || null).catch(() => null)
      : null,
    fetchVerification(id).then((v) => v.doc).catch(() => null),
  ]);
  const estado = h('dd', { id: 'estado' }, ESTADOS_RIFA[rifa.estado] || rifa.estado);
  const fondo = h('dd', { id: 'fondo' });
  const tiers = rifa.reglas?.tiers || [];
  const showFund = (vendidos, estadoNow) => {
    // What the commitment fixes (docs/VERIFYING.md): fund = ⌊recaudo × (10000 − rake_bp) / 10000⌋
    // + fondo_recibido; each cash tier takes its share_bp of it, a prize in kind its value.
    const c = verif?.commitment;
    const precio = c?.precio_cents ?? cat?.valor_boleta;
    if (precio === undefined || precio === null) { fondo.textContent = '—'; return; }
    const rake = c?.rake_bp ?? 0;
    const fund = Math.floor((precio * vendidos * (10000 - rake)) / 10000) + (verif?.fondo_recibido || 0);
    const selling = estadoNow === 'activa' || estadoNow === 'pendiente';
    fondo.replaceChildren(h('strong', {}, cop(fund)), ` con ${integer(vendidos)} boletas vendidas${selling ? ' (crece con cada venta)' : ''}`,
      ...tiers.map((t) => h('span', { class: 'premio-tier' }, h('br'), `${t.name}: `,
        t.prize?.type && t.prize.type !== 'cash'
          ? `${t.prize.description || 'premio en especie'}${t.prize.value_cents ? ` (valor ${cop(t.prize.value_cents)})` : ''}`
          : cop(Math.floor((fund * (t.share_bp ?? 10000)) / 10000)))));
  };
  const cuando = draw
    ? `${fecha(draw.instante)}`
    : `el ${dia(rifa.fecha_sorteo)}`;
  $('datos').replaceChildren(
    h('dt', {}, 'Estado'), estado,
    h('dt', {}, 'Premio'), h('dd', {}, ...tiers.map((t, i) => h('span', {},
      i ? '; ' : '', `${t.name}: ${t.match?.digits === 'last' ? `las ${t.match.count} últimas cifras` : 'el número'} del resultado`,
      t.prize?.type && t.prize.type !== 'cash' ? ` (${t.prize.description || 'premio en especie'})` : ' (en dinero)'))),
    h('dt', {}, 'Fondo de premios'), fondo,
    h('dt', {}, 'Precio de la boleta'), h('dd', { id: 'precio' }, cat ? cop(cat.valor_boleta) : '—'),
    h('dt', {}, 'Ventas'), h('dd', {}, `${fecha(rifa.fecha_inicio)} a ${fecha(rifa.fecha_fin)}`),
    h('dt', {}, 'Decide'), h('dd', { id: 'decide' }, `${lot ? lot.nombre : 'la lotería'}, sorteo ${draw ? 'del' : ''} ${cuando}`.replace('  ', ' ')),
    h('dt', {}, 'Números'), h('dd', {}, integer(rifa.total_boletas)));
  showFund(verif?.vendidos?.length ?? rifa.vendidas ?? 0, rifa.estado);

  const grid = createGrid($('tablero'));
  let lastEstado = '';
  let lastWinners = '';
  watchRifa(id, {
    staff: false,
    onSource: (s) => { $('fuente').textContent = s === 'live' ? 'En vivo.' : 'Se actualiza cada pocos segundos.'; },
    onState: (state) => {
      grid.update(state);
      if (state.estado === 'activa' || state.estado === 'pendiente') showFund(state.vendidos, state.estado);
      const winners = [...state.ganadores].join(',');
      if (state.estado !== lastEstado || winners !== lastWinners) {
        lastEstado = state.estado; lastWinners = winners;
        estado.textContent = ESTADOS_RIFA[state.estado] || state.estado;
        showResult();
      }
    },
  });
}

async function showResult() {
  try {
    const r = await get(`/rifas/${enc}/resultados`, { auth: false });
    if (!r.sorteo) {
      $('resultado').replaceChildren(h('p', {}, `Aún no hay sorteo: se espera el del ${dia(r.fecha_sorteo)}.`));
      return;
    }
    $('resultado').replaceChildren(
      h('p', {}, 'Resultado de la lotería: ', h('strong', { id: 'numero-sorteo' }, (r.sorteo.resultado?.numbers || []).join(', ')),
        r.sorteo.resultado?.series ? ` · serie ${r.sorteo.resultado.series}` : '', ` (${dia(r.sorteo.fecha_sorteo)})`),
      r.ganadores?.length
        ? h('ul', { id: 'ganadores' }, ...r.ganadores.map((g) => h('li', {}, `Número ${g.numero}: ${g.premio}, ${cop(g.monto_ganado)}`)))
        : h('p', {}, 'Ningún número vendido acertó.'));
  } catch (e) {
    $('resultado').replaceChildren(h('p', {}, `No se pudo leer el resultado: ${e.message}`));
  }
}

$('verificar').addEventListener('click', async () => {
  const out = $('verificacion');
  out.className = '';
  out.textContent = 'Calculando…';
  try {
    const { doc, text } = await fetchVerification(id);
    const r = await verifyCommitment(doc, text);
    out.className = r.ok ? 'verify-ok' : 'verify-bad';
    out.textContent = r.ok
      ? `Verificado: el hash calculado coincide con el publicado (${r.computed}).`
      : `Atención: el hash calculado no coincide con el publicado. Calculado ${r.computed}; publicado ${r.published}.`;
  } catch (e) {
    out.className = 'muted';
    out.textContent = `No se pudo verificar: ${e.message}`;
  }
});

load();
