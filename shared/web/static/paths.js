// paths: reading and writing values by the JSON paths the API uses in its
// error list (shareholders[1].contribution.amount), so a field error finds
// its input by data-path and the form serialises to exactly the API's JSON.

// split turns "a.b[2].c" into ["a", "b", 2, "c"].
export function split(path) {
  const out = [];
  for (const part of String(path).split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [];
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function get(obj, path) {
  let cur = obj;
  for (const key of split(path)) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function set(obj, path, value) {
  const keys = split(path);
  let cur = obj;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      cur[key] = value;
      return;
    }
    if (cur[key] === undefined || cur[key] === null) cur[key] = typeof keys[i + 1] === 'number' ? [] : {};
    cur = cur[key];
  });
}

// parents yields path, then each shorter path up to the first segment:
// "a.b[2].c" → "a.b[2].c", "a.b[2]", "a.b", "a".
export function* parents(path) {
  let p = String(path);
  while (p) {
    yield p;
    const cut = Math.max(p.lastIndexOf('.'), p.endsWith(']') ? p.lastIndexOf('[') : -1);
    if (cut <= 0) return;
    p = p.slice(0, cut);
  }
}
