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

  // 1. Log in as the admin.
  await page.goto(`${BASE}/admin/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-email');
  await capture(page, '01-login');
  await page.type('#f-email', 'nadie@example.com');
  await page.type('#f-password', 'mal');
  await page.click('#entrar');
  await waitText(page, '[role=alert]', /incorrectos/);
  await page.$eval('#f-email', (e) => { e.value = ''; });
  await page.$eval('#f-password', (e) => { e.value = ''; });
  await page.type('#f-email', env('ADMIN_EMAIL'));
  await page.type('#f-password', env('ADMIN_PASSWORD'));
  await page.click('#entrar');
  await page.waitForSelector('#nueva-rifa');
  log('admin logged in');
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

  // 4. Three players buy through the API while the page is open: the grid changes, no reload.
  await page.evaluate(() => { window.__sinRecargar = true; });
  await page.waitForSelector('#tablero .cell[data-n="99"]');
  assert.equal(await page.$$eval('#tablero .cell.c-vend', (c) => c.length), 0);
  const players = [await player(1), await player(2), await player(3)];
  const first = await api('POST', `/rifas/${rifaId}/tickets`, { quantity: 3, payment_method: 'card', idempotency_key: 'b-0' }, players[0].token);
  assert.ok([200, 201].includes(first.status), JSON.stringify(first.body));
  await page.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length === 3, { timeout: 15000, polling: 100 });
  log('grid shows the first 3 sold numbers without reload');
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
  log('grid shows 100 sold numbers, same document');
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
  await capture(page, '06-rifa-resuelta');

  // 6. Retry the dead job.
  await page.goto(`${BASE}/admin/#/trabajos?status=dead`, { waitUntil: 'networkidle0' });
  const deadRow = `tr[data-job="${env('DEAD_JOB_ID')}"]`;
  await page.waitForSelector(deadRow);
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
  await capture(page, '08-auditoria');

  // 8. Reports and plugins.
  await page.goto(`${BASE}/admin/#/reportes`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#h-ingresos');
  await capture(page, '09-reportes');
  await page.goto(`${BASE}/admin/#/plugins`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => /sandbox/.test(document.body.textContent) && /mock/.test(document.body.textContent));
  await capture(page, '10-plugins');

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

  // 9b. The live feed's path of live.js, with a stand-in WebSocket (the host's feed is another
  // piece): a snapshot and deltas drive the grid; a gap in seq closes it and polling takes over.
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
  await push({ type: 'tickets', seq: 20, estado: 'vendido', numeros: [30] });  // a gap: start over
  await waitText(lpage, '#fuente', /cada pocos segundos/);
  await lpage.waitForFunction(() => document.querySelectorAll('#tablero .cell.c-vend').length + document.querySelectorAll('#tablero .cell.c-gan').length === 100,
    { timeout: 15000 });
  log('live feed: a gap in seq falls back to polling');

  // 10. A jugador: the API refuses the admin reads, and the console says so.
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
