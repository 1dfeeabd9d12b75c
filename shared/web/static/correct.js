// correct: the correction in place (补正) on the status page. While the
// application is NEEDS_CORRECTION the page shows what was asked (the
// reason, the note, the due time) and a form with only the fields asked
// for, filled with their current values (ID and mobile numbers masked,
// so those are typed afresh). Sending it posts the changes; every
// failing field comes back in the API's error shape and is shown at its
// input. The form is built once per request, so the 1.5 s polling never
// wipes what is being typed.

import * as i18n from './i18n.js';
import { ApiError, request } from './api.js';
import { dateTime, el, label } from './format.js';

const $ = (id) => document.getElementById(id);
let shown = '';

// renderCorrection shows app's correction, or hides the section.
export function renderCorrection(app, token, onDone) {
  const c = app.status === 'NEEDS_CORRECTION' ? app.correction : null;
  $('st-correction').hidden = !c;
  if (!c) {
    shown = '';
    return;
  }
  $('st-correction-reason').textContent = i18n.t('status.correctionReason', { reason: c.reason || c.reasonCode });
  $('st-correction-note').textContent = c.message || '';
  $('st-correction-note').hidden = !c.message;
  $('st-correction-due').textContent = i18n.t('status.correctionDue', { t: dateTime(c.dueAt) });
  const key = `${app.id}/${c.askedAt}`;
  if (shown === key) return;
  shown = key;
  const form = $('st-correction-form');
  $('st-correction-fields').replaceChildren(...c.fields.map((f, i) => {
    const id = `corr-${i}`;
    const input = el('input', { id, name: f, type: 'text', autocomplete: 'off', 'aria-describedby': `${id}-err` });
    const cur = (c.current || {})[f] || '';
    input.value = cur.includes('*') ? '' : cur;
    return el('div', { class: 'field' },
      el('label', { for: id }, label(`field.${f}`, f)),
      input,
      el('p', { class: 'field-error', id: `${id}-err`, hidden: '' }));
  }));
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const changes = {};
    for (const input of form.querySelectorAll('#st-correction-fields input')) {
      input.removeAttribute('aria-invalid');
      $(`${input.id}-err`).hidden = true;
      changes[input.name] = input.value.trim();
    }
    $('st-correction-error').hidden = true;
    $('st-correction-submit').disabled = true;
    try {
      await request('POST', `/v1/applications/${encodeURIComponent(app.id)}/corrections`, { body: { changes }, token });
      shown = '';
      $('st-correction').hidden = true;
      onDone(i18n.t('status.correctionSent'));
    } catch (err) {
      showErrors(form, err);
    } finally {
      $('st-correction-submit').disabled = false;
    }
  };
}

// showErrors puts each field error at its input; the others (a change
// refused as a whole, a field the form does not show) go under the form.
function showErrors(form, err) {
  const rest = [];
  const fields = err instanceof ApiError ? err.fields : [];
  for (const fe of fields) {
    const input = [...form.querySelectorAll('#st-correction-fields input')].find((i) => i.name === fe.field);
    if (!input) {
      rest.push(fe.message);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    const p = $(`${input.id}-err`);
    p.textContent = fe.message;
    p.hidden = false;
  }
  if (!fields.length) rest.push(err instanceof ApiError && err.message ? err.message : i18n.t('status.retrying'));
  $('st-correction-error').textContent = rest.join(' ');
  $('st-correction-error').hidden = rest.length === 0;
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}
