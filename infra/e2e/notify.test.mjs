// The messages a person would get by SMS, read from the local stack's
// outbox: the status link opens the application in a browser that never
// submitted it (a phone), and a draft's resume link restores the form in
// another browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, eventually, exampleForm, isoDate, launch, nextWorkingDay, open, ready, shot } from './helpers.mjs';

// outboxLink waits for a message whose link matches re (and, with to,
// that went to that address: other tests' drafts share the outbox) and
// returns it.
async function outboxLink(re, what, to) {
  return eventually(async () => {
    const { status, data } = await api('GET', '/dev/outbox');
    assert.equal(status, 200);
    return data.messages.find((m) => re.test(m.link || '') && (to === undefined || m.to === to))?.link;
  }, { what, timeout: 30000 });
}

test('the status link from the SMS opens the status in a fresh browser', async () => {
  const form = await exampleForm();
  let res;
  for (let day = nextWorkingDay(), tries = 0; tries < 10; tries++, day = nextWorkingDay(day)) {
    form.bank.appointmentDate = isoDate(day); // public holidays are the validator's
    res = await api('POST', '/v1/applications', { body: form });
    if (res.status === 202) break;
  }
  assert.equal(res.status, 202, JSON.stringify(res.data));
  const id = res.data.id;
  const link = await outboxLink(new RegExp(`/status/${id}#token=`), 'the submitted SMS');

  const browser = await launch();
  try {
    const { context, page, problems } = await open(browser);
    await page.goto(link);
    await ready(page);
    await page.locator('#status-body:not([hidden])').waitFor();
    assert.equal(await page.locator('#st-id').innerText(), id);
    assert.ok(!page.url().includes('token='), `the token stayed in the address bar: ${page.url()}`);
    await shot(page, 'notify-1-status-from-sms');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('a draft resumes in another browser from its resume link', async () => {
  const browser = await launch();
  try {
    const first = await open(browser);
    await first.page.goto('/');
    await ready(first.page);
    const mobile = `139${String(Date.now()).slice(-8)}`;
    await first.page.locator('[data-path="legalRepresentative.name"]').fill('韩梅梅');
    await first.page.locator('[data-path="legalRepresentative.mobile"]').fill(mobile);
    await first.page.locator('[data-path="legalRepresentative.email"]').fill('han@example.com');
    const link = await outboxLink(/\/drafts\/[^#]+#token=/, 'the resume link SMS', mobile);
    const msgs = (await api('GET', '/dev/outbox')).data.messages.filter((m) => m.link === link);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0].to, mobile);

    const second = await open(browser);
    await second.page.goto(link);
    await ready(second.page);
    const value = (path) => second.page.locator(`[data-path="${path}"]`).inputValue();
    await eventually(async () => (await value('legalRepresentative.mobile')) === mobile, { what: 'the restored mobile' });
    assert.equal(await value('legalRepresentative.name'), '韩梅梅');
    assert.equal(await value('legalRepresentative.email'), 'han@example.com');
    assert.ok(!second.page.url().includes('token='), `the token stayed in the address bar: ${second.page.url()}`);
    await shot(second.page, 'notify-2-draft-resumed');
    assert.deepEqual(first.problems, []);
    assert.deepEqual(second.problems, []);
  } finally {
    await browser.close();
  }
});
