// Accessibility checks of the browser tests: axe-core (pinned in
// package.json) over a page as it is shown, with the WCAG 2.1 A and AA
// rules. One call per page: `await assertAccessible(page, '/stats')`.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// wcagTags are the rule sets checked: WCAG 2.0 and 2.1, levels A and AA.
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// blocking are the impacts a page may not have.
const blocking = new Set(['serious', 'critical']);

// axeViolations runs axe-core in page (injected through the DevTools
// protocol, which the pages' Content-Security-Policy does not govern) and
// returns its serious and critical violations.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), wcagTags);
  return result.violations.filter((v) => blocking.has(v.impact));
}

// assertAccessible fails with each serious or critical violation of page
// (rule, impact, what it asks and up to three offending elements).
export async function assertAccessible(page, what) {
  const found = await axeViolations(page);
  const report = found.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}${v.nodes.length > 3 ? `\n    … ${v.nodes.length - 3} more` : ''}`);
  assert.equal(found.length, 0, `${what}: ${found.length} serious or critical axe-core violations (WCAG 2.1 AA):\n  ${report.join('\n  ')}`);
}
