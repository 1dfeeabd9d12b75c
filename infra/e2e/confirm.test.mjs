// A founder opens their confirmation link in a browser of their own,
// verifies their identity, reads their part and signs; the application's
// status then shows them SIGNED. A wrong link shows the same "not valid"
// page as an unknown one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, confirmLink, eventually, exampleForm, launch, open, ready, shot } from './helpers.mjs';

test('a founder verifies and signs from their link', async (t) => {
  const form = await exampleForm();
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id, accessToken } = sub.data;

  const browser = await launch();
  t.after(() => browser.close());

  // 李四 (supervisor and liaison in the example form) is the third person.
  const founder = await open(browser, { viewport: { width: 390, height: 844 } });
  const fp = founder.page;
  await fp.goto(confirmLink(id, 2));
  await ready(fp);
  await fp.locator('#part-view:not([hidden])').waitFor();
  assert.equal(await fp.locator('#c-person').innerText(), '李四');
  assert.match(await fp.locator('#c-id').innerText(), /^340\*+1X$/);
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

  const st = await api('GET', `/v1/applications/${id}`, { token: accessToken });
  assert.equal(st.status, 200);
  const states = st.data.confirmations.map((c) => `${c.name}:${c.state}`);
  assert.deepEqual(states, ['张*:PENDING', '刘*:PENDING', '李*:SIGNED', '王*:PENDING']);

  // A link with a wrong secret part reads as not valid, like an unknown one.
  const wrong = await open(browser);
  await wrong.page.goto(confirmLink(id, 2).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
  await ready(wrong.page);
  await wrong.page.locator('#confirm-error:not([hidden])').waitFor();
  assert.match(await wrong.page.locator('#confirm-error').innerText(), /链接无效或已过期/);
});
