// errors: shows the API's field errors where people look for them — next
// to the input whose data-path equals the error's JSON path (or its nearest
// enclosing group), and in a summary at the top that links to each field.

import { t } from './i18n.js';
import * as paths from './paths.js';
import { el } from './format.js';

const form = () => document.getElementById('app-form');

// target finds the element an error belongs to: the input with that exact
// path, else the nearest row or group, else nothing (summary only).
function target(field) {
  for (const p of paths.parents(field)) {
    const esc = CSS.escape(p);
    const hit = form().querySelector(`[data-path="${esc}"]`) || form().querySelector(`[data-group="${esc}"]`);
    if (hit) return hit;
  }
  return null;
}

// focusable returns what the summary link should move focus to.
function focusable(node) {
  if (node.matches('input, select, textarea')) return node;
  return node.querySelector('input:not([type="hidden"]), select, textarea') || node;
}

// context names where a field sits: its row ("股东 2"), else the
// sub-heading or section heading above it ("法定代表人").
function context(input) {
  const row = input.closest('.row');
  if (row) return row.querySelector('legend')?.textContent.trim() || '';
  const group = input.closest('[data-group]');
  const sub = group?.previousElementSibling;
  if (sub && sub.matches('h3')) return sub.textContent.trim();
  return input.closest('section')?.querySelector('h2')?.textContent.trim() || '';
}

function labelText(node) {
  if (node.matches('fieldset')) return node.querySelector('legend')?.textContent.trim() || '';
  const input = focusable(node);
  const lab = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  const base = lab ? lab.textContent.trim() : '';
  const where = context(input);
  return where && where !== base ? `${where} · ${base}` : base;
}

function describedBy(input, id, on) {
  const ids = new Set((input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size) input.setAttribute('aria-describedby', [...ids].join(' '));
  else input.removeAttribute('aria-describedby');
}

// clear removes every shown error.
export function clear() {
  for (const p of form().querySelectorAll('.field-error[data-for]')) {
    const owner = document.getElementById(p.dataset.for);
    if (owner) {
      describedBy(owner, p.id, false);
      owner.removeAttribute('aria-invalid');
      owner.closest('.field, fieldset')?.classList.remove('has-error');
    }
    p.remove();
  }
  const summary = document.getElementById('error-summary');
  summary.hidden = true;
  document.getElementById('error-summary-list').replaceChildren();
}

let seq = 0;
function ensureId(node) {
  if (!node.id) node.id = `err-target-${++seq}`;
  return node.id;
}

// show displays errors (the API's [{field, code, message}]). Only errors
// whose path passes include are shown (touched fields, before the first
// submit); with summary, the summary lists them all.
export function show(errors, { include = () => true, summary = false } = {}) {
  clear();
  const shown = [];
  const byTarget = new Map();
  for (const e of errors) {
    if (!include(e.field)) continue;
    const node = target(e.field);
    shown.push({ e, node });
    if (!node) continue;
    const list = byTarget.get(node) || [];
    list.push(e.message);
    byTarget.set(node, list);
  }
  for (const [node, messages] of byTarget) {
    const owner = node.matches('fieldset, input, select, textarea') ? node : focusable(node);
    const ownerId = ensureId(owner);
    const p = el('p', { class: 'field-error', id: `${ownerId}-error`, 'data-for': ownerId });
    p.textContent = [...new Set(messages)].join(t('errors.sep'));
    if (owner.matches('fieldset')) owner.querySelector('legend').after(p);
    else owner.after(p);
    owner.setAttribute('aria-invalid', 'true');
    describedBy(owner, p.id, true);
    owner.closest('.field, fieldset')?.classList.add('has-error');
  }
  if (summary && shown.length) renderSummary(shown);
  return shown.length;
}

function renderSummary(shown) {
  const box = document.getElementById('error-summary');
  document.getElementById('error-summary-title').textContent = t('errors.summary', { n: shown.length });
  const list = document.getElementById('error-summary-list');
  for (const { e, node } of shown) {
    const text = node ? t('errors.item', { label: labelText(node), message: e.message }) : e.message;
    if (!node) {
      list.append(el('li', {}, text));
      continue;
    }
    const dest = focusable(node);
    const a = el('a', { href: `#${ensureId(dest)}`, 'data-path': undefined }, text);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      dest.scrollIntoView({ block: 'center' });
      dest.focus();
    });
    list.append(el('li', {}, a));
  }
  box.hidden = false;
}

// focusSummary moves focus to the summary so screen readers read it and
// keyboard users start from the list of problems.
export function focusSummary() {
  const box = document.getElementById('error-summary');
  if (box.hidden) return;
  box.scrollIntoView({ block: 'start' });
  box.focus();
}
