// session: the clerk's sign-in. The token lives in sessionStorage only
// (gone when the tab closes), travels as a Bearer header, and is never put
// in a cookie. Its claims are decoded for display only; the API is what
// checks the signature, the expiry and the clerk group.

const key = 'kaiban.clerkToken';

export function get() {
  try {
    return sessionStorage.getItem(key) || '';
  } catch {
    return '';
  }
}

export function set(token) {
  try {
    sessionStorage.setItem(key, token);
  } catch {
    // Storage refused: the console works until the page is reloaded.
  }
}

export function clear() {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}

// claims decodes the JWT payload without verifying it, or returns null
// when the token is not a JWT.
export function claims(token) {
  const parts = String(token || '').split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const obj = JSON.parse(new TextDecoder().decode(bytes));
    return obj && typeof obj === 'object' ? obj : null;
  } catch {
    return null;
  }
}

// who names the signed-in clerk as the token says.
export function who(c) {
  if (!c) return '';
  return c.name || c['cognito:username'] || c.username || c.email || c.sub || '';
}

// expired reports whether the token's exp has passed (per this machine's clock).
export function expired(c, now = Date.now()) {
  return Boolean(c && typeof c.exp === 'number' && c.exp * 1000 <= now);
}
