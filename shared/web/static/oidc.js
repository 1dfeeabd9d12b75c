// oidc: the clerk console's sign-in with OpenID Connect, authorization
// code with PKCE (S256), as a public client (no secret in a page). The
// provider is the local stack's embedded one or Cognito's hosted UI; the
// API says which (GET /v1/clerk-signin). The verifier, state and nonce live
// in sessionStorage for the one round trip to the login page and are
// removed when the code comes back; the tokens live in sessionStorage only
// (gone with the tab), never in a cookie.

import * as session from './session.js';
import { request } from './api.js';

const K = {
  verifier: 'kaiban.oidc.verifier',
  state: 'kaiban.oidc.state',
  nonce: 'kaiban.oidc.nonce',
  refresh: 'kaiban.oidc.refresh',
  idToken: 'kaiban.oidc.idToken',
};

function store(key, value) {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    // Storage refused: the sign-in lasts as long as the page.
  }
}

function load(key) {
  try {
    return sessionStorage.getItem(key) || '';
  } catch {
    return '';
  }
}

function b64url(bytes) {
  let bin = '';
  for (const b of new Uint8Array(bytes)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random() {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

// config asks the API how clerks sign in; null when it does not say.
export async function config() {
  try {
    return await request('GET', '/v1/clerk-signin');
  } catch {
    return null;
  }
}

// redirectURI is where the provider sends the clerk back: this page.
function redirectURI() {
  return location.origin + location.pathname;
}

// begin goes to the provider's login page.
export async function begin(cfg, lang) {
  const verifier = random();
  const state = random();
  const nonce = random();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  store(K.verifier, verifier);
  store(K.state, state);
  store(K.nonce, nonce);
  const u = new URL(cfg.authorizationEndpoint);
  u.search = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: redirectURI(),
    scope: cfg.scope || 'openid',
    state,
    nonce,
    code_challenge: b64url(digest),
    code_challenge_method: 'S256',
    ui_locales: lang === 'en' ? 'en' : 'zh-CN',
  }).toString();
  location.assign(u.toString());
}

// SignInError is a sign-in that came back refused or did not check out.
export class SignInError extends Error {}

// returning reports whether the address carries the provider's answer.
export function returning(params) {
  return params.get('code') !== null || params.get('error') !== null;
}

// complete takes the code the provider sent back, checks state and nonce,
// and exchanges it (with the verifier) for tokens.
export async function complete(cfg, params) {
  const state = load(K.state);
  const verifier = load(K.verifier);
  const nonce = load(K.nonce);
  store(K.state, '');
  store(K.verifier, '');
  store(K.nonce, '');
  if (!state || params.get('state') !== state) throw new SignInError('state');
  const refused = params.get('error');
  if (refused !== null || !verifier) throw new SignInError(refused || 'verifier');
  const tokens = await tokenCall(cfg, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectURI(),
    client_id: cfg.clientId,
    code_verifier: verifier,
  });
  const id = session.claims(tokens.id_token);
  const aud = id && (Array.isArray(id.aud) ? id.aud : [id.aud]);
  if (!id || id.nonce !== nonce || id.iss !== cfg.issuer || !aud.includes(cfg.clientId)) throw new SignInError('nonce');
  keep(tokens);
  return tokens.access_token;
}

// refresh trades the refresh token for a new access token; it throws when
// the sign-in is over (signed out elsewhere, or past its lifetime). Calls
// made while one is under way share it: each refresh token works once, so
// a second exchange of the same token would end the sign-in.
let renewing = null;

export function refresh(cfg) {
  if (!renewing) {
    renewing = (async () => {
      const rt = load(K.refresh);
      if (!rt) throw new SignInError('no refresh token');
      const tokens = await tokenCall(cfg, { grant_type: 'refresh_token', refresh_token: rt, client_id: cfg.clientId });
      keep(tokens);
      return tokens.access_token;
    })().finally(() => {
      renewing = null;
    });
  }
  return renewing;
}

export function canRefresh() {
  return Boolean(load(K.refresh));
}

function keep(tokens) {
  session.set(tokens.access_token);
  if (tokens.refresh_token) store(K.refresh, tokens.refresh_token);
  if (tokens.id_token) store(K.idToken, tokens.id_token);
}

async function tokenCall(cfg, form) {
  let res;
  try {
    res = await fetch(cfg.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new SignInError('network');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok || !body || !body.access_token) throw new SignInError((body && body.error) || `HTTP ${res.status}`);
  return body;
}

// forget drops every token of this tab.
export function forget() {
  session.clear();
  store(K.refresh, '');
  store(K.idToken, '');
}

// signOut forgets the tokens and ends the session at the provider, which
// sends the clerk back to this page, signed out.
export function signOut(cfg, lang) {
  const idToken = load(K.idToken);
  forget();
  if (!cfg || !cfg.endSessionEndpoint) {
    location.replace(redirectURI());
    return;
  }
  const u = new URL(cfg.endSessionEndpoint);
  const q = cfg.endSessionStyle === 'cognito'
    ? { client_id: cfg.clientId, logout_uri: redirectURI() }
    : { client_id: cfg.clientId, post_logout_redirect_uri: redirectURI(), ui_locales: lang === 'en' ? 'en' : 'zh-CN', ...(idToken ? { id_token_hint: idToken } : {}) };
  u.search = new URLSearchParams(q).toString();
  location.assign(u.toString());
}
