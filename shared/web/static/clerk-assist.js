// clerk-assist: assisted filing (帮办). A clerk fills the applicant's form
// for them at the counter or on the phone. The form is the portal's own:
// its markup is taken from the portal page (same origin, served by us) and
// driven by the portal's modules, so the console has the same fields,
// pickers, name check and validation as the applicant. The application is
// filed with POST /v1/clerk/applications; every founder then confirms
// through their own link, and the status link is shown to the clerk once,
// to hand to the applicant.

import * as i18n from './i18n.js';
import * as session from './session.js';
import * as formView from './form.js';
import * as errors from './errors.js';
import * as pickers from './pickers.js';
import * as namecheck from './namecheck.js';
import * as formcheck from './formcheck.js';
import { ApiError, request } from './api.js';
import { exampleForm } from './example.js';

const $ = (id) => document.getElementById(id);

let ctx = null; // { explain, announce }
let loaded = false;
let pending = null; // { text, key }: a retried submit reuses its Idempotency-Key
const check = formcheck.create();

export function init(c) {
  ctx = c;
  $('assist-start').addEventListener('click', start);
  $('assist-example').addEventListener('click', fillExample);
  $('assist-again').addEventListener('click', again);
  i18n.onChange(() => {
    if (!loaded) return;
    formView.relabel();
    pickers.relabel();
    namecheck.relabel();
  });
}

function say(text) {
  const m = $('assist-message');
  m.textContent = text || '';
  m.hidden = !text;
}

// loadForm moves the portal's form (its error summary, the form and the
// row templates) into the console and wires the portal's modules to it.
async function loadForm() {
  const res = await fetch('/', { headers: { Accept: 'text/html' }, credentials: 'omit' });
  if (!res.ok) throw new ApiError(res.status, 'Network', '');
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const host = $('assist-host');
  for (const id of ['error-summary', 'app-form']) host.append(document.importNode(doc.getElementById(id), true));
  for (const tpl of doc.querySelectorAll('template')) document.body.append(document.importNode(tpl, true));
  i18n.apply(host);
  formView.init();
  formView.scopeCountListeners.push((n) => {
    $('scope-count').textContent = i18n.t('scope.count', { n });
  });
  await formView.loadScope();
  await pickers.load();
  namecheck.init();
  const form = $('app-form');
  const mark = check.touch;
  form.addEventListener('input', (ev) => {
    mark(ev);
    validateSoon();
  });
  form.addEventListener('change', (ev) => {
    mark(ev);
    validateSoon();
  });
  form.addEventListener('focusout', mark);
  form.addEventListener('submit', onSubmit);
  $('submit-retry').addEventListener('click', send);
  loaded = true;
}

async function start() {
  say('');
  $('assist-start').disabled = true;
  try {
    if (!loaded) await loadForm();
    $('assist-host').hidden = false;
    $('assist-result').hidden = true;
    $('assist-example').hidden = false;
    $('assist-start').hidden = true;
    $('f-company-region')?.focus();
  } catch (err) {
    say(ctx.explain(err));
  } finally {
    $('assist-start').disabled = false;
  }
}

async function fillExample() {
  try {
    const data = await exampleForm();
    formView.load(data);
    await pickers.sync(data);
    namecheck.schedule();
    check.touchAll();
    ctx.announce(i18n.t('portal.exampleLoaded'));
    validateSoon();
  } catch {
    ctx.announce(i18n.t('errors.network'));
  }
}

function validateSoon() {
  check.soon((list) => errors.show(list, { include: check.shows, summary: false }));
}

function message(text, isError) {
  const m = $('submit-message');
  m.textContent = text;
  m.classList.toggle('is-error', Boolean(isError));
}

async function onSubmit(ev) {
  ev.preventDefault();
  check.submit();
  await send();
}

// send files the form for the applicant. The server checks it exactly as
// it checks the applicant's own submission: a 400 lists every fault.
async function send() {
  const body = { ...formView.serialize(), channel: $('assist-channel').value };
  const text = JSON.stringify(body);
  if (!pending || pending.text !== text) pending = { text, key: crypto.randomUUID() };
  $('submit').disabled = true;
  $('submit-retry').hidden = true;
  message(i18n.t('portal.submitting'));
  try {
    const res = await request('POST', '/v1/clerk/applications', { body, token: session.get(), idempotencyKey: pending.key });
    pending = null;
    message('');
    errors.clear();
    showResult(res);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) {
      message('');
      errors.show(err.fields, { summary: true });
      errors.focusSummary();
      pending = null;
    } else if (err instanceof ApiError && err.status !== 0 && err.status < 500) {
      message(ctx.explain(err), true);
      pending = null;
    } else {
      message(ctx.explain(err), true);
      $('submit-retry').hidden = false;
    }
  } finally {
    $('submit').disabled = false;
  }
}

// showResult shows the status link once: the access token is not kept
// anywhere in the console, so the clerk hands it over now.
function showResult(res) {
  const link = `${location.origin}/status/${encodeURIComponent(res.id)}#token=${encodeURIComponent(res.accessToken)}`;
  $('assist-id').textContent = res.id;
  $('assist-link').textContent = link;
  $('assist-link').href = link;
  $('assist-token').textContent = res.accessToken;
  $('assist-host').hidden = true;
  $('assist-example').hidden = true;
  $('assist-result').hidden = false;
  ctx.announce(i18n.t('assist.done'));
  $('assist-result').focus?.();
}

// again clears the result and the form for the next applicant.
function again() {
  $('assist-id').textContent = '';
  $('assist-link').textContent = '';
  $('assist-link').removeAttribute('href');
  $('assist-token').textContent = '';
  $('assist-result').hidden = true;
  formView.load({});
  pickers.sync({});
  errors.clear();
  check.reset();
  $('assist-host').hidden = false;
  $('assist-example').hidden = false;
  $('assist-heading').focus();
}
