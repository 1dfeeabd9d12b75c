// portal: the applicant's page. It routes between the form (#/) and the
// status of one application (#/status/<id>), validates as people type by
// asking the API (debounced), saves the form as a draft (drafts.js),
// confirms identity once, and submits with an Idempotency-Key so a retried
// submit never files a second application.

import * as i18n from './i18n.js';
import * as formView from './form.js';
import * as errors from './errors.js';
import * as status from './status.js';
import * as pickers from './pickers.js';
import * as namecheck from './namecheck.js';
import * as drafts from './drafts.js';
import { ApiError, request } from './api.js';
import { maskId } from './format.js';
import { exampleForm } from './example.js';

const $ = (id) => document.getElementById(id);

// ---- validation -------------------------------------------------------------

const touched = new Set();
let submittedOnce = false;
let lastErrors = [];
let validateTimer = 0;
// validateSeq numbers the as-you-type checks; an answer is shown only if
// no newer check (or a submit) started after it.
let validateSeq = 0;

function announce(text) {
  const live = $('live');
  live.textContent = '';
  // A fresh text node makes screen readers announce a repeat of the same text.
  requestAnimationFrame(() => {
    live.textContent = text;
  });
}

function isTouched(field) {
  if (submittedOnce) return true;
  for (const p of touched) if (field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)) return true;
  return false;
}

// validate asks the API to check the whole form. It returns the error list
// ([] when valid) or null when the API could not be reached.
async function validate() {
  try {
    await request('POST', '/v1/applications/validate', { body: formView.serialize() });
    return [];
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) return err.fields.length ? err.fields : [{ field: '', code: err.name, message: err.message }];
    return null;
  }
}

function render(list, { summary }) {
  lastErrors = list;
  const n = errors.show(list, { include: isTouched, summary: summary || (submittedOnce && !$('error-summary').hidden) });
  return n;
}

function validateSoon() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(async () => {
    const seq = ++validateSeq;
    const list = await validate();
    if (list === null || seq !== validateSeq) return;
    const before = lastErrors.length;
    const n = render(list, { summary: false });
    if (submittedOnce && n !== before) announce(n ? i18n.t('errors.count', { n }) : i18n.t('errors.none'));
  }, 500);
}

function markTouched(ev) {
  const input = ev.target.closest('[data-path]');
  if (input) touched.add(input.dataset.path);
}

// ---- submit -----------------------------------------------------------------

// pending keeps the Idempotency-Key of a submit until it is answered, so a
// retry of the very same body reuses it and the API replays the first answer.
let pending = null;

function message(text, isError) {
  const m = $('submit-message');
  m.textContent = text;
  m.classList.toggle('is-error', Boolean(isError));
}

async function onSubmit(ev) {
  ev.preventDefault();
  submittedOnce = true;
  // The submit's own check supersedes any as-you-type check in flight.
  clearTimeout(validateTimer);
  validateSeq += 1;
  message(i18n.t('portal.checking'));
  $('submit').disabled = true;
  try {
    const list = await validate();
    if (list === null) {
      message(i18n.t('errors.network'), true);
      return;
    }
    if (list.length) {
      message('');
      render(list, { summary: true });
      errors.focusSummary();
      return;
    }
    errors.clear();
    message('');
    confirmIdentity();
  } finally {
    $('submit').disabled = false;
  }
}

function confirmIdentity() {
  const data = formView.serialize();
  const rep = data.legalRepresentative || {};
  $('identity-name').textContent = rep.name || '';
  $('identity-id').textContent = maskId(rep.idNumber);
  $('identity-confirm').checked = false;
  $('identity-error').hidden = true;
  $('identity-dialog').showModal();
  $('identity-confirm').focus();
}

function onIdentityClose() {
  if ($('identity-dialog').returnValue !== 'confirm') {
    $('submit').focus();
    return;
  }
  send();
}

function onIdentityOk(ev) {
  if (!$('identity-confirm').checked) {
    ev.preventDefault();
    $('identity-error').hidden = false;
    $('identity-confirm').setAttribute('aria-describedby', 'identity-error');
    $('identity-confirm').focus();
  }
}

async function send() {
  const body = formView.serialize();
  const text = JSON.stringify(body);
  if (!pending || pending.text !== text) pending = { text, key: crypto.randomUUID() };
  $('submit').disabled = true;
  $('submit-retry').hidden = true;
  message(i18n.t('portal.submitting'));
  try {
    const res = await request('POST', '/v1/applications', { body, idempotencyKey: pending.key });
    pending = null;
    status.remember(res.id, res.accessToken);
    drafts.forget();
    message('');
    location.hash = `#/status/${encodeURIComponent(res.id)}`;
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) {
      message('');
      render(err.fields, { summary: true });
      errors.focusSummary();
      pending = null;
    } else if (err instanceof ApiError && err.status === 409) {
      message(i18n.t('portal.conflict'), true);
      pending = null;
    } else if (err instanceof ApiError && (err.status === 413 || err.status === 415)) {
      message(i18n.t('portal.rejectedBody'), true);
      pending = null;
    } else {
      message(i18n.t('portal.sendFailed'), true);
      $('submit-retry').hidden = false;
      $('submit-retry').focus();
    }
  } finally {
    $('submit').disabled = false;
  }
}

// ---- example ------------------------------------------------------------------

async function fillExample() {
  try {
    const data = await exampleForm();
    formView.load(data);
    await pickers.sync(data);
    namecheck.schedule();
    for (const input of document.querySelectorAll('#app-form [data-path]')) touched.add(input.dataset.path);
    announce(i18n.t('portal.exampleLoaded'));
    validateSoon();
  } catch {
    announce(i18n.t('errors.network'));
  }
}

// ---- routing ------------------------------------------------------------------

// fromStatusLink takes the status link the applicant received by SMS or
// e-mail, /status/<id>#token=<access token>: the token (only ever in the
// fragment, which the browser does not send) goes to this tab's
// sessionStorage, and the address becomes the portal's own status route,
// so the token is neither left in the address bar nor in the history.
function fromStatusLink() {
  const m = /^\/status\/([^/]+)$/.exec(location.pathname);
  if (!m) return;
  const id = decodeURIComponent(m[1]);
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) status.remember(id, token);
  history.replaceState(null, '', `/#/status/${encodeURIComponent(id)}`);
}

function route() {
  const m = /^#\/status\/([^/]+)$/.exec(location.hash);
  if (m) {
    $('form-view').hidden = true;
    $('status-view').hidden = false;
    status.open(decodeURIComponent(m[1]));
    $('status-heading').focus?.();
    return;
  }
  status.close();
  $('status-view').hidden = true;
  $('form-view').hidden = false;
}

async function main() {
  await i18n.load();
  i18n.wireSwitch();
  formView.init();
  status.init();
  formView.scopeCountListeners.push((n) => {
    $('scope-count').textContent = i18n.t('scope.count', { n });
  });
  await formView.loadScope();
  await pickers.load();
  namecheck.init();
  drafts.fromResumeLink();
  if (await drafts.restore(formView.load)) {
    for (const input of document.querySelectorAll('#app-form [data-path]')) if (input.value) touched.add(input.dataset.path);
    validateSoon();
  }
  const form = $('app-form');
  form.addEventListener('input', (ev) => {
    markTouched(ev);
    validateSoon();
    drafts.saveSoon(formView.serialize);
  });
  form.addEventListener('change', (ev) => {
    markTouched(ev);
    validateSoon();
    drafts.saveSoon(formView.serialize);
  });
  form.addEventListener('focusout', markTouched);
  form.addEventListener('submit', onSubmit);
  $('submit-retry').addEventListener('click', send);
  $('fill-example').addEventListener('click', fillExample);
  $('identity-ok').addEventListener('click', onIdentityOk);
  $('identity-dialog').addEventListener('close', onIdentityClose);
  i18n.onChange(async () => {
    formView.relabel();
    pickers.relabel();
    namecheck.relabel();
    status.relabel();
    // Server messages are in the language of the request: ask again.
    if (lastErrors.length) {
      const seq = ++validateSeq;
      const list = await validate();
      if (list !== null && seq === validateSeq) render(list, { summary: false });
    }
  });
  window.addEventListener('hashchange', route);
  fromStatusLink();
  route();
  document.body.dataset.ready = 'true';
}

main();
