// Recomputes a rifa's commitment hash in the browser (Web Crypto), as docs/VERIFYING.md says:
// SHA-256 of the commitment as compact JSON with object keys sorted, compared to commitment_hash.
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

// { ok: boolean, computed, published } or throws when there is nothing to check yet.
export async function verifyCommitment(doc) {
  if (!doc || !doc.commitment || !doc.commitment_hash) throw new Error('la rifa aún no tiene compromiso publicado');
  if (!globalThis.crypto || !crypto.subtle) throw new Error('este navegador no ofrece Web Crypto aquí (use HTTPS)');
  const computed = await sha256Hex(canonicalJson(doc.commitment));
  return { ok: computed === doc.commitment_hash, computed, published: doc.commitment_hash };
}
