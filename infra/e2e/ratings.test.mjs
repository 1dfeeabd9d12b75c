// Ratings (好差评) and the public figures: the applicant rates a completed
// application on its status page, and the public /stats page, read
// without JavaScript, counts the new rating.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, baseURL, eventually, exampleForm, founders, isoDate, launch, nextWorkingDay, open, ready, shot, signAll, statusLink } from './helpers.mjs';

// fourStars reads how many 4-star ratings /stats?days=1 shows (the
// ratings table lists 5 … 1 stars, so 4 is its second row).
async function fourStars(page) {
  await page.goto('/stats?days=1');
  return Number(await page.locator('#stat-ratings tr:nth-child(2) td').innerText());
}

test('a completed application is rated on its status page and /stats counts it', async () => {
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
  await eventually(async () => (await api('GET', `/v1/applications/${id}`, { token: accessToken })).data.status === 'COMPLETED',
    { what: `${id} completed`, timeout: 90000 });
  const link = await statusLink(id);

  const browser = await launch();
  try {
    // The public page first, with JavaScript off: every number is in the HTML.
    const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN', baseURL });
    const statsPage = await plain.newPage();
    const before = await fourStars(statsPage);

    const { context, page, problems } = await open(browser);
    await page.goto(link);
    await ready(page);
    const widget = page.locator('#st-rating:not([hidden])');
    await widget.waitFor();
    await page.locator('label[for="st-rating-s4"]').click();
    await page.locator('#st-rating-tags input[value="fast"]').check();
    await page.locator('#st-rating-comment').fill('很快，四个小时内全部办完');
    await page.locator('#st-rating-submit').click();
    await page.locator('#st-rating-given:not([hidden])').waitFor();
    assert.match(await page.locator('#st-rating-given').innerText(), /4/);
    assert.ok(await page.locator('#st-rating-form').isHidden(), 'the form is still offered after rating');
    await shot(page, 'ratings-1-rated');
    assert.deepEqual(problems, []);
    await context.close();

    // A second rating is refused.
    const again = await api('POST', `/v1/applications/${id}/rating`, { token: accessToken, body: { score: 1 } });
    assert.equal(again.status, 409);

    assert.equal(await fourStars(statsPage), before + 1);
    await shot(statsPage, 'ratings-2-stats-without-js');
    await statsPage.goto('/stats?days=30&lang=en');
    assert.match(await statsPage.locator('h1').innerText(), /public figures/);
    await shot(statsPage, 'ratings-3-stats-en');
    await plain.close();
  } finally {
    await browser.close();
  }
});
