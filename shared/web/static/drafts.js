// drafts: the form is saved on the server as it is filled in (debounced),
// so the applicant can resume it on another device from the link sent to
// the legal representative's mobile. The draft's ID and token live in this
// tab's sessionStorage only; the resume link carries the token in its
// fragment (/drafts/<id>#token=…), which never reaches the server and is
// taken out of the address bar as soon as the page has read it.

import { ApiError, request } from './api.js';

const storageKey = 'kaiban.draft';
const saveAfter = 1500;

let timer = 0;
let lastText = '';
let saving = Promise.resolve();

function current() {
  try {
    const v = JSON.parse(sessionStorage.getItem(storageKey) || 'null');
    return v && v.id && v.token ? v : null;
  } catch {
    return null;
  }
}

function keep(draft) {
  try {
    if (draft) sessionStorage.setItem(storageKey, JSON.stringify({ id: draft.id, token: draft.token }));
    else sessionStorage.removeItem(storageKey);
  } catch {
    // Without storage the draft is saved but not resumed in this tab.
  }
}

// fromResumeLink takes a resume link's draft into this tab and turns the
// address into the portal's form route.
export function fromResumeLink() {
  const m = /^\/drafts\/([^/]+)$/.exec(location.pathname);
  if (!m) return;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) keep({ id: decodeURIComponent(m[1]), token });
  history.replaceState(null, '', '/#/');
}

// restore fills the form from this tab's draft, if it has one; it returns
// whether it did.
export async function restore(load) {
  const d = current();
  if (!d) return false;
  try {
    const res = await request('GET', `/v1/drafts/${encodeURIComponent(d.id)}`, { token: d.token });
    load(res.form);
    lastText = JSON.stringify(res.form);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) keep(null); // expired, or not ours
    return false;
  }
}

async function save(body) {
  const text = JSON.stringify(body);
  if (text === lastText) return;
  const d = current();
  try {
    if (d) {
      await request('PUT', `/v1/drafts/${encodeURIComponent(d.id)}`, { token: d.token, body });
    } else {
      keep(await request('POST', '/v1/drafts', { body }));
    }
    lastText = text;
  } catch (err) {
    // A draft that expired starts again with the next change.
    if (err instanceof ApiError && err.status === 404) keep(null);
  }
}

// saveSoon saves the form a moment after the last change.
export function saveSoon(serialize) {
  clearTimeout(timer);
  timer = setTimeout(() => {
    saving = saving.then(() => save(serialize()));
  }, saveAfter);
}

// forget drops this tab's draft once the form is submitted.
export function forget() {
  clearTimeout(timer);
  keep(null);
}
