// An invalid form shows each error next to its field and in a summary at
// the top, in Chinese; after switching to English the same errors read in
// English, and the choice of language is remembered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, ready, shot } from './helpers.mjs';

const han = /[\u4e00-\u9fff]/;
const field = (page, path) => page.locator(`[data-path="${path}"]`);

// errorOf returns the text of the error message the input points at.
async function errorOf(page, path) {
  const input = field(page, path);
  await page.waitForFunction((p) => document.querySelector(`[data-path="${p}"]`)?.getAttribute('aria-invalid') === 'true', path);
  const ids = ((await input.getAttribute('aria-describedby')) || '').split(/\s+/).filter(Boolean);
  const errId = ids.find((id) => id.endsWith('-error'));
  assert.ok(errId, `${path} is described by its error message`);
  return page.locator(`#${errId}`).innerText();
}

test('an invalid form shows field errors in Chinese, then in English after switching', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);

  await page.goto('/');
  await ready(page);
  // The example fills a valid form; then a person gets three things wrong.
  await page.getByRole('button', { name: '填入示例数据' }).click();
  await page.waitForFunction(() => document.querySelector('[data-path="legalRepresentative.name"]').value !== '');
  await field(page, 'legalRepresentative.idNumber').fill('110105194912310021'); // wrong check digit
  await field(page, 'shareholders[1].kind').selectOption('NATURAL_PERSON');
  await field(page, 'shareholders[1].idNumber').fill('12345');
  await field(page, 'consent.truthful').uncheck();
  await page.getByRole('button', { name: '提交申请' }).click();

  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.match(await summary.locator('h2').innerText(), /^请更正以下 \d+ 处问题$/);
  assert.ok(await summary.evaluate((el) => el === document.activeElement), 'focus moves to the summary');
  const zhId = await errorOf(page, 'legalRepresentative.idNumber');
  const zhHolder = await errorOf(page, 'shareholders[1].idNumber');
  const zhConsent = await errorOf(page, 'consent.truthful');
  for (const m of [zhId, zhHolder, zhConsent]) assert.match(m, han, `"${m}" is in Chinese`);
  assert.ok(!(await page.locator('#identity-dialog[open]').count()), 'an invalid form does not reach identity confirmation');
  await shot(page, 'invalid-1-errors-zh', { full: false });
  await shot(page, 'invalid-2-errors-zh-page');

  // The summary links to the field.
  await summary.getByRole('link', { name: new RegExp(`法定代表人|居民身份证号码`) }).first().click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'legalRepresentative.idNumber', 'the summary link moves focus to the field');

  // Switch language: labels and the server's messages change.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.waitForFunction(() => !/[\u4e00-\u9fff]/.test(document.querySelector('[data-path="legalRepresentative.idNumber"] ~ .field-error')?.textContent || '中'));
  const enId = await errorOf(page, 'legalRepresentative.idNumber');
  const enHolder = await errorOf(page, 'shareholders[1].idNumber');
  const enConsent = await errorOf(page, 'consent.truthful');
  for (const m of [enId, enHolder, enConsent]) {
    assert.doesNotMatch(m, han, `"${m}" is in English`);
    assert.match(m, /[A-Za-z]{3,}/);
  }
  assert.match(await summary.locator('h2').innerText(), /^There are \d+ problems to correct$/);
  assert.equal(await page.getByRole('button', { name: 'Submit application' }).count(), 1);
  await summary.scrollIntoViewIfNeeded();
  await shot(page, 'invalid-3-errors-en', { full: false });

  // Fixing a field clears its error as the person types.
  await field(page, 'legalRepresentative.idNumber').fill('11010519491231002X');
  await page.waitForFunction(() => document.querySelector('[data-path="legalRepresentative.idNumber"]').getAttribute('aria-invalid') !== 'true');

  // The language is remembered across a reload; the switch goes back.
  await page.reload();
  await ready(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByRole('heading', { level: 1 }).first().innerText(), 'Start a company (one form)');
  await page.getByRole('button', { name: '切换到中文' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');

  assert.deepEqual(problems, [], 'no script errors, CSP violations or failed requests');
});

test('the form can be filled and corrected with the keyboard alone', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);
  await page.goto('/');
  await ready(page);

  // The first Tab reaches the skip link, which moves past the header.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'company.nameParts.region', 'the first field follows the example button');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'the focused field shows a focus ring');

  // Adding a row by keyboard puts focus in the new row; removing it puts
  // focus back on a neighbour.
  await page.getByRole('button', { name: '添加股东' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'shareholders[1].kind');
  await page.locator('[data-group="shareholders[1]"]').getByRole('button', { name: '删除此行' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('[data-group^="shareholders["]').count(), 1);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'shareholders[0].kind');
  await shot(page, 'keyboard-1-rows');
  assert.deepEqual(problems, []);
});
