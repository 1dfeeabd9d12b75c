// An applicant fills in the one form on the page, confirms identity once,
// submits, every founder signs from the link of their SMS, and the
// applicant watches all seven tracks succeed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, isoDate, launch, nextWorkingDay, open, ready, shot, signAll, tradeName } from './helpers.mjs';

const trackNames = ['license', 'seal', 'tax', 'socialInsurance', 'medicalInsurance', 'housingFund', 'bank'];

// field finds an input by the JSON path it fills.
const field = (page, path) => page.locator(`[data-path="${path}"]`);

async function fillPerson(page, prefix, { name, id, mobile, role }) {
  await field(page, `${prefix}.name`).fill(name);
  await field(page, `${prefix}.idNumber`).fill(id);
  if (mobile) await field(page, `${prefix}.mobile`).fill(mobile);
  if (role) await field(page, `${prefix}.role`).fill(role);
}

// submitUntilConfirm presses submit until the identity confirmation opens.
// The bank date must be a working day and public holidays are known only to
// the validator, so on that one error it moves the date on a day, as a
// person told so would; any other error fails the test, listing them.
async function submitUntilConfirm(page, prefix) {
  let day = nextWorkingDay();
  for (let tries = 0; ; tries++) {
    await field(page, 'bank.appointmentDate').fill(isoDate(day));
    await page.getByRole('button', { name: '提交申请' }).click();
    const outcome = await Promise.race([
      page.locator('#identity-dialog[open]').waitFor().then(() => 'dialog'),
      page.locator('#error-summary:not([hidden])').waitFor().then(() => 'errors'),
    ]);
    if (outcome === 'dialog') return;
    const errs = await page.locator('#error-summary-list li').allInnerTexts();
    const onlyDate = (await page.locator('.field-error').count()) === 1 && (await field(page, 'bank.appointmentDate').getAttribute('aria-invalid')) === 'true';
    if (!onlyDate || tries >= 10) {
      await shot(page, `${prefix}-x-unexpected-errors`);
      assert.fail(`the filled form was refused: ${errs.join(' | ')}`);
    }
    day = nextWorkingDay(day);
  }
}

test('an applicant fills in the form on the page and sees all seven tracks succeed', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);

  await page.goto('/');
  await ready(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await shot(page, 'applicant-1-portal-blank');

  const trade = tradeName();
  const due = new Date();
  due.setFullYear(due.getFullYear() + 2);
  const dueDate = isoDate(due);
  const now = new Date();
  const insuranceFrom = isoDate(new Date(now.getFullYear(), now.getMonth() + 1, 1));

  // 企业基本信息: typed character by character, as a person would.
  await field(page, 'company.nameParts.region').pressSequentially('沈阳');
  await field(page, 'company.nameParts.tradeName').pressSequentially(trade);
  await field(page, 'company.nameParts.industry').pressSequentially('信息技术');
  await field(page, 'company.nameParts.orgForm').fill('有限公司');
  assert.equal(await field(page, 'company.name').inputValue(), `沈阳${trade}信息技术有限公司`, 'the name is composed of its parts');
  await field(page, 'company.type').selectOption('LLC');
  await field(page, 'company.registeredCapital').fill('1000000');
  await field(page, 'company.operatingTerm').fill('20');
  await page.getByLabel('住所所在城市').selectOption({ label: '沈阳市' });
  await field(page, 'company.address.regionCode').selectOption({ label: '和平区' });
  await field(page, 'company.address.detail').fill('和平区南京北街1号');
  assert.equal(await field(page, 'company.address.postalCode').inputValue(), '110001', 'the postal code is suggested from the district');

  // 经营范围: search the standard list and tick two items.
  await page.getByLabel('搜索经营范围').fill('软件开发');
  await page.getByRole('checkbox', { name: '软件开发', exact: true }).check();
  await page.getByLabel('搜索经营范围').fill('信息技术咨询');
  await page.getByRole('checkbox', { name: '信息技术咨询服务', exact: true }).check();
  await page.getByLabel('搜索经营范围').fill('');
  await assert.doesNotReject(page.getByText('已选择 2 项').waitFor());

  // 法定代表人
  await fillPerson(page, 'legalRepresentative', { name: '张三', id: '11010519491231002X', mobile: '13800138000' });
  await field(page, 'legalRepresentative.email').fill('zhang@example.com');

  // 股东及出资: the first row is there; the second is added on the page.
  await field(page, 'shareholders[0].kind').selectOption('NATURAL_PERSON');
  await fillPerson(page, 'shareholders[0]', { name: '张三', id: '11010519491231002X', mobile: '13800138000' });
  await field(page, 'shareholders[0].contribution.amount').fill('600000');
  await field(page, 'shareholders[0].contribution.method').selectOption('CURRENCY');
  await field(page, 'shareholders[0].contribution.dueDate').fill(dueDate);
  await page.getByRole('button', { name: '添加股东' }).click();
  await field(page, 'shareholders[1].kind').selectOption('ENTERPRISE');
  assert.ok(await field(page, 'shareholders[1].creditCode').isVisible(), 'an enterprise shareholder is asked for its credit code');
  assert.ok(!(await field(page, 'shareholders[1].idNumber').isVisible()), 'and not for an ID number');
  await field(page, 'shareholders[1].name').fill('深圳市华信科技有限公司');
  await field(page, 'shareholders[1].creditCode').fill('91440300708461136T');
  await fillPerson(page, 'shareholders[1].representative', { name: '刘洋', id: '21010519800101001X', mobile: '13609876543' });
  await field(page, 'shareholders[1].contribution.amount').fill('400000');
  await field(page, 'shareholders[1].contribution.method').selectOption('CURRENCY');
  await field(page, 'shareholders[1].contribution.dueDate').fill(dueDate);

  // 董事、监事
  await page.getByRole('button', { name: '添加董事' }).click();
  await fillPerson(page, 'directors[0]', { name: '张三', id: '11010519491231002X', mobile: '13800138000', role: '执行董事' });
  await page.getByRole('button', { name: '添加监事' }).click();
  await fillPerson(page, 'supervisors[0]', { name: '李四', id: '34052419800101001X', mobile: '15011112222', role: '监事' });

  // 财务负责人、办税人、联络员
  await fillPerson(page, 'financeOfficer', { name: '王五', id: '370101190102039973', mobile: '13912345678' });
  await fillPerson(page, 'taxHandler', { name: '王五', id: '370101190102039973', mobile: '13912345678' });
  await fillPerson(page, 'liaison', { name: '李四', id: '34052419800101001X', mobile: '15011112222' });

  // 印章
  await page.getByRole('checkbox', { name: '公章', exact: true }).check();
  await page.getByRole('checkbox', { name: '财务专用章' }).check();
  await field(page, 'seals.carvingShop').selectOption({ label: '沈阳市和平区诚信刻章社' });

  // 税务与发票
  await field(page, 'tax.taxpayerType').selectOption('SMALL_SCALE');
  await page.getByRole('button', { name: '添加发票种类' }).click();
  await field(page, 'tax.invoices[0].kind').selectOption('ORDINARY_VAT');
  await field(page, 'tax.invoices[0].monthlyQuantity').fill('25');
  await field(page, 'tax.invoices[0].maxAmount').fill('10000');

  // 社保、医保、公积金
  await field(page, 'employment.employees').fill('5');
  await field(page, 'employment.socialInsuranceFrom').fill(insuranceFrom);
  await field(page, 'employment.housingFundRate').fill('12');
  await field(page, 'employment.medical').check();

  // 银行开户预约
  await field(page, 'bank.bankCode').selectOption('102');
  await field(page, 'bank.branchCode').selectOption('102221000010');
  await field(page, 'bank.slot').selectOption('AM');

  // 承诺
  await field(page, 'consent.truthful').check();
  await field(page, 'consent.dataSharing').check();

  await submitUntilConfirm(page, 'applicant');
  await shot(page, 'applicant-2-portal-filled');

  // Identity is confirmed once, with the ID masked.
  const dialog = page.locator('#identity-dialog');
  assert.equal(await dialog.locator('#identity-name').innerText(), '张三');
  assert.equal(await dialog.locator('#identity-id').innerText(), '110105********002X');
  await shot(page, 'applicant-3-portal-identity');
  await dialog.getByRole('button', { name: '确认并提交' }).click();
  await assert.doesNotReject(dialog.getByText('请勾选确认后再提交。').waitFor(), 'confirming without ticking is refused');
  await dialog.getByLabel('我确认以上身份信息属实，并由本人提交申请').check();
  await dialog.getByRole('button', { name: '确认并提交' }).click();

  await page.waitForURL(/#\/status\/[^/]+$/);
  const id = decodeURIComponent(new URL(page.url()).hash.replace('#/status/', ''));
  assert.ok(!page.url().toLowerCase().includes('token'), 'the access token is not in the URL');
  const stored = await page.evaluate((key) => sessionStorage.getItem(key), `kaiban.access.${id}`);
  assert.ok(stored && stored.length >= 20, 'the access token is kept in sessionStorage');
  await page.locator('#st-tracks li[data-track]').nth(6).waitFor();
  await shot(page, 'applicant-4-status-in-progress');

  // Every founder signs from the link of their SMS (the outbox); the
  // status lists them all.
  await page.locator('#st-confirmations-box:not([hidden]) li').first().waitFor();
  const people = await page.locator('#st-confirmations li').count();
  assert.ok(people >= 2, `the status lists the founders (${people})`);
  await signAll(id, people);

  // Every track reaches SUCCEEDED and the application COMPLETED.
  await page.locator('body[data-app-status="COMPLETED"]').waitFor({ timeout: 120000 });
  for (const name of trackNames) {
    assert.equal(await page.locator(`#st-tracks li[data-track="${name}"]`).getAttribute('data-status'), 'SUCCEEDED', `${name} succeeded`);
  }
  assert.equal(await page.locator('#st-status').innerText(), '已办结');
  assert.match(await page.locator('#st-credit').innerText(), /^[0-9A-HJ-NPQRTUWXY]{18}$/, 'a credit code is shown');
  assert.equal(await page.locator('#st-overall-label').innerText(), '已完成 7/7 项');
  const licence = page.locator('#st-tracks li[data-track="license"] .track-result');
  assert.match(await licence.innerText(), /营业执照编号/, 'the licence result is shown with its label');
  await shot(page, 'applicant-5-status-completed');

  await page.emulateMedia({ media: 'print' });
  assert.ok(!(await page.locator('#st-print').isVisible()), 'the printed summary hides the buttons');
  await shot(page, 'applicant-6-status-print');

  assert.deepEqual(problems, [], 'no script errors, CSP violations or failed requests');
});

test('a submit that fails on the network is retried with the same Idempotency-Key', async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const { page, problems } = await open(browser);
  const keys = [];
  await page.route('**/v1/applications', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length === 1) await route.abort('connectionreset');
    else await route.continue();
  });

  await page.goto('/');
  await ready(page);
  await page.getByRole('button', { name: '填入示例数据' }).click();
  await page.waitForFunction(() => document.querySelector('[data-path="legalRepresentative.name"]').value !== '');
  await field(page, 'company.nameParts.tradeName').fill(tradeName());
  await submitUntilConfirm(page, 'retry');
  await page.getByLabel('我确认以上身份信息属实，并由本人提交申请').check();
  await page.getByRole('button', { name: '确认并提交' }).click();

  const retry = page.getByRole('button', { name: '重试提交' });
  await retry.waitFor();
  assert.match(await page.locator('#submit-message').innerText(), /重试不会重复提交/);
  await shot(page, 'retry-1-network-failure', { full: false });
  await retry.click();
  await page.waitForURL(/#\/status\/[^/]+$/);
  assert.equal(keys.length, 2, 'one failed attempt, one retry');
  assert.match(keys[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a random UUID key');
  assert.equal(keys[1], keys[0], 'the retry carries the same key');
  // The aborted request is the scenario, not a defect.
  assert.deepEqual(problems.filter((p) => !p.includes('/v1/applications') && !p.includes('ERR_CONNECTION_RESET')), []);
});
