// A real OpenID Connect provider (panva/oidc-provider) for the Python tests.
// Pinned to 8.x in package.json: every 9.x release requires Node 22+.
//
// Env: OIDC_PORT (loopback port), OIDC_CONFIG (path to a JSON file):
//   {"clients": [{"client_id", "client_secret", "redirect_uris", ...}],
//    "accounts": [{"sub", "email", "email_verified", "name"}]}
// Prints "READY <issuer>" on stdout once listening.
//
// Login without a browser: the interaction URL (/interaction/<uid>) accepts
// GET or POST with `login=<sub>`; the consent step that follows is granted
// automatically. An unknown sub ends the flow with error=access_denied.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const configPath = process.env.OIDC_CONFIG;
if (!port || !configPath) {
  console.error('OIDC_PORT and OIDC_CONFIG must be set');
  process.exit(2);
}
const { clients = [], accounts = [] } = JSON.parse(readFileSync(configPath, 'utf8'));
const accountsBySub = new Map(accounts.map((a) => [String(a.sub), a]));
const issuer = `http://127.0.0.1:${port}`;

// Fresh signing key per run; published at the provider's jwks endpoint.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

// The library logs its "you should change this default" notices with
// console.info; keep stdout for the READY line only.
console.info = (...args) => console.error(...args);

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...c })),
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  responseTypes: ['code'],
  pkce: { methods: ['S256'], required: () => true }, // no 'plain' challenges
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Put the scope-requested claims into the ID token, not only /userinfo.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false }, // replaced by the handler below
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accountsBySub.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ ...account, sub }) };
  },
});

async function readForm(req) {
  if (req.method !== 'POST') return new URLSearchParams();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function handleInteraction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session, grantId } = details;

  if (prompt.name === 'login') {
    const form = await readForm(req);
    const sub = form.get('login') ?? url.searchParams.get('login');
    if (!sub) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'login parameter required', uid: details.uid, prompt }));
      return;
    }
    if (!accountsBySub.has(sub)) {
      await provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: `unknown account ${sub}`,
      }, { mergeWithLastSubmission: false });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: sub } });
    return;
  }

  if (prompt.name === 'consent') {
    // Grant exactly what the provider reports as missing.
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
    return;
  }

  res.writeHead(400, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: `unsupported prompt ${prompt.name}` }));
}

const providerCallback = provider.callback();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (!url.pathname.startsWith('/interaction/')) {
    providerCallback(req, res);
    return;
  }
  handleInteraction(req, res, url).catch((err) => {
    console.error('interaction failed:', err);
    if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: String(err?.message ?? err) }));
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
