// Shared helpers of the browser tests: where the stack is, how to start
// Chromium, screenshots, and small API calls for setting up a scenario.

import { createHmac } from 'node:crypto';
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
  f.bank.appointmentDate = isoDate(nextWorkingDay());
  const due = new Date();
  due.setFullYear(due.getFullYear() + 2);
  for (const sh of f.shareholders) sh.contribution.dueDate = isoDate(due);
  const next = new Date();
  f.employment.socialInsuranceFrom = isoDate(new Date(next.getFullYear(), next.getMonth() + 1, 1));
  return f;
}

// confirmLink is founder seq's confirmation link for application id, made
// the way the stack makes it (kaiban.ConfirmToken: HMAC-SHA256 under the
// data directory's token.secret), standing in for the message the founder
// receives until the messages can be read from the stack itself.
export function confirmLink(id, seq) {
  const data = process.env.KAIBAN_DATA || resolve(here, '../../.kaiban');
  const b64 = process.env.KAIBAN_TOKEN_SECRET || readFileSync(join(data, 'token.secret'), 'utf8');
  const secret = Buffer.from(b64.trim(), 'base64');
  const mac = createHmac('sha256', secret).update(`kaiban confirmation token v1\u0000${id}\u0000${seq}`).digest('base64url');
  return `/confirm#${id}.${seq}.${mac}`;
}
