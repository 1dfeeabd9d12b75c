// form: the one form on the page — repeatable rows, the business-scope
// picker, and the two directions between inputs and the API's JSON
// (serialise for /validate and submit; fill for the example and drafts).

import { apply as applyI18n, current, t } from './i18n.js';
import * as paths from './paths.js';

const form = () => document.getElementById('app-form');

// ---- repeatable rows -------------------------------------------------------

function fill(text, vars) {
  return text.replace(/\{(i|n|group)\}/g, (m, k) => String(vars[k]));
}

// instantiate clones a row template, replacing {i} (0-based index), {n}
// (1-based, shown to people) and {group} in attributes and text.
function instantiate(container, i) {
  const tpl = document.getElementById(container.dataset.template);
  const frag = tpl.content.cloneNode(true);
  const vars = { i, n: i + 1, group: container.dataset.group };
  const walker = document.createTreeWalker(frag, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.nodeValue.includes('{')) node.nodeValue = fill(node.nodeValue, vars);
      continue;
    }
    for (const attr of node.attributes) if (attr.value.includes('{')) attr.value = fill(attr.value, vars);
  }
  applyI18n(frag);
  return frag;
}

function rows(container) {
  return [...container.children].filter((c) => c.classList.contains('row'));
}

function refreshRowControls(container) {
  const n = rows(container).length;
  const min = Number(container.dataset.min || 0);
  const max = Number(container.dataset.max || 50);
  for (const b of container.querySelectorAll('.remove-row')) b.hidden = n <= min;
  const add = document.querySelector(`[data-add="${container.id}"]`);
  if (add) add.disabled = n >= max;
  for (const row of rows(container)) syncKind(row);
}

// setRows rebuilds a group's rows from values (an array of row objects).
function setRows(container, values) {
  container.replaceChildren();
  values.forEach((v, i) => {
    container.append(instantiate(container, i));
  });
  const group = container.dataset.group;
  const data = {};
  paths.set(data, group, values);
  for (const input of container.querySelectorAll('[data-path]')) writeInput(input, paths.get(data, input.dataset.path));
  refreshRowControls(container);
}

export function addRow(container) {
  const n = rows(container).length;
  if (n >= Number(container.dataset.max || 50)) return null;
  container.append(instantiate(container, n));
  refreshRowControls(container);
  const row = rows(container)[n];
  return row;
}

function removeRow(container, row) {
  const index = rows(container).indexOf(row);
  const values = paths.get(serialize(), container.dataset.group) || [];
  values.splice(index, 1);
  setRows(container, values);
  const left = rows(container);
  const focusRow = left[Math.min(index, left.length - 1)];
  const target = focusRow ? focusRow.querySelector('input, select') : document.querySelector(`[data-add="${container.id}"]`);
  if (target) target.focus();
}

// syncKind shows the ID number for a natural-person shareholder and the
// credit code for an enterprise.
function syncKind(row) {
  const kind = row.querySelector('select[data-path$=".kind"]');
  if (!kind) return;
  for (const f of row.querySelectorAll('[data-show-kind]')) f.hidden = f.dataset.showKind !== kind.value;
}

// ---- business scope --------------------------------------------------------

let scopeItems = [];

function scopeName(item) {
  return current() === 'en' && item.nameEn ? item.nameEn : item.name;
}

// normaliseScope reads bizscope.Item: {code, zh, en, permitRequired,
// permit: {zh, en, authorityZh, authorityEn}}.
function normaliseScope(data) {
  const list = Array.isArray(data) ? data : [];
  return list
    .map((x) => ({
      code: String(x.code ?? ''),
      name: String(x.zh ?? x.code ?? ''),
      nameEn: String(x.en ?? ''),
      permit: Boolean(x.permitRequired),
      permitInfo: x.permit && typeof x.permit === 'object' ? x.permit : null,
    }))
    .filter((x) => x.code);
}

// permitNeeds says which permit a picked permit item needs and who grants it.
function permitNeeds(item) {
  const p = item.permitInfo;
  if (!p) return '';
  const en = current() === 'en';
  return t('scope.permitNeeds', { permit: String((en ? p.en : p.zh) ?? ''), authority: String((en ? p.authorityEn : p.authorityZh) ?? '') });
}

// loadScope fetches the standard list (served from shared/bizscope, the
// list the validator checks against).
export async function loadScope() {
  try {
    const res = await fetch('/static/scope.json', { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    scopeItems = normaliseScope(await res.json());
    renderScope();
  } catch {
    // Without the list the picker stays empty and validation says why.
  }
}

function renderScope() {
  const list = document.getElementById('scope-list');
  const checked = new Set(readSet(document.getElementById('scope')));
  const tpl = document.getElementById('tpl-scope-item');
  list.replaceChildren();
  scopeItems.forEach((item, i) => {
    const frag = tpl.content.cloneNode(true);
    const input = frag.querySelector('input');
    const lab = frag.querySelector('label');
    input.id = `scope-${i}`;
    input.value = item.code;
    input.checked = checked.has(item.code);
    lab.htmlFor = input.id;
    frag.querySelector('.scope-name').textContent = scopeName(item);
    // Only permit items carry the tag, so the others' names are the bare wording.
    if (!item.permit) frag.querySelector('.permit').remove();
    const needs = frag.querySelector('.permit-needs');
    if (item.permitInfo) needs.textContent = permitNeeds(item);
    else needs.remove();
    applyI18n(frag);
    list.append(frag);
  });
  filterScope();
}

function filterScope() {
  const q = document.getElementById('scope-search').value.trim().toLowerCase();
  for (const li of document.getElementById('scope-list').children) {
    const input = li.querySelector('input');
    const item = scopeItems.find((x) => x.code === input.value);
    const hay = `${item.code} ${item.name} ${item.nameEn}`.toLowerCase();
    li.hidden = Boolean(q) && !hay.includes(q) && !input.checked;
  }
  countScope();
}

export const scopeCountListeners = [];
function countScope() {
  // A picked permit item says at once which permit it will need.
  for (const li of document.getElementById('scope-list').children) {
    const needs = li.querySelector('.permit-needs');
    if (needs) needs.hidden = !li.querySelector('input').checked;
  }
  const n = readSet(document.getElementById('scope')).length;
  for (const fn of scopeCountListeners) fn(n);
}

// ---- inputs <-> JSON -------------------------------------------------------

function readSet(fieldset) {
  return [...fieldset.querySelectorAll('input[type="checkbox"]:checked')].map((c) => c.value);
}

function readInput(input) {
  const type = input.dataset.type || 'string';
  if (type === 'set') return readSet(input);
  if (type === 'bool') return input.checked;
  const raw = input.value.trim();
  if (type === 'int' || type === 'float') {
    if (raw === '') return undefined;
    const n = type === 'int' ? Number.parseInt(raw, 10) : Number.parseFloat(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  return raw;
}

function writeInput(input, value) {
  const type = input.dataset.type || 'string';
  if (type === 'set') {
    const want = new Set(Array.isArray(value) ? value.map(String) : []);
    for (const c of input.querySelectorAll('input[type="checkbox"]')) c.checked = want.has(c.value);
    return;
  }
  if (type === 'bool') {
    input.checked = Boolean(value);
    return;
  }
  input.value = value === undefined || value === null ? '' : String(value);
}

function isShown(input) {
  const field = input.closest('[data-show-kind]');
  return !field || !field.hidden;
}

// serialize returns the form as the API's JSON.
export function serialize() {
  const data = {
    shareholders: [],
    directors: [],
    supervisors: [],
    tax: { invoices: [] },
  };
  for (const input of form().querySelectorAll('[data-path]')) {
    if (!isShown(input)) continue;
    const v = readInput(input);
    if (v === undefined) continue;
    if (v === '' && (input.dataset.path.endsWith('.email') || input.dataset.path.endsWith('.creditCode'))) continue;
    paths.set(data, input.dataset.path, v);
  }
  const m = data.manager;
  if (m && !m.name && !m.idNumber && !m.mobile && !m.role) delete data.manager;
  return data;
}

// load fills the form from the API's JSON.
export function load(data) {
  for (const container of form().querySelectorAll('.rows[data-group]')) {
    const values = paths.get(data, container.dataset.group);
    setRows(container, Array.isArray(values) ? values : []);
    if (rows(container).length < Number(container.dataset.min || 0)) addRow(container);
  }
  for (const input of form().querySelectorAll('[data-path]')) {
    if (input.closest('.rows')) continue;
    writeInput(input, paths.get(data, input.dataset.path));
  }
  composeName();
  filterScope();
}

// composeName keeps the company name equal to the concatenation of its
// four parts, as the registration rules require.
function composeName() {
  const part = (p) => form().querySelector(`[data-path="company.nameParts.${p}"]`).value.trim();
  form().querySelector('[data-path="company.name"]').value = ['region', 'tradeName', 'industry', 'orgForm'].map(part).join('');
}

// init wires rows, the scope picker and the name composer, and creates
// the rows a blank form starts with.
export function init() {
  for (const container of form().querySelectorAll('.rows[data-group]')) {
    if (rows(container).length < Number(container.dataset.min || 0)) addRow(container);
    refreshRowControls(container);
  }
  form().addEventListener('click', (ev) => {
    const add = ev.target.closest('[data-add]');
    if (add) {
      const container = document.getElementById(add.dataset.add);
      const row = addRow(container);
      if (row) row.querySelector('input, select').focus();
      return;
    }
    const rm = ev.target.closest('.remove-row');
    if (rm) removeRow(rm.closest('.rows'), rm.closest('.row'));
  });
  form().addEventListener('change', (ev) => {
    if (ev.target.matches('select[data-path$=".kind"]')) syncKind(ev.target.closest('.row'));
    if (ev.target.closest('#scope-list')) countScope();
  });
  form().addEventListener('input', (ev) => {
    if (ev.target.matches('[data-path^="company.nameParts."]')) composeName();
  });
  document.getElementById('scope-search').addEventListener('input', filterScope);
  // Enter in the search box filters; it must not submit the application.
  document.getElementById('scope-search').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') ev.preventDefault();
  });
}

// relabel re-renders text that comes from data rather than the i18n table.
export function relabel() {
  renderScope();
}
