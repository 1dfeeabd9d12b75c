// confirm: one founder's confirmation page, opened from the link in their
// SMS or e-mail. The token is in the URL fragment, which the browser never
// sends to a server; the page passes it to the API in the path. The person
// verifies their identity (a simulated liveness step, then the identity
// agency), reads their part and the SHA-256 of the documents, and signs or
// declines with a reason.

import * as i18n from './i18n.js';
import { ApiError, request } from './api.js';
import { el } from './format.js';

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.hash.slice(1));
const base = `/v1/confirmations/${encodeURIComponent(token)}`;
let view = null;

function announce(text) {
  $('live').textContent = text;
}

function showError(err) {
  let key = 'confirm.err.network';
  if (err instanceof ApiError) {
    if (err.status === 404) key = 'confirm.err.404';
    else if (err.status === 409) key = err.name === 'Confirmation.NotVerified' ? 'confirm.err.unverified' : 'confirm.err.decided';
    else if (err.status === 400) {
      $('decision-result').textContent = err.fields.map((f) => f.message).join(' ') || err.message;
      return;
    }
  }
  $('confirm-error').textContent = i18n.t(key);
  $('confirm-error').hidden = false;
}

function render() {
  if (!view) return;
  $('part-view').hidden = false;
  $('c-company').textContent = view.company.name;
  $('c-capital').textContent = String(view.company.registeredCapital);
  $('c-address').textContent = view.company.address;
  $('c-person').textContent = view.person.name;
  $('c-id').textContent = view.person.idNumber;
  $('c-roles').replaceChildren(...view.roles.map((r) => {
    let text = r.label;
    if (r.holder) text += ` · ${r.holder}`;
    if (r.contribution) text += ` · ${i18n.t('confirm.contribution', { amount: r.contribution.amount, due: r.contribution.dueDate })}`;
    return el('li', {}, text);
  }));
  $('c-documents').replaceChildren(...view.documents.map((d) => el('li', {},
    i18n.t(`confirm.doc.${d.name}`), ' ', el('code', { class: 'digest' }, `SHA-256 ${d.sha256}`))));
  $('c-state').textContent = i18n.t(`confirm.state.${view.state}`);
  $('identity-step').hidden = view.state !== 'PENDING';
  $('decision-step').hidden = view.state !== 'VERIFIED';
}

async function refresh() {
  try {
    view = await request('GET', base);
    $('confirm-error').hidden = true;
    render();
  } catch (err) {
    showError(err);
  }
}

// liveness stands in for the camera step a real page runs: locally it
// always passes; the identity agency decides.
async function liveness() {
  announce(i18n.t('confirm.livenessRunning'));
  return { passed: true };
}

async function verify() {
  $('verify').disabled = true;
  try {
    const r = await request('POST', `${base}/identity`, { body: { liveness: await liveness() } });
    $('identity-result').textContent = r.verified ? i18n.t('confirm.verified') : r.reason;
    announce($('identity-result').textContent);
    if (r.verified) await refresh();
  } catch (err) {
    showError(err);
  } finally {
    $('verify').disabled = false;
  }
}

async function decide(sign) {
  const body = sign ? { sign: true } : { sign: false, reason: $('decline-reason').value };
  for (const b of ['sign', 'decline']) $(b).disabled = true;
  try {
    const r = await request('POST', `${base}/decision`, { body });
    $('decision-result').textContent = i18n.t(`confirm.state.${r.state}`);
    announce($('decision-result').textContent);
    await refresh();
  } catch (err) {
    showError(err);
  } finally {
    for (const b of ['sign', 'decline']) $(b).disabled = false;
  }
}

async function main() {
  await i18n.load();
  i18n.wireSwitch();
  i18n.onChange(refresh); // role labels come from the server in the language asked
  $('verify').addEventListener('click', verify);
  $('sign').addEventListener('click', () => decide(true));
  $('decline').addEventListener('click', () => decide(false));
  document.body.dataset.ready = 'true';
  if (!token) {
    $('confirm-error').textContent = i18n.t('confirm.err.404');
    $('confirm-error').hidden = false;
    return;
  }
  await refresh();
}

main();
