// Correction in place (补正): a clerk sends a refused seal registration
// back to the applicant, who corrects the address in the portal; the
// application then completes.
//
// The refusal comes from the agency simulators' documented trigger
// (infra/sim): an address containing 封存 makes the seal system refuse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, exampleForm, founders, launch, open, ready, shot, signAll, signInClerk } from './helpers.mjs';

test('a clerk sends a task back for correction and the applicant corrects it in the portal', async (t) => {
  const form = await exampleForm();
  form.company.address.detail = '和平区封存路1号';
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id, accessToken } = sub.data;
  await signAll(id, founders);

  const browser = await launch();
  t.after(() => browser.close());

  // The applicant follows the application.
  const applicant = await open(browser);
  const ap = applicant.page;
  await ap.goto(`/#/status/${encodeURIComponent(id)}`);
  await ready(ap);
  await ap.getByLabel('访问令牌').fill(accessToken);
  await ap.getByRole('button', { name: '查看进度' }).click();
  await ap.locator('#st-tracks li[data-track="seal"][data-status="WAITING_CLERK"]').waitFor({ timeout: 120000 });

  // The clerk signs in through the login page and opens the task.
  const clerk = await open(browser);
  const cp = clerk.page;
  await signInClerk(cp);
  const row = cp.locator('#queue-body tr', { hasText: id });
  await row.waitFor({ timeout: 60000 });
  await row.getByRole('button').click();
  await cp.locator('#detail').waitFor();
  await cp.getByRole('button', { name: '认领' }).click();
  await cp.locator('#resolve:not([hidden])').waitFor();

  // Send it back: the address, a reason from the list, a note the applicant reads.
  await cp.getByLabel('退回补正（申请人修改指定字段）').check();
  await cp.locator('#correct-field:not([hidden])').waitFor();
  await cp.getByLabel('内部备注').fill('该住所已被查封，请更换注册地址');
  await cp.getByRole('button', { name: '提交处理' }).click();
  await assert.doesNotReject(cp.getByText('请至少选择一个需要补正的字段').waitFor(), 'no field picked is refused before it is sent');
  await cp.getByLabel('company.address.detail').check();
  await cp.getByLabel('补正原因').selectOption('ADDRESS_UNUSABLE');
  await shot(cp, 'correction-1-clerk-sends-back');
  await cp.getByRole('button', { name: '提交处理' }).click();
  await cp.locator('#d-status.task-RESOLVED').waitFor();

  // The applicant sees the request, the clock paused, and a form with only the address.
  await ap.locator('body[data-app-status="NEEDS_CORRECTION"]').waitFor({ timeout: 60000 });
  await ap.locator('#st-correction:not([hidden])').waitFor();
  assert.match(await ap.locator('#st-correction-reason').innerText(), /住所无法使用/);
  assert.match(await ap.locator('#st-countdown').innerText(), /暂停计时/);
  const inputs = await ap.locator('#st-correction-fields input').evaluateAll((els) => els.map((e) => e.name));
  assert.deepEqual(inputs, ['company.address.detail'], 'only the field asked for is editable');
  await shot(ap, 'correction-2-applicant-asked');

  // An empty address is refused at the field; a real one goes through.
  const address = ap.locator('#st-correction-fields input');
  await address.fill('');
  await ap.getByRole('button', { name: '提交补正' }).click();
  await ap.locator('#st-correction-fields input[aria-invalid="true"]').waitFor();
  await address.fill('和平区南京北街100号');
  await ap.getByRole('button', { name: '提交补正' }).click();
  await ap.locator('#st-correction[hidden]').waitFor({ state: 'attached' });

  await ap.locator('body[data-app-status="COMPLETED"]').waitFor({ timeout: 120000 });
  await shot(ap, 'correction-3-applicant-completed');

  // The clerk signs out: the console closes and the tab keeps no token.
  await cp.getByRole('button', { name: '退出登录' }).click();
  await cp.waitForURL(/\/clerk$/);
  await cp.locator('#signin:not([hidden])').waitFor();
  const left = await cp.evaluate(() => Object.keys(sessionStorage).filter((k) => /token|refresh|oidc/i.test(k)));
  assert.deepEqual(left, [], 'no token is left in the clerk\'s tab');
  assert.deepEqual(applicant.problems.filter((p) => !/400/.test(p)), [], 'applicant page: no script errors');
  assert.deepEqual(clerk.problems, [], 'clerk console: no script errors');
});
