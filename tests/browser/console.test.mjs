// The console and the public page in headless Chromium (puppeteer-core) with axe-core on every
// screen. Run by browser_console_test (tests/browser/browser_console_test.cpp), which starts the
// host and passes, in the environment: BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, DRAW_DATE,
// DEAD_JOB_ID, SHOTS_DIR, NPM_DIR, CHROMIUM, BACKEND. Exits non-zero on the first failed check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (name) => { const v = process.env[name]; if (!v) throw new Error(`${name} is not set`); return v; };
const BASE = env('BASE_URL');
const SHOTS = env('SHOTS_DIR');
const NPM = env('NPM_DIR');
const DRAW_DATE = env('DRAW_DATE');
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s]`, ...a);

const { default: puppeteer } = await import(pathToFileURL(path.join(NPM, 'node_modules/puppeteer-core/lib/puppeteer/puppeteer-core.js')));
const axeSource = fs.readFileSync(path.join(NPM, 'node_modules/axe-core/axe.min.js'), 'utf8');

const DESKTOP = { width: 1280, height: 800 };
// Width and height only: switching isMobile/hasTouch would reload the page (and lose its state).
const PHONE = { width: 390, height: 844 };
const shots = [];
const cspViolations = [];

// --- the API, straight (the players, and the checks behind the pages) ---------------------------
async function api(method, p, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${BASE}/api/v1${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
async function player(n) {
  const email = `jugador${n}-${Date.now()}@example.com`;
  const password = 'Correct-Horse-42';
  // An adult with a document of their own who accepts the data policy (issue 15's sign-up rules).
  const reg = await api('POST', '/auth/register', {
    nombre: `Jugador ${n}`, email, password, fecha_nacimiento: '1990-05-17', documento_tipo: 'CC',
    documento_numero: String(52000000 + n), acepta_politica_datos: true,
  });
  assert.ok([201, 202].includes(reg.status), `register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await api('POST', '/auth/login', { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { email, password, token: login.body.access_token };
}

// --- the browser -----------------------------------------------------------------------------------
const browser = await puppeteer.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=es-CO'],
});

function watch(page) {
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(text)) cspViolations.push(text);
    if (msg.type() === 'error' && !/Failed to load resource|WebSocket connection/.test(text)) log('page error:', text);
  });
  page.on('pageerror', (e) => { log('uncaught in page:', e.message); cspViolations.push(`uncaught: ${e.message}`); });
}

async function axe(page, name) {
  // Runtime.evaluate is not subject to the page's CSP: axe runs without loosening it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result) log(`  axe ${name}: ${v.impact} ${v.id}: ${v.help} ${JSON.stringify(v.nodes)}`);
  assert.equal(bad.length, 0, `axe on ${name}: ${JSON.stringify(bad, null, 1)}`);
}

// Every screen: axe and a screenshot at 1280×800 and at 390×844.
async function capture(page, name) {
  for (const [label, viewport] of [['1280x800', DESKTOP], ['390x844', PHONE]]) {
    await page.setViewport(viewport);
    await new Promise((r) => setTimeout(r, 150));
    await axe(page, `${name} ${label}`);
    // Responsive: nothing makes the page itself scroll sideways (wide tables scroll in their box).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${name} at ${label} scrolls sideways by ${overflow} px`);
    const file = path.join(SHOTS, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: false });
    shots.push(file);
  }
  await page.setViewport(DESKTOP);
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
async function waitText(page, sel, re, timeout = 20000) {
  await page.waitForFunction((s, src) => {
    const e = document.querySelector(s);
    return e && new RegExp(src).test(e.textContent);
  }, { timeout, polling: 100 }, sel, re.source);
}
// The JWT's claims (the API signs them; the test only reads its own user's id).
const claimsOf = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString('utf8'));
const DEFAULT_REGLAS = {
  tiers: [{ name: 'primer premio', match: { field: 'numero', digits: 'last', count: 2 }, share_bp: 10000, prize: { type: 'cash' } }],
  unsold: 'house',
};
// A rifa made straight through the API (the console's own form is tested in step 2).
async function apiRifa(adminToken, nombre, total, { activate = true } = {}) {
  const cats = await api('GET', '/categorias?per_page=100', null, adminToken);
  const lots = await api('GET', '/loterias?per_page=100', null, adminToken);
  const mock = lots.body.items.find((l) => l.nombre === 'Lotería Mock');
  const created = await api('POST', '/rifas', {
    nombre, categoria_id: cats.body.items[0].id, loteria_id: mock.id,
    fecha_inicio: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    fecha_fin: new Date(Date.now() + 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    fecha_sorteo: DRAW_DATE, total_boletas: total, assignment: 'sequential',
    reglas: { ...DEFAULT_REGLAS, tiers: [{ ...DEFAULT_REGLAS.tiers[0], match: { field: 'numero', digits: 'last', count: String(total - 1).length } }] },
  }, adminToken);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  if (activate) {
    const act = await api('PATCH', `/rifas/${created.body.id}`, { estado: 'activa' }, adminToken);
    assert.equal(act.status, 200, JSON.stringify(act.body));
  }
  return created.body;
}
// Records every text #fuente (the grid's source: live or polling) shows from now on, across
// re-renders of the screen.
async function recordSource(page) {
  await page.evaluate(() => {
    window.__fuentes = [];
    const note = () => {
      const t = document.querySelector('#fuente')?.textContent || '';
      if (t && t !== window.__fuentes[window.__fuentes.length - 1]) window.__fuentes.push(t);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
async function assertLiveOnly(page, when) {
  const seen = await page.evaluate(() => window.__fuentes);
  const firstLive = seen.findIndex((t) => /en vivo/i.test(t));
  assert.ok(firstLive >= 0, `${when}: the grid never went live: ${JSON.stringify(seen)}`);
  assert.match(seen[seen.length - 1], /en vivo/i, `${when}: the grid is not live now: ${JSON.stringify(seen)}`);
  assert.ok(!seen.slice(firstLive).some((t) => /periódica|pocos segundos/i.test(t)),
    `${when}: the grid fell back to polling after going live: ${JSON.stringify(seen)}`);
}
async function tabTo(page, selector, max = 25) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
  }
  throw new Error(`${selector} not reached with Tab in ${max} presses`);
}

async function clickAndConfirm(page, buttonSel) {
  await page.click(buttonSel);
  await page.waitForSelector('dialog#confirm[open]');
  return page;
}

let failed = false;
try {
  fs.mkdirSync(SHOTS, { recursive: true });
  const page = await browser.newPage();
  watch(page);
  await page.setViewport(DESKTOP);

  // Headers of the page and of the API: the page's own CSP, the API's unchanged.
  const adminRes = await fetch(`${BASE}/admin/`);
  assert.equal(adminRes.status, 200);
  assert.match(adminRes.headers.get('content-security-policy'), /script-src 'self'/);
  assert.doesNotMatch(adminRes.headers.get('content-security-policy'), /unsafe-inline/);
  assert.ok(adminRes.headers.get('etag'));
  const again = await fetch(`${BASE}/admin/`, { headers: { 'If-None-Match': adminRes.headers.get('etag') } });
  assert.equal(again.status, 304);
  const head = await fetch(`${BASE}/rifas/any-id`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.match(head.headers.get('content-type'), /^text\/html/);
  assert.equal(await head.text(), '');
  const apiRes = await fetch(`${BASE}/api/v1/health`);
  assert.equal(apiRes.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  assert.equal((await fetch(`${BASE}/web/common/..%2f..%2fREADME.md`)).status, 404);

  // 1. Log in as the admin, with the keyboard only: Tab to the form, type, Enter.
  await page.goto(`${BASE}/admin/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-email');
  await capture(page, '01-login');
  await tabTo(page, '#f-email');
  await page.keyboard.type('nadie@example.com');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-password');
  await page.keyboard.type('mal');
  await page.keyboard.press('Enter');
  await waitText(page, '[role=alert]', /incorrectos/);
  await page.$eval('#f-email', (e) => { e.value = ''; });
  await page.$eval('#f-password', (e) => { e.value = ''; });
  await page.focus('#f-email');
  await page.keyboard.type(env('ADMIN_EMAIL'));
  await page.keyboard.press('Tab');
  await page.keyboard.type(env('ADMIN_PASSWORD'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#nueva-rifa');
  log('admin logged in with the keyboard');
  const adminToken = await page.evaluate(() => sessionStorage.getItem('rifa1122.token'));
  const adminId = claimsOf(adminToken).user_id;
  // The main navigation is reachable from the top of the page with Tab, and Enter follows it.
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await page.focus('body');
  await tabTo(page, '#nav a[href="#/trabajos"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/trabajos') && document.querySelector('#f-status'));
  log('main navigation reached with Tab; Enter opened Trabajos');
  // es-CO formats, as the pages' own module gives them and as a screen shows them.
  const formats = await page.evaluate(async () => {
    const f = await import('/web/common/format.js');
    return { cop: f.cop(1250000), cents: f.cop(1250050), big: f.cop(123456789900), fecha: f.fecha('2026-12-07T15:30:00Z'),
      dia: f.dia('2026-12-24'), corto: f.diaCorto('2026-12-07') };
  });
  assert.equal(formats.cop, '$ 12.500');
  assert.equal(formats.cents, '$ 12.500,50');
  assert.equal(formats.big, '$ 1.234.567.899');
  assert.match(formats.fecha, /2026.*10:30.*a\.\s?m\..*\(hora de Bogotá\)/);  // 15:30 UTC is 10:30 in Bogotá
  assert.match(formats.dia, /^24 de diciembre de 2026$/);
  assert.match(formats.corto, /^7 (de )?dic$/);
  log('es-CO formats:', JSON.stringify(formats));
  await page.goto(`${BASE}/admin/#/rifas`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#nueva-rifa');
  await capture(page, '02-rifas');

  // 2. Create a rifa: first with a field the API refuses (shown next to the field), then right.
  await page.click('#nueva-rifa');
  await page.waitForSelector('#f-nombre');
  await page.type('#f-nombre', `Rifa del navegador ${process.env.BACKEND || ''}`);
  await page.select('#f-categoria_id', await page.$eval('#f-categoria_id option:nth-child(2)', (o) => o.value));
  const mockLottery = await page.$$eval('#f-loteria_id option', (os) => os.find((o) => o.textContent === 'Lotería Mock').value);
  await page.select('#f-loteria_id', mockLottery);
  const bogota = (d) => new Date(d.getTime() - 5 * 3600e3).toISOString().slice(0, 16);
  const setValue = (sel, v) => page.$eval(sel, (e, val) => { e.value = val; }, v);
  await setValue('#f-fecha_inicio', bogota(new Date(Date.now() - 3600e3)));
  await setValue('#f-fecha_fin', bogota(new Date(Date.now() + 3600e3)));
  await setValue('#f-fecha_sorteo', DRAW_DATE);
  await setValue('#f-total_boletas', '7');
  await page.click('#crear');
  // Whichever field the API names, its message is shown next to that field, which is marked invalid.
  await page.waitForFunction(() => [...document.querySelectorAll('.field-error')].some((e) => e.textContent.length > 0), { timeout: 10000 });
  const fieldError = await page.$$eval('.field-error', (es) => es.filter((e) => e.textContent).map((e) => ({
    id: e.id, text: e.textContent, invalid: document.getElementById(e.id.replace(/-error$/, '')).getAttribute('aria-invalid') })));
  assert.equal(fieldError.length, 1, JSON.stringify(fieldError));
  assert.equal(fieldError[0].invalid, 'true', JSON.stringify(fieldError));
  // In Spanish, not the API's English.
  assert.doesNotMatch(fieldError[0].text, /\b(must|between|invalid|required)\b/i, JSON.stringify(fieldError));
  assert.match(fieldError[0].text, /^La regla toma 2 cifras, pero los números de una rifa de 7 tienen 1/, JSON.stringify(fieldError));
  assert.doesNotMatch(await text(page, '#contenido [role=alert]'), /\b(must|Invalid request)\b/, 'the alert is in English');
  // COP amounts as es-CO writes them, in the categoria picker.
  assert.match(await page.$eval('#f-categoria_id option:nth-child(2)', (o) => o.textContent), /· \$ \d{1,3}(\.\d{3})* la boleta$/);
  log('field error shown:', JSON.stringify(fieldError[0]));
  await capture(page, '03-nueva-rifa-error');
  await setValue('#f-total_boletas', '100');
  await page.click('#crear');
  await page.waitForSelector('#activar', { timeout: 15000 });
  const rifaId = decodeURIComponent(page.url().split('#/rifas/')[1]);
  log('rifa created', rifaId);

  // 3. Activate it, through the confirmation.
  await clickAndConfirm(page, '#activar');
  assert.match(await text(page, '#confirm-text'), /congelados/);
  await capture(page, '04-confirmar-activar');
  await page.click('#confirm-yes');
  await page.waitForSelector('#cerrar', { timeout: 15000 });
  await waitText(page, '#estado-rifa', /Activa/);
  log('rifa activa');
  // The dates as set, in Bogotá time.
  const startShown = bogota(new Date(Date.now() - 3600e3));
  assert.match(await page.$eval('#contenido', (e) => e.textContent), /\(hora de Bogotá\)/);
  log('start of sales set as', startShown, 'Bogotá');

  // 4. Three players buy through the API while the page is open: the grid changes, no reload,
  // through the host's live feed (the WebSocket), which never gives way to polling.
  await page.evaluate(() => { window.__sinRecargar = true; });
  await page.waitForSelector('#tablero .cell[data-n="99"]');
  await recordSource(page);
  await waitText(page, '#fuente', /en vivo/i, 15000);
  assert.equal(await page.$$eval('#tablero .cell.c-vend', (c) => c.length), 0);
  const players = [await player(1), await player(2), await player(3)];
  const first = await api('POST', `/rifas/${rifaId}/tickets`, { quantity: 3, payment_method: 'card', idempotency_key: 'b-0' }, players[0].token);
  assert.ok([200, 201].includes(first.status), JSON.stringify(first.body));
  await page.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 3, { timeout: 15000, polling: 100 });
  await assertLiveOnly(page, 'after the first purchase');
  log('grid shows the first 3 sold numbers without reload, live');
  // Every number sold, so that the draw has a winner whatever its last two digits.
  let bought = 3;
  for (let k = 1; bought < 100; k++) {
    const q = Math.min(10, 100 - bought);
    const r = await api('POST', `/rifas/${rifaId}/tickets`, { quantity: q, payment_method: 'card', idempotency_key: `b-${k}` }, players[k % 3].token);
    assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
    bought += q;
  }
  await page.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 100, { timeout: 20000, polling: 100 });
  assert.equal(await page.evaluate(() => window.__sinRecargar), true, 'the page reloaded');
  await assertLiveOnly(page, 'after 3 players bought 100 numbers');
  log('grid shows 100 sold numbers, same document, live all along:', JSON.stringify(await page.evaluate(() => window.__fuentes)));
  await page.waitForFunction(() => document.querySelector('#ventas svg .chart-bar'), { timeout: 10000 });
  await capture(page, '05-rifa-activa');

  // 5. Close it: settlement (mock lottery), winners and payouts appear on the same page.
  await clickAndConfirm(page, '#cerrar');
  assert.match(await text(page, '#confirm-text'), /se detienen/);
  await page.click('#confirm-yes');
  await waitText(page, '#estado-rifa', /Cerrada|Resuelta/);
  log('rifa cerrada; waiting for the draw and the payouts');
  await page.waitForSelector('#resultados tr.ganador', { timeout: 60000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#resultados td.pago')].every((t) => /Enviado/.test(t.textContent)),
    { timeout: 60000, polling: 250 });
  await page.waitForSelector('#tablero .cell.c-gan');
  await waitText(page, '#estado-rifa', /Resuelta/);
  const winners = await page.$$eval('#resultados tr.ganador td:first-child', (t) => t.map((x) => x.textContent));
  log('winners', winners.join(', '), 'paid');
  await page.click('#verificacion button');
  await waitText(page, '#verif-resultado', /coincide/);
  assert.doesNotMatch(await text(page, '#verif-hash'), /no coincide/);
  assert.match(await text(page, '#verif-semilla'), /semilla/i);
  const vdoc = (await api('GET', `/rifas/${rifaId}/verificacion`)).body;
  assert.equal(await text(page, '#verif-raw'), vdoc.sorteo.raw_sha256 || '—');
  assert.equal(await page.$$eval('tr.verif-ganador', (r) => r.length), vdoc.ganadores.length);
  // Payouts show the tax withheld (the API's retencion) for each winner.
  const res = (await api('GET', `/rifas/${rifaId}/resultados`, null, adminToken)).body;
  const shownTax = await page.$$eval('#resultados tr.ganador td.retencion', (t) => t.map((x) => x.textContent));
  const copOf = (cents) => page.evaluate(async (c) => (await import('/web/common/format.js')).cop(c), cents);
  assert.deepEqual(shownTax, await Promise.all(res.ganadores.map((g) => copOf(g.retencion))));
  log('verification proof: hash, seed line, raw_sha256', vdoc.sorteo.raw_sha256, 'and', vdoc.ganadores.length, 'winners shown');
  await capture(page, '06-rifa-resuelta');

  // 6. Retry the dead job, found through the filter form.
  await page.goto(`${BASE}/admin/#/trabajos`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-status');
  await page.select('#f-status', 'dead');
  await page.click('#contenido form button[type=submit]');
  const deadRow = `tr[data-job="${env('DEAD_JOB_ID')}"]`;
  await page.waitForFunction(() => location.hash === '#/trabajos?status=dead');
  await page.waitForSelector(deadRow);
  assert.ok(await page.$$eval('#contenido tbody tr', (rs) => rs.every((r) => r.dataset.status === 'dead')), 'the filter shows only dead jobs');
  await capture(page, '07-trabajos');
  await page.click(`${deadRow} button.retry`);
  await waitText(page, '#trabajo-estado', /quedó en cola de nuevo/);
  const jobs = await api('GET', '/admin/jobs?status=dead&per_page=100', null, await page.evaluate(() => sessionStorage.getItem('rifa1122.token')));
  assert.ok(!jobs.body.items.some((j) => j.id === env('DEAD_JOB_ID') && j.attempts === 5), 'the job is still dead with 5 attempts');
  log('dead job retried');

  // 7. Find an audit entry: the rifa's activation.
  await page.goto(`${BASE}/admin/#/auditoria`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-entity_id');
  await page.type('#f-entity_id', rifaId);
  await page.type('#f-action', 'rifa.activated');
  // The jobs screen refreshes itself after a retry; leaving it must not re-render this form under
  // the operator's hands (that once detached '#buscar' mid-click).
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(await page.$eval('#f-entity_id', (e) => e.value), rifaId, 'the audit form kept what was typed');
  await page.click('#buscar');
  await page.waitForFunction(() => location.hash.includes('action=rifa.activated') && document.querySelectorAll('tr.entrada').length >= 1 &&
    [...document.querySelectorAll('tr.entrada')].every((r) => r.textContent.includes('rifa.activated')), { timeout: 10000 });
  assert.match(await text(page, 'tr.entrada'), /rifa\.activated/);
  log('audit entry found');
  // By entity and actor: the admin's own changes to rifas.
  await page.goto(`${BASE}/admin/#/auditoria`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-entity');
  await page.type('#f-entity', 'rifas');
  await page.type('#f-actor', adminId);
  await page.click('#buscar');
  // (the rows of the screen before may still be there for a moment: wait for the filtered ones)
  await page.waitForFunction((actor) => location.hash.includes('entity=rifas') && location.hash.includes(`actor=${actor}`) &&
    document.querySelectorAll('tr.entrada').length >= 2 &&
    [...document.querySelectorAll('tr.entrada')].every((r) => r.children[4].textContent === actor), { timeout: 10000 }, adminId);
  const byActor = await page.$$eval('tr.entrada', (rs) => rs.map((r) => [r.children[3].textContent, r.children[4].textContent]));
  assert.ok(byActor.every(([entity, actor]) => entity.startsWith('rifas') && actor === adminId), JSON.stringify(byActor));
  assert.ok(byActor.some(([entity]) => entity.includes(rifaId)), 'the rifa made in the console is among the admin\'s rifa entries');
  log('audit by entity and actor:', byActor.length, 'entries');
  // Paging: two entries a page, the next page follows.
  await page.goto(`${BASE}/admin/#/auditoria?entity=rifas&por_pagina=2`, { waitUntil: 'networkidle0' });
  await waitText(page, '#pagina-actual', /Página 1 de \d+/);
  const firstPage = await page.$$eval('tr.entrada td:first-child', (t) => t.map((x) => x.textContent));
  assert.equal(firstPage.length, 2);
  await page.click('a.pager-next');
  await waitText(page, '#pagina-actual', /Página 2 de/);
  const secondPage = await page.$$eval('tr.entrada td:first-child', (t) => t.map((x) => x.textContent));
  assert.ok(secondPage.length >= 1 && !secondPage.some((x) => firstPage.includes(x)), `${firstPage} / ${secondPage}`);
  log('audit paging: page 2 has other entries');
  await capture(page, '08-auditoria');

  // 8. Reports and plugins.
  await page.goto(`${BASE}/admin/#/reportes`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#h-ingresos');
  {
    const desde = await page.$eval('#f-rep-desde', (e) => e.value);
    const hasta = await page.$eval('#f-rep-hasta', (e) => e.value);
    const ing = (await api('GET', `/admin/reportes/ingresos?desde=${desde}&hasta=${hasta}`, null, adminToken)).body;
    const charts = await page.$$eval('#contenido svg.chart', (svgs) => svgs.map((svg) => ({
      bars: svg.querySelectorAll('.chart-bar').length,
      values: [...svg.querySelectorAll('.chart-value')].map((t) => t.textContent),
      labels: [...svg.querySelectorAll('.chart-label')].map((t) => t.textContent),
    })));
    const expect = await page.evaluate(async (i) => {
      const f = await import('/web/common/format.js');
      return {
        dias: { values: i.por_dia.map((d) => f.cop(d.ventas)), labels: i.por_dia.map((d) => f.diaCorto(d.dia)) },
        cats: { values: i.por_categoria.map((d) => f.cop(d.ventas)), labels: i.por_categoria.map((d) => d.categoria) },
      };
    }, ing);
    assert.ok(ing.por_dia.length >= 1, 'the income report has today');
    assert.equal(charts[0].bars, ing.por_dia.length);
    assert.deepEqual(charts[0].values, expect.dias.values);
    assert.deepEqual(charts[0].labels, expect.dias.labels);
    assert.equal(charts[1].bars, ing.por_categoria.length);
    assert.deepEqual(charts[1].values, expect.cats.values);
    assert.deepEqual(charts[1].labels, expect.cats.labels);
    log('report charts match the API:', JSON.stringify(charts[0]));
  }
  await capture(page, '09-reportes');
  await page.goto(`${BASE}/admin/#/plugins`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => /sandbox/.test(document.body.textContent) && /mock/.test(document.body.textContent));
  assert.match(await text(page, '#contenido [role=status]'), /Estado general: (En servicio|Degradado|Caído)/);
  assert.doesNotMatch(await text(page, '#contenido'), /\b(up|down|degraded)\b/);
  await capture(page, '10-plugins');

  // 8b. Cancel a rifa with sales: the confirmation says what is refunded; then it is cancelled.
  const toCancel = await apiRifa(adminToken, `Rifa para cancelar ${process.env.BACKEND || ''}`, 100);
  const buyer4 = await player(4);
  const bought4 = await api('POST', `/rifas/${toCancel.id}/tickets`, { quantity: 2, payment_method: 'card', idempotency_key: 'c-1' }, buyer4.token);
  assert.ok([200, 201].includes(bought4.status), JSON.stringify(bought4.body));
  const cat0 = (await api('GET', '/categorias?per_page=100', null, adminToken)).body.items.find((c) => c.id === toCancel.categoria_id);
  await page.goto(`${BASE}/admin/#/rifas/${toCancel.id}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#cancelar');
  await page.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 2, { timeout: 15000 });
  await clickAndConfirm(page, '#cancelar');
  const refundText = await text(page, '#confirm-text');
  assert.match(refundText, /reembolsa/);
  assert.match(refundText, /2 boletas/);
  assert.ok(refundText.includes(await copOf(cat0.valor_boleta * 2)), `the refund names the amount: ${refundText}`);
  await capture(page, '14-confirmar-cancelar');
  await page.click('#confirm-yes');
  await waitText(page, '#estado-rifa', /Cancelada/);
  assert.equal((await api('GET', `/rifas/${toCancel.id}`)).body.estado, 'cancelada');
  log('rifa cancelled after a confirmation naming the refund:', refundText);

  // 8c. The rifas list: filters by estado, categoria and dates; a backwards range is a field error.
  await page.goto(`${BASE}/admin/#/rifas`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-estado');
  await page.select('#f-estado', 'cancelada');
  await page.click('#contenido form[aria-label=Filtros] button[type=submit]');
  // (the unfiltered rows may still be there for a moment: wait until every row is a cancelled one)
  await page.waitForFunction((id) => location.hash.includes('estado=cancelada') && document.querySelector(`tr[data-rifa="${id}"]`) &&
    [...document.querySelectorAll('#contenido tbody tr')].every((r) => /Cancelada/.test(r.children[1].textContent)), {}, toCancel.id);
  await page.select('#f-estado', 'resuelta');
  await page.select('#f-categoria', cat0.id);
  await page.click('#contenido form[aria-label=Filtros] button[type=submit]');
  await page.waitForFunction((id) => location.hash.includes('estado=resuelta') && location.hash.includes('categoria=') &&
    document.querySelector(`tr[data-rifa="${id}"]`) && !document.querySelector('.alert') &&
    [...document.querySelectorAll('#contenido tbody tr')].every((r) => /Resuelta/.test(r.children[1].textContent)), {}, rifaId);
  const today = bogota(new Date()).slice(0, 10);
  const setDate = (sel, v) => page.$eval(sel, (e, val) => { e.value = val; }, v);
  await page.select('#f-estado', '');
  await page.select('#f-categoria', '');
  await setDate('#f-desde', today);
  await setDate('#f-hasta', today);
  await page.click('#contenido form[aria-label=Filtros] button[type=submit]');
  await page.waitForFunction((id) => location.hash.includes('desde=') && document.querySelector(`tr[data-rifa="${id}"]`), {}, toCancel.id);
  await setDate('#f-desde', '2031-01-01');
  await setDate('#f-hasta', '2030-01-01');
  await page.click('#contenido form[aria-label=Filtros] button[type=submit]');
  await waitText(page, '#f-hasta-error', /no puede ser anterior/);
  assert.equal(await page.$eval('#f-hasta', (e) => e.getAttribute('aria-invalid')), 'true');
  assert.equal(await text(page, '#titulo'), 'Rifas', 'a backwards range shows the Error screen');
  await page.goto(`${BASE}/admin/#/rifas?desde=2031-01-01&hasta=2030-01-01`, { waitUntil: 'networkidle0' });
  await waitText(page, '#f-hasta-error', /no puede ser anterior/);
  assert.equal(await text(page, '#titulo'), 'Rifas');
  await capture(page, '15-rifas-filtro-error');
  log('rifas filters: estado, categoria, dates; backwards range said next to the field');
  // Paging: one rifa a page.
  await page.goto(`${BASE}/admin/#/rifas?por_pagina=1`, { waitUntil: 'networkidle0' });
  await waitText(page, '#pagina-actual', /Página 1 de ([2-9]|[1-9]\d+) /);
  const p1 = await page.$eval('#contenido tbody tr', (r) => r.dataset.rifa);
  await page.click('a.pager-next');
  await waitText(page, '#pagina-actual', /Página 2 de/);
  assert.notEqual(await page.$eval('#contenido tbody tr', (r) => r.dataset.rifa), p1);
  await page.goto(`${BASE}/admin/#/trabajos?por_pagina=1`, { waitUntil: 'networkidle0' });
  await waitText(page, '#pagina-actual', /Página 1 de ([2-9]|[1-9]\d+) /);
  await page.click('a.pager-next');
  await waitText(page, '#pagina-actual', /Página 2 de/);
  log('paging: rifas and jobs go past the first page');

  // 9. The public page: no login; the verification matches, and does not once the document is tampered.
  const pub = await browser.createBrowserContext().then((c) => c.newPage());
  watch(pub);
  await pub.setViewport(DESKTOP);
  await pub.goto(`${BASE}/rifas/${rifaId}`, { waitUntil: 'networkidle0' });
  await pub.waitForSelector('#ganadores li');
  await pub.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-gan').length >= 1);
  await pub.click('#verificar');
  await waitText(pub, '#verificacion', /coincide/);
  assert.doesNotMatch(await text(pub, '#verificacion'), /no coincide/);
  log('public verify: coincide');
  // The prize as an amount, the price, the draw's hour from the lottery's calendar.
  assert.match(await text(pub, '#fondo'), /\$ \d{1,3}(\.\d{3})*/);
  const fundExpected = Math.floor((vdoc.commitment.precio_cents * vdoc.vendidos.length * (10000 - vdoc.commitment.rake_bp)) / 10000) + (vdoc.fondo_recibido || 0);
  assert.ok((await text(pub, '#fondo')).startsWith(await copOf(fundExpected)), `fund ${await text(pub, '#fondo')} vs ${fundExpected}`);
  assert.match(await text(pub, '#precio'), /^\$ \d/);
  const rifaDoc = (await api('GET', `/rifas/${rifaId}`)).body;
  const sorteos = (await api('GET', `/loterias/${rifaDoc.loteria_id}/sorteos?desde=${rifaDoc.fecha_sorteo}&hasta=${rifaDoc.fecha_sorteo}`)).body;
  if (sorteos.items?.length) {
    const hourShown = await pub.evaluate(async (iso) => (await import('/web/common/format.js')).fecha(iso), sorteos.items[0].instante);
    assert.ok((await text(pub, '#decide')).includes(hourShown), `${await text(pub, '#decide')} lacks ${hourShown}`);
  }
  log('public page: fund', await text(pub, '#fondo'), '; decide', await text(pub, '#decide'));
  // verify.js hashes the commitment's text as served: a rule written 1.0 (as the server stores
  // and hashes it) still matches, where re-serialising the parsed object would say 1.
  {
    const { createHash } = await import('node:crypto');
    const commitmentText = '{"reglas":{"factor":1.0,"tiers":[]},"total_boletas":100,"version":1}';
    const served = `{"commitment":${commitmentText},"commitment_hash":"${createHash('sha256').update(commitmentText).digest('hex')}","rifa_id":"x"}`;
    const r = await pub.evaluate(async (t) => {
      const v = await import('/web/common/verify.js');
      const doc = JSON.parse(t);
      return { verbatim: (await v.verifyCommitment(doc, t)).ok, reserialised: (await v.verifyCommitment(doc)).ok };
    }, served);
    assert.deepEqual(r, { verbatim: true, reserialised: false });
    log('verify.js: 1.0 in the served commitment verifies (re-serialised it would not)');
  }
  await capture(pub, '11-publica');
  await pub.setRequestInterception(true);
  pub.on('request', async (req) => {
    if (!req.url().endsWith('/verificacion')) { req.continue(); return; }
    const res = await fetch(req.url());
    const doc = await res.json();
    doc.commitment.total_boletas += 1;  // what a changed rule would look like
    req.respond({ status: 200, contentType: 'application/json', body: JSON.stringify(doc) });
  });
  await pub.click('#verificar');
  await waitText(pub, '#verificacion', /no coincide/);
  log('public verify on a tampered document: no coincide');
  await capture(pub, '12-publica-alterada');

  // 9b. live.js against a stand-in WebSocket, for what the real host does not do on cue: a private
  // frame (no seq) leaves no gap; a gap in the public seq resumes at once from the last seq
  // (?resume=), staying live; a socket that closes falls back to polling.
  const lpage = await browser.createBrowserContext().then((c) => c.newPage());
  watch(lpage);
  await lpage.evaluateOnNewDocument(() => {
    window.__sockets = [];
    window.WebSocket = class {
      constructor(url) { this.url = url; window.__sockets.push(this); setTimeout(() => this.onopen?.({}), 0); }
      send() {}
      close() { if (this.closed) return; this.closed = true; setTimeout(() => this.onclose?.({ code: 1000 }), 0); }
      push(msg) { this.onmessage?.({ data: JSON.stringify(msg) }); }
    };
  });
  await lpage.setViewport(DESKTOP);
  await lpage.goto(`${BASE}/rifas/${rifaId}`, { waitUntil: 'networkidle0' });
  await lpage.waitForFunction((id) => window.__sockets.some((w) => w.url.endsWith(`/api/v1/rifas/${id}/live`)), {}, rifaId);
  const push = (msg) => lpage.evaluate((m) => window.__sockets[0].push(m), msg);
  const count = (cls) => lpage.$$eval(`#tablero .cell.${cls}`, (c) => c.length);
  await push({ type: 'snapshot', seq: 10, rifa_id: rifaId, estado: 'activa', total: 100, vendidos: 5, reservados: 2, disponibles: 93,
    vendido: [[0, 4]], reservado: [[10, 11]], ganadores: [] });
  await waitText(lpage, '#fuente', /En vivo/);
  await lpage.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 5);
  assert.equal(await count('c-res'), 2);
  await push({ type: 'tickets', seq: 11, estado: 'vendido', numeros: [10, 20, 21] });
  await lpage.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 8);
  assert.equal(await count('c-res'), 1);
  await push({ type: 'rifa', seq: 12, estado: 'cerrada' });
  await waitText(lpage, '#estado', /Cerrada/);
  await push({ type: 'ganadores', seq: 13, numeros: [20] });
  await lpage.waitForFunction(() => document.querySelector('#tablero .cell.c-gan')?.dataset.n === '20');
  log('live feed: snapshot and deltas shown');
  await push({ type: 'mine', id: '13.1', estado: 'vendido', numeros: [40] });  // private: no seq, no gap
  await push({ type: 'tickets', seq: 14, estado: 'vendido', numeros: [41] });
  await lpage.waitForFunction(() => document.querySelector('#tablero .cell[data-n="41"]')?.classList.contains('c-vend'));
  assert.equal(await lpage.evaluate(() => window.__sockets.length), 1, 'a private frame closed the socket');
  assert.equal(await count('c-vend'), 8, 'the private frame changed the public grid');
  await push({ type: 'tickets', seq: 20, estado: 'vendido', numeros: [30] });  // frames 15..19 lost
  await lpage.waitForFunction(() => window.__sockets.length === 2, { timeout: 5000 });
  assert.match(await lpage.evaluate(() => window.__sockets[1].url), new RegExp(`/api/v1/rifas/${rifaId}/live\\?resume=14$`));
  assert.equal(await lpage.evaluate(() => window.__sockets[0].closed), true);
  assert.equal(await lpage.$eval('#tablero .cell[data-n="30"]', (c) => c.classList.contains('c-vend')), false, 'a frame after a gap was applied');
  await waitText(lpage, '#fuente', /En vivo/);
  // The host replays 15..20 on the new socket (an old one is skipped).
  const push2 = (msg) => lpage.evaluate((m) => window.__sockets[1].push(m), msg);
  await push2({ type: 'tickets', seq: 14, estado: 'vendido', numeros: [41] });
  for (let q = 15; q <= 20; q++) await push2({ type: 'tickets', seq: q, estado: 'vendido', numeros: [q + 15] });
  await lpage.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 14);
  assert.equal(await text(lpage, '#fuente'), 'En vivo.');
  log('live feed: a gap resumed from the last seq, still live');
  await lpage.evaluate(() => window.__sockets[1].close());  // the host went away
  await waitText(lpage, '#fuente', /cada pocos segundos/);
  await lpage.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length + document.querySelectorAll('#tablero .cell.c-gan').length === 100,
    { timeout: 15000 });
  log('live feed: a closed socket falls back to polling');

  // 9c. A grid of 10,000 numbers: rendered (time printed), and still live and usable.
  const big = await apiRifa(adminToken, `Rifa de diez mil ${process.env.BACKEND || ''}`, 10000);
  const renderStart = Date.now();
  await page.goto(`${BASE}/admin/#/rifas/${big.id}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#tablero .cell[data-n="9999"]', { timeout: 60000 });
  const renderMs = Date.now() - renderStart;
  await recordSource(page);
  await waitText(page, '#fuente', /en vivo/i, 15000);
  const buyBig = await api('POST', `/rifas/${big.id}/tickets`, { quantity: 5, payment_method: 'card', idempotency_key: 'big-1' }, players[1].token);
  assert.ok([200, 201].includes(buyBig.status), JSON.stringify(buyBig.body));
  const updStart = Date.now();
  await page.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 5, { timeout: 15000, polling: 100 });
  const updateMs = Date.now() - updStart;
  await assertLiveOnly(page, 'on the 10,000-number grid');
  assert.equal(await page.$eval('#tablero .grid', (g) => g.getAttribute('tabindex')), '0', 'the dense grid is not keyboard-scrollable');
  await page.focus('#tablero .grid');
  await page.keyboard.press('PageDown');
  const navStart = Date.now();
  await page.click('#nav a[href="#/rifas"]');
  await page.waitForSelector('#nueva-rifa');
  log(`10,000-number grid: rendered in ${renderMs} ms, a sale shown in ${updateMs} ms, left for the list in ${Date.now() - navStart} ms`);
  await page.goto(`${BASE}/admin/#/rifas/${big.id}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#tablero .cell[data-n="9999"]', { timeout: 60000 });
  await capture(page, '16-rifa-diez-mil');

  // 10. An operador: the rifas, closing and payouts, not the admin-only screens.
  const op = await player(5);
  const promoted = await api('PATCH', `/users/${claimsOf(op.token).user_id}`, { rol: 'operador' }, adminToken);
  assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
  const opPage = await browser.createBrowserContext().then((c) => c.newPage());
  watch(opPage);
  await opPage.setViewport(DESKTOP);
  await opPage.goto(`${BASE}/admin/`, { waitUntil: 'networkidle0' });
  await opPage.type('#f-email', op.email);
  await opPage.type('#f-password', op.password);
  await opPage.click('#entrar');
  await opPage.waitForSelector('#nueva-rifa');
  const navShown = await opPage.$$eval('#nav li:not(.hidden) a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(navShown, ['#/rifas'], `an operador sees ${navShown}`);
  await capture(opPage, '17-operador-rifas');
  await opPage.goto(`${BASE}/admin/#/rifas/${big.id}`, { waitUntil: 'networkidle0' });
  await opPage.waitForSelector('#cerrar');
  assert.doesNotMatch(await text(opPage, '#verificacion'), /null/);
  await clickAndConfirm(opPage, '#cerrar');
  await opPage.click('#confirm-yes');
  await waitText(opPage, '#estado-rifa', /Cerrada|Resuelta/);
  assert.ok(['cerrada', 'resuelta'].includes((await api('GET', `/rifas/${big.id}`)).body.estado));
  log('operador closed a rifa');
  await opPage.goto(`${BASE}/admin/#/trabajos`, { waitUntil: 'networkidle0' });
  await waitText(opPage, '#sin-permiso', /solo para administradores/);
  assert.equal(await opPage.$('#nav:not(.hidden)') !== null, true, 'the operador lost the navigation');
  await capture(opPage, '18-operador-sin-permiso');

  // 11. A jugador: the API refuses the admin reads, and the console says so.
  const jug = players[0];
  const refused = await api('GET', '/admin/jobs', null, jug.token);
  assert.equal(refused.status, 403);
  const jpage = await browser.createBrowserContext().then((c) => c.newPage());
  watch(jpage);
  await jpage.setViewport(DESKTOP);
  await jpage.goto(`${BASE}/admin/`, { waitUntil: 'networkidle0' });
  await jpage.type('#f-email', jug.email);
  await jpage.type('#f-password', jug.password);
  await jpage.click('#entrar');
  await waitText(jpage, '#sin-permiso', /no tiene permiso/);
  assert.equal(await jpage.$('#nav:not(.hidden)'), null, 'the navigation is shown to a jugador');
  log('jugador refused');
  await capture(jpage, '13-sin-permiso');

  assert.deepEqual(cspViolations, [], `CSP violations or page errors: ${cspViolations.join('\n')}`);
} catch (e) {
  failed = true;
  console.error('FAILED:', e && e.stack ? e.stack : e);
  try {
    for (const p of await browser.pages()) {
      const file = path.join(SHOTS, `failure-${shots.length}-${Math.random().toString(36).slice(2, 6)}.png`);
      if (p.url() === 'about:blank') continue;
      await p.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error('failure screenshot:', file, 'at', p.url());
    }
  } catch { /* nothing more to show */ }
} finally {
  log('closing the browser');
  await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10000))]);
  browser.process()?.kill('SIGKILL');
}
log(`${shots.length} screenshots:`);
for (const s of shots) console.log(`  ${s}`);
process.exit(failed ? 1 : 0);
