// es-CO formatting: money in COP from integer cents ("$ 12.500"), dates in America/Bogota.
export const ZONE = 'America/Bogota';

function group(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

export function cop(cents) {
  if (cents === null || cents === undefined || Number.isNaN(Number(cents))) return '—';
  const c = Math.round(Number(cents));
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(c);
  const pesos = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}$ ${group(pesos)}${rest ? ',' + String(rest).padStart(2, '0') : ''}`;
}

export function integer(n) { return n === null || n === undefined ? '—' : group(Math.trunc(Number(n))); }

const dateTime = new Intl.DateTimeFormat('es-CO', { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('es-CO', { timeZone: ZONE, dateStyle: 'long' });

export function fecha(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTime.format(d)} (hora de Bogotá)`;
}

// The same without the zone's name, for tables whose header names it once.
export function fechaCorta(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

// A civil date "2026-12-24" (a draw day), shown as a date with no time zone shift.
export function dia(isoDate) {
  if (!isoDate) return '—';
  const d = new Date(`${isoDate}T12:00:00-05:00`);
  return Number.isNaN(d.getTime()) ? isoDate : dateOnly.format(d);
}

// Chart axis labels: a civil date "2026-12-07" as "7 dic", an hour bucket as "7 dic 14 h".
const dayMonth = new Intl.DateTimeFormat('es-CO', { timeZone: ZONE, day: 'numeric', month: 'short' });
export function diaCorto(isoDate) {
  const d = new Date(`${isoDate}T12:00:00-05:00`);
  return Number.isNaN(d.getTime()) ? String(isoDate) : dayMonth.format(d).replace('.', '');
}
const hourOnly = new Intl.DateTimeFormat('es-CO', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' });
export function horaCorta(date) {
  return `${dayMonth.format(date).replace('.', '')} ${hourOnly.format(date)} h`;
}

// <input type="datetime-local"> value, read as Bogota time (UTC-5, no daylight saving), to ISO UTC.
export function bogotaLocalToIso(value) {
  if (!value) return '';
  const d = new Date(`${value.length === 16 ? value + ':00' : value}-05:00`);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// An ISO instant as a datetime-local value in Bogota time.
export function isoToBogotaLocal(date) {
  const shifted = new Date(date.getTime() - 5 * 3600 * 1000);
  return shifted.toISOString().slice(0, 16);
}

export const ESTADOS_RIFA = {
  pendiente: 'Pendiente', activa: 'Activa', cerrada: 'Cerrada', resuelta: 'Resuelta', cancelada: 'Cancelada',
};
export const ESTADOS_JOB = {
  queued: 'En cola', running: 'En curso', succeeded: 'Terminado', failed: 'Falló (reintentará)', dead: 'Muerto',
};
export const ESTADOS_PAGO = {
  pendiente: 'Pendiente', enviado: 'Enviado', fallido: 'Fallido', entregado: 'Entregado', no_pagable: 'No pagable',
  por_entregar: 'Por entregar',
};
// /health: the host's, the database's, the audit chain's and each plugin's status.
export const ESTADOS_SALUD = {
  up: 'En servicio', down: 'Caído', degraded: 'Degradado', warn: 'Con advertencias', ok: 'En servicio',
  unknown: 'Desconocido',
};

// Element helper: h('p', {class: 'x', text: 'hola'}, child, ...). No innerHTML anywhere.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
