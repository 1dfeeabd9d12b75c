// clerk: the clerk console. Sign in at the clerks' OpenID provider (oidc.js), work the queue
// sorted by time left to the applicants' deadline, open a task to see why
// it needs a person and the application behind it, then claim and resolve.

import * as i18n from './i18n.js';
import * as session from './session.js';
import * as detail from './clerk-detail.js';
import * as oidc from './oidc.js';
import * as assist from './clerk-assist.js';
import * as supervisor from './clerk-supervisor.js';
import { ApiError, request } from './api.js';
import { el, label, timeLeft } from './format.js';

const $ = (id) => document.getElementById(id);
const refreshEvery = 5000;

let tasks = [];
let refreshTimer = 0;
let tickTimer = 0;
let renewTimer = 0;
// signInCfg is the provider the API named (GET /v1/clerk-signin).
let signInCfg = null;
// The work in progress kept across a trip to the login page.
const draftKey = 'kaiban.clerk.draft';
// Renew the access token this long before it expires.
const renewAhead = 60 * 1000;

function announce(text) {
  $('live').textContent = text;
}

// explain turns an API failure into what a clerk should read.
export function explain(err) {
  if (!(err instanceof ApiError)) return i18n.t('clerk.err.network');
  switch (err.status) {
    case 0:
      return i18n.t('clerk.err.network');
    case 401:
      return i18n.t('clerk.err.401');
    case 403:
      return err.name === 'Task.NotClaimedByYou' ? i18n.t('clerk.err.notYours') : i18n.t('clerk.err.403');
    case 404:
      return i18n.t('clerk.err.404');
    case 409:
      if (err.name === 'Task.AlreadyResolved') return i18n.t('clerk.err.resolved');
      if (err.name === 'Task.AlreadyClaimed') return i18n.t('clerk.err.claimed');
      return i18n.t('clerk.err.409');
    case 400:
      return i18n.t('clerk.err.400', { m: err.message || err.name });
    default:
      return i18n.t('clerk.err.server');
  }
}

// call wraps request with the clerk's token. A 401 renews the token once
// and retries; when the sign-in is over, the console asks the clerk to sign
// in again and keeps what is on the screen.
export async function call(method, path, body) {
  try {
    return await request(method, path, { body, token: session.get() });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    if (signInCfg && oidc.canRefresh()) {
      try {
        await oidc.refresh(signInCfg);
        scheduleRenewal();
        return await request(method, path, { body, token: session.get() });
      } catch (again) {
        if (again instanceof ApiError && again.status !== 401) throw again;
      }
    }
    sessionOver();
    throw err;
  }
}

// ---- sign in ------------------------------------------------------------------

function showSignIn(messageText) {
  stop();
  $('console').hidden = true;
  $('signin').hidden = false;
  $('whoami').hidden = true;
  $('signout').hidden = true;
  $('session-expired').hidden = true;
  const e = $('signin-error');
  e.hidden = !messageText;
  e.textContent = messageText || '';
  $('signin-button').disabled = !signInCfg;
  $('signin-button').focus();
}

// sessionOver: the token is spent and cannot be renewed. The console stays
// as it is (the open task, what was typed) with a prompt to sign in again.
function sessionOver() {
  stop();
  clearTimeout(renewTimer);
  oidc.forget();
  $('session-expired').hidden = false;
  $('relogin').focus();
}

// scheduleRenewal renews the access token shortly before it expires.
function scheduleRenewal() {
  clearTimeout(renewTimer);
  const c = session.claims(session.get());
  if (!signInCfg || !c || typeof c.exp !== 'number' || !oidc.canRefresh()) return;
  const wait = Math.max(5000, c.exp * 1000 - Date.now() - renewAhead);
  renewTimer = setTimeout(async () => {
    try {
      await oidc.refresh(signInCfg);
      scheduleRenewal();
    } catch (err) {
      if (err instanceof oidc.SignInError && err.message === 'network') renewTimer = setTimeout(scheduleRenewal, 10000);
      else sessionOver();
    }
  }, wait);
}

// saveDraft keeps the open task and what was typed in it, for the trip to
// the login page; restoreDraft puts it back.
function saveDraft() {
  const fields = {};
  for (const f of document.querySelectorAll('#detail textarea[id], #detail input[id], #detail select[id]')) {
    fields[f.id] = f.type === 'checkbox' || f.type === 'radio' ? f.checked : f.value;
  }
  try {
    sessionStorage.setItem(draftKey, JSON.stringify({ task: detail.selectedId() || '', fields }));
  } catch {
    // Nothing kept: the clerk opens the task again.
  }
}

function takeDraft() {
  try {
    const d = JSON.parse(sessionStorage.getItem(draftKey) || 'null');
    sessionStorage.removeItem(draftKey);
    return d && typeof d === 'object' ? d : null;
  } catch {
    return null;
  }
}

let pendingDraft = null;

function restoreDraft() {
  const d = pendingDraft;
  if (!d || !d.task) return;
  const task = tasks.find((x) => x.id === d.task);
  if (!task) return;
  pendingDraft = null;
  detail.open(task);
  renderQueue();
  for (const [id, v] of Object.entries(d.fields || {})) {
    const f = document.getElementById(id);
    if (!f || !f.closest('#detail')) continue;
    if (f.type === 'checkbox' || f.type === 'radio') f.checked = Boolean(v);
    else f.value = String(v);
  }
}

function startSignIn() {
  if (!signInCfg) return;
  saveDraft();
  oidc.begin(signInCfg, i18n.current());
}

function signOut() {
  stop();
  clearTimeout(renewTimer);
  detail.hide();
  supervisor.hide();
  oidc.signOut(signInCfg, i18n.current());
}

function showConsole() {
  const c = session.claims(session.get());
  $('signin').hidden = true;
  $('session-expired').hidden = true;
  $('console').hidden = false;
  $('whoami').hidden = false;
  $('whoami').textContent = i18n.t('clerk.signedInAs', { who: session.who(c) || i18n.t('clerk.someone') });
  $('signout').hidden = false;
  detail.setMe(c);
  scheduleRenewal();
  supervisor.show(c);
  start();
}

// ---- queue ------------------------------------------------------------------

function listOf(data) {
  if (Array.isArray(data)) return data;
  return (data && (data.tasks || data.items)) || [];
}

// queueOrder: the watchdog's priority first, then least time left, then
// oldest — the order a clerk should work in.
export function queueOrder(a, b) {
  return (
    (b.priority || 0) - (a.priority || 0) ||
    Date.parse(a.deadline) - Date.parse(b.deadline) ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt)
  );
}

async function loadQueue() {
  const status = $('filter-status').value;
  const track = $('filter-track').value;
  const q = (s) => `/v1/clerk/tasks?status=${encodeURIComponent(s)}&track=${encodeURIComponent(track)}`;
  try {
    const lists = status === 'ACTIVE' ? await Promise.all([call('GET', q('OPEN')), call('GET', q('CLAIMED'))]) : [await call('GET', q(status))];
    tasks = lists.flatMap(listOf).sort(queueOrder);
    $('queue-message').hidden = true;
    renderQueue();
    restoreDraft();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    $('queue-message').textContent = explain(err);
    $('queue-message').hidden = false;
  }
}

function trackLabel(track) {
  return label(`track.${track}`, track);
}

function renderQueue() {
  const body = $('queue-body');
  const selected = detail.selectedId();
  body.replaceChildren(
    ...tasks.map((task) => {
      const open = el('button', { type: 'button', class: 'button link', 'data-task': task.id, 'aria-current': task.id === selected ? 'true' : undefined }, trackLabel(task.track));
      const tr = el(
        'tr',
        { 'data-task-id': task.id, class: task.id === selected ? 'selected' : '' },
        el('td', { class: 'left', 'data-deadline': task.deadline }, timeLeft(task.deadline)),
        el('td', {}, open),
        el('td', {}, label(`taskKind.${task.kind}`, task.kind || '')),
        el('td', { class: 'reason' }, task.reason || ''),
        el('td', {}, el('span', { class: `badge task-${task.status}` }, label(`taskStatus.${task.status}`, task.status || ''))),
        el('td', { class: 'mono' }, task.applicationId || ''),
      );
      return tr;
    }),
  );
  $('queue-empty').hidden = tasks.length > 0;
  tick();
  const current = tasks.find((x) => x.id === selected);
  if (current) detail.update(current);
}

function tick() {
  const now = Date.now();
  for (const td of document.querySelectorAll('#queue-body td[data-deadline]')) {
    td.textContent = timeLeft(td.dataset.deadline, now);
    td.classList.toggle('overdue', Date.parse(td.dataset.deadline) < now);
  }
  detail.tick(now);
}

function start() {
  stop();
  loadQueue();
  refreshTimer = setInterval(loadQueue, refreshEvery);
  tickTimer = setInterval(tick, 1000);
}

function stop() {
  clearInterval(refreshTimer);
  clearInterval(tickTimer);
}

async function main() {
  await i18n.load();
  i18n.wireSwitch();
  detail.init({ call, explain, announce, refresh: loadQueue });
  assist.init({ explain, announce });
  supervisor.init({ call, explain });
  $('signin-button').addEventListener('click', startSignIn);
  $('relogin').addEventListener('click', startSignIn);
  $('signout').addEventListener('click', signOut);
  $('filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadQueue();
  });
  $('filter-status').addEventListener('change', loadQueue);
  $('filter-track').addEventListener('change', loadQueue);
  $('queue-body').addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-task]');
    if (!b) return;
    const task = tasks.find((x) => x.id === b.dataset.task);
    if (task) {
      detail.open(task);
      renderQueue();
    }
  });
  i18n.onChange(() => {
    if (!$('console').hidden) {
      showConsoleTexts();
      renderQueue();
      detail.relabel();
    }
  });
  signInCfg = await oidc.config();
  pendingDraft = takeDraft();
  const params = new URLSearchParams(location.search);
  if (oidc.returning(params)) {
    // The provider's answer: take the code out of the address bar first.
    history.replaceState(null, '', location.pathname);
    try {
      if (!signInCfg) throw new oidc.SignInError('no provider');
      await oidc.complete(signInCfg, params);
    } catch {
      oidc.forget();
    }
  }
  const token = session.get();
  const c = session.claims(token);
  if (token && c && !session.expired(c)) showConsole();
  else if (token && signInCfg && oidc.canRefresh()) {
    try {
      await oidc.refresh(signInCfg);
      showConsole();
    } catch {
      oidc.forget();
      showSignIn(i18n.t('clerk.err.expired'));
    }
  } else {
    const failed = oidc.returning(params);
    oidc.forget();
    showSignIn(!signInCfg ? i18n.t('clerk.err.noProvider') : failed ? i18n.t('clerk.err.signInFailed') : token ? i18n.t('clerk.err.expired') : '');
  }
  document.body.dataset.ready = 'true';
}

function showConsoleTexts() {
  const c = session.claims(session.get());
  $('whoami').textContent = i18n.t('clerk.signedInAs', { who: session.who(c) || i18n.t('clerk.someone') });
}

main();
