// format: small helpers that turn API values into what people read.

import { current, has, t } from './i18n.js';

// maskId shows enough of an ID number to recognise it and no more:
// the region (6) and the last 4 characters.
export function maskId(id) {
  const s = String(id || '');
  if (s.length <= 10) return s.replace(/./g, '*');
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}

// duration renders a positive span of milliseconds as H:MM:SS.
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

// timeLeft says how long remains until deadline, or that it has passed.
export function timeLeft(deadline, now = Date.now()) {
  const d = Date.parse(deadline);
  if (Number.isNaN(d)) return '';
  const left = d - now;
  return left >= 0 ? t('time.left', { d: duration(left) }) : t('time.overdue', { d: duration(-left) });
}

// dateTime renders an ISO time in the page's language and local zone.
export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(current() === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

// label returns the translated label for a key if the table has one,
// otherwise the fallback (used for API values the table does not know).
export function label(key, fallback) {
  return has(key) ? t(key) : fallback;
}

// el builds an element with text; scripts never assign HTML strings, so
// nothing from the API can inject markup.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'hidden') e.hidden = true;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
