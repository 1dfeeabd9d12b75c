// The documents a new company keeps: once the founders have signed and
// the registrations have run, the status page lists the licence; the
// applicant downloads it, the bytes verify, and the licence's public
// verification page says it is valid.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, baseURL, eventually, exampleForm, founders, isoDate, launch, nextWorkingDay, open, ready, shot, signAll, statusLink } from './helpers.mjs';

test('the licence downloads from the status page and its verification page says valid', async () => {
  const form = await exampleForm();
  let res;
  for (let day = nextWorkingDay(), tries = 0; tries < 10; tries++, day = nextWorkingDay(day)) {
    form.bank.appointmentDate = isoDate(day); // public holidays are the validator's
    res = await api('POST', '/v1/applications', { body: form });
    if (res.status === 202) break;
  }
  assert.equal(res.status, 202, JSON.stringify(res.data));
  const id = res.data.id;
  await signAll(id, founders);
  const link = await statusLink(id);

  const browser = await launch();
  try {
    const { context, page, problems } = await open(browser);
    await page.goto(link);
    await ready(page);
    // The documents appear as the tracks succeed (the page asks again).
    const licence = page.locator('#st-document-list li[data-kind="license"] a[data-document]');
    await licence.waitFor({ timeout: 60000 });
    await shot(page, 'documents-1-status-page');
    const docID = await licence.getAttribute('data-document');
    assert.match(docID, /^DOC[0-9A-F]+$/);

    const [download] = await Promise.all([page.waitForEvent('download'), licence.click()]);
    const bytes = await readFile(await download.path());
    assert.ok(bytes.length > 0, 'the licence downloaded empty');

    // The bytes the applicant holds are the ones the platform signed.
    const verified = await fetch(`${baseURL}/v1/documents/verify`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
    assert.equal(verified.status, 200);
    const v = await verified.json();
    assert.equal(v.valid, true, JSON.stringify(v));
    assert.equal(v.document.kind, 'license');
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] ^= 1;
    const forged = await (await fetch(`${baseURL}/v1/documents/verify`, { method: 'POST', body: changed })).json();
    assert.equal(forged.valid, false, 'one changed byte still verifies');

    // The licence's QR code opens this page (the record's verify link).
    await page.goto(`/verify/${docID}`);
    const verdict = page.locator('#verdict');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'valid');
    assert.ok((await page.content()).includes(form.company.name), 'the verification page does not name the company');
    await shot(page, 'documents-2-verify-page');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('every document kind is listed once the application completes', async () => {
  const form = await exampleForm();
  let res;
  for (let day = nextWorkingDay(), tries = 0; tries < 10; tries++, day = nextWorkingDay(day)) {
    form.bank.appointmentDate = isoDate(day);
    res = await api('POST', '/v1/applications', { body: form });
    if (res.status === 202) break;
  }
  assert.equal(res.status, 202, JSON.stringify(res.data));
  const { id, accessToken } = res.data;
  await signAll(id, founders);
  await eventually(async () => (await api('GET', `/v1/applications/${id}`, { token: accessToken })).data?.status === 'COMPLETED',
    { what: `${id} COMPLETED` });
  const { status, data } = await api('GET', `/v1/applications/${id}/documents`, { token: accessToken });
  assert.equal(status, 200);
  const kinds = new Set(data.documents.map((d) => d.kind));
  for (const k of ['license', 'seal', 'articles', 'shareholderDecision', 'taxNotice', 'socialInsuranceNotice', 'medicalInsuranceNotice', 'housingFundNotice', 'bankAppointment']) {
    assert.ok(kinds.has(k), `no ${k} among ${[...kinds]}`);
  }
});
