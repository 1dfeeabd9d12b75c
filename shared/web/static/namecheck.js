// namecheck: the company name is checked as it is typed, against
// POST /v1/names/check. Requests are debounced (at most one per 300 ms,
// sent 300 ms after the last change) and only the answer to the newest
// request is shown. The panel shows the verdict, each rule that applies
// in plain words, the existing names it conflicts with, and the
// suggested names as buttons that replace the name's parts.

import { t } from './i18n.js';
import { el } from './format.js';
import { request } from './api.js';

const $ = (id) => document.getElementById(id);
const partNames = ['region', 'tradeName', 'industry', 'orgForm'];
export const debounceMs = 300;

let timer = 0;
let seq = 0;
let inflight = null;
let last = null; // the last answer shown, re-rendered on a language switch

const part = (p) => document.querySelector(`[data-path="company.nameParts.${p}"]`);
const parts = () => Object.fromEntries(partNames.map((p) => [p, part(p).value.trim()]));

// schedule checks the name debounceMs after the last change; an
// incomplete name hides the panel.
export function schedule() {
  clearTimeout(timer);
  const p = parts();
  if (partNames.some((k) => !p[k])) {
    seq += 1;
    hide();
    return;
  }
  timer = setTimeout(() => check(partNames.map((k) => p[k]).join('')), debounceMs);
}

async function check(name) {
  const mine = ++seq;
  inflight?.abort();
  inflight = new AbortController();
  try {
    const res = await request('POST', '/v1/names/check', { body: { name }, signal: inflight.signal });
    if (mine !== seq) return;
    last = { name, res };
    render();
  } catch {
    // No answer (or no check service): the form's own validation still
    // runs on submit; an old verdict must not stay on screen.
    if (mine === seq) hide();
  }
}

function hide() {
  last = null;
  $('name-check').hidden = true;
}

// split turns a suggested full name into the form's four parts, keeping
// the region and organisational form typed; null when it does not fit.
function split(name) {
  const p = parts();
  if (!name.startsWith(p.region) || !name.endsWith(p.orgForm)) return null;
  const mid = name.slice(p.region.length, name.length - p.orgForm.length);
  if (!mid.endsWith(p.industry) || mid.length - p.industry.length < 2) return null;
  return { ...p, tradeName: mid.slice(0, mid.length - p.industry.length) };
}

function use(next) {
  for (const k of partNames) {
    part(k).value = next[k];
  }
  // The form composes the name and validates on input events.
  part('tradeName').dispatchEvent(new Event('input', { bubbles: true }));
  part('tradeName').focus();
}

function render() {
  if (!last) return;
  const { res } = last;
  const verdict = ['available', 'review', 'refused'].includes(res?.verdict) ? res.verdict : null;
  if (!verdict) {
    hide();
    return;
  }
  const box = $('name-check');
  box.hidden = false;
  box.dataset.verdict = verdict;
  $('name-verdict').textContent = t(`name.${verdict}`);
  $('name-reasons').replaceChildren(
    ...(res.reasons || []).map((r) => el('li', { 'data-code': r.code }, String(r.message || ''), r.rule ? el('span', { class: 'hint' }, ` ${t('name.rule', { rule: String(r.rule) })}`) : null)),
  );
  const conflicts = res.conflicts || [];
  $('name-conflicts-box').hidden = conflicts.length === 0;
  $('name-conflicts').replaceChildren(
    ...conflicts.map((c) => {
      const rel = c.relation === 'identical' || c.relation === 'similar' ? t(`name.relation.${c.relation}`) : String(c.relation || '');
      return el('li', {}, el('strong', {}, String(c.name || '')), ` (${rel}) `, String(c.why || ''));
    }),
  );
  const suggestions = (res.suggestions || []).map(String);
  $('name-suggestions-box').hidden = suggestions.length === 0;
  $('name-suggestions').replaceChildren(
    ...suggestions.map((s) => {
      const next = split(s);
      if (!next) return el('li', {}, s);
      const b = el('button', { type: 'button', class: 'button secondary suggestion', 'data-name': s }, t('name.useSuggestion', { name: s }));
      b.addEventListener('click', () => use(next));
      return el('li', {}, b);
    }),
  );
}

// init checks on every change of a name part.
export function init() {
  for (const k of partNames) part(k).addEventListener('input', schedule);
}

// relabel re-renders the panel's own words; the server's reasons are in
// the language of the request, so the name is checked again.
export function relabel() {
  if (last) schedule();
}
