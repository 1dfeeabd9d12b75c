// Shared helpers of the browser tests: where the stack is, how to start
// Chromium, screenshots, small API calls for setting up a scenario, and
// the messages a person receives, read from the stack's outbox.

import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

// baseURL is the running local stack (run.sh sets KAIBAN_URL).
export const baseURL = (process.env.KAIBAN_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');

// artifacts is where every screenshot goes; CI keeps the folder.
export const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

// clerkToken is the dev clerk token the local stack printed: from
// KAIBAN_CLERK_TOKEN, or from <data>/clerk.token (KAIBAN_DATA, default .kaiban).
export function clerkToken() {
  if (process.env.KAIBAN_CLERK_TOKEN) return process.env.KAIBAN_CLERK_TOKEN.trim();
  const data = process.env.KAIBAN_DATA || resolve(here, '../../.kaiban');
  try {
    return readFileSync(join(data, 'clerk.token'), 'utf8').trim();
  } catch (err) {
    throw new Error(`no clerk token: set KAIBAN_CLERK_TOKEN or KAIBAN_DATA (looked in ${data}/clerk.token): ${err.message}`);
  }
}

// clerkAccount is one of the embedded provider's clerk accounts (clerk1,
// clerk2, supervisor1) from <data>/clerks.json, with its password.
export function clerkAccount(username = 'clerk1') {
  const data = process.env.KAIBAN_DATA || resolve(here, '../../.kaiban');
  const file = join(data, 'clerks.json');
  let accounts;
  try {
    accounts = JSON.parse(readFileSync(file, 'utf8')).accounts;
  } catch (err) {
    throw new Error(`no clerk accounts: set KAIBAN_DATA (looked in ${file}): ${err.message}`);
  }
  const a = accounts.find((x) => x.username === username);
  if (!a) throw new Error(`no account ${username} in ${file}`);
  return a;
}

// signInClerk signs in to the console as a clerk does: the console's
// sign-in button, the provider's login page, back to the console.
export async function signInClerk(page, account = clerkAccount()) {
  await page.goto('/clerk');
  await ready(page);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/oidc\/login/);
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/clerk$/);
  await ready(page);
  await page.locator('#console:not([hidden])').waitFor();
}

// launch starts Debian's Chromium headless. The background-networking
// flags keep it from dialling out on a machine with no network.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// open returns a fresh page (its own context: no shared storage) and a list
// that collects what a careful user would call a defect: script errors,
// console errors (which include CSP violations) and failed requests.
export async function open(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', viewport, timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // 4xx answers are part of the scenarios (a validation 400); the page
    // handles them, Chromium still logs them as console errors.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText || '';
    if (!why.includes('ERR_ABORTED')) problems.push(`request failed: ${req.url()} ${why}`);
  });
  return { context, page, problems };
}

// shot saves a screenshot named after the test step, of the whole page or
// (full: false) of what is in view.
export async function shot(page, name, { full = true } = {}) {
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: full });
  return file;
}

// ready waits until the page's script has loaded its strings and wired
// its controls (it sets body[data-ready]).
export async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]');
}

// api calls the JSON API directly, for setting up a scenario.
export async function api(method, path, { body, token, headers = {} } = {}) {
  const res = await fetch(baseURL + path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: res.status, data };
}

// eventually polls fn until it returns a truthy value or the deadline
// passes; tests wait on observable state, never on fixed sleeps.
export async function eventually(fn, { timeout = 60000, every = 250, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// isoDate renders a local date as YYYY-MM-DD.
export function isoDate(d) {
  const z = new Date(d.getTime() - d.getTimezoneOffset() * 60000);
  return z.toISOString().slice(0, 10);
}

// nextWorkingDay is the next Monday–Friday after from. Public holidays are
// the validator's business; tests pick a date a week out when that matters.
export function nextWorkingDay(from = new Date(), plusDays = 1) {
  const d = new Date(from);
  d.setDate(d.getDate() + plusDays);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  return d;
}

// bankDay is the first working day after today on the service's own
// calendar (GET /v1/reference/workdays), public holidays left out.
export async function bankDay() {
  const { status, data } = await api('GET', '/v1/reference/workdays');
  if (status !== 200) throw new Error(`workdays: HTTP ${status}`);
  const day = data.workdays.find((d) => d > data.from);
  if (!day) throw new Error(`no working day after ${data.from}`);
  return day;
}

// tradeName returns a fresh two- or three-character Chinese trade name, so
// repeated runs against one data directory never collide on a name.
export function tradeName() {
  const chars = '华星辰岳松竹泽远鸿嘉瑞恒润晟弘博睿航悦安宁和丰源';
  let s = '';
  for (let i = 0; i < 3; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

// exampleForm is the portal's own example, with fresh dates and a fresh
// trade name, for scenarios set up through the API.
export async function exampleForm() {
  const { status, data } = await api('GET', '/static/example.json');
  if (status !== 200) throw new Error(`example.json: HTTP ${status}`);
  const f = structuredClone(data);
  const name = tradeName();
  f.company.nameParts.tradeName = name;
  f.company.name = f.company.nameParts.region + name + f.company.nameParts.industry + f.company.nameParts.orgForm;
  f.bank.appointmentDate = await bankDay();
  const due = new Date();
  due.setFullYear(due.getFullYear() + 2);
  for (const sh of f.shareholders) sh.contribution.dueDate = isoDate(due);
  const next = new Date();
  f.employment.socialInsuranceFrom = isoDate(new Date(next.getFullYear(), next.getMonth() + 1, 1));
  return f;
}

// outbox returns the messages the local stack would have sent (GET
// /dev/outbox), newest first.
export async function outbox() {
  const { status, data } = await api('GET', '/dev/outbox');
  if (status !== 200) throw new Error(`/dev/outbox: HTTP ${status}`);
  return data.messages;
}

// confirmLinks waits until every founder of application id has had their
// confirmation SMS (count people) and returns the links from the outbox
// in person order: what each founder taps on their phone.
export async function confirmLinks(id, count) {
  const mine = new RegExp(`/confirm#${id}\\.(\\d+)\\.`);
  return eventually(async () => {
    const links = [];
    for (const m of await outbox()) {
      const seq = m.channel === 'sms' && mine.exec(m.link || '')?.[1];
      if (seq !== false && seq !== undefined) links[Number(seq)] = m.link;
    }
    return links.filter(Boolean).length >= count && links;
  }, { what: `${count} confirmation links of ${id} in the outbox`, timeout: 30000 });
}

// statusLink waits for the status link of application id in the outbox
// (the "submitted" SMS).
export async function statusLink(id) {
  const mine = new RegExp(`/status/${id}#token=`);
  return eventually(async () => (await outbox()).find((m) => m.channel === 'sms' && mine.test(m.link || ''))?.link,
    { what: `the status link of ${id} in the outbox`, timeout: 30000 });
}

// tokenOf is the token in a confirmation link's fragment.
export function tokenOf(link) {
  return new URL(link, baseURL).hash.slice(1);
}

// signAll verifies and signs, through the API the confirmation page
// calls, for every founder of application id (count people) whose link
// is in the outbox, skipping those already decided.
export async function signAll(id, count) {
  for (const link of await confirmLinks(id, count)) {
    if (!link) continue;
    const token = encodeURIComponent(tokenOf(link));
    const v = await api('POST', `/v1/confirmations/${token}/identity`, { body: { liveness: { passed: true } } });
    if (v.status !== 200 || !v.data.verified) throw new Error(`identity for ${link}: HTTP ${v.status} ${JSON.stringify(v.data)}`);
    const d = await api('POST', `/v1/confirmations/${token}/decision`, { body: { sign: true } });
    if (d.status !== 200 && d.status !== 409) throw new Error(`signing ${link}: HTTP ${d.status} ${JSON.stringify(d.data)}`);
  }
}

// freshID returns a valid resident ID number in the district of prefix
// (its first six digits) with a random birth date and sequence: a person
// who has never verified on this stack, so their page asks for the
// identity check (a verification of the last 30 days would stand in).
export function freshID(prefix) {
  const pad = (n, w) => String(n).padStart(w, '0');
  const rnd = (n) => Math.floor(Math.random() * n);
  const first = prefix.slice(0, 6) + (1970 + rnd(30)) + pad(1 + rnd(12), 2) + pad(1 + rnd(28), 2) + pad(rnd(1000), 3);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first + '10X98765432'[sum % 11];
}

// withFreshPeople replaces every ID number in form by a fresh one of the
// same district (one person keeps one number across their roles).
export function withFreshPeople(form) {
  const json = JSON.stringify(form);
  const fresh = new Map();
  return JSON.parse(json.replace(/"idNumber":"(\d{17}[\dX])"/g, (_, id) => {
    if (!fresh.has(id)) fresh.set(id, freshID(id));
    return `"idNumber":"${fresh.get(id)}"`;
  }));
}

// founders is how many people confirm the example form (张三, 刘六, 李四,
// 王五).
export const founders = 4;

