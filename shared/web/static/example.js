// example: the example form (example.json) with its dates moved relative
// to today, for the portal's and the console's "fill in the example".

function isoDate(d) {
  const z = new Date(d.getTime() - d.getTimezoneOffset() * 60000);
  return z.toISOString().slice(0, 10);
}

function nextWorkingDay(from) {
  const d = new Date(from);
  d.setDate(d.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  return d;
}

// bankDay is the first working day after today on the service's calendar
// (public holidays left out), or the next weekday if it cannot be read.
async function bankDay() {
  try {
    const res = await fetch('/v1/reference/workdays', { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const v = await res.json();
      const day = (v.workdays || []).find((d) => d > v.from);
      if (day) return day;
    }
  } catch { /* the weekday below */ }
  return isoDate(nextWorkingDay(new Date()));
}

// freshen moves the example's dates relative to today: the bank
// appointment must be a coming working day and contributions fall due
// within five years, so a fixed date in example.json would go stale.
export function freshen(data) {
  const today = new Date();
  if (data.bank) data.bank.appointmentDate = isoDate(nextWorkingDay(today));
  const due = new Date(today);
  due.setFullYear(due.getFullYear() + 2);
  for (const sh of data.shareholders || []) if (sh.contribution) sh.contribution.dueDate = isoDate(due);
  if (data.employment) {
    const first = new Date(today.getFullYear(), today.getMonth() + 1, 1);
    data.employment.socialInsuranceFrom = isoDate(first);
  }
  return data;
}

// exampleForm fetches the example, freshens it and takes the bank date
// from the service's calendar.
export async function exampleForm() {
  const res = await fetch('/static/example.json', { headers: { Accept: 'application/json' } });
  const data = freshen(await res.json());
  if (data.bank) data.bank.appointmentDate = await bankDay();
  return data;
}
