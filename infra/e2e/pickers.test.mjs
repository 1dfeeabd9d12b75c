// The form offers lists instead of codes: city → district with the postal
// code suggested, bank → branch in the company's city, the city's seal
// engravers, and a warning on business-scope items that need a permit,
// which the status page lists again with the authority to apply to.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, exampleForm, launch, open, ready, shot } from './helpers.mjs';

const field = (page, path) => page.locator(`[data-path="${path}"]`);
const optionTexts = (select) => select.locator('option').allInnerTexts();

test('city → district cascade suggests the postal code; bank and engraver lists follow the city', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);
  await page.goto('/');
  await ready(page);

  const district = field(page, 'company.address.regionCode');
  assert.deepEqual(await optionTexts(district), ['请先选择城市'], 'no districts before a city is chosen');
  await page.getByLabel('住所所在城市').selectOption({ label: '大连市' });
  const dalian = await optionTexts(district);
  assert.ok(dalian.includes('中山区') && dalian.includes('庄河市'), `Dalian's districts: ${dalian}`);
  assert.ok(!dalian.includes('和平区'), "Shenyang's districts are not offered for Dalian");
  await district.selectOption({ label: '中山区' });
  const postal = field(page, 'company.address.postalCode');
  assert.equal(await postal.inputValue(), '116001', 'the postal code is suggested from the district');
  await district.selectOption({ label: '西岗区' });
  assert.equal(await postal.inputValue(), '116011', 'a suggestion follows the district');
  await postal.fill('116099');
  await district.selectOption({ label: '沙河口区' });
  assert.equal(await postal.inputValue(), '116099', 'a postal code the applicant typed is kept');

  // The bank's branches in Dalian, numbers shown, none of another bank or city.
  const branch = field(page, 'bank.branchCode');
  await field(page, 'bank.bankCode').selectOption('105');
  await page.locator('#f-bank-branch option[value="105222000010"]').waitFor({ state: 'attached' });
  const values = await branch.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(values.length >= 2 && values.every((v) => v.startsWith('1052220')), `CCB branches in Dalian: ${values}`);
  await branch.selectOption('105222000010');
  assert.match(await branch.locator('option:checked').innerText(), /中国建设银行大连分行营业部（105222000010）/);

  // The engravers registered in Dalian, with the chosen one's licence.
  const shop = field(page, 'seals.carvingShop');
  const shops = await optionTexts(shop);
  assert.ok(shops.includes('大连市中山区鑫诚印章刻制有限公司'), `Dalian's engravers: ${shops}`);
  assert.ok(!shops.some((s) => s.startsWith('沈阳')), "Shenyang's engravers are not offered for Dalian");
  await shop.selectOption({ label: '大连市中山区鑫诚印章刻制有限公司' });
  assert.match(await page.locator('#seal-shop-detail').innerText(), /辽公大刻字第210202101号/);
  await shot(page, 'pickers-1-dalian');

  // Another city: its own lists; the Dalian choices are gone.
  await page.getByLabel('住所所在城市').selectOption({ label: '沈阳市' });
  await page.locator('#f-bank-branch option[value="105221000010"]').waitFor({ state: 'attached' });
  assert.equal(await branch.inputValue(), '', 'the Dalian branch is no longer chosen');
  assert.equal(await shop.inputValue(), '', 'nor the Dalian engraver');

  // In English the placeholders follow; the lists keep their choices.
  await branch.selectOption('105221000010');
  await page.locator('#lang-switch').click();
  await page.locator('html[lang="en"]').waitFor();
  assert.equal(await branch.inputValue(), '105221000010');
  assert.equal(await shop.locator('option').first().innerText(), 'Choose…');
  assert.deepEqual(problems, [], 'no script errors, CSP violations or failed requests');
});

test('a picked permit item says which permit it needs; the status page lists the permits and authorities', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);
  await page.goto('/');
  await ready(page);

  await page.getByLabel('搜索经营范围').fill('食品销售');
  const item = page.getByRole('checkbox', { name: /^食品销售/ });
  const li = page.locator('#scope-list li', { has: item });
  assert.ok(!(await li.locator('.permit-needs').isVisible()), 'no warning before the item is picked');
  await item.check();
  assert.equal(await li.locator('.permit-needs').innerText(), '须办理食品经营许可证（市场监督管理局）');
  await shot(page, 'pickers-2-permit-flag');

  const form = await exampleForm();
  form.company.businessScope = ['I001', 'F014', 'G004'];
  const { status, data } = await api('POST', '/v1/applications', { body: form, headers: { 'Idempotency-Key': `permits-${Date.now()}` } });
  assert.equal(status, 202, JSON.stringify(data));
  await page.goto(`/#/status/${encodeURIComponent(data.id)}`);
  await page.locator('#status-token-input').fill(data.accessToken);
  await page.getByRole('button', { name: '查看进度' }).click();
  const permits = page.locator('#st-permit-list li');
  await permits.nth(1).waitFor();
  assert.deepEqual(await permits.allInnerTexts(), [
    '食品经营许可证 — 市场监督管理局（经营范围：食品销售）',
    '道路运输经营许可证 — 交通运输局（经营范围：道路货物运输（不含危险货物））',
  ]);
  await shot(page, 'pickers-3-status-permits');
  assert.deepEqual(problems, [], 'no script errors, CSP violations or failed requests');
});
