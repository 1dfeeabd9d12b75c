// api: the one place the pages talk to the JSON API. Every call sends the
// page's language (so validation messages come back in it) and, where
// given, a Bearer token — never cookies.

import { current } from './i18n.js';

// ApiError is a failed call: status is the HTTP status (0 when the network
// failed), name the server's stable error name, fields the per-field errors
// of a 400.
export class ApiError extends Error {
  constructor(status, name, message, fields) {
    super(message || name || `HTTP ${status}`);
    this.status = status;
    this.name = name || '';
    this.fields = fields || [];
  }
}

// parseError reads the API's one error shape, {"errors":[{field, code,
// message}]}: field errors carry their JSON path; an error about the whole
// request has field "" and its stable name (Task.AlreadyClaimed, …) as code.
function parseError(status, body) {
  const list = body && Array.isArray(body.errors) ? body.errors.filter((e) => e && typeof e === 'object') : [];
  const general = list.find((e) => !e.field) || list[0] || {};
  const fields = list.map((e) => ({ field: String(e.field || ''), code: String(e.code || ''), message: String(e.message || '') }));
  return new ApiError(status, String(general.code || ''), String(general.message || ''), fields);
}

// request calls the API and returns the decoded JSON body of a 2xx answer,
// or throws ApiError.
export async function request(method, path, { body, token, idempotencyKey, signal } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': current() === 'en' ? 'en' : 'zh-CN' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Network', '');
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw parseError(res.status, data);
  return data;
}
