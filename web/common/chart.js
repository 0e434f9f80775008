// A bar chart drawn as SVG (no library): one bar per {label, value}, the values printed.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function barChart(items, { title, format = String, height = 180 } = {}) {
  const barW = 44;
  const gap = 12;
  const top = 22;
  const bottom = 34;
  const width = Math.max(240, items.length * (barW + gap) + gap);
  const max = Math.max(1, ...items.map((d) => d.value));
  // Drawn at its own size (1 unit = 1 px), shrunk to fit a narrow screen, never blown up.
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  const plot = height - top - bottom;
  svg.append(el('line', { x1: 0, y1: height - bottom, x2: width, y2: height - bottom, class: 'chart-axis' }));
  items.forEach((d, i) => {
    const x = gap + i * (barW + gap);
    const hgt = Math.round((d.value / max) * plot);
    const y = height - bottom - hgt;
    svg.append(el('rect', { x, y, width: barW, height: Math.max(hgt, 1), class: 'chart-bar' }));
    svg.append(el('text', { x: x + barW / 2, y: y - 6, 'text-anchor': 'middle', class: 'chart-value' }, format(d.value)));
    svg.append(el('text', { x: x + barW / 2, y: height - bottom + 16, 'text-anchor': 'middle', class: 'chart-label' }, d.label));
  });
  if (!items.length) svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'chart-label' }, 'Sin datos'));
  return svg;
}
