// The operator console: a hash-routed page over the REST API (every datum comes from the API, with
// the API's authorization; the token lives in sessionStorage, never in a cookie).
import { ApiError, call, claims, get, getAll, patch, post, query, setToken, token } from '/web/common/api.js';
import { ESTADOS_JOB, ESTADOS_PAGO, ESTADOS_RIFA, ESTADOS_SALUD, bogotaLocalToIso, cop, dia, diaCorto, fecha, fechaCorta, h, horaCorta, integer, isoToBogotaLocal } from '/web/common/format.js';
import { watchRifa } from '/web/common/live.js';
import { createGrid } from '/web/common/grid.js';
import { barChart } from '/web/common/chart.js';
import { fetchVerification, verifyCommitment } from '/web/common/verify.js';
import { errorDeCampo, problemaEs } from '/web/common/mensajes.js';

const main = document.getElementById('contenido');
let access = null;       // 'admin' | 'operador' | 'forbidden' (from the API's answers), per token
let feed = null;         // the open rifa's live feed
let cache = { categorias: null, loterias: null };
let renderId = 0;        // each route() call; a screen that finishes loading after a newer one started is dropped

// ---------------------------------------------------------------- shared pieces
function badge(kind, text) { return h('span', { class: `badge b-${kind}` }, text || kind); }

function alertBox(e) {
  // The sentence in Spanish; the API's own words (English, for whoever reports the problem) folded away.
  const technical = e instanceof ApiError && e.detail
    ? h('details', {}, h('summary', {}, 'Detalle técnico'), h('code', { lang: 'en' }, e.detail)) : null;
  return h('div', { class: 'alert', role: 'alert' }, problemaEs(e), technical);
}

function screen(title, ...children) {
  document.title = `${title} · Consola Rifa1122`;
  main.replaceChildren(h('h2', { id: 'titulo' }, title), ...children.filter((c) => c !== null && c !== undefined));
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

// Paging of a list screen: ?pagina=N&por_pagina=M in the hash (the API's page and per_page).
const PER_PAGE = 25;
function paging(params) {
  const page = Math.max(1, Number.parseInt(params.get('pagina') || '1', 10) || 1);
  const perPage = Math.min(100, Math.max(1, Number.parseInt(params.get('por_pagina') || String(PER_PAGE), 10) || PER_PAGE));
  return { page, per_page: perPage };
}
function pager(base, params, { page, per_page: perPage }, total) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const link = (n, label, rel) => {
    const q = new URLSearchParams(params);
    q.set('pagina', String(n));
    return h('a', { href: `${base}?${q}`, rel, class: `pager-${rel}` }, label);
  };
  return h('nav', { class: 'pager', 'aria-label': 'Páginas' },
    page > 1 ? link(page - 1, '← Anterior', 'prev') : null,
    h('span', { id: 'pagina-actual' }, ` Página ${integer(page)} de ${integer(pages)} (${integer(total)} en total) `),
    page < pages ? link(page + 1, 'Siguiente →', 'next') : null);
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
        e instanceof ApiError && e.status === 401 ? 'Correo o contraseña incorrectos.' : problemaEs(e)));
    }
  });
  screen('Iniciar sesión', message ? h('div', { class: 'notice', role: 'status' }, message) : null, status, form);
}

// What the account may use, asked of the API (the token's claims are only a hint): an admin reads
// the jobs; an operador may not, but may read another user's tickets (staff only), so the rifas,
// closing and payouts are theirs; anybody else gets 403 from both.
async function checkAccess() {
  if (access) return access;
  const refused = (e) => e instanceof ApiError && e.status === 403;
  try {
    await get('/admin/jobs?per_page=1');
    access = 'admin';
  } catch (e) {
    if (!refused(e)) throw e;
    try {
      await get('/users/-/tickets?per_page=1');
      access = 'operador';
    } catch (e2) {
      if (refused(e2)) access = 'forbidden';
      else if (e2 instanceof ApiError && e2.status < 500) access = 'operador';  // let in; no such user
      else throw e2;
    }
  }
  return access;
}

// The screens each role can use; the navigation shows only those.
const ADMIN_ONLY = new Set(['trabajos', 'auditoria', 'reportes', 'plugins']);

function forbiddenScreen(adminOnly) {
  if (adminOnly) {
    screen('Sin permiso',
      h('div', { class: 'alert', role: 'alert', id: 'sin-permiso' },
        'Esta pantalla es solo para administradores: su cuenta de operador no tiene permiso para verla.'),
      h('p', {}, h('a', { href: '#/rifas' }, 'Ir a las rifas')));
    return;
  }
  screen('Sin permiso',
    h('div', { class: 'alert', role: 'alert', id: 'sin-permiso' },
      'Su cuenta no tiene permiso para la consola de operación: la API respondió 403 (prohibido) a las consultas de personal. ',
      'Inicie sesión con una cuenta de operador o de administrador.'),
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
  // A range that ends before it starts is said next to the field, before asking the API.
  const badRange = (a, b) => a && b && a > b;
  const rangeError = () => {
    document.getElementById('f-hasta-error').textContent = 'La fecha «hasta» no puede ser anterior a la fecha «desde».';
    hasta.setAttribute('aria-invalid', 'true');
  };
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filters.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
    hasta.removeAttribute('aria-invalid');
    if (badRange(desde.value, hasta.value)) { rangeError(); hasta.focus(); return; }
    const q = new URLSearchParams();
    if (estado.value) q.set('estado', estado.value);
    if (categoria.value) q.set('categoria', categoria.value);
    if (desde.value) q.set('desde', desde.value);
    if (hasta.value) q.set('hasta', hasta.value);
    location.hash = `#/rifas?${q}`;
  });
  const pg = paging(params);
  const newLink = h('p', {}, h('a', { href: '#/rifas/nueva', id: 'nueva-rifa' }, 'Crear una rifa'));
  if (badRange(params.get('desde'), params.get('hasta'))) {
    if (mine !== renderId) return;
    screen('Rifas', newLink, filters);
    rangeError();
    return;
  }
  let list;
  try {
    list = await get(`/rifas${query({
      estado: params.get('estado'), categoria: params.get('categoria'),
      fecha_inicio: params.get('desde') ? `${params.get('desde')}T00:00:00-05:00` : '',
      fecha_fin: params.get('hasta') ? `${params.get('hasta')}T23:59:59-05:00` : '', ...pg,
    })}`);
  } catch (e) {
    // A filter the API refuses (typed into the address): said next to its field, the form stays.
    const ids = { estado: 'f-estado', categoria: 'f-categoria', fecha_inicio: 'f-desde', fecha_fin: 'f-hasta', page: 'f-estado', per_page: 'f-estado' };
    if (!(e instanceof ApiError) || e.status !== 422 || !ids[e.field]) throw e;
    if (mine !== renderId) return;
    screen('Rifas', newLink, filters);
    document.getElementById(`${ids[e.field]}-error`).textContent = errorDeCampo(e);
    document.getElementById(ids[e.field]).setAttribute('aria-invalid', 'true');
    return;
  }
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
  screen('Rifas', newLink, filters,
    list.items.length ? table(['Nombre', 'Estado', 'Categoría', 'Inicio / fin (hora de Bogotá)', 'Ventas'], rows, `${list.total} rifas`)
      : h('p', { id: 'sin-rifas' }, 'No hay rifas con esos filtros.'),
    list.total > pg.per_page ? pager('#/rifas', params, pg, list.total) : null);
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
        document.getElementById(`${id}-error`).textContent = errorDeCampo(e);
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
// Sales over time: by day from the report; by hour (from the sold tickets' comprado_en) when the
// rifa sold within two days and few enough numbers to read them in a handful of pages.
async function salesChart(rifaId, report) {
  const days = report.por_dia || [];
  if (days.length <= 2 && report.vendidas > 0 && report.vendidas <= 2000) {
    const sold = await getAll(`/rifas/${encodeURIComponent(rifaId)}/tickets`, { estado: 'vendido' }, 2000);
    const hourMs = 3600e3;
    const buckets = new Map();
    for (const t of sold) {
      const at = t.comprado_en ? Date.parse(t.comprado_en) : NaN;
      if (Number.isNaN(at)) continue;
      const hour = Math.floor(at / hourMs) * hourMs;
      buckets.set(hour, (buckets.get(hour) || 0) + 1);
    }
    if (buckets.size) {
      const first = Math.min(...buckets.keys());
      const last = Math.max(...buckets.keys());
      const items = [];
      for (let t = first; t <= last && items.length < 48; t += hourMs) items.push({ label: horaCorta(new Date(t)), value: buckets.get(t) || 0 });
      return barChart(items, { title: 'Boletas vendidas por hora (hora de Bogotá)', format: integer });
    }
  }
  return barChart(days.map((d) => ({ label: diaCorto(d.dia), value: d.boletas })), { title: 'Boletas vendidas por día (hora de Bogotá)', format: integer });
}

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

// POST /ganadores/{id}/aprobar (admin): offered while a cash prize waits to be paid and the API
// says (its last error or reason) that it waits for an admin's approval.
function approveButton(g, reload) {
  const waiting = /aprob/i.test(`${g.pago?.ultimo_error || ''} ${g.pago?.motivo || ''}`);
  if (access !== 'admin' || g.tipo !== 'cash' || !['pendiente', 'fallido'].includes(g.pago?.estado) || !waiting) return '—';
  return h('button', { type: 'button', class: 'secondary aprobar', onclick: async () => {
    if (!await confirmAction('Aprobar el pago', `El premio del número ${g.numero} (${cop(g.monto_ganado)}, retención ${cop(g.retencion ?? 0)}) se pagará al ganador.`, 'Aprobar el pago')) return;
    await act(() => post(`/ganadores/${encodeURIComponent(g.id)}/aprobar`, {}), reload);
  } }, 'Aprobar el pago');
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
    h('section', { class: 'card', 'aria-labelledby': 'h-ventas' }, h('h3', { id: 'h-ventas' }, 'Ventas en el tiempo'), ventasBox),
    h('section', { class: 'card', 'aria-labelledby': 'h-resultados' }, h('h3', { id: 'h-resultados' }, 'Sorteo, ganadores y pagos'), resultadosBox),
    h('section', { class: 'card', 'aria-labelledby': 'h-verif' }, h('h3', { id: 'h-verif' }, 'Verificación'), verifBox));

  const grid = createGrid(gridBox);
  let lastSold = -1;
  let lastEstado = rifa.estado;
  let lastWinners = '';
  let resultsTimer = null;
  const refreshSales = async () => {
    if (access !== 'admin') {  // the sales report is the admins'
      ventasBox.replaceChildren(h('p', { class: 'muted' }, 'Las ventas por día están en los reportes, que solo ven los administradores.'));
      return;
    }
    try {
      const p = await get(`/admin/reportes/participacion${query({ rifa_id: id })}`);
      ventasBox.replaceChildren(
        h('p', {}, `${integer(p.vendidas)} boletas vendidas a ${integer(p.jugadores)} jugadores · ${cop(p.ventas)} · ocupación ${(Number(p.ocupacion) * 100).toFixed(1).replace('.', ',')} %`),
        await salesChart(id, p));
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
        parts.push(table(['Número', 'Premio', { label: 'Monto', num: true }, { label: 'Retención', num: true }, 'Pago', 'Referencia / último error', 'Acción'],
          r.ganadores.map((g) => h('tr', { class: 'ganador', 'data-ganador': g.id },
            h('td', {}, String(g.numero)), h('td', {}, `${g.premio} (${g.tipo === 'cash' ? 'dinero' : 'en especie'})`),
            h('td', { class: 'num' }, cop(g.monto_ganado)),
            h('td', { class: 'num retencion' }, cop(g.retencion ?? 0)),
            h('td', { class: 'pago' }, badge(g.pago?.estado || 'pendiente', ESTADOS_PAGO[g.pago?.estado] || g.pago?.estado)),
            h('td', { class: 'pago-detalle' }, g.pago?.referencia || g.pago?.motivo || '—',
              g.pago?.ultimo_error ? h('span', { class: 'ultimo-error' }, h('br'), `Último error: ${g.pago.ultimo_error}`) : null),
            h('td', {}, approveButton(g, refreshResults)))),
          `Premios: ${cop(r.total_premios)} · retención en la fuente: ${cop(r.total_retencion ?? 0)}`));
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
      const { doc: v, text } = await fetchVerification(id);
      const out = h('div', { 'aria-live': 'polite', id: 'verif-resultado' });
      const btn = h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          const r = await verifyCommitment(v, text);
          out.replaceChildren(
            h('p', { class: r.ok ? 'verify-ok' : 'verify-bad', id: 'verif-hash' },
              r.ok ? `El hash coincide: ${r.computed}` : `El hash no coincide: calculado ${r.computed}, publicado ${r.published}`),
            r.seed ? h('p', { class: r.seed.ok ? 'verify-ok' : 'verify-bad', id: 'verif-semilla' },
              r.seed.ok ? `La semilla coincide con su hash comprometido (${r.seed.computed}).`
                : `La semilla no coincide: su hash es ${r.seed.computed}, el comprometido ${r.seed.published}.`)
              : h('p', { class: 'muted', id: 'verif-semilla' }, v.commitment?.seed_sha256
                ? 'La semilla de la asignación al azar se muestra cuando terminan las ventas.'
                : 'Asignación en orden: no hay semilla que comprobar.'));
        } catch (e) { out.replaceChildren(h('p', { class: 'muted' }, e.message)); }
      } }, 'Verificar el compromiso');
      const sorteo = v.sorteo;
      verifBox.replaceChildren(...[
        v.commitment_hash ? h('p', {}, 'Hash del compromiso: ', h('code', {}, v.commitment_hash), ` (activada ${fecha(v.activada_en)})`)
          : h('p', {}, 'La rifa aún no está activa: no hay compromiso publicado.'),
        v.commitment_hash ? btn : null, out,
        sorteo ? h('dl', { class: 'facts', id: 'verif-sorteo' },
          h('dt', {}, 'Sorteo'), h('dd', {}, `${dia(sorteo.fecha_sorteo)} · ${sorteo.plugin_instance}`),
          h('dt', {}, 'Resultado'), h('dd', {}, (sorteo.resultado?.numbers || []).join(', ') || '—'),
          h('dt', {}, 'Hash de la página fuente (raw_sha256)'), h('dd', { id: 'verif-raw' }, h('code', {}, sorteo.raw_sha256 || '—')),
          h('dt', {}, 'Semilla'), h('dd', {}, v.assignment_seed ? h('code', {}, v.assignment_seed) : '—')) : null,
        (v.ganadores || []).length ? table(['Número', 'Premio n.º', { label: 'Bruto', num: true }, { label: 'Retención', num: true }, { label: 'Neto', num: true }],
          v.ganadores.map((g) => h('tr', { class: 'verif-ganador' }, h('td', {}, String(g.numero)), h('td', {}, String(g.tier + 1)),
            h('td', { class: 'num' }, cop(g.monto_bruto)), h('td', { class: 'num' }, cop(g.retencion)), h('td', { class: 'num' }, cop(g.monto_neto)))),
          'Ganadores según el documento de verificación') : null,
        h('p', {}, h('a', { href: `/api/v1/rifas/${rifa.id}/verificacion` }, 'Documento de verificación (JSON)'))].filter(Boolean));
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
        refreshVerification();  // the draw and the winners join the proof
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
  const pg = paging(params);
  const list = await get(`/admin/jobs${query({ status: params.get('status'), ...pg })}`);
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
      : h('p', {}, 'No hay trabajos con ese estado.'),
    list.total > pg.per_page ? pager('#/trabajos', params, pg, list.total) : null);
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
  const pg = paging(params);
  const r = await get(`/admin/audit${query({ entity: params.get('entity'), entity_id: params.get('entity_id'), action: params.get('action'), actor: params.get('actor'), ...pg })}`);
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
      : h('p', { id: 'sin-entradas' }, 'Ninguna entrada coincide.'),
    r.total > pg.per_page ? pager('#/auditoria', params, pg, r.total) : null);
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
      barChart((ing.por_dia || []).map((d) => ({ label: diaCorto(d.dia), value: d.ventas / 100 })), { title: 'Ventas por día en pesos', format: (v) => cop(v * 100) }),
      h('h4', {}, 'Ventas por categoría'),
      barChart((ing.por_categoria || []).map((d) => ({ label: d.categoria, value: d.ventas / 100 })), { title: 'Ventas por categoría en pesos', format: (v) => cop(v * 100) }))];
  if (rifaSel.value) {
    try {
      const p = await get(`/admin/reportes/participacion${query({ rifa_id: rifaSel.value })}`);
      parts.push(h('section', { class: 'card', 'aria-labelledby': 'h-part' }, h('h3', { id: 'h-part' }, `Participación: ${p.rifa}`),
        h('p', {}, `${integer(p.vendidas)} de ${integer(p.total_boletas)} boletas, ${integer(p.jugadores)} jugadores, ${cop(p.ventas)}.`),
        barChart((p.por_dia || []).map((d) => ({ label: diaCorto(d.dia), value: d.boletas })), { title: 'Boletas por día', format: integer })));
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
    h('td', {}, badge(p.status, ESTADOS_SALUD[p.status] || p.status)), h('td', {}, p.detail || '—')));
  const salud = (s) => ESTADOS_SALUD[s] || s || '—';
  if (mine !== renderId) return;  // a newer route replaced this one meanwhile
  screen('Plugins y salud',
    h('div', { class: health.status === 'up' ? 'success' : 'notice', role: 'status' }, `Estado general: ${salud(health.status)} · versión ${health.version}`),
    h('dl', { class: 'facts card' },
      h('dt', {}, 'Base de datos'), h('dd', { id: 'salud-db' }, `${salud(health.database?.status)} (${health.database?.detail || ''}, ${health.database?.latency_ms ?? '—'} ms)`),
      h('dt', {}, 'Auditoría'), h('dd', {}, `${salud(health.audit?.status)} (${health.audit?.detail || ''})`)),
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
    const role = await checkAccess();
    if (role === 'forbidden') { nav.classList.add('hidden'); forbiddenScreen(); return; }
    nav.classList.remove('hidden');
    for (const a of nav.querySelectorAll('a')) {
      const section = a.getAttribute('href').slice(2);
      a.parentElement.classList.toggle('hidden', role !== 'admin' && ADMIN_ONLY.has(section));
      if (path.startsWith(a.getAttribute('href').slice(1))) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    const parts = path.split('/').filter(Boolean);
    if (role !== 'admin' && ADMIN_ONLY.has(parts[0])) { forbiddenScreen(true); return; }
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
