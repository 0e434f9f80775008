// The operator console: a hash-routed page over the REST API (every datum comes from the API, with
// the API's authorization; the token lives in sessionStorage, never in a cookie).
import { ApiError, call, claims, get, getAll, patch, post, query, setToken, token } from '/web/common/api.js';
import { ESTADOS_JOB, ESTADOS_PAGO, ESTADOS_RIFA, bogotaLocalToIso, cop, dia, fecha, fechaCorta, h, integer, isoToBogotaLocal } from '/web/common/format.js';
import { watchRifa } from '/web/common/live.js';
import { createGrid } from '/web/common/grid.js';
import { barChart } from '/web/common/chart.js';
import { verifyCommitment } from '/web/common/verify.js';

const main = document.getElementById('contenido');
let access = null;       // 'ok' | 'forbidden' (the API's answer to an admin read), per token
let feed = null;         // the open rifa's live feed
let cache = { categorias: null, loterias: null };
let renderId = 0;        // each route() call; a screen that finishes loading after a newer one started is dropped

// ---------------------------------------------------------------- shared pieces
function badge(kind, text) { return h('span', { class: `badge b-${kind}` }, text || kind); }

function problemText(e) {
  if (e instanceof ApiError) {
    if (e.status === 403) return 'La API respondió 403: su cuenta no tiene permiso para esta acción.';
    if (e.status === 401) return 'La sesión no es válida o expiró (401). Inicie sesión de nuevo.';
    return `${e.title || 'Error'} (${e.status}): ${e.detail || e.message}`;
  }
  return `No se pudo completar: ${e.message}`;
}

function alertBox(e) { return h('div', { class: 'alert', role: 'alert' }, problemText(e)); }

function screen(title, ...children) {
  document.title = `${title} · Consola Rifa1122`;
  main.replaceChildren(h('h2', { id: 'titulo' }, title), ...children);
  main.focus({ preventScroll: true });
}

function confirmAction(title, text, yesLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  const yes = document.getElementById('confirm-yes');
  const no = document.getElementById('confirm-no');
  yes.textContent = yesLabel;
  return new Promise((resolve) => {
    const done = (v) => { yes.onclick = null; no.onclick = null; dialog.close(); resolve(v); };
    yes.onclick = () => done(true);
    no.onclick = () => done(false);
    dialog.oncancel = () => done(false);
    dialog.showModal();
    no.focus();
  });
}

function field(id, label, input, hint) {
  input.id = id;
  if (!input.name) input.name = id.replace(/^f-/, '');
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('p', { class: 'muted', id: `${id}-hint` }, hint) : null, error);
}

function table(headers, rows, caption) {
  // A region that scrolls sideways on a phone: focusable, so a keyboard can scroll it.
  return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption || 'Tabla' }, h('table', {},
    caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col', class: x.num ? 'num' : '' }, x.label ?? x)))),
    h('tbody', {}, ...rows)));
}

function options(items, selected, blank) {
  const out = blank ? [h('option', { value: '' }, blank)] : [];
  for (const [value, label] of items) out.push(h('option', { value, selected: value === selected }, label));
  return out;
}

async function categorias() { return (cache.categorias ??= await getAll('/categorias')); }
async function loterias() { return (cache.loterias ??= await getAll('/loterias')); }

// ---------------------------------------------------------------- login and access
function loginScreen(message) {
  const email = h('input', { type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'card', novalidate: true },
    field('f-email', 'Correo electrónico', email),
    field('f-password', 'Contraseña', password),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'entrar' }, 'Entrar')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.replaceChildren();
    try {
      const r = await post('/auth/login', { email: email.value.trim(), password: password.value }, { auth: false });
      setToken(r.access_token);
      access = null;
      if (!location.hash || location.hash === '#/login') location.hash = '#/rifas'; else route();
    } catch (e) {
      status.replaceChildren(h('div', { class: 'alert', role: 'alert' },
        e instanceof ApiError && e.status === 401 ? 'Correo o contraseña incorrectos.' : problemText(e)));
    }
  });
  screen('Iniciar sesión', message ? h('div', { class: 'notice', role: 'status' }, message) : null, status, form);
}

async function checkAccess() {
  if (access) return access;
  try {
    await get('/admin/jobs?per_page=1');
    access = 'ok';
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) access = 'forbidden';
    else throw e;
  }
  return access;
}

function forbiddenScreen() {
  screen('Sin permiso',
    h('div', { class: 'alert', role: 'alert', id: 'sin-permiso' },
      'Su cuenta no tiene permiso para la consola de operación: la API respondió 403 (prohibido) a la consulta de administración. ',
      'Inicie sesión con una cuenta de administrador.'),
    h('button', { type: 'button', onclick: logout }, 'Cerrar sesión e ingresar con otra cuenta'));
}

function logout() {
  setToken('');
  access = null;
  location.hash = '#/login';
  route();
}

// ---------------------------------------------------------------- Rifas
async function rifasScreen(params) {
  const mine = renderId;
  const [cats] = await Promise.all([categorias()]);
  const catName = new Map(cats.map((c) => [c.id, c.nombre]));
  const estado = h('select', {}, ...options(Object.entries(ESTADOS_RIFA), params.get('estado') || '', 'Todos'));
  const categoria = h('select', {}, ...options(cats.map((c) => [c.id, c.nombre]), params.get('categoria') || '', 'Todas'));
  const desde = h('input', { type: 'date', value: params.get('desde') || '' });
  const hasta = h('input', { type: 'date', value: params.get('hasta') || '' });
  const filters = h('form', { class: 'card row', 'aria-label': 'Filtros' },
    field('f-estado', 'Estado', estado), field('f-categoria', 'Categoría', categoria),
    field('f-desde', 'Terminan desde', desde), field('f-hasta', 'Empiezan hasta', hasta),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filtrar')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (estado.value) q.set('estado', estado.value);
    if (categoria.value) q.set('categoria', categoria.value);
    if (desde.value) q.set('desde', desde.value);
    if (hasta.value) q.set('hasta', hasta.value);
    location.hash = `#/rifas?${q}`;
  });
  const list = await get(`/rifas${query({
    estado: params.get('estado'), categoria: params.get('categoria'),
    fecha_inicio: params.get('desde') ? `${params.get('desde')}T00:00:00-05:00` : '',
    fecha_fin: params.get('hasta') ? `${params.get('hasta')}T23:59:59-05:00` : '', per_page: 100,
  })}`);
  const rows = list.items.map((r) => {
    const sold = r.vendidas ?? 0;
    return h('tr', { 'data-rifa': r.id },
      h('td', {}, h('a', { href: `#/rifas/${r.id}` }, r.nombre)),
      h('td', {}, badge(r.estado, ESTADOS_RIFA[r.estado])),
      h('td', {}, catName.get(r.categoria_id) || r.categoria_id),
      h('td', {}, fechaCorta(r.fecha_inicio), h('br'), fechaCorta(r.fecha_fin)),
      h('td', { class: 'bar-cell' },
        h('progress', { max: r.total_boletas, value: sold, 'aria-label': `Vendidas de ${r.nombre}` }),
        h('span', {}, `${integer(sold)} vendidas · ${integer(r.disponibles)} disponibles de ${integer(r.total_boletas)}`)));
  });
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Rifas',
    h('p', {}, h('a', { href: '#/rifas/nueva', id: 'nueva-rifa' }, 'Crear una rifa')),
    filters,
    list.items.length ? table(['Nombre', 'Estado', 'Categoría', 'Inicio / fin (hora de Bogotá)', 'Ventas'], rows, `${list.total} rifas`)
      : h('p', {}, 'No hay rifas con esos filtros.'));
}

const DEFAULT_REGLAS = {
  tiers: [{ name: 'primer premio', match: { field: 'numero', digits: 'last', count: 2 }, share_bp: 10000, prize: { type: 'cash' } }],
  unsold: 'house',
};

async function nuevaRifaScreen() {
  const mine = renderId;
  const [cats, lots] = await Promise.all([categorias(), loterias()]);
  const now = new Date();
  const nombre = h('input', { type: 'text', required: true, maxlength: 200 });
  const categoria = h('select', { required: true }, ...options(cats.map((c) => [c.id, `${c.nombre} · ${cop(c.valor_boleta)} la boleta`]), '', 'Elija una categoría'));
  const loteria = h('select', { required: true }, ...options(lots.map((l) => [l.id, l.nombre]), '', 'Elija una lotería'));
  const inicio = h('input', { type: 'datetime-local', required: true, value: isoToBogotaLocal(now) });
  const fin = h('input', { type: 'datetime-local', required: true, value: isoToBogotaLocal(new Date(now.getTime() + 7 * 86400e3)) });
  const sorteo = h('input', { type: 'date' });
  const total = h('input', { type: 'number', min: 100, max: 10000, step: 1, required: true, value: 100, inputmode: 'numeric' });
  const asignacion = h('select', {}, ...options([['sequential', 'En orden'], ['random', 'Al azar (semilla comprometida)']], 'sequential'));
  const premio = h('input', { type: 'text', value: 'primer premio' });
  const cifras = h('select', {}, ...options([['1', 'La última cifra'], ['2', 'Las 2 últimas cifras'], ['3', 'Las 3 últimas cifras'], ['4', 'Las 4 cifras']], '2'));
  const noVendidas = h('select', {}, ...options([['house', 'Queda para la casa'], ['rollover', 'Se acumula']], 'house'));
  const usarJson = h('input', { type: 'checkbox', id: 'f-usar-json' });
  const reglasJson = h('textarea', { spellcheck: 'false' });
  reglasJson.value = JSON.stringify(DEFAULT_REGLAS, null, 2);
  const status = h('div', { 'aria-live': 'assertive' });

  const fields = {
    nombre: 'f-nombre', categoria_id: 'f-categoria_id', loteria_id: 'f-loteria_id', fecha_inicio: 'f-fecha_inicio',
    fecha_fin: 'f-fecha_fin', fecha_sorteo: 'f-fecha_sorteo', total_boletas: 'f-total_boletas', assignment: 'f-assignment',
    reglas: 'f-reglas',
  };
  const form = h('form', { class: 'card', novalidate: true },
    h('div', { class: 'row' },
      field('f-nombre', 'Nombre', nombre),
      field('f-categoria_id', 'Categoría (fija el precio de la boleta)', categoria),
      field('f-loteria_id', 'Lotería que decide', loteria)),
    h('div', { class: 'row' },
      field('f-fecha_inicio', 'Inicio de ventas (hora de Bogotá)', inicio),
      field('f-fecha_fin', 'Fin de ventas (hora de Bogotá)', fin),
      field('f-fecha_sorteo', 'Día del sorteo (opcional)', sorteo, 'Vacío: el primer sorteo de la lotería después del fin de ventas.')),
    h('div', { class: 'row' },
      field('f-total_boletas', 'Cantidad de números (100 a 10.000)', total),
      field('f-assignment', 'Asignación de números', asignacion)),
    h('fieldset', {}, h('legend', {}, 'Reglas del premio'),
      h('div', { class: 'row' },
        field('f-premio', 'Nombre del premio', premio),
        field('f-cifras', 'Gana quien acierte', cifras),
        field('f-unsold', 'Si el número ganador no se vendió', noVendidas)),
      h('p', {}, usarJson, ' ', h('label', { for: 'f-usar-json' }, 'Escribir las reglas en JSON (varios premios, premios en especie…)')),
      field('f-reglas', 'Reglas en JSON', reglasJson, 'Se usa solo si marca la casilla anterior.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'crear' }, 'Crear rifa (queda pendiente)'),
      h('a', { href: '#/rifas' }, 'Volver a la lista')));

  const clearErrors = () => form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors();
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    status.replaceChildren();
    let reglas;
    if (usarJson.checked) {
      try { reglas = JSON.parse(reglasJson.value); } catch (e) {
        document.getElementById('f-reglas-error').textContent = `El JSON no es válido: ${e.message}`;
        reglasJson.setAttribute('aria-invalid', 'true');
        reglasJson.focus();
        return;
      }
    } else {
      reglas = { tiers: [{ name: premio.value || 'premio', match: { field: 'numero', digits: 'last', count: Number(cifras.value) }, share_bp: 10000, prize: { type: 'cash' } }], unsold: noVendidas.value };
    }
    const body = {
      nombre: nombre.value.trim(), categoria_id: categoria.value, loteria_id: loteria.value,
      fecha_inicio: bogotaLocalToIso(inicio.value), fecha_fin: bogotaLocalToIso(fin.value),
      total_boletas: Number(total.value), assignment: asignacion.value, reglas,
    };
    if (sorteo.value) body.fecha_sorteo = sorteo.value;
    try {
      const created = await post('/rifas', body);
      location.hash = `#/rifas/${created.id}`;
    } catch (e) {
      const name = e instanceof ApiError ? (e.field || '').split(/[.[]/)[0] : '';
      // Rules written with the form: their errors go next to the form's rule fields.
      const id = name === 'reglas' && !usarJson.checked ? 'f-cifras' : fields[name];
      if (id) {
        document.getElementById(`${id}-error`).textContent = e.detail || e.message;
        const input = document.getElementById(id);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
      status.replaceChildren(alertBox(e));
    }
  });
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Nueva rifa', status, form);
}

// ---------------------------------------------------------------- One rifa
function rifaActions(rifa, reload) {
  const out = [];
  const sold = rifa.vendidas ?? 0;
  const recaudo = cop((rifa._precio ?? 0) * sold);
  if (rifa.estado === 'pendiente') {
    out.push(h('button', { type: 'button', id: 'activar', onclick: async () => {
      if (!await confirmAction('Activar la rifa', `«${rifa.nombre}» se abrirá a la venta desde ${fecha(rifa.fecha_inicio)}. Sus reglas, la lotería y el día del sorteo quedan congelados en un compromiso público que ya no se puede cambiar.`, 'Activar')) return;
      await act(() => patch(`/rifas/${rifa.id}`, { estado: 'activa' }), reload);
    } }, 'Activar'));
  }
  if (rifa.estado === 'activa') {
    out.push(h('button', { type: 'button', id: 'cerrar', onclick: async () => {
      if (!await confirmAction('Cerrar la rifa', `Las ventas de «${rifa.nombre}» se detienen ahora (${integer(sold)} boletas vendidas, ${recaudo} recaudados). Las reservas sin pagar se liberan. La rifa se liquidará con el sorteo del ${dia(rifa.fecha_sorteo)}: los premios en dinero se pagan del fondo de premios.`, 'Cerrar ventas')) return;
      await act(() => post(`/rifas/${rifa.id}/cerrar`, {}), reload);
    } }, 'Cerrar ventas'));
  }
  if (rifa.estado === 'pendiente' || rifa.estado === 'activa') {
    out.push(h('button', { type: 'button', class: 'danger', id: 'cancelar', onclick: async () => {
      if (!await confirmAction('Cancelar la rifa', `«${rifa.nombre}» se cancela y no habrá sorteo. ${sold ? `Se reembolsa a cada comprador lo pagado: ${integer(sold)} boletas, ${recaudo} en total.` : 'No hay boletas vendidas: no hay nada que reembolsar.'} No se puede deshacer.`, 'Cancelar la rifa')) return;
      await act(() => patch(`/rifas/${rifa.id}`, { estado: 'cancelada' }), reload);
    } }, 'Cancelar rifa'));
  }
  return out;
}

async function act(fn, reload) {
  const status = document.getElementById('accion-estado');
  try {
    await fn();
    await reload();
  } catch (e) {
    if (status) status.replaceChildren(alertBox(e));
  }
}

async function rifaScreen(id) {
  const mine = renderId;
  const enc = encodeURIComponent(id);
  const [rifa, cats, lots] = await Promise.all([get(`/rifas/${enc}`), categorias(), loterias()]);
  const cat = cats.find((c) => c.id === rifa.categoria_id);
  const lot = lots.find((l) => l.id === rifa.loteria_id);
  rifa._precio = cat?.valor_boleta;
  const reload = () => rifaScreen(id);

  const gridBox = h('div', { id: 'tablero' });
  const ventasBox = h('div', { id: 'ventas' });
  const resultadosBox = h('div', { id: 'resultados' });
  const verifBox = h('div', { id: 'verificacion' });
  const sourceNote = h('p', { class: 'muted', id: 'fuente' });

  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen(rifa.nombre,
    h('div', { id: 'accion-estado', 'aria-live': 'assertive' }),
    h('section', { class: 'card', 'aria-labelledby': 'h-datos' },
      h('h3', { id: 'h-datos' }, 'Datos'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Estado'), h('dd', { id: 'estado-rifa' }, badge(rifa.estado, ESTADOS_RIFA[rifa.estado])),
        h('dt', {}, 'Categoría'), h('dd', {}, cat ? `${cat.nombre} · ${cop(cat.valor_boleta)} la boleta` : rifa.categoria_id),
        h('dt', {}, 'Lotería'), h('dd', {}, lot ? lot.nombre : rifa.loteria_id),
        h('dt', {}, 'Ventas'), h('dd', {}, `${fecha(rifa.fecha_inicio)} a ${fecha(rifa.fecha_fin)}`),
        h('dt', {}, 'Sorteo'), h('dd', {}, dia(rifa.fecha_sorteo)),
        h('dt', {}, 'Números'), h('dd', {}, `${integer(rifa.total_boletas)} (${rifa.assignment === 'random' ? 'asignados al azar' : 'en orden'})`),
        h('dt', {}, 'Página pública'), h('dd', {}, h('a', { href: `/rifas/${rifa.id}` }, `/rifas/${rifa.id}`))),
      h('div', { class: 'actions' }, ...rifaActions(rifa, reload))),
    h('section', { class: 'card', 'aria-labelledby': 'h-tablero' }, h('h3', { id: 'h-tablero' }, 'Números'), sourceNote, gridBox),
    h('section', { class: 'card', 'aria-labelledby': 'h-ventas' }, h('h3', { id: 'h-ventas' }, 'Ventas por día'), ventasBox),
    h('section', { class: 'card', 'aria-labelledby': 'h-resultados' }, h('h3', { id: 'h-resultados' }, 'Sorteo, ganadores y pagos'), resultadosBox),
    h('section', { class: 'card', 'aria-labelledby': 'h-verif' }, h('h3', { id: 'h-verif' }, 'Verificación'), verifBox));

  const grid = createGrid(gridBox);
  let lastSold = -1;
  let lastEstado = rifa.estado;
  let lastWinners = '';
  let resultsTimer = null;
  const refreshSales = async () => {
    try {
      const p = await get(`/admin/reportes/participacion${query({ rifa_id: id })}`);
      ventasBox.replaceChildren(
        h('p', {}, `${integer(p.vendidas)} boletas vendidas a ${integer(p.jugadores)} jugadores · ${cop(p.ventas)} · ocupación ${(Number(p.ocupacion) * 100).toFixed(1).replace('.', ',')} %`),
        barChart((p.por_dia || []).map((d) => ({ label: d.dia.slice(5), value: d.boletas })), { title: 'Boletas vendidas por día (hora de Bogotá)', format: integer }));
    } catch (e) { ventasBox.replaceChildren(alertBox(e)); }
  };
  const refreshResults = async () => {
    try {
      const r = await get(`/rifas/${enc}/resultados`);
      const parts = [];
      if (r.sorteo) {
        parts.push(h('dl', { class: 'facts' },
          h('dt', {}, 'Sorteo'), h('dd', {}, `${dia(r.sorteo.fecha_sorteo)} · n.º ${r.sorteo.numero_sorteo ?? '—'}`),
          h('dt', {}, 'Resultado'), h('dd', { id: 'resultado' }, (r.sorteo.resultado?.numbers || []).join(', ') + (r.sorteo.resultado?.series ? ` · serie ${r.sorteo.resultado.series}` : '')),
          h('dt', {}, 'Fuente'), h('dd', {}, h('code', {}, r.sorteo.source_url || '—')),
          h('dt', {}, 'Tomado'), h('dd', {}, fecha(r.sorteo.tomado_en))));
      } else {
        parts.push(h('p', {}, `Sin sorteo todavía (día del sorteo: ${dia(r.fecha_sorteo)}).`));
      }
      if (r.ganadores?.length) {
        parts.push(table(['Número', 'Premio', { label: 'Monto', num: true }, 'Pago', 'Referencia'],
          r.ganadores.map((g) => h('tr', { class: 'ganador' },
            h('td', {}, String(g.numero)), h('td', {}, `${g.premio} (${g.tipo === 'cash' ? 'dinero' : g.tipo})`),
            h('td', { class: 'num' }, cop(g.monto_ganado)),
            h('td', { class: 'pago' }, badge(g.pago?.estado || 'pendiente', ESTADOS_PAGO[g.pago?.estado] || g.pago?.estado)),
            h('td', {}, g.pago?.referencia || g.pago?.motivo || '—'))), `Premios: ${cop(r.total_premios)}`));
      } else if (r.sorteo) {
        parts.push(h('p', {}, 'Ningún número vendido acertó.'));
      }
      resultadosBox.replaceChildren(...parts);
      // Payouts move on their own (payout.send jobs): look again while one is still pending.
      const waiting = (r.ganadores || []).some((g) => !g.pago || g.pago.estado === 'pendiente');
      clearTimeout(resultsTimer);
      if (waiting) resultsTimer = setTimeout(() => { if (document.body.contains(resultadosBox)) refreshResults(); }, 2000);
    } catch (e) { resultadosBox.replaceChildren(alertBox(e)); }
  };
  const refreshVerification = async () => {
    try {
      const v = await get(`/rifas/${enc}/verificacion`, { auth: false });
      const out = h('p', { 'aria-live': 'polite', id: 'verif-resultado' });
      const btn = h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          const r = await verifyCommitment(v);
          out.className = r.ok ? 'verify-ok' : 'verify-bad';
          out.textContent = r.ok ? `El hash coincide: ${r.computed}` : `El hash no coincide: calculado ${r.computed}, publicado ${r.published}`;
        } catch (e) { out.className = 'muted'; out.textContent = e.message; }
      } }, 'Verificar el compromiso');
      verifBox.replaceChildren(
        v.commitment_hash ? h('p', {}, 'Hash del compromiso: ', h('code', {}, v.commitment_hash), ` (activada ${fecha(v.activada_en)})`)
          : h('p', {}, 'La rifa aún no está activa: no hay compromiso publicado.'),
        v.commitment_hash ? btn : null, out,
        h('p', {}, h('a', { href: `/api/v1/rifas/${rifa.id}/verificacion` }, 'Documento de verificación (JSON)')));
    } catch (e) { verifBox.replaceChildren(alertBox(e)); }
  };

  if (feed) feed.stop();
  feed = watchRifa(id, {
    staff: true,
    onSource: (s) => { sourceNote.textContent = s === 'live' ? 'Actualización en vivo.' : 'Actualización cada pocos segundos (consulta periódica).'; },
    onState: (state) => {
      grid.update(state);
      if (state.vendidos !== lastSold) { lastSold = state.vendidos; refreshSales(); }
      const winners = [...state.ganadores].join(',');
      if (state.estado !== lastEstado || winners !== lastWinners) {
        const estadoChanged = state.estado !== lastEstado;
        lastEstado = state.estado; lastWinners = winners;
        if (estadoChanged) {
          document.getElementById('estado-rifa')?.replaceChildren(badge(state.estado, ESTADOS_RIFA[state.estado]));
        }
        refreshResults();
      }
    },
  });
  refreshResults();
  refreshVerification();
}

// ---------------------------------------------------------------- Operations
async function trabajosScreen(params) {
  const mine = renderId;
  const status = h('select', {}, ...options(Object.entries(ESTADOS_JOB), params.get('status') || '', 'Todos'));
  const filters = h('form', { class: 'card row', 'aria-label': 'Filtros' }, field('f-status', 'Estado', status),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filtrar')));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = `#/trabajos${status.value ? `?status=${status.value}` : ''}`; });
  const msg = h('div', { 'aria-live': 'polite', id: 'trabajo-estado' });
  const list = await get(`/admin/jobs${query({ status: params.get('status'), per_page: 100 })}`);
  const rows = list.items.map((j) => h('tr', { 'data-job': j.id, 'data-status': j.status },
    h('td', {}, j.id), h('td', {}, h('code', {}, j.kind)), h('td', {}, badge(j.status, ESTADOS_JOB[j.status])),
    h('td', { class: 'num' }, `${j.attempts} de ${j.max_attempts}`), h('td', {}, fechaCorta(j.run_at)),
    h('td', {}, j.last_error || '—'), h('td', {}, h('code', {}, JSON.stringify(j.payload))),
    h('td', {}, j.status === 'dead' || j.status === 'failed'
      ? h('button', { type: 'button', class: 'secondary retry', 'aria-label': `Reintentar el trabajo ${j.id}`, onclick: async (ev) => {
        ev.target.disabled = true;
        try {
          const r = await post(`/admin/jobs/${encodeURIComponent(j.id)}/retry`, {});
          msg.replaceChildren(h('div', { class: 'success', role: 'status' }, `El trabajo ${r.id} (${r.kind}) quedó en cola de nuevo.`));
          // Refresh this list shortly, unless the operator has moved on: re-rendering another
          // screen would wipe what they are typing there.
          const shown = renderId;
          setTimeout(() => { if (renderId === shown) route(); }, 400);
        } catch (e) { msg.replaceChildren(alertBox(e)); ev.target.disabled = false; }
      } }, 'Reintentar') : '')));
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Trabajos en segundo plano', filters, msg,
    list.items.length ? table(['Id', 'Tipo', 'Estado', { label: 'Intentos', num: true }, 'Próxima ejecución (hora de Bogotá)', 'Último error', 'Datos', 'Acción'], rows, `${list.total} trabajos`)
      : h('p', {}, 'No hay trabajos con ese estado.'));
}

async function auditoriaScreen(params) {
  const mine = renderId;
  const entity = h('input', { type: 'text', value: params.get('entity') || '', placeholder: 'rifas, users, transacciones…' });
  const entityId = h('input', { type: 'text', value: params.get('entity_id') || '' });
  const action = h('input', { type: 'text', value: params.get('action') || '', placeholder: 'rifa.created…' });
  const actor = h('input', { type: 'text', value: params.get('actor') || '' });
  const filters = h('form', { class: 'card row', 'aria-label': 'Búsqueda' },
    field('f-entity', 'Entidad', entity), field('f-entity_id', 'Id de la entidad', entityId),
    field('f-action', 'Acción', action), field('f-actor', 'Actor (id o «cli»)', actor),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'buscar' }, 'Buscar')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, el] of [['entity', entity], ['entity_id', entityId], ['action', action], ['actor', actor]]) if (el.value.trim()) q.set(k, el.value.trim());
    location.hash = `#/auditoria?${q}`;
  });
  const r = await get(`/admin/audit${query({ entity: params.get('entity'), entity_id: params.get('entity_id'), action: params.get('action'), actor: params.get('actor'), per_page: 100 })}`);
  const items = r.items;
  const chain = r.chain || {};
  const chainBox = h('div', { class: chain.pending ? 'notice' : 'success', role: 'status', id: 'cadena' },
    `Cadena de auditoría: último sellado n.º ${chain.head_seq ?? 0}` +
    (chain.pending ? `; ${chain.pending} entradas esperan sello (la más antigua hace ${Math.round(chain.oldest_pending_age_s)} s).` : '; todo sellado.'),
    chain.head_hash ? h('br') : null, chain.head_hash ? h('code', {}, chain.head_hash) : null);
  const rows = items.map((e) => h('tr', { class: 'entrada' },
    h('td', { class: 'num' }, String(e.id)), h('td', {}, fechaCorta(e.occurred_at)), h('td', {}, h('code', {}, e.action)),
    h('td', {}, `${e.entity}`, h('br'), h('code', {}, e.entity_id || '')), h('td', {}, h('code', {}, e.actor || '—')),
    h('td', {}, badge(e.state, e.state === 'sealed' ? `sellada n.º ${e.seq}` : 'sin sellar')),
    h('td', {}, h('code', {}, JSON.stringify(e.data)))));
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Auditoría', filters, chainBox,
    items.length ? table([{ label: 'Id', num: true }, 'Cuándo (hora de Bogotá)', 'Acción', 'Entidad', 'Actor', 'Sello', 'Datos'], rows, `${items.length} de ${r.total} entradas`)
      : h('p', { id: 'sin-entradas' }, 'Ninguna entrada coincide.'));
}

async function reportesScreen(params) {
  const mine = renderId;
  const today = new Date(Date.now() - 5 * 3600e3).toISOString().slice(0, 10);
  const desdeV = params.get('desde') || `${today.slice(0, 8)}01`;
  const hastaV = params.get('hasta') || today;
  const desde = h('input', { type: 'date', value: desdeV });
  const hasta = h('input', { type: 'date', value: hastaV });
  const rifas = await getAll('/rifas', {}, 500);
  const rifaSel = h('select', {}, ...options(rifas.map((r) => [r.id, r.nombre]), params.get('rifa') || rifas[0]?.id || '', null));
  const form = h('form', { class: 'card row', 'aria-label': 'Periodo' },
    field('f-rep-desde', 'Desde', desde), field('f-rep-hasta', 'Hasta', hasta), field('f-rep-rifa', 'Rifa (participación)', rifaSel),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Ver')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `#/reportes?${new URLSearchParams({ desde: desde.value, hasta: hasta.value, rifa: rifaSel.value })}`;
  });
  const ing = await get(`/admin/reportes/ingresos${query({ desde: desdeV, hasta: hastaV })}`);
  const t = ing.totales || {};
  const parts = [form,
    h('section', { class: 'card', 'aria-labelledby': 'h-ingresos' }, h('h3', { id: 'h-ingresos' }, `Ingresos del ${dia(ing.desde)} al ${dia(ing.hasta)}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Ventas'), h('dd', {}, cop(t.ventas)), h('dt', {}, 'Comisión (rake)'), h('dd', {}, cop(t.rake)),
        h('dt', {}, 'Fondo de premios'), h('dd', {}, cop(t.fondo_premios)), h('dt', {}, 'Premios'), h('dd', {}, cop(t.premios)),
        h('dt', {}, 'Reembolsos'), h('dd', {}, cop(t.reembolsos))),
      h('h4', {}, 'Ventas por día'),
      barChart((ing.por_dia || []).map((d) => ({ label: d.dia.slice(5), value: d.ventas / 100 })), { title: 'Ventas por día en pesos', format: (v) => cop(v * 100) }),
      h('h4', {}, 'Ventas por categoría'),
      barChart((ing.por_categoria || []).map((d) => ({ label: d.categoria, value: d.ventas / 100 })), { title: 'Ventas por categoría en pesos', format: (v) => cop(v * 100) }))];
  if (rifaSel.value) {
    try {
      const p = await get(`/admin/reportes/participacion${query({ rifa_id: rifaSel.value })}`);
      parts.push(h('section', { class: 'card', 'aria-labelledby': 'h-part' }, h('h3', { id: 'h-part' }, `Participación: ${p.rifa}`),
        h('p', {}, `${integer(p.vendidas)} de ${integer(p.total_boletas)} boletas, ${integer(p.jugadores)} jugadores, ${cop(p.ventas)}.`),
        barChart((p.por_dia || []).map((d) => ({ label: d.dia.slice(5), value: d.boletas })), { title: 'Boletas por día', format: integer })));
    } catch (e) { parts.push(alertBox(e)); }
  }
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Reportes', ...parts);
}

async function pluginsScreen() {
  const mine = renderId;
  const res = await fetch('/api/v1/health', { cache: 'no-store' });
  const health = await res.json();
  const rows = (health.plugins || []).map((p) => h('tr', {}, h('td', {}, h('code', {}, p.id)), h('td', {}, p.kind),
    h('td', {}, badge(p.status, p.status === 'up' ? 'en servicio' : p.status)), h('td', {}, p.detail || '—')));
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Plugins y salud',
    h('div', { class: health.status === 'up' ? 'success' : 'notice', role: 'status' }, `Estado general: ${health.status} · versión ${health.version}`),
    h('dl', { class: 'facts card' },
      h('dt', {}, 'Base de datos'), h('dd', {}, `${health.database?.status} (${health.database?.detail || ''}, ${health.database?.latency_ms ?? '—'} ms)`),
      h('dt', {}, 'Auditoría'), h('dd', {}, `${health.audit?.status} (${health.audit?.detail || ''})`)),
    table(['Instancia', 'Tipo', 'Estado', 'Detalle'], rows, 'Instancias de plugins cargadas'));
}

// ---------------------------------------------------------------- router
async function route() {
  renderId += 1;
  if (feed) { feed.stop(); feed = null; }
  const hash = location.hash || '#/rifas';
  const [path, qs] = hash.slice(1).split('?');
  const params = new URLSearchParams(qs || '');
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!token()) {
    nav.classList.add('hidden'); who.classList.add('hidden');
    loginScreen(path !== '/login' && path !== '/rifas' ? 'Inicie sesión para continuar.' : '');
    return;
  }
  who.classList.remove('hidden');
  const c = claims();
  document.getElementById('who-name').textContent = c?.email || c?.sub || 'Sesión iniciada';
  try {
    if (await checkAccess() === 'forbidden') { nav.classList.add('hidden'); forbiddenScreen(); return; }
    nav.classList.remove('hidden');
    for (const a of nav.querySelectorAll('a')) {
      if (path.startsWith(a.getAttribute('href').slice(1))) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'rifas' && parts[1] === 'nueva') await nuevaRifaScreen();
    else if (parts[0] === 'rifas' && parts[1]) await rifaScreen(decodeURIComponent(parts[1]));
    else if (parts[0] === 'trabajos') await trabajosScreen(params);
    else if (parts[0] === 'auditoria') await auditoriaScreen(params);
    else if (parts[0] === 'reportes') await reportesScreen(params);
    else if (parts[0] === 'plugins') await pluginsScreen();
    else await rifasScreen(params);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { setToken(''); access = null; loginScreen('La sesión expiró. Inicie sesión de nuevo.'); return; }
    if (e instanceof ApiError && e.status === 403) { forbiddenScreen(); return; }
    screen('Error', alertBox(e));
  }
}

document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', route);
route();
// Kept for the tests and the curious: the module's call() with the session's token.
window.rifaConsole = { call };
