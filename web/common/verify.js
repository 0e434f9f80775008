// Recomputes a rifa's commitment hash in the browser (Web Crypto), as docs/VERIFYING.md says:
// SHA-256 of the commitment's canonical text, compared to commitment_hash; and, once the seed of a
// random assignment is shown, SHA-256 of the seed compared to commitment.seed_sha256.
//
// The server hashed its own canonical text (nlohmann::json::dump(): compact, keys in byte order,
// numbers as it stored them, so a rule written 1.0 stays "1.0") and serves /verificacion with the
// same dump, so the commitment's text inside the document is, byte for byte, what it hashed. That
// text is hashed here verbatim; re-serialising the parsed object would turn 1.0 into 1 and report
// a false "no coincide". Only a document with no such text (not from the API) is re-serialised.
import { API } from './api.js';

export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The end (exclusive) of the JSON value starting at text[i] (no whitespace inside: a compact dump).
function valueEnd(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      if (depth === 0) return j + 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) return j + 1;
      if (depth < 0) return j;
    } else if (depth === 0 && c === ',') {
      return j;
    }
  }
  return -1;
}

// The text of a top-level member of a JSON object as it was sent ('' when not found).
export function memberText(text, key) {
  if (typeof text !== 'string') return '';
  let depth = 0;
  const needle = `${JSON.stringify(key)}:`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      if (depth === 1 && text.startsWith(needle, i)) {
        const start = i + needle.length;
        const end = valueEnd(text, start);
        return end > start ? text.slice(start, end) : '';
      }
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    }
  }
  return '';
}

// GET /rifas/{id}/verificacion: the document and the text it came in.
export async function fetchVerification(rifaId) {
  const res = await fetch(`${API}/rifas/${encodeURIComponent(rifaId)}/verificacion`, { credentials: 'omit', cache: 'no-store' });
  const text = await res.text();
  if (!res.ok) throw new Error(`la API respondió ${res.status}`);
  return { doc: JSON.parse(text), text };
}

// { ok, computed, published, seed: null | { ok, computed, published } } or throws when there is
// nothing to check yet. `text`: the document as served (see above).
export async function verifyCommitment(doc, text) {
  if (!doc || !doc.commitment || !doc.commitment_hash) throw new Error('la rifa aún no tiene compromiso publicado');
  if (!globalThis.crypto || !crypto.subtle) throw new Error('este navegador no ofrece Web Crypto aquí (use HTTPS)');
  const served = memberText(text, 'commitment');
  const computed = await sha256Hex(served || canonicalJson(doc.commitment));
  let seed = null;
  if (doc.assignment_seed && doc.commitment.seed_sha256) {
    const s = await sha256Hex(doc.assignment_seed);
    seed = { ok: s === doc.commitment.seed_sha256, computed: s, published: doc.commitment.seed_sha256 };
  }
  return { ok: computed === doc.commitment_hash, computed, published: doc.commitment_hash, seed };
}
