// Assisted filing (帮办) and the supervisor's view. A clerk fills in the
// portal's form for an applicant in the console (by phone), hands over
// the status link shown once, every founder signs from their own SMS
// link, the application completes, and its audit trail names the clerk
// as the filer. A supervisor sees the supervisor's view; a plain clerk
// does not, and the API refuses it to them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, clerkToken, eventually, exampleForm, founders, isoDate, launch, nextWorkingDay, open, ready, shot, signAll, signInClerk, clerkAccount, tradeName } from './helpers.mjs';

const field = (page, path) => page.locator(`#assist-host [data-path="${path}"]`);

// fileUntilAccepted presses submit until the console shows the result.
// The example's bank date is the next working day, and public holidays
// are known only to the validator: on that one error the date moves on a
// day, as a clerk told so would; any other error fails the test.
async function fileUntilAccepted(page) {
  let day = nextWorkingDay();
  for (let tries = 0; ; tries++) {
    await field(page, 'bank.appointmentDate').fill(isoDate(day));
    // The answer to this submit decides (the error summary of an earlier
    // one may still be on the page until it comes).
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/v1/clerk/applications');
    await page.locator('#assist-host').getByRole('button', { name: '提交申请' }).click();
    if ((await answered).status() === 202) {
      await page.locator('#assist-result:not([hidden])').waitFor();
      return;
    }
    await page.locator('#error-summary:not([hidden])').waitFor();
    const errs = await page.locator('#error-summary-list li').allInnerTexts();
    const onlyDate = (await page.locator('#assist-host .field-error:not([hidden])').count()) === 1 && (await field(page, 'bank.appointmentDate').getAttribute('aria-invalid')) === 'true';
    if (!onlyDate || tries >= 10) {
      await shot(page, 'assist-x-unexpected-errors');
      assert.fail(`the filled form was refused: ${errs.join(' | ')}`);
    }
    day = nextWorkingDay(day);
  }
}

test('a clerk files for an applicant by phone; the founders sign; the trail names the clerk', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const clerk = await open(browser);
  const cp = clerk.page;
  await signInClerk(cp);
  assert.equal(await cp.locator('#supervisor').isHidden(), true, 'a plain clerk has no supervisor view');

  // The portal's own form opens in the console, with its pickers.
  await cp.getByRole('button', { name: '开始填报' }).click();
  await field(cp, 'company.nameParts.tradeName').waitFor();
  await cp.getByRole('button', { name: '填入示例数据' }).click();
  await eventually(async () => (await field(cp, 'company.address.regionCode').inputValue()) !== '', { what: 'the example in the pickers' });
  const trade = tradeName();
  await field(cp, 'company.nameParts.tradeName').fill(trade);
  assert.match(await field(cp, 'company.name').inputValue(), new RegExp(trade), 'the name is composed of its parts');
  await cp.locator('#assist-channel').selectOption('phone');
  await shot(cp, 'assist-1-form');

  // The same checks as the portal: a broken mobile is refused, in place.
  const mobile = await field(cp, 'legalRepresentative.mobile').inputValue();
  await field(cp, 'legalRepresentative.mobile').fill('12345');
  await cp.locator('#assist-host').getByRole('button', { name: '提交申请' }).click();
  await cp.locator('#error-summary:not([hidden])').waitFor();
  assert.equal(await field(cp, 'legalRepresentative.mobile').getAttribute('aria-invalid'), 'true');
  await field(cp, 'legalRepresentative.mobile').fill(mobile);

  await fileUntilAccepted(cp);
  const id = (await cp.locator('#assist-id').innerText()).trim();
  const link = (await cp.locator('#assist-link').innerText()).trim();
  assert.match(link, new RegExp(`/status/${id}#token=`), 'the status link is shown to hand over');
  await shot(cp, 'assist-2-filed', { full: false });

  // Every founder confirms from their own link: the application is theirs.
  await signAll(id, founders);
  const token = decodeURIComponent(new URL(link).hash.replace(/^#token=/, ''));
  const done = await eventually(async () => {
    const st = await api('GET', `/v1/applications/${id}`, { token });
    return st.status === 200 && st.data.status === 'COMPLETED' && st.data;
  }, { what: `${id} completed`, timeout: 120000 });
  assert.match(done.filedBy.text, /通过电话为您代办/);

  // The applicant opens the link they were given.
  const applicant = await open(browser);
  await applicant.page.goto(link);
  await ready(applicant.page);
  await applicant.page.locator('#st-filedby:not([hidden])').waitFor();
  assert.match(await applicant.page.locator('#st-filedby').innerText(), /由工作人员 .+ 通过电话为您代办/);
  await shot(applicant.page, 'assist-3-applicant-status');

  // The audit trail names the clerk as the filer.
  const view = await api('GET', `/v1/clerk/applications/${id}`, { token: clerkToken() });
  assert.equal(view.status, 200);
  const submitted = view.data.audit.find((e) => e.action === 'application.submitted');
  assert.equal(submitted.actor, `clerk:${view.data.filedBy.sub}`);
  assert.equal(view.data.filedBy.channel, 'phone');
  assert.equal(view.data.auditVerification.intact, true);

  assert.deepEqual([...clerk.problems, ...applicant.problems], []);
});

test('a supervisor sees the queue and who holds what; a plain clerk is refused the view', async (t) => {
  const refused = await api('GET', '/v1/clerk/supervisor', { token: clerkToken() });
  assert.equal(refused.status, 403);

  // A task for the queue: the seal system refuses an address with 封存.
  const form = await exampleForm();
  form.company.address.detail = '和平区封存路2号';
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id } = sub.data;
  await signAll(id, founders);

  const browser = await launch();
  t.after(() => browser.close());
  const sup = await open(browser);
  await signInClerk(sup.page, clerkAccount('supervisor1'));
  await sup.page.locator('#supervisor:not([hidden])').waitFor();
  const queued = sup.page.locator('#sup-queue tr', { hasText: id });
  await queued.waitFor({ timeout: 60000 });
  assert.match(await queued.locator('td').first().innerText(), /^剩余 \d+:\d\d:\d\d$/, 'time left is shown');
  assert.equal(await queued.locator('td').nth(1).innerText(), '公章刻制');
  await shot(sup.page, 'assist-4-supervisor-queue');

  // A clerk claims it: the supervisor sees it in their hands.
  const task = (await api('GET', '/v1/clerk/tasks?status=OPEN', { token: clerkToken() })).data.tasks.find((x) => x.applicationId === id);
  assert.ok(task, 'the task is in the queue');
  const claim = await api('POST', `/v1/clerk/tasks/${task.id}/claim`, { token: clerkToken() });
  assert.equal(claim.status, 200);
  const holder = sup.page.locator('#sup-clerks tr[data-clerk="dev-clerk"]');
  await holder.waitFor({ timeout: 30000 });
  assert.equal(await holder.locator('td').nth(1).innerText(), '1');
  await eventually(async () => (await queued.count()) === 0, { what: 'the claimed task to leave the open queue', timeout: 30000 });
  await shot(sup.page, 'assist-5-supervisor-clerks');
  // Give it back for the other tests.
  assert.equal((await api('POST', `/v1/clerk/tasks/${task.id}/release`, { token: clerkToken() })).status, 200);
  assert.deepEqual(sup.problems, []);
});
