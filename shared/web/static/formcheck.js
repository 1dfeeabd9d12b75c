// formcheck: the application form's checking, shared by the portal and the
// console's assisted filing. Until the first submit, errors show only on
// the fields the person has touched; the whole form is checked by the API
// (the same rules as the submission), as they type (debounced) and when
// asked; an answer is shown only if no newer check, or a submit, started
// after it.

import * as formView from './form.js';
import { ApiError, request } from './api.js';

// validate asks the API to check the whole form. It returns the error list
// ([] when valid) or null when the API could not be reached.
export async function validate() {
  try {
    await request('POST', '/v1/applications/validate', { body: formView.serialize() });
    return [];
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) return err.fields.length ? err.fields : [{ field: '', code: err.name, message: err.message }];
    return null;
  }
}

// create returns one form's checker.
export function create() {
  const touched = new Set();
  let submitted = false;
  let timer = 0;
  let seq = 0;
  const latest = async (show) => {
    const mine = ++seq;
    const list = await validate();
    if (list !== null && mine === seq) show(list);
  };
  return {
    // touch marks the field of an input event's target as touched.
    touch(ev) {
      const input = ev.target.closest('[data-path]');
      if (input) touched.add(input.dataset.path);
    },
    // touchAll marks the form's fields (only those with a value when
    // filled is set) as touched: a loaded example or draft.
    touchAll(filled = false) {
      for (const input of document.querySelectorAll('#app-form [data-path]')) if (!filled || input.value) touched.add(input.dataset.path);
    },
    // shows reports whether an error on field is shown.
    shows(field) {
      if (submitted) return true;
      for (const p of touched) if (field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)) return true;
      return false;
    },
    get submitted() {
      return submitted;
    },
    // submit marks the first submit; it supersedes any check in flight.
    submit() {
      submitted = true;
      clearTimeout(timer);
      seq += 1;
    },
    reset() {
      touched.clear();
      submitted = false;
    },
    // soon checks after a pause in typing and hands show the list.
    soon(show) {
      clearTimeout(timer);
      timer = setTimeout(() => latest(show), 500);
    },
    // now checks at once (the language changed, a draft was restored).
    now: latest,
  };
}
