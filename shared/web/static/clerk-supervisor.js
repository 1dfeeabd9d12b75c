// clerk-supervisor: the supervisor's view, shown only to members of the
// supervisors group (the token's cognito:groups). The API checks the group
// itself; hiding the section from other clerks only spares them a 403.
// Refreshed every few seconds while shown.

import * as i18n from './i18n.js';
import { ApiError } from './api.js';
import { dateTime, duration, el, label, timeLeft } from './format.js';

const $ = (id) => document.getElementById(id);
const refreshEvery = 10000;

let ctx = null; // { call, explain }
let timer = 0;
let last = null;

export function init(c) {
  ctx = c;
  i18n.onChange(() => {
    if (last) render(last);
  });
}

// groupsOf reads the groups claim as Cognito puts it in a token (an array)
// or as a string.
function groupsOf(claims) {
  const g = claims && claims['cognito:groups'];
  if (Array.isArray(g)) return g.map(String);
  if (typeof g === 'string') return g.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  return [];
}

// show opens the view for a supervisor and keeps it hidden for others.
export function show(claims) {
  hide();
  if (!groupsOf(claims).includes('supervisors')) return;
  $('supervisor').hidden = false;
  load();
  timer = setInterval(load, refreshEvery);
}

export function hide() {
  clearInterval(timer);
  timer = 0;
  last = null;
  $('supervisor').hidden = true;
}

async function load() {
  try {
    last = await ctx.call('GET', '/v1/clerk/supervisor');
    $('supervisor-message').hidden = true;
    render(last);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      hide();
      return;
    }
    $('supervisor-message').textContent = ctx.explain(err);
    $('supervisor-message').hidden = false;
  }
}

function trackLabel(track) {
  return label(`track.${track}`, track);
}

function rows(id, list, row, emptyKey) {
  const body = $(id);
  if (!list.length) {
    const cols = body.closest('table').querySelectorAll('thead th').length;
    body.replaceChildren(el('tr', {}, el('td', { colspan: cols, class: 'hint' }, i18n.t(emptyKey))));
    return;
  }
  body.replaceChildren(...list.map(row));
}

function render(v) {
  const now = Date.parse(v.asOf) || Date.now();
  $('supervisor-asof').textContent = i18n.t('sup.asOf', { t: dateTime(v.asOf) }) + (v.partial ? ` ${i18n.t('sup.partial')}` : '');
  rows('sup-queue', v.queue || [], (task) => el('tr', { 'data-task-id': task.id },
    el('td', { class: task.timeLeftSeconds < 0 ? 'left overdue' : 'left' }, timeLeft(task.deadline, now)),
    el('td', {}, trackLabel(task.track)),
    el('td', {}, label(`taskKind.${task.kind}`, task.kind || '')),
    el('td', { class: 'mono' }, task.applicationId)), 'sup.none');
  rows('sup-clerks', v.clerks || [], (c) => el('tr', { 'data-clerk': c.clerk },
    el('td', {}, c.clerk),
    el('td', {}, String(c.claimed)),
    el('td', {}, String(c.resolvedToday))), 'sup.none');
  rows('sup-overdue', v.overdue || [], (task) => el('tr', { 'data-task-id': task.id },
    el('td', { class: 'overdue' }, duration(-task.timeLeftSeconds * 1000)),
    el('td', {}, trackLabel(task.track)),
    el('td', {}, label(`taskStatus.${task.status}`, task.status || '')),
    el('td', {}, task.claimedBy || '—'),
    el('td', { class: 'mono' }, task.applicationId)), 'sup.none');
  rows('sup-corrections', v.corrections || [], (c) => el('tr', { 'data-app': c.applicationId },
    el('td', {}, duration(c.waitingSeconds * 1000)),
    el('td', { class: 'mono' }, c.applicationId)), 'sup.none');
}
