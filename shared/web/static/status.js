// status: the live status of one application. The access token is kept in
// sessionStorage only (never in a cookie; in a URL only as the fragment of
// the status link sent to the applicant, which the portal moves here and
// takes out of the address bar), the API is
// polled every 1.5 s until the application is COMPLETED or REJECTED, and
// each of the seven tracks shows its progress and its results as they
// arrive. The page prints as a summary of the results.

import * as i18n from './i18n.js';
import { ApiError, request } from './api.js';
import { dateTime, el, label, timeLeft } from './format.js';
import * as rating from './rating.js';
import { renderCorrection } from './correct.js';

const $ = (id) => document.getElementById(id);
const pollEvery = 1500;
const tokenKey = (id) => `kaiban.access.${id}`;

// The seven tracks in the order they are shown, as the API names them.
export const trackNames = ['license', 'seal', 'tax', 'socialInsurance', 'medicalInsurance', 'housingFund', 'bank'];

// progress is how far along a track is, for its bar.
const progress = { PENDING: 0, RUNNING: 50, RETRYING: 50, WAITING_CLERK: 60, SUCCEEDED: 100, FAILED: 100, COMPENSATED: 100 };
const done = new Set(['SUCCEEDED', 'FAILED', 'COMPENSATED']);

let state = { id: '', timer: 0, ticker: 0, app: null, seen: new Map(), stopped: true };

export function remember(id, token) {
  try {
    sessionStorage.setItem(tokenKey(id), token);
  } catch {
    // Without storage the token cannot survive navigation; the page asks for it.
  }
}

function token(id) {
  try {
    return sessionStorage.getItem(tokenKey(id));
  } catch {
    return null;
  }
}

function announce(text) {
  const live = $('live');
  live.textContent = text;
}

// open shows application id and starts polling it.
export function open(id) {
  close();
  state = { id, timer: 0, ticker: 0, app: null, seen: new Map(), stopped: false };
  $('status-error').hidden = true;
  $('st-tracks').replaceChildren();
  $('st-document-list').replaceChildren();
  $('st-documents').hidden = true;
  if (!token(id)) {
    askToken();
    return;
  }
  $('status-token').hidden = true;
  poll();
}

// close stops polling (when leaving the status view).
export function close() {
  state.stopped = true;
  clearTimeout(state.timer);
  clearInterval(state.ticker);
}

function askToken() {
  $('status-body').hidden = true;
  $('status-token').hidden = false;
}

async function poll() {
  if (state.stopped) return;
  const id = state.id;
  try {
    const app = await request('GET', `/v1/applications/${encodeURIComponent(id)}`, { token: token(id) });
    if (state.stopped || id !== state.id) return;
    $('status-error').hidden = true;
    render(app);
    if (app.status === 'COMPLETED' || app.status === 'REJECTED') {
      clearInterval(state.ticker);
      tick();
      return;
    }
  } catch (err) {
    if (state.stopped) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
      try {
        sessionStorage.removeItem(tokenKey(id));
      } catch {
        // Nothing stored to remove.
      }
      showError(i18n.t('status.notFound'));
      askToken();
      return;
    }
    showError(i18n.t('status.retrying'));
  }
  state.timer = setTimeout(poll, pollEvery);
}

function showError(text) {
  $('status-error').textContent = text;
  $('status-error').hidden = false;
}

function tick() {
  const app = state.app;
  if (!app) return;
  const terminal = app.status === 'COMPLETED' || app.status === 'REJECTED';
  const waiting = !terminal && awaitingFounders(app);
  $('st-countdown').textContent = terminal ? '' : waiting ? i18n.t('status.clockAtAcceptance') : timeLeft(app.deadline);
  if (app.pausedSince) {
    $('st-countdown').textContent = i18n.t('status.paused', { t: dateTime(app.pausedSince) });
    return;
  }
  $('st-countdown').classList.toggle('overdue', !terminal && !waiting && Date.parse(app.deadline) < Date.now());
}

// awaitingFounders: the half-day clock starts at acceptance (the last
// signature); until then the deadline is only the latest it can be.
function awaitingFounders(app) {
  return !app.acceptedAt && (app.confirmations || []).length > 0;
}

function statusText(kind, s) {
  return label(`${kind}.${s}`, s || '');
}

// companyName comes from the form when the answer carries it, else from
// the licence once it is issued.
function companyName(app) {
  const lic = (app.tracks || []).find((tr) => tr.name === 'license')?.result;
  return app.form?.company?.name || app.companyName || (lic && lic.companyName) || '';
}

function render(app) {
  const first = !state.app;
  const prevStatus = state.app?.status;
  state.app = app;
  $('status-body').hidden = false;
  $('st-id').textContent = app.id;
  $('st-company').textContent = companyName(app);
  $('st-company').hidden = !companyName(app);
  $('st-company').previousElementSibling.hidden = !companyName(app);
  const badge = $('st-status');
  badge.textContent = statusText('appStatus', app.status);
  badge.className = `badge app-${app.status}`;
  $('st-credit').textContent = app.creditCode || '—';
  $('st-submitted').textContent = dateTime(app.submittedAt);
  $('st-deadline').textContent = awaitingFounders(app) ? i18n.t('status.latestDeadline', { t: dateTime(app.deadline) }) : dateTime(app.deadline);
  $('st-completed').textContent = app.completedAt ? dateTime(app.completedAt) : '—';
  $('st-accepted').textContent = app.acceptedAt ? dateTime(app.acceptedAt) : '—';
  renderConfirmations(app.confirmations || []);
  renderCorrection(app, token(app.id), announce);
  $('st-message').hidden = !app.message;
  $('st-message').classList.toggle('done', app.status === 'COMPLETED');
  $('st-message').textContent = app.message || '';
  // Assisted filing: "filed for you by clerk X at the counter".
  $('st-filedby').hidden = !app.filedBy;
  $('st-filedby').textContent = app.filedBy ? app.filedBy.text : '';
  const tracks = orderTracks(app.tracks || []);
  const finished = tracks.filter((tr) => tr.status === 'SUCCEEDED').length;
  const bar = $('st-overall-bar');
  bar.setAttribute('aria-valuenow', String(finished));
  bar.setAttribute('aria-valuetext', i18n.t('status.overallProgress', { n: finished, total: trackNames.length }));
  bar.querySelector('.fill').style.width = `${(finished / trackNames.length) * 100}%`;
  $('st-overall-label').textContent = i18n.t('status.overallProgress', { n: finished, total: trackNames.length });
  $('st-printed').textContent = i18n.t('status.printedAt', { t: dateTime(new Date().toISOString()) });
  const list = $('st-tracks');
  for (const tr of tracks) {
    let li = list.querySelector(`[data-track="${CSS.escape(tr.name)}"]`);
    if (!li) {
      li = trackItem(tr.name);
      list.append(li);
    }
    updateTrack(li, tr);
    const before = state.seen.get(tr.name);
    if (!first && before !== tr.status) announce(`${trackLabel(tr.name)}：${statusText('trackStatus', tr.status)}`);
    state.seen.set(tr.name, tr.status);
  }
  renderPermits(app.permits);
  rating.render(app, token(state.id), () => poll());
  // The documents come as the tracks succeed: ask again when one has.
  const docsKey = `${app.status}/${finished}`;
  if (docsKey !== state.docsKey) {
    state.docsKey = docsKey;
    loadDocuments(app.id);
  }
  if (!first && prevStatus !== app.status) announce(statusText('appStatus', app.status));
  document.body.dataset.appStatus = app.status;
  if (!state.ticker && !(app.status === 'COMPLETED' || app.status === 'REJECTED')) state.ticker = setInterval(tick, 1000);
  tick();
}

// renderPermits lists the permits the business scope needs after
// registration, each with the authority that grants it (in the language
// the status was asked in).
function renderPermits(permits) {
  const list = Array.isArray(permits) ? permits : [];
  $('st-permits').hidden = list.length === 0;
  $('st-permit-list').replaceChildren(
    ...list.map((p) =>
      el('li', {}, i18n.t('status.permitItem', { permit: String(p.permit ?? ''), authority: String(p.authority ?? ''), items: (Array.isArray(p.items) ? p.items : []).map(String).join(i18n.current() === 'en' ? '; ' : '；') })),
    ),
  );
}

// loadDocuments lists the application's documents, each with its
// short-lived download link, as they become ready.
async function loadDocuments(id) {
  try {
    const out = await request('GET', `/v1/applications/${encodeURIComponent(id)}/documents`, { token: token(id) });
    if (id !== state.id) return;
    renderDocuments(Array.isArray(out?.documents) ? out.documents : []);
  } catch {
    // Documents off, or not reachable now: the next change asks again.
  }
}

function renderDocuments(docs) {
  $('st-documents').hidden = docs.length === 0;
  $('st-document-list').replaceChildren(...docs.map((d) => el('li', { 'data-kind': String(d.kind ?? '') },
    String(d.title ?? d.kind ?? ''),
    d.revoked ? ` (${i18n.t('status.documentRevoked')})` : '',
    ' ',
    el('a', { class: 'button link no-print', href: safeHref(d.url), download: '', 'data-document': String(d.id ?? '') }, i18n.t('status.download')))));
}

// safeHref lets through the API's links only: a path of this origin or
// an https URL (S3's pre-signed links).
function safeHref(u) {
  const s = String(u ?? '');
  return (s.startsWith('/') && !s.startsWith('//')) || s.startsWith('https://') ? s : '#';
}

// downloadAll fetches the zip with the access token (a link cannot carry
// it) and saves it.
async function downloadAll() {
  const id = state.id;
  try {
    const res = await fetch(`/v1/applications/${encodeURIComponent(id)}/documents.zip`, {
      headers: { Authorization: `Bearer ${token(id)}` }, credentials: 'omit', cache: 'no-store',
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const url = URL.createObjectURL(await res.blob());
    const a = el('a', { href: url, download: `${id}-documents.zip` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch {
    showError(i18n.t('status.downloadFailed'));
  }
}

// renderConfirmations lists each founder (first role, masked name) and
// where their confirmation stands, with a decline's reason.
function renderConfirmations(cs) {
  $('st-confirmations-box').hidden = cs.length === 0;
  $('st-confirmations').replaceChildren(...cs.map((c) => el('li', { 'data-state': c.state },
    `${c.roleLabel} ${c.name}：${i18n.t(`confirm.state.${c.state}`)}`,
    c.reason ? ` — ${c.reason}` : '')));
}

function orderTracks(tracks) {
  const rank = (n) => {
    const i = trackNames.indexOf(n);
    return i < 0 ? trackNames.length : i;
  };
  return [...tracks].sort((a, b) => rank(a.name) - rank(b.name));
}

function trackLabel(name) {
  return label(`track.${name}`, name);
}

function trackItem(name) {
  const headingId = `track-${name}-name`;
  return el(
    'li',
    { class: 'track card', 'data-track': name, 'aria-labelledby': headingId },
    el('div', { class: 'track-head' }, el('h2', { id: headingId, class: 'track-name' }), el('span', { class: 'badge' })),
    el('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': headingId, 'aria-valuemin': '0', 'aria-valuemax': '100' }, el('span', { class: 'fill' })),
    el('p', { class: 'track-meta' }),
    el('p', { class: 'track-message', hidden: true }),
    el('div', { class: 'track-result' }),
  );
}

function updateTrack(li, tr) {
  li.dataset.status = tr.status;
  li.querySelector('.track-name').textContent = trackLabel(tr.name);
  const badge = li.querySelector('.badge');
  badge.textContent = statusText('trackStatus', tr.status);
  badge.className = `badge track-${tr.status}`;
  const pct = progress[tr.status] ?? 0;
  const bar = li.querySelector('.bar');
  bar.setAttribute('aria-valuenow', String(pct));
  bar.setAttribute('aria-valuetext', statusText('trackStatus', tr.status));
  bar.querySelector('.fill').style.width = `${pct}%`;
  const meta = [i18n.t('status.attempts', { n: tr.attempts || 0 })];
  if (tr.startedAt) meta.push(i18n.t('status.startedAt', { t: dateTime(tr.startedAt) }));
  if (tr.finishedAt && done.has(tr.status)) meta.push(i18n.t('status.finishedAt', { t: dateTime(tr.finishedAt) }));
  li.querySelector('.track-meta').textContent = meta.join(' · ');
  const msg = li.querySelector('.track-message');
  msg.hidden = !tr.message;
  msg.textContent = tr.message || '';
  const box = li.querySelector('.track-result');
  const json = tr.result === undefined || tr.result === null ? '' : JSON.stringify(tr.result);
  if (box.dataset.json !== json) {
    box.dataset.json = json;
    box.replaceChildren();
    if (json) box.append(renderValue(tr.result));
  }
}

// resultOrder puts the numbers people look for first (the licence number
// before the time it was issued); keys not listed keep their order after.
const resultOrder = [
  'licenseNumber', 'creditCode', 'companyName', 'taxpayerId', 'taxOffice', 'taxpayerType', 'accountNumber',
  'reference', 'bankCode', 'branchCode', 'date', 'slot', 'type', 'filingCode', 'seals', 'carvingShop', 'kind',
  'monthlyQuantity', 'maxAmount', 'invoices', 'startDate', 'eLicenseUrl', 'issuedAt', 'filedAt', 'registeredAt', 'bookedAt',
];

function rank(key) {
  const i = resultOrder.indexOf(key);
  return i < 0 ? resultOrder.length : i;
}

// renderValue shows a track's result, whatever its shape, as nested
// definition lists with translated labels for the keys the table knows.
function renderValue(v) {
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return document.createTextNode(v.map(scalar).join('、'));
    return el('ul', { class: 'result-list' }, ...v.map((x) => el('li', {}, renderValue(x))));
  }
  if (v && typeof v === 'object') {
    const dl = el('dl', { class: 'kv result' });
    // A result a clerk entered by hand arrives as {completedByClerk, data}:
    // show the data's fields in place, not one level down.
    const { data, ...rest } = v;
    const flat = data && typeof data === 'object' && !Array.isArray(data) ? { ...rest, ...data } : v;
    for (const [k, x] of Object.entries(flat).sort((a, b) => rank(a[0]) - rank(b[0]))) {
      if (x === null || x === undefined || x === '') continue;
      const shown = k === 'bankCode' ? document.createTextNode(label(`opt.bank.${x}`, String(x))) : renderValue(x);
      dl.append(el('dt', {}, label(`result.${k}`, k)), el('dd', { class: typeof x === 'string' && /^[0-9A-Z]{10,}$/.test(x) ? 'mono' : '' }, shown));
    }
    return dl;
  }
  return document.createTextNode(scalar(v));
}

function scalar(x) {
  if (typeof x === 'boolean') return i18n.t(x ? 'common.yes' : 'common.no');
  if (typeof x === 'string' && /^\d{4}-\d\d-\d\dT/.test(x)) return dateTime(x);
  if (typeof x === 'string' && i18n.has(`value.${x}`)) return i18n.t(`value.${x}`);
  return String(x ?? '');
}

// relabel re-renders script-built text after a language switch.
export function relabel() {
  if (!state.app) return;
  for (const li of $('st-tracks').querySelectorAll('.track-result')) li.dataset.json = '';
  const app = state.app;
  state.app = null;
  render(app);
}

// init wires the print button and the token form.
export function init() {
  $('st-print').addEventListener('click', () => window.print());
  rating.init();
  $('st-download-all').addEventListener('click', downloadAll);
  $('status-token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = $('status-token-input').value.trim();
    if (!v) return;
    remember(state.id, v);
    $('status-token-input').value = '';
    open(state.id);
  });
}
