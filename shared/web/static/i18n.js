// i18n: the one table of every string the pages show (i18n.json), the
// current language (zh-CN by default, remembered in localStorage), and the
// language switch. Pages mark translatable text with data-i18n and friends
// so switching language never reloads the page or loses what was typed.

const storageKey = 'kaiban.lang';
export const languages = ['zh-CN', 'en'];

let table = {};
let lang = 'zh-CN';
const listeners = [];

function storedLang() {
  try {
    const v = localStorage.getItem(storageKey);
    return languages.includes(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

// load fetches the table once and applies the remembered language.
export async function load() {
  const res = await fetch('/static/i18n.json', { headers: { Accept: 'application/json' } });
  table = await res.json();
  lang = storedLang();
  apply(document);
}

export function current() {
  return lang;
}

// t returns the string for key in the current language, with {name}
// placeholders replaced from vars. A missing key shows the key itself, so a
// gap is visible rather than blank.
export function t(key, vars) {
  const s = (table[lang] && table[lang][key]) ?? (table['zh-CN'] && table['zh-CN'][key]) ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// has reports whether the table knows key.
export function has(key) {
  return Boolean(table['zh-CN'] && key in table['zh-CN']);
}

// apply translates every marked element under root.
export function apply(root) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
  const sw = root.querySelector ? root.querySelector('#lang-switch') : null;
  if (sw) sw.lang = lang === 'en' ? 'zh-CN' : 'en';
}

export function set(next) {
  if (!languages.includes(next) || next === lang) return;
  lang = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Private browsing may refuse storage; the switch still works for this page.
  }
  apply(document);
  for (const fn of listeners) fn(lang);
}

// onChange registers fn to run after every language switch (to re-render
// text built by scripts, or to fetch server messages in the new language).
export function onChange(fn) {
  listeners.push(fn);
}

// wireSwitch makes the header button toggle between the two languages.
export function wireSwitch() {
  const sw = document.getElementById('lang-switch');
  if (sw) sw.addEventListener('click', () => set(lang === 'en' ? 'zh-CN' : 'en'));
}
