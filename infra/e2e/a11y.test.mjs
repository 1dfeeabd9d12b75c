// The portal, a status page, the public dashboard, the confirmation page
// and the clerk console have no serious or critical accessibility violations (axe-core, WCAG 2.1
// A and AA), as a person using them sees them: in Chinese and in English,
// the form with its errors shown, the console with a task open.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, axeViolations } from './a11y.mjs';
import { api, confirmLinks, signInClerk, exampleForm, founders, launch, open, ready, shot, signAll, statusLink } from './helpers.mjs';

// inEnglish makes the pages of page's context start in English (the
// language switch's remembered choice).
async function inEnglish(page) {
  await page.context().addInitScript(() => localStorage.setItem('kaiban.lang', 'en'));
}

test('the pages pass axe-core with WCAG 2.1 AA rules', async (t) => {
  const form = await exampleForm();
  const sub = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(sub.status, 202, `submit answered ${sub.status}: ${JSON.stringify(sub.data)}`);
  const { id } = sub.data;
  // A second application escalates to a clerk: the seal system refuses an
  // address containing 封存 (infra/sim).
  const refused = await exampleForm();
  refused.company.address.detail = '和平区封存路2号';
  const esc = await api('POST', '/v1/applications', { body: refused, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  assert.equal(esc.status, 202, `submit answered ${esc.status}: ${JSON.stringify(esc.data)}`);
  await signAll(esc.data.id, founders);

  const browser = await launch();
  t.after(() => browser.close());

  await t.test('the check finds a violation', async () => {
    const { page } = await open(browser);
    await page.goto('/');
    await ready(page);
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="/static/favicon.svg">'));
    assert.deepEqual((await axeViolations(page)).map((v) => v.id), ['image-alt']);
    await assert.rejects(assertAccessible(page, 'a page with an image without text'), /image-alt \(critical\)/);
  });

  for (const en of [false, true]) {
    const lang = en ? 'en' : 'zh';
    await t.test(`portal: the form, and its error summary (${lang})`, async () => {
      const { page } = await open(browser);
      if (en) await inEnglish(page);
      await page.goto('/');
      await ready(page);
      await assertAccessible(page, `the portal (/, ${lang})`);
      await page.locator('#submit').click();
      await page.locator('#error-summary:not([hidden])').waitFor();
      await shot(page, `a11y-portal-errors-${lang}`, { full: false });
      await assertAccessible(page, `the portal with the empty form's errors (${lang})`);
    });

    await t.test(`status page (${lang})`, async () => {
      const { page } = await open(browser);
      if (en) await inEnglish(page);
      await page.goto(await statusLink(id));
      await ready(page);
      await page.locator('#st-tracks li').first().waitFor();
      await assertAccessible(page, `the status page of ${id} (${lang})`);
    });

    await t.test(`public dashboard (${lang})`, async () => {
      const { page } = await open(browser);
      await page.goto(en ? '/stats?lang=en' : '/stats');
      await page.locator('main').waitFor();
      await assertAccessible(page, `the public dashboard (/stats, ${lang})`);
    });

    await t.test(`confirmation page (${lang})`, async () => {
      const links = await confirmLinks(id, founders);
      const { page } = await open(browser);
      if (en) await inEnglish(page);
      await page.goto(links.find(Boolean));
      await ready(page);
      await assertAccessible(page, `the confirmation page (/confirm, ${lang})`);
    });
  }

  await t.test('clerk console: sign-in, queue, a claimed task', async () => {
    const { page } = await open(browser);
    await page.goto('/clerk');
    await ready(page);
    await assertAccessible(page, 'the console before sign-in (/clerk)');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/oidc\/login/);
    await page.getByLabel('用户名').waitFor(); // the provider's page has no ready flag
    await assertAccessible(page, 'the clerks\' login page (/oidc/login)');
    await signInClerk(page);
    const row = page.locator('#queue-body tr', { hasText: esc.data.id });
    await row.waitFor({ timeout: 120000 });
    await assertAccessible(page, 'the console queue (/clerk, signed in)');
    await row.getByRole('button').click();
    await page.locator('#detail').waitFor();
    await page.getByRole('button', { name: '认领' }).click();
    await page.locator('#resolve:not([hidden])').waitFor();
    await shot(page, 'a11y-clerk-claimed');
    await assertAccessible(page, 'the console with a claimed task');
  });
});
