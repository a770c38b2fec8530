// A real OpenID Connect provider on loopback, for the tests of the login through an
// organisation's identity provider (assessments/sso/). oidc-provider (certified for the
// OpenID Connect Basic and RP-Initiated Logout profiles) with:
// - one confidential client, its secret and redirect URIs from the command line;
// - the people of accounts.json, who log in by name (no password: this is a test);
//   ticking "Met een tweede factor" gives the ID token amr ["pwd", "otp"];
// - a person with "tamper" gets a spoiled ID token (another audience, or expired),
//   signed again with the provider's own key, so only that one check can refuse it;
// - RP-initiated logout with a confirmation page.
// It prints one JSON line {"issuer": ...} when it listens, and stops when its standard
// input closes (the test process ended) or on SIGTERM.
//
//   node provider.mjs --client-id ID --client-secret SECRET \
//     --redirect-uri http://127.0.0.1:8000/accounts/sso/terug/ \
//     --post-logout-redirect-uri http://127.0.0.1:8000/accounts/login/

import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'post-logout-redirect-uri': { type: 'string', multiple: true, default: [] },
  },
});
if (!args['client-id'] || !args['client-secret'] || args['redirect-uri'].length === 0) {
  console.error('nodig: --client-id, --client-secret en minstens één --redirect-uri');
  process.exit(2);
}

const { accounts } = JSON.parse(readFileSync(new URL('./accounts.json', import.meta.url)));
const KID = 'test-sleutel-1';
const ALG = 'RS256';
const ACR_MFA = 'urn:gereedheidsscan:test:mfa';
const ACR_PASSWORD = 'urn:gereedheidsscan:test:wachtwoord';

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(args.port), args.host, resolve));
const issuer = `http://${args.host}:${server.address().port}`;

const { privateKey } = await jose.generateKeyPair(ALG, { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: KID, alg: ALG, use: 'sig' };

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

async function logoutSource(ctx, form) {
  ctx.body = page('Uitloggen bij de test-inlogdienst', `${form}
<p>Wilt u ook bij de test-inlogdienst uitloggen?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, uitloggen</button>
<button type="submit" form="op.logoutForm">Nee, ingelogd blijven</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Uitgelogd', '<p>U bent uitgelogd bij de test-inlogdienst.</p>');
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: args['redirect-uri'],
      post_logout_redirect_uris: args['post-logout-redirect-uri'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['alleen-voor-tests-niet-geheim'] },
  claims: {
    // acr and amr in every ID token: they say whether the login used a second factor.
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  acrValues: [ACR_PASSWORD, ACR_MFA],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
  },
  interactions: { url: (ctx, interaction) => `/interactie/${interaction.uid}` },
  async findAccount(ctx, id) {
    const person = accounts[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: person.email,
          email_verified: true,
          name: `${person.given_name} ${person.family_name}`,
          given_name: person.given_name,
          family_name: person.family_name,
        };
      },
    };
  },
});

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid, error = '') {
  return page('Inloggen bij de test-inlogdienst', `
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interactie/${escape(uid)}/login">
  <p><label for="login">Naam</label> <input id="login" name="login" autocomplete="username" required></p>
  <p><input type="checkbox" id="mfa" name="mfa" value="ja"> <label for="mfa">Met een tweede factor</label></p>
  <button type="submit">Inloggen bij de test-inlogdienst</button>
</form>`);
}

// The login and the (automatic: the scan is the provider's own application) consent.
async function interaction(ctx, uid, action) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  let result;
  if (details.prompt.name === 'login') {
    if (ctx.method !== 'POST' || action !== 'login') {
      ctx.body = loginForm(uid);
      return;
    }
    const form = await readForm(ctx.req);
    const id = (form.get('login') || '').trim();
    if (!accounts[id]) {
      ctx.status = 400;
      ctx.body = loginForm(uid, 'Deze naam kent de test-inlogdienst niet.');
      return;
    }
    const mfa = form.get('mfa') === 'ja';
    result = {
      login: {
        accountId: id,
        amr: mfa ? ['pwd', 'otp'] : ['pwd'],
        acr: mfa ? ACR_MFA : ACR_PASSWORD,
      },
    };
  } else {
    const { accountId } = details.session;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: details.prompt.name !== 'login',
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

// The spoiled ID tokens of accounts.json's "tamper" people, signed again with our key.
async function tamper(ctx) {
  const idToken = ctx.body?.id_token;
  if (ctx.path !== '/token' || ctx.status !== 200 || !idToken) return;
  const claims = jose.decodeJwt(idToken);
  const how = accounts[claims.sub]?.tamper;
  if (!how) return;
  if (how === 'audience') {
    claims.aud = 'een-andere-toepassing';
    claims.azp = 'een-andere-toepassing';
  } else if (how === 'expired') {
    const now = Math.floor(Date.now() / 1000);
    claims.iat = now - 1200;
    claims.exp = now - 600;
  }
  ctx.body.id_token = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: KID, typ: 'JWT' })
    .sign(privateKey);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interactie\/([\w-]+)(?:\/(login))?$/);
  if (match) {
    await interaction(ctx, match[1], match[2]);
    return;
  }
  await next();
  await tamper(ctx);
});

server.on('request', provider.callback());
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
console.log(JSON.stringify({ issuer }));
