// The numbers grid: one cell per number 0..total-1, coloured disponible / reservado / vendido /
// ganador, updated in place from a live.js state (only the cells whose estado changed are touched).
import { h, integer } from './format.js';

const LABELS = { disp: 'disponible', res: 'reservado', vend: 'vendido', gan: 'ganador' };

export function createGrid(container) {
  let cells = [];
  let total = 0;
  const summary = h('p', { class: 'grid-summary', 'aria-live': 'polite' });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Convenciones del tablero' },
    ...Object.entries(LABELS).map(([k, v]) => h('li', {}, h('span', { class: `swatch c-${k}`, 'aria-hidden': 'true' }), v)));
  const board = h('div', { class: 'grid', role: 'img' });
  container.replaceChildren(summary, legend, board);

  function build(n) {
    total = n;
    const width = String(Math.max(0, n - 1)).length;
    board.classList.toggle('grid-dense', n > 1000);
    // A dense grid scrolls: focusable, so a keyboard can scroll it.
    if (n > 1000) board.setAttribute('tabindex', '0'); else board.removeAttribute('tabindex');
    cells = [];
    const frag = document.createDocumentFragment();
    for (let i = 0; i < n; i++) {
      const c = h('span', { class: 'cell c-disp', 'data-n': String(i), 'data-estado': 'disp' }, String(i).padStart(width, '0'));
      cells.push(c);
      frag.append(c);
    }
    board.replaceChildren(frag);
  }

  return {
    update(state) {
      if (state.total !== total) build(state.total);
      for (let i = 0; i < total; i++) {
        const k = state.ganadores.has(i) ? 'gan' : state.vendido.has(i) ? 'vend' : state.reservado.has(i) ? 'res' : 'disp';
        const c = cells[i];
        if (c.dataset.estado !== k) { c.dataset.estado = k; c.className = `cell c-${k}`; }
      }
      const text = `${integer(state.vendidos)} vendidos, ${integer(state.reservados)} reservados, ` +
        `${integer(state.disponibles)} disponibles de ${integer(state.total)}` +
        (state.ganadores.size ? `; ganadores: ${[...state.ganadores].join(', ')}` : '');
      summary.textContent = text;
      board.setAttribute('aria-label', `Tablero de números: ${text}`);
      board.dataset.vendidos = String(state.vendidos);
    },
  };
}
