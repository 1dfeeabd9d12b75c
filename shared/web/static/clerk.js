// clerk: the clerk console. Sign in with a pasted token, work the queue
// sorted by time left to the applicants' deadline, open a task to see why
// it needs a person and the application behind it, then claim and resolve.

import * as i18n from './i18n.js';
import * as session from './session.js';
import * as detail from './clerk-detail.js';
import * as assist from './clerk-assist.js';
import * as supervisor from './clerk-supervisor.js';
import { ApiError, request } from './api.js';
import { el, label, timeLeft } from './format.js';

const $ = (id) => document.getElementById(id);
const refreshEvery = 5000;

let tasks = [];
let refreshTimer = 0;
let tickTimer = 0;

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

// call wraps request with the clerk's token; a 401 signs the clerk out.
export async function call(method, path, body) {
  try {
    return await request(method, path, { body, token: session.get() });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signOut(i18n.t('clerk.err.401'));
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
  const e = $('signin-error');
  e.hidden = !messageText;
  e.textContent = messageText || '';
  $('token').focus();
}

function signOut(messageText) {
  session.clear();
  detail.hide();
  supervisor.hide();
  showSignIn(messageText);
}

function showConsole() {
  const c = session.claims(session.get());
  $('signin').hidden = true;
  $('console').hidden = false;
  $('whoami').hidden = false;
  $('whoami').textContent = i18n.t('clerk.signedInAs', { who: session.who(c) || i18n.t('clerk.someone') });
  $('signout').hidden = false;
  detail.setMe(c);
  supervisor.show(c);
  start();
}

function onSignIn(ev) {
  ev.preventDefault();
  const token = $('token').value.trim().replace(/^Bearer\s+/i, '');
  if (!token) {
    showSignIn(i18n.t('clerk.err.emptyToken'));
    return;
  }
  const c = session.claims(token);
  if (!c) {
    showSignIn(i18n.t('clerk.err.notJwt'));
    return;
  }
  if (session.expired(c)) {
    showSignIn(i18n.t('clerk.err.expired'));
    return;
  }
  session.set(token);
  $('token').value = '';
  showConsole();
  $('queue-heading').focus?.();
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
  $('signin-form').addEventListener('submit', onSignIn);
  $('signout').addEventListener('click', () => signOut(''));
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
  const token = session.get();
  const c = session.claims(token);
  if (token && c && !session.expired(c)) showConsole();
  else showSignIn(token ? i18n.t('clerk.err.expired') : '');
  document.body.dataset.ready = 'true';
}

function showConsoleTexts() {
  const c = session.claims(session.get());
  $('whoami').textContent = i18n.t('clerk.signedInAs', { who: session.who(c) || i18n.t('clerk.someone') });
}

main();
