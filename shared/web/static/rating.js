// rating: the status page's rating widget (好差评). Once an application
// has ended the applicant rates it once, 1–5 with optional tags and a
// comment; afterwards the widget shows the rating given and, for a 1–2
// rating, the supervisors' follow-up: its deadline and, once closed, the
// outcome. The tags and their labels come from the status answer.

import * as i18n from './i18n.js';
import { ApiError, request } from './api.js';
import { dateTime, el } from './format.js';

const $ = (id) => document.getElementById(id);

let current = { id: '', token: '', key: '' };

// render shows the widget for app (the status answer), or hides it while
// the application runs. token is the access token; after is called with
// nothing once a rating is stored, so the page polls the status again.
export function render(app, token, after) {
  const box = $('st-rating');
  const r = app.rating;
  box.hidden = !r;
  if (!r) return;
  current = { id: app.id, token, after };
  const key = JSON.stringify([i18n.current(), r.open, r.given]);
  if (key === current.key) return;
  current.key = key;
  $('st-rating-form').hidden = !r.open;
  $('st-rating-given').hidden = r.open;
  if (r.open) {
    $('st-rating-tags').replaceChildren(...(r.tags || []).map((tag) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: 'tag', value: tag.code }), ' ', tag.label)));
    return;
  }
  const g = r.given;
  const labels = new Map((r.tags || []).map((tag) => [tag.code, tag.label]));
  const rows = [
    [i18n.t('rating.score'), i18n.t('rating.scoreOf', { n: g.score })],
    [i18n.t('rating.tags'), (g.tags || []).map((c) => labels.get(c) || c).join('、') || '—'],
    [i18n.t('rating.comment'), g.comment || '—'],
    [i18n.t('rating.ratedAt'), dateTime(g.ratedAt)],
  ];
  if (g.followUp) {
    const f = g.followUp;
    rows.push([i18n.t('rating.followUp'), f.status === 'RESOLVED'
      ? i18n.t('rating.followUpClosed', { t: dateTime(f.closedAt) })
      : i18n.t('rating.followUpOpen', { t: dateTime(f.deadline) })]);
    if (f.outcome) rows.push([i18n.t('rating.outcome'), f.outcome]);
  }
  $('st-rating-given').replaceChildren(el('dl', { class: 'kv' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

async function submit(ev) {
  ev.preventDefault();
  const form = $('st-rating-form');
  const score = Number(form.querySelector('input[name="score"]:checked')?.value || 0);
  const tags = [...form.querySelectorAll('input[name="tag"]:checked')].map((i) => i.value);
  const comment = $('st-rating-comment').value.trim();
  const msg = $('st-rating-error');
  msg.hidden = true;
  if (!score) {
    msg.textContent = i18n.t('rating.pickScore');
    msg.hidden = false;
    return;
  }
  $('st-rating-submit').disabled = true;
  try {
    await request('POST', `/v1/applications/${encodeURIComponent(current.id)}/rating`, { token: current.token, body: { score, tags, comment } });
    $('live').textContent = i18n.t('rating.thanks');
    current.key = '';
    if (current.after) current.after();
  } catch (err) {
    msg.textContent = err instanceof ApiError && err.fields.length ? err.fields.map((f) => f.message).join('；') : (err.message || i18n.t('rating.failed'));
    msg.hidden = false;
  } finally {
    $('st-rating-submit').disabled = false;
  }
}

// init wires the form.
export function init() {
  $('st-rating-form').addEventListener('submit', submit);
}
