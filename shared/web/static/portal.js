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
import * as formcheck from './formcheck.js';
import { ApiError, request } from './api.js';
import { maskId } from './format.js';
import { exampleForm } from './example.js';

const $ = (id) => document.getElementById(id);

// ---- validation -------------------------------------------------------------

const check = formcheck.create();
let lastErrors = [];

function announce(text) {
  const live = $('live');
  live.textContent = '';
  // A fresh text node makes screen readers announce a repeat of the same text.
  requestAnimationFrame(() => {
    live.textContent = text;
  });
}


function render(list, { summary }) {
  lastErrors = list;
  const n = errors.show(list, { include: check.shows, summary: summary || (check.submitted && !$('error-summary').hidden) });
  return n;
}

function validateSoon() {
  check.soon((list) => {
    const before = lastErrors.length;
    const n = render(list, { summary: false });
    if (check.submitted && n !== before) announce(n ? i18n.t('errors.count', { n }) : i18n.t('errors.none'));
  });
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
  // The submit's own check supersedes any as-you-type check in flight.
  check.submit();
  message(i18n.t('portal.checking'));
  $('submit').disabled = true;
  try {
    const list = await formcheck.validate();
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
    check.touchAll();
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
    check.touchAll(true);
    validateSoon();
  }
  const form = $('app-form');
  form.addEventListener('input', (ev) => {
    check.touch(ev);
    validateSoon();
    drafts.saveSoon(formView.serialize);
  });
  form.addEventListener('change', (ev) => {
    check.touch(ev);
    validateSoon();
    drafts.saveSoon(formView.serialize);
  });
  form.addEventListener('focusout', check.touch);
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
    if (lastErrors.length) await check.now((list) => render(list, { summary: false }));
  });
  window.addEventListener('hashchange', route);
  fromStatusLink();
  route();
  document.body.dataset.ready = 'true';
}

main();
