// The API's answers in Spanish (es-CO). The API writes its problem+json in English for developers;
// a person reads these instead: the problem's type (its slug) gives the sentence, and a field
// error is said of the field by its name on the form, with the rule the API's detail names.
import { ApiError } from './api.js';

// problem+json `type` ends in one of these slugs (api/server/error_mapping.cpp).
const TIPOS = {
  validation: 'Revise los datos',
  'malformed-json': 'El cuerpo de la petición no es JSON válido',
  'bad-request': 'Petición mal formada',
  unauthenticated: 'La sesión no es válida o expiró. Inicie sesión de nuevo',
  forbidden: 'Su cuenta no tiene permiso para esta acción',
  'not-found': 'No existe',
  'method-not-allowed': 'Acción no permitida aquí',
  conflict: 'La acción no cabe en el estado actual',
  'payment-declined': 'El pago fue rechazado',
  'payload-too-large': 'Los datos enviados son demasiado grandes',
  'rate-limited': 'Demasiadas peticiones: espere un momento y vuelva a intentar',
  'not-published': 'La lotería aún no ha publicado el sorteo',
  internal: 'Error interno del servidor',
  unsupported: 'El plugin configurado no ofrece esta operación',
  unavailable: 'Servicio no disponible por ahora: vuelva a intentar',
  'upstream-timeout': 'Un servicio externo no respondió a tiempo',
  'withholding-unpaid': 'Falta pagar la retención en la fuente del premio',
  autoexcluido: 'La cuenta está autoexcluida',
  'limite-de-gasto': 'Se alcanzó el límite de gasto',
  'fecha-nacimiento-requerida': 'Falta la fecha de nacimiento',
};

const POR_ESTADO = {
  400: 'Petición mal formada', 401: TIPOS.unauthenticated, 403: TIPOS.forbidden, 404: TIPOS['not-found'],
  409: TIPOS.conflict, 413: TIPOS['payload-too-large'], 422: TIPOS.validation, 429: TIPOS['rate-limited'],
  503: TIPOS.unavailable,
};

// The names the forms give the API's fields.
export const CAMPOS = {
  nombre: 'el nombre', categoria_id: 'la categoría', loteria_id: 'la lotería', fecha_inicio: 'el inicio de ventas',
  fecha_fin: 'el fin de ventas', fecha_sorteo: 'el día del sorteo', total_boletas: 'la cantidad de números',
  assignment: 'la asignación', reglas: 'las reglas', estado: 'el estado', categoria: 'la categoría',
  desde: 'la fecha «desde»', hasta: 'la fecha «hasta»', page: 'la página', per_page: 'el tamaño de página',
  email: 'el correo', password: 'la contraseña', referencia: 'la referencia', rifa_id: 'la rifa',
};

function slug(type) { return String(type || '').split('/').filter(Boolean).pop() || ''; }

// The rule an English detail states, in Spanish ('' when it is not one of the common shapes).
function regla(detail) {
  const d = String(detail || '');
  let m;
  if ((m = d.match(/must be (?:an integer )?between (-?\d+) and (-?\d+)/))) return `Debe ser un número entre ${m[1]} y ${m[2]}.`;
  if ((m = d.match(/must be at most (\d+) characters/))) return `Admite como máximo ${m[1]} caracteres.`;
  if ((m = d.match(/must be at least (\d+) characters/))) return `Necesita al menos ${m[1]} caracteres.`;
  if ((m = d.match(/must (?:be after|not be before) (\w+)/))) return `Debe ser posterior a ${CAMPOS[m[1]] || m[1]}.`;
  if ((m = d.match(/must be one of (.+)$/))) return `Debe ser uno de: ${m[1]}.`;
  if (/must not be empty|is required|^required/.test(d)) return 'Es obligatorio.';
  if ((m = d.match(/takes (\d+) digits? but the (\d+) ticket numbers have (\d+)/))) {
    return `La regla toma ${m[1]} cifras, pero los números de una rifa de ${m[2]} tienen ${m[3]}: elija ${m[3]} cifras o cambie la cantidad de números.`;
  }
  if (/does not exist/.test(d)) return 'No existe: elija otro valor.';
  if (/has no draw/.test(d)) return 'La lotería no tiene sorteo entre el fin de ventas y el día elegido.';
  if (/must be a JSON object/.test(d)) return 'Debe ser un objeto JSON.';
  if (/must be a string/.test(d)) return 'Debe ser un texto.';
  if (/must be an integer/.test(d)) return 'Debe ser un número entero.';
  if (/must be true or false/.test(d)) return 'Debe ser sí o no.';
  if (/unknown field/.test(d)) return 'La API no conoce este campo.';
  if (/date|fecha|RFC 3339|ISO/i.test(d)) return 'La fecha no es válida.';
  return '';
}

// The sentence shown next to a field the API refused.
export function errorDeCampo(e) {
  const rule = regla(e.detail || e.message);
  return rule || `El valor de ${CAMPOS[(e.field || '').split(/[.[]/)[0]] || 'este campo'} no es válido.`;
}

// The sentence for any failure, in Spanish; the API's own detail (English) is left to the console.
export function problemaEs(e) {
  if (e instanceof ApiError) {
    const base = TIPOS[slug(e.type)] || POR_ESTADO[e.status] || 'La operación no se pudo completar';
    if (e.field) {
      const campo = CAMPOS[e.field.split(/[.[]/)[0]] || `«${e.field}»`;
      return `${base} (${e.status}): ${campo}. ${errorDeCampo(e)}`;
    }
    return `${base} (${e.status}).`;
  }
  return `No se pudo completar: ${e.message}`;
}
