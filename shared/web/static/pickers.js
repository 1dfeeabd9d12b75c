// pickers: the choices the form offers instead of typed codes — city →
// district (with the postal code suggested from the district), bank →
// branch in the company's city, and the seal engravers registered in that
// city. The lists come from /v1/reference/*, the lists the API validates
// the form against; they hold nothing personal, so the browser may cache
// them.

import { current, t } from './i18n.js';
import { el } from './format.js';

const $ = (id) => document.getElementById(id);

let cities = [];
// byCity caches the banks/engravers answers per city code.
const byCity = new Map();
// suggested is the postal code last filled in from a district: it is
// replaced when the district changes, a code the applicant typed is not.
let suggested = '';

async function getJSON(path) {
  const res = await fetch(path, {
    headers: { Accept: 'application/json', 'Accept-Language': current() === 'en' ? 'en' : 'zh-CN' },
    credentials: 'omit',
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

// options replaces a select's options with a placeholder and items
// ([value, text]), keeping the selected value when it is still offered.
function options(select, placeholderKey, items, keep = select.value) {
  select.replaceChildren(el('option', { value: '' }, t(placeholderKey)));
  for (const [value, text] of items) select.append(el('option', { value }, text));
  select.value = items.some(([v]) => v === keep) ? keep : '';
}

function city() {
  return cities.find((c) => c.code === $('f-company-city').value);
}

function renderCities() {
  options($('f-company-city'), 'common.choose', cities.map((c) => [c.code, c.name]));
}

function renderDistricts() {
  const c = city();
  options($('f-company-regioncode'), c ? 'common.choose' : 'common.chooseCityFirst', c ? c.districts.map((d) => [d.code, d.name]) : []);
}

function renderBranches() {
  const lists = byCity.get($('f-company-city').value);
  const bank = $('f-bank-code').value;
  const items = lists && bank ? lists.banks.branches.filter((b) => b.bankCode === bank).map((b) => [b.code, `${b.name}（${b.code}）`]) : [];
  options($('f-bank-branch'), items.length ? 'common.choose' : 'common.chooseBankFirst', items);
}

function renderEngravers() {
  const lists = byCity.get($('f-company-city').value);
  const items = lists ? lists.engravers.engravers.map((e) => [e.name, e.name]) : [];
  options($('f-seal-shop'), items.length ? 'common.choose' : 'common.chooseCityFirst', items);
  showEngraver();
}

function showEngraver() {
  const lists = byCity.get($('f-company-city').value);
  const e = lists?.engravers.engravers.find((x) => x.name === $('f-seal-shop').value);
  $('seal-shop-detail').textContent = e ? t('seal.detail', { licence: e.licence, address: e.address }) : '';
}

// loadCity fetches the branches and engravers of the chosen city (once
// per city and language) and rebuilds their pickers.
async function loadCity() {
  const code = $('f-company-city').value;
  if (code && !byCity.has(code)) {
    try {
      const q = encodeURIComponent(code);
      const [banks, engravers] = await Promise.all([getJSON(`/v1/reference/banks?city=${q}`), getJSON(`/v1/reference/engravers?city=${q}`)]);
      byCity.set(code, { banks, engravers });
    } catch {
      // The pickers stay empty; validation names the missing fields.
    }
  }
  if (code !== $('f-company-city').value) return; // another city was chosen meanwhile
  renderBranches();
  renderEngravers();
}

function suggestPostalCode() {
  const d = city()?.districts.find((x) => x.code === $('f-company-regioncode').value);
  const input = $('f-company-postcode');
  if (!d || (input.value.trim() !== '' && input.value.trim() !== suggested)) return;
  input.value = d.postalCode;
  suggested = d.postalCode;
}

// load fetches the regions and wires the cascades.
export async function load() {
  try {
    cities = (await getJSON('/v1/reference/regions')).cities || [];
  } catch {
    cities = [];
  }
  renderCities();
  $('f-company-city').addEventListener('change', async () => {
    renderDistricts();
    await loadCity();
  });
  $('f-company-regioncode').addEventListener('change', suggestPostalCode);
  $('f-bank-code').addEventListener('change', renderBranches);
  $('f-seal-shop').addEventListener('change', showEngraver);
}

// sync sets the pickers to the values of a form loaded from JSON (the
// example): the city from the district code, then the lists of that city.
export async function sync(data) {
  const region = String(data?.company?.address?.regionCode ?? '');
  $('f-company-city').value = cities.some((c) => c.code === region.slice(0, 4)) ? region.slice(0, 4) : '';
  renderDistricts();
  $('f-company-regioncode').value = region;
  suggested = '';
  await loadCity();
  // A value not in the city's lists is left unchosen, as a person would find it.
  $('f-bank-branch').value = String(data?.bank?.branchCode ?? '');
  $('f-seal-shop').value = String(data?.seals?.carvingShop ?? '');
  showEngraver();
}

// relabel re-renders the placeholders and details after a language switch.
export function relabel() {
  const keep = { city: $('f-company-city').value, region: $('f-company-regioncode').value, branch: $('f-bank-branch').value, shop: $('f-seal-shop').value };
  renderCities();
  $('f-company-city').value = keep.city;
  renderDistricts();
  $('f-company-regioncode').value = keep.region;
  renderBranches();
  $('f-bank-branch').value = keep.branch;
  renderEngravers();
  $('f-seal-shop').value = keep.shop;
  showEngraver();
}
