// A founder opens the confirmation link of their SMS (read from the local
// stack's outbox) in a browser of their own, verifies their identity,
// reads their part and signs; the status page, opened in a third browser
// from the status link of the applicant's SMS, shows each person's state
// and, once everyone has signed, the acceptance. A wrong link shows the
// same "not valid" page as an unknown one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, confirmLinks, eventually, exampleForm, founders, isoDate, launch, nextWorkingDay, open, ready, shot, signAll, statusLink, withFreshPeople } from './helpers.mjs';

// statesOn reads the founders' states off a status page, reloading it
// until they are want: a page stops polling once the application has
// ended, and a workflow that does not wait for the signatures may end
// first. The token stays in the tab's sessionStorage across reloads.
async function statesOn(page, want, what) {
  const read = () => page.locator('#st-confirmations li').evaluateAll((lis) => lis.map((li) => li.dataset.state));
  await eventually(async () => {
    const got = await read();
    if (JSON.stringify(got) === JSON.stringify(want)) return true;
    await page.reload();
    await ready(page);
    await page.locator('#status-body:not([hidden])').waitFor();
    return false;
  }, { what, every: 500 });
}

test('a founder signs from the SMS link; the status from the applicant SMS shows the progress', async (t) => {
  // People who have not verified on this stack yet, so each one meets
  // the identity check.
  const form = withFreshPeople(await exampleForm());
  let sub;
  for (let day = nextWorkingDay(), tries = 0; tries < 10; tries++, day = nextWorkingDay(day)) {
    form.bank.appointmentDate = isoDate(day); // public holidays are the validator's
    sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    if (sub.status === 202) break;
  }
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id } = sub.data;
  const links = await confirmLinks(id, founders);
  const messages = (await api('GET', '/dev/outbox')).data.messages.filter((m) => m.link === links[2]);
  assert.deepEqual(messages.map((m) => m.to), [form.supervisors[0].mobile], 'the third founder got their link by SMS, once');
  assert.match(messages[0].text, /李四/);

  const browser = await launch();
  t.after(() => browser.close());

  // Third browser: the applicant's phone, from the status link of the SMS.
  const watcher = await open(browser, { viewport: { width: 390, height: 844 } });
  const wp = watcher.page;
  await wp.goto(await statusLink(id));
  await ready(wp);
  await wp.locator('#status-body:not([hidden])').waitFor();
  assert.equal(await wp.locator('#st-id').innerText(), id);
  await statesOn(wp, ['PENDING', 'PENDING', 'PENDING', 'PENDING'], 'four founders pending');
  assert.equal(await wp.locator('#st-accepted').innerText(), '—');
  await shot(wp, 'confirm-0-status-pending');

  // Second browser: 李四 (supervisor and liaison in the example form), the
  // third person, on their phone.
  const founder = await open(browser, { viewport: { width: 390, height: 844 } });
  const fp = founder.page;
  await fp.goto(links[2]);
  await ready(fp);
  await fp.locator('#part-view:not([hidden])').waitFor();
  assert.equal(await fp.locator('#c-person').innerText(), '李四');
  assert.equal(await fp.locator('#c-id').innerText(), form.supervisors[0].idNumber.slice(0, 3) + '*'.repeat(13) + form.supervisors[0].idNumber.slice(-2));
  assert.deepEqual(await fp.locator('#c-roles li').allInnerTexts(), ['监事', '联络员']);
  assert.match(await fp.locator('#c-documents').innerText(), /SHA-256 [0-9a-f]{64}/);
  await shot(fp, 'confirm-1-part');

  await fp.getByRole('button', { name: '开始人脸识别并核验' }).click();
  await fp.locator('#decision-step:not([hidden])').waitFor();
  await shot(fp, 'confirm-2-verified');
  await fp.getByRole('button', { name: '确认签署' }).click();
  await eventually(async () => (await fp.locator('#c-state').innerText()) === '已签署', { what: 'the signed state' });
  await shot(fp, 'confirm-3-signed');
  assert.deepEqual(founder.problems, []);

  // The applicant's phone shows 李四 signed, the others still pending.
  await statesOn(wp, ['PENDING', 'PENDING', 'SIGNED', 'PENDING'], 'the third founder signed');
  assert.match(await wp.locator('#st-confirmations li[data-state="SIGNED"]').innerText(), /李\*：已签署/);
  await shot(wp, 'confirm-4-status-one-signed');

  // The others sign from their links; the application is accepted.
  await signAll(id, founders);
  await statesOn(wp, ['SIGNED', 'SIGNED', 'SIGNED', 'SIGNED'], 'every founder signed');
  await eventually(async () => (await wp.locator('#st-accepted').innerText()) !== '—', { what: 'the acceptance time' });
  await shot(wp, 'confirm-5-status-accepted');
  assert.deepEqual(watcher.problems, []);

  // A link with a wrong secret part reads as not valid, like an unknown one.
  const wrong = await open(browser);
  await wrong.page.goto(links[2].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
  await ready(wrong.page);
  await wrong.page.locator('#confirm-error:not([hidden])').waitFor();
  assert.match(await wrong.page.locator('#confirm-error').innerText(), /链接无效或已过期/);
});
