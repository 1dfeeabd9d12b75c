// clerk-detail: one task in the clerk console — why it needs a person, the
// application behind it (form, tracks, audit trail and whether the trail's
// hash chain verifies), and the Claim and Resolve actions.

import * as i18n from './i18n.js';
import { dateTime, el, label, timeLeft } from './format.js';

const $ = (id) => document.getElementById(id);

let deps = null;
let task = null;
let app = null;
let me = null;
let loadSeq = 0;

export function init(d) {
  deps = d;
  $('claim').addEventListener('click', claim);
  $('release').addEventListener('click', release);
  $('resolve').addEventListener('submit', resolve);
  $('resolve').addEventListener('change', syncDecision);
  // A message about what was typed goes away once the clerk types again.
  $('resolve').addEventListener('input', () => {
    $('resolve-error').hidden = true;
  });
}

export function setMe(claims) {
  me = claims;
}

export function selectedId() {
  return task ? task.id : '';
}

export function hide() {
  task = null;
  app = null;
  $('detail').hidden = true;
}

// open shows task and loads its application.
export function open(t) {
  task = t;
  app = null;
  $('detail-message').hidden = true;
  $('resolve-error').hidden = true;
  $('resolve-note').value = '';
  $('resolve-data').value = '';
  $('detail').hidden = false;
  renderTask();
  clearApp();
  loadApp();
  $('detail-heading').focus();
}

// update refreshes the shown task from a newer copy in the queue.
export function update(t) {
  if (!task || t.id !== task.id) return;
  task = t;
  renderTask();
}

export function tick(now) {
  if (task) $('d-left').textContent = timeLeft(task.deadline, now);
}

export function relabel() {
  if (!task) return;
  renderTask();
  if (app) renderApp();
}

function mine(t) {
  if (!t.claimedBy || !me) return true;
  const names = [me.sub, me.username, me['cognito:username'], me.email].filter(Boolean);
  return names.some((n) => t.claimedBy === n || t.claimedBy === `clerk:${n}`);
}

function renderTask() {
  $('d-track').textContent = label(`track.${task.track}`, task.track);
  $('d-kind').textContent = label(`taskKind.${task.kind}`, task.kind || '');
  const s = $('d-status');
  s.textContent = label(`taskStatus.${task.status}`, task.status || '');
  s.className = `badge task-${task.status}`;
  $('d-reason').textContent = task.reason || '—';
  renderNameCheck();
  $('d-error').textContent = task.error || '—';
  $('d-left').textContent = timeLeft(task.deadline);
  $('d-app').textContent = task.applicationId;
  const claimed = task.claimedBy ? `${task.claimedBy}${task.claimedAt ? ` · ${dateTime(task.claimedAt)}` : ''}` : '—';
  $('d-claimed').textContent = claimed;
  $('claim').hidden = task.status !== 'OPEN';
  $('resolve').hidden = task.status !== 'CLAIMED';
  $('release').hidden = task.status !== 'CLAIMED' || !mine(task);
  renderDecisions();
  if (task.status === 'CLAIMED' && !mine(task)) {
    message(i18n.t('clerk.err.notYours'));
  }
  if (task.status === 'RESOLVED') {
    const what = label(`decision.${task.decision}`, task.decision || '');
    message(i18n.t('clerk.resolvedAs', { d: what, who: task.resolvedBy || '', note: task.note || '' }), 'info');
  }
}

// renderNameCheck shows a name review's check (the task's data): each rule
// that applies and each conflicting name with why, in the page's language.
function renderNameCheck() {
  const all = task.data && task.data.nameCheck;
  const v = all && (all[i18n.current().startsWith('en') ? 'en' : 'zh']);
  const box = $('d-namecheck');
  box.hidden = !v;
  $('d-namecheck-label').hidden = !v;
  box.replaceChildren();
  if (!v) return;
  const list = el('ul', {});
  for (const r of v.reasons || []) list.append(el('li', {}, `${r.message} — ${r.rule}`));
  for (const c of v.conflicts || []) list.append(el('li', {}, `${c.name} (${c.status}, ${c.relation}): ${c.why}`));
  box.append(list);
}

function message(text, kind) {
  const m = $('detail-message');
  m.textContent = text;
  m.hidden = !text;
  m.classList.toggle('info', kind === 'info');
  m.setAttribute('role', kind === 'info' ? 'status' : 'alert');
}

// renderDecisions shows one radio per decision the task takes, labelled by
// the server in the page's language; the clerk's choice survives a refresh.
function renderDecisions() {
  const box = $('decisions');
  const chosen = new FormData($('resolve')).get('decision');
  const list = task.decisions || [];
  box.replaceChildren(...list.map((d, i) => {
    const input = el('input', { type: 'radio', name: 'decision', id: `dec-${d.decision}`, value: d.decision });
    if (d.takesData) input.dataset.takesData = 'true';
    if (d.fields) input.dataset.takesFields = 'true';
    input.checked = chosen ? d.decision === chosen : i === 0;
    const div = el('div', { class: 'check' });
    div.append(input, el('label', { for: input.id }, d.label));
    return div;
  }));
  if (list.length && !box.querySelector('input:checked')) box.querySelector('input').checked = true;
  renderCorrectionChoices(list.find((d) => d.fields));
  syncDecision();
}

function syncDecision() {
  const checked = $('decisions').querySelector('input:checked');
  $('data-field').hidden = !(checked && checked.dataset.takesData);
  $('correct-field').hidden = !(checked && checked.dataset.takesFields);
}

// renderCorrectionChoices offers the correctable fields (checkboxes) and
// the reasons (a list) of the decision that sends a task back for
// correction, keeping what the clerk already picked.
function renderCorrectionChoices(d) {
  const box = $('correct-fields');
  const picked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  box.replaceChildren(...((d && d.fields) || []).map((f, i) => {
    const input = el('input', { type: 'checkbox', id: `cf-${i}`, value: f });
    input.checked = picked.has(f);
    const div = el('div', { class: 'check' });
    div.append(input, el('label', { for: input.id, class: 'mono' }, f));
    return div;
  }));
  const sel = $('correct-reason');
  const chosen = sel.value;
  sel.replaceChildren(...((d && d.reasons) || []).map((r) => el('option', { value: r.code }, r.label)));
  if (chosen) sel.value = chosen;
}

async function claim() {
  const t = task;
  $('claim').disabled = true;
  try {
    const res = await deps.call('POST', `/v1/clerk/tasks/${encodeURIComponent(t.id)}/claim`);
    task = { ...t, ...(res && (res.task || res)), status: 'CLAIMED' };
    message('');
    renderTask();
    deps.announce(i18n.t('clerk.claimed'));
    const first = $('decisions').querySelector('input:checked');
    if (first) first.focus();
    deps.refresh();
  } catch (err) {
    message(deps.explain(err));
  } finally {
    $('claim').disabled = false;
  }
}

async function release() {
  const t = task;
  $('release').disabled = true;
  try {
    const res = await deps.call('POST', `/v1/clerk/tasks/${encodeURIComponent(t.id)}/release`);
    task = { ...t, ...(res && (res.task || res)), status: 'OPEN', claimedBy: '', claimedAt: null };
    message('');
    renderTask();
    deps.announce(i18n.t('clerk.released'));
    $('claim').focus();
    deps.refresh();
  } catch (err) {
    message(deps.explain(err));
  } finally {
    $('release').disabled = false;
  }
}

async function resolve(ev) {
  ev.preventDefault();
  const decision = new FormData($('resolve')).get('decision');
  const note = $('resolve-note').value.trim();
  const err = $('resolve-error');
  const fail = (text, field) => {
    err.textContent = text;
    err.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', `${field === $('resolve-data') ? 'resolve-data-hint ' : ''}resolve-error`);
    field.focus();
  };
  for (const f of [$('resolve-note'), $('resolve-data')]) {
    f.removeAttribute('aria-invalid');
    f.setAttribute('aria-describedby', f.id === 'resolve-data' ? 'resolve-data-hint' : '');
  }
  err.hidden = true;
  if (!note) return fail(i18n.t('clerk.err.noteRequired'), $('resolve-note'));
  const body = { decision, note };
  if (decision === 'correct') {
    body.fields = [...$('correct-fields').querySelectorAll('input:checked')].map((i) => i.value);
    body.reasonCode = $('correct-reason').value;
    if (!body.fields.length) return fail(i18n.t('clerk.err.noFields'), $('correct-fields').querySelector('input') || $('correct-reason'));
  }
  if (decision === 'complete') {
    const raw = $('resolve-data').value.trim();
    if (raw) {
      try {
        body.data = JSON.parse(raw);
      } catch {
        return fail(i18n.t('clerk.err.badJson'), $('resolve-data'));
      }
      if (!body.data || typeof body.data !== 'object' || Array.isArray(body.data)) return fail(i18n.t('clerk.err.badJson'), $('resolve-data'));
    }
  }
  $('resolve-submit').disabled = true;
  try {
    const res = await deps.call('POST', `/v1/clerk/tasks/${encodeURIComponent(task.id)}/resolve`, body);
    task = { ...task, ...(res && (res.task || res)), status: 'RESOLVED', decision };
    renderTask();
    deps.announce(i18n.t('clerk.resolved'));
    deps.refresh();
    loadApp();
  } catch (e) {
    message(deps.explain(e));
  } finally {
    $('resolve-submit').disabled = false;
  }
  return undefined;
}

// ---- the application behind the task ---------------------------------------

function clearApp() {
  for (const id of ['a-company', 'a-credit', 'a-deadline', 'a-legal', 'a-filedby', 'a-form']) $(id).textContent = '';
  $('a-status').textContent = '';
  $('a-tracks').replaceChildren();
  $('a-documents').replaceChildren();
  $('a-audit').replaceChildren();
  $('audit-verify').textContent = '';
  $('audit-problems').replaceChildren();
}

// normalise accepts {application, audit, auditVerification} and close variants.
function normalise(data) {
  const a = (data && (data.application || data.app)) || data || {};
  const audit = (data && (Array.isArray(data.audit) ? data.audit : data.audit?.events || data.auditTrail || data.events)) || [];
  let verify = data && (data.auditVerification ?? data.verification ?? data.audit?.verification ?? data.auditIntact ?? data.auditVerified);
  if (data && data.auditBreak) verify = { ok: false, ...data.auditBreak };
  if (typeof verify === 'boolean') verify = { ok: verify };
  if (verify && verify.ok === undefined) verify = { ok: verify.intact ?? verify.valid ?? verify.verified ?? !(verify.seq || verify.reason || verify.error), ...verify };
  return { app: a, audit, verify, filedBy: data && data.filedBy, pausedSince: data && data.pausedSince };
}

async function loadApp() {
  const id = task.applicationId;
  const seq = ++loadSeq;
  $('app-loading').hidden = false;
  try {
    const data = await deps.call('GET', `/v1/clerk/applications/${encodeURIComponent(id)}`);
    if (seq !== loadSeq) return;
    app = normalise(data);
    renderApp();
    loadDocuments(id, seq);
  } catch (err) {
    if (seq === loadSeq) message(deps.explain(err));
  } finally {
    if (seq === loadSeq) $('app-loading').hidden = true;
  }
}

// loadDocuments lists the application's issued documents with their
// short-lived download links (nothing when documents are off).
async function loadDocuments(id, seq) {
  let docs = [];
  try {
    const out = await deps.call('GET', `/v1/clerk/applications/${encodeURIComponent(id)}/documents`);
    docs = Array.isArray(out?.documents) ? out.documents : [];
  } catch {
    docs = [];
  }
  if (seq !== loadSeq) return;
  const safe = (u) => {
    const s = String(u ?? '');
    return (s.startsWith('/') && !s.startsWith('//')) || s.startsWith('https://') ? s : '#';
  };
  $('a-documents').replaceChildren(...docs.map((d) => el('li', { 'data-kind': String(d.kind ?? '') },
    String(d.title ?? d.kind ?? ''), d.revoked ? ` (${i18n.t('status.documentRevoked')})` : '', ' ',
    el('a', { href: safe(d.url), download: '' }, i18n.t('status.download')), ' ',
    el('span', { class: 'mono hint' }, `SHA-256 ${String(d.sha256 ?? '').slice(0, 16)}…`))));
}

function renderApp() {
  const a = app.app;
  const form = a.form || {};
  $('a-company').textContent = form.company?.name || '—';
  $('a-status').textContent = label(`appStatus.${a.status}`, a.status || '');
  $('a-status').className = `badge app-${a.status}`;
  $('a-credit').textContent = a.creditCode || '—';
  $('a-deadline').textContent = a.deadline ? `${dateTime(a.deadline)} (${timeLeft(a.deadline)})` : '—';
  if (app.pausedSince) $('a-deadline').textContent = i18n.t('clerk.paused', { t: dateTime(app.pausedSince) });
  const rep = form.legalRepresentative || {};
  $('a-legal').textContent = [rep.name, rep.mobile].filter(Boolean).join(' · ') || '—';
  // Assisted filing: the clerk who filed for the applicant, from the trail.
  const by = app.filedBy;
  $('a-filedby').textContent = by ? `${by.clerk}${by.channel ? ` · ${label(`assist.channel.${by.channel}`, by.channel)}` : ''} · ${dateTime(by.at)}` : '—';
  $('a-form').textContent = JSON.stringify(form, null, 2);
  $('a-tracks').replaceChildren(
    ...(a.tracks || []).map((tr) =>
      el(
        'tr',
        { 'data-track': tr.name, class: tr.name === task.track ? 'selected' : '' },
        el('th', { scope: 'row' }, label(`track.${tr.name}`, tr.name)),
        el('td', {}, el('span', { class: `badge track-${tr.status}` }, label(`trackStatus.${tr.status}`, tr.status))),
        el('td', {}, String(tr.attempts ?? 0)),
        el('td', {}, tr.message || ''),
      ),
    ),
  );
  $('a-audit').replaceChildren(
    ...app.audit.map((e) =>
      el('tr', {}, el('td', {}, String(e.seq)), el('td', {}, dateTime(e.time)), el('td', { class: 'mono' }, e.actor || ''), el('td', {}, label(`audit.${e.action}`, e.action || ''))),
    ),
  );
  const v = app.verify;
  const badge = $('audit-verify');
  if (!v) {
    badge.textContent = i18n.t('clerk.auditUnknown');
    badge.className = 'badge';
  } else if (v.ok) {
    badge.textContent = i18n.t('clerk.auditOk', { n: app.audit.length });
    badge.className = 'badge ok';
  } else if (Array.isArray(v.problems) && v.problems.length) {
    badge.textContent = i18n.t('clerk.auditProblems', { n: v.problems.length });
    badge.className = 'badge bad';
  } else {
    badge.textContent = i18n.t('clerk.auditBroken', { seq: v.seq ?? v.brokenAt ?? '?', reason: label(`auditBreak.${v.reason}`, v.reason || v.error || '') });
    badge.className = 'badge bad';
  }
  $('audit-problems').replaceChildren(...(v && !v.ok && Array.isArray(v.problems) ? v.problems : []).map((p) => el('li', {}, problemText(p))));
}

// problemText says what verification found, in the page's language: which
// field, why, and the event it concerns.
export function problemText(p) {
  const reason = label(`auditBreak.${p.reason}`, p.reason || '');
  const text = i18n.t('clerk.auditProblem', { field: problemField(p.field || ''), reason });
  return p.seq ? `${text} ${i18n.t('clerk.auditProblemSeq', { seq: p.seq })}` : text;
}

function problemField(field) {
  const [kind, id, part] = field.split('.');
  if (kind === 'tracks') return i18n.t(`auditField.track.${part}`, { track: label(`track.${id}`, id) });
  if (kind === 'tasks') return i18n.t(part ? `auditField.task.${part}` : 'auditField.task', { task: id });
  return label(`auditField.${field}`, field);
}
