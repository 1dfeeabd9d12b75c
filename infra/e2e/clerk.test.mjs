// A clerk resolves an escalated task in the console, and the applicant's
// status page shows the track completing.
//
// The escalation comes from the agency simulators' documented trigger
// (infra/sim): an address containing 封存 makes the seal system refuse,
// which the workflow catches and hands to a clerk.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, clerkAccount, eventually, exampleForm, founders, launch, open, ready, shot, signAll, signInClerk } from './helpers.mjs';

test('a clerk completes an escalated seal registration and the applicant sees it succeed', async (t) => {
  // The applicant's application, submitted through the API.
  const form = await exampleForm();
  form.company.address.detail = '和平区封存路1号';
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id, accessToken } = sub.data;
  await signAll(id, founders); // every founder signs from their SMS link

  const browser = await launch();
  t.after(() => browser.close());

  // The applicant opens the status link in a new session and pastes the token.
  const applicant = await open(browser);
  const ap = applicant.page;
  await ap.goto(`/#/status/${encodeURIComponent(id)}`);
  await ready(ap);
  await ap.getByLabel('访问令牌').fill(accessToken);
  await ap.getByRole('button', { name: '查看进度' }).click();
  const seal = ap.locator('#st-tracks li[data-track="seal"]');
  await ap.locator('#st-tracks li[data-track="seal"][data-status="WAITING_CLERK"]').waitFor({ timeout: 120000 });
  assert.equal(await seal.locator('.badge').innerText(), '人工处理中');
  await shot(ap, 'clerk-1-applicant-waiting');

  // The clerk signs in through the login page.
  const clerk = await open(browser);
  const cp = clerk.page;
  await signInClerk(cp);

  // The task is in the queue (refreshed every few seconds); open it.
  const row = cp.locator('#queue-body tr', { hasText: id });
  await row.waitFor({ timeout: 60000 });
  assert.equal(await row.locator('td').nth(1).innerText(), '公章刻制');
  assert.match(await row.locator('td.left').innerText(), /^剩余 \d+:\d\d:\d\d$/, 'time left to the deadline is shown');
  await shot(cp, 'clerk-3-queue', { full: false });
  await row.getByRole('button').click();
  const detail = cp.locator('#detail');
  await detail.waitFor();
  assert.notEqual((await cp.locator('#d-reason').innerText()).trim(), '—', 'the failure reason is shown');
  await cp.locator('#a-tracks tr[data-track="seal"]').waitFor();
  assert.match(await cp.locator('#audit-verify').innerText(), /校验通过/, 'the audit trail verifies');
  await shot(cp, 'clerk-4-task-detail');

  // Claim: the form offers exactly the decisions a track exception takes.
  await cp.getByRole('button', { name: '认领' }).click();
  await cp.locator('#resolve:not([hidden])').waitFor();
  const choices = await cp.locator('#decisions input[type="radio"]').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(choices, ['retry', 'complete', 'reject', 'correct'], 'a track exception offers its four decisions');

  // Return it to the queue, then claim it again.
  await cp.getByRole('button', { name: '退回队列' }).click();
  await cp.locator('#claim:not([hidden])').waitFor();
  await cp.getByRole('button', { name: '认领' }).click();
  await cp.locator('#resolve:not([hidden])').waitFor();

  // Complete by hand with the seal filing.
  await cp.getByLabel('人工办结（录入办理结果）').check();
  const filing = {
    seals: form.seals.types.map((type, i) => ({ type, filingCode: `21010200${String(90001 + i)}` })),
    carvingShop: form.seals.carvingShop,
    filedAt: new Date().toISOString(),
  };
  await cp.getByLabel('办理结果（JSON）').fill('{not json');
  await cp.getByLabel('内部备注').fill('地址已核实，印章已于窗口现场备案');
  await cp.getByRole('button', { name: '提交处理' }).click();
  await assert.doesNotReject(cp.getByText('办理结果须为 JSON 对象').waitFor(), 'bad JSON is refused before it is sent');
  await cp.getByLabel('办理结果（JSON）').fill(JSON.stringify(filing, null, 2));
  await shot(cp, 'clerk-5-resolve-form');
  await cp.getByRole('button', { name: '提交处理' }).click();
  await cp.locator('#d-status.task-RESOLVED').waitFor();
  assert.equal(await cp.locator('#d-status').innerText(), '已处理');
  await shot(cp, 'clerk-6-resolved');

  // The applicant's page shows the seal track completing, then the whole application.
  await ap.locator('#st-tracks li[data-track="seal"][data-status="SUCCEEDED"]').waitFor({ timeout: 120000 });
  assert.ok(!(await ap.locator('#st-tracks').innerText()).includes('窗口现场备案'), 'the clerk\'s internal note is not shown to the applicant');
  await ap.locator('body[data-app-status="COMPLETED"]').waitFor({ timeout: 120000 });
  await shot(ap, 'clerk-7-applicant-completed');

  // The clerk's action is in the audit trail.
  await eventually(async () => (await cp.locator('#a-audit tr').allInnerTexts()).some((r) => /clerk/.test(r)), { what: 'a clerk entry in the audit trail', timeout: 15000 });

  assert.deepEqual(applicant.problems, [], 'applicant page: no script errors');
  assert.deepEqual(clerk.problems, [], 'clerk console: no script errors');
});

test('a clerk signs in on the login page, works a task, signs out and is signed out', async (t) => {
  const form = await exampleForm();
  form.company.address.detail = '和平区封存路2号';
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id } = sub.data;
  await signAll(id, founders);

  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);
  await page.goto('/clerk');
  await ready(page);
  await shot(page, 'clerk-8-sign-in', { full: false });
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/oidc\/login/);

  // A wrong password is refused on the login page, in Chinese.
  const account = clerkAccount('clerk2');
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await assert.doesNotReject(page.getByText('用户名或密码不正确。').waitFor());
  await shot(page, 'clerk-9-login-refused', { full: false });
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/clerk$/);
  await page.locator('#console:not([hidden])').waitFor();
  assert.match(await page.locator('#whoami').innerText(), /clerk2/, 'the console names the clerk');
  assert.equal(new URL(page.url()).search, '', 'the code is taken out of the address bar');

  // Work a task: claim the escalated seal task and return it to the queue.
  const row = page.locator('#queue-body tr', { hasText: id });
  await row.waitFor({ timeout: 60000 });
  await row.getByRole('button').click();
  await page.getByRole('button', { name: '认领' }).click();
  await page.locator('#resolve:not([hidden])').waitFor();
  assert.ok((await page.locator('#d-claimed').innerText()).includes(account.sub), 'claimed by the signed-in clerk');
  await page.getByRole('button', { name: '退回队列' }).click();
  await page.locator('#claim:not([hidden])').waitFor();
  const refresh = await page.evaluate(() => sessionStorage.getItem('kaiban.oidc.refresh'));
  assert.ok(refresh, 'a refresh token is kept in the tab');

  // Sign out: back on the sign-in screen, every token gone, and the
  // provider no longer renews the session.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/clerk$/);
  await ready(page);
  await page.locator('#signin:not([hidden])').waitFor();
  assert.ok(await page.locator('#console').isHidden(), 'the console is closed');
  const left = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => /token|refresh|oidc/i.test(k)));
  assert.deepEqual(left, [], 'no token is left in the tab');
  const cfg = (await api('GET', '/v1/clerk-signin')).data;
  const res = await fetch(cfg.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: cfg.clientId }),
  });
  assert.equal(res.status, 400, 'the refresh token is refused after sign-out');
  const calls = await api('GET', '/v1/clerk/tasks');
  assert.equal(calls.status, 401, 'the API refuses clerk calls without a token');
  await shot(page, 'clerk-10-signed-out', { full: false });
  assert.deepEqual(problems, []);
});

test('a refused token is renewed quietly; a spent sign-in asks for a new one and keeps the work', async (t) => {
  const form = await exampleForm();
  form.company.address.detail = '和平区封存路3号';
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id } = sub.data;
  await signAll(id, founders);

  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);
  await signInClerk(page);
  const row = page.locator('#queue-body tr', { hasText: id });
  await row.waitFor({ timeout: 60000 });

  // A token the API refuses (unsigned), with the refresh token still there:
  // the console renews it and goes on, no prompt.
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const forged = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'mallory', username: 'mallory', exp: Math.floor(Date.now() / 1000) + 3600 })}.${b64('x')}`;
  await page.evaluate((tok) => sessionStorage.setItem('kaiban.clerkToken', tok), forged);
  await page.getByRole('button', { name: '刷新' }).click();
  await eventually(async () => (await page.evaluate(() => sessionStorage.getItem('kaiban.clerkToken'))) !== forged, { what: 'a renewed token', timeout: 10000 });
  assert.ok(await page.locator('#session-expired').isHidden(), 'no prompt while the session can be renewed');

  // The clerk claims the task and starts writing a note.
  await row.getByRole('button').click();
  await page.getByRole('button', { name: '认领' }).click();
  await page.locator('#resolve:not([hidden])').waitFor();
  await page.getByLabel('内部备注').fill('已电话联系申请人核实地址');

  // The sign-in is spent (refused token, no refresh token): the console
  // stays, with a prompt to sign in again.
  await page.evaluate((tok) => {
    sessionStorage.setItem('kaiban.clerkToken', tok);
    sessionStorage.removeItem('kaiban.oidc.refresh');
  }, forged);
  await page.getByRole('button', { name: '刷新' }).click();
  await page.locator('#session-expired:not([hidden])').waitFor();
  assert.ok(await page.locator('#console').isVisible(), 'the console stays on screen');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('kaiban.clerkToken')), null, 'the refused token is forgotten');
  assert.equal(await page.evaluate(() => document.cookie), '', 'no cookies are set');
  await shot(page, 'clerk-11-expired', { full: false });

  // Signing in again returns to the same task with the note as it was.
  await page.getByRole('button', { name: '重新登录' }).click();
  await page.waitForURL(/\/oidc\/login/);
  const account = clerkAccount();
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/clerk$/);
  await page.locator('#console:not([hidden])').waitFor();
  await page.locator('#resolve:not([hidden])').waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#d-app').innerText(), id, 'the same task is open');
  assert.equal(await page.getByLabel('内部备注').inputValue(), '已电话联系申请人核实地址', 'the note typed before is kept');
  assert.ok(await page.locator('#session-expired').isHidden());
  assert.deepEqual(problems.filter((p) => !/401/.test(p)), []);
});
