// Real-browser checks, driven by run.sh (which sets the environment):
//   API           http://127.0.0.1:<api port>
//   PAGE_ALLOWED  http://127.0.0.1:<page port>  (in REINTEGRA_CORS_ORIGINS)
//   PAGE_OTHER    http://127.0.0.1:<other port> (same files, another origin)
//   TOKEN         a MINTRAB labour_officer token
// Exits non-zero on the first failed check.
import { chromium } from 'playwright-core';

const { API, PAGE_ALLOWED, PAGE_OTHER, TOKEN } = process.env;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30_000;
// GraphiQL's run button is labelled by state: "Execute query" when idle,
// "Stop query" while a query is in flight or a subscription is open.
const EXECUTE = 'button.graphiql-execute-button[aria-label^="Execute query"]';
const STOP = 'button.graphiql-execute-button[aria-label^="Stop query"]';

let failures = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` -- ${detail}` : ''}`);
  if (!ok) failures += 1;
}

// Opens the portal page on `origin`; returns its outcome, text and console.
async function portal(browser, origin) {
  const page = await browser.newPage();
  const console_ = [];
  page.on('console', (m) => console_.push(m.text()));
  await page.goto(`${origin}/index.html#api=${encodeURIComponent(API)}&token=${TOKEN}`);
  const result = page.locator('#result[data-outcome]');
  await result.waitFor({ timeout: TIMEOUT });
  const outcome = await result.getAttribute('data-outcome');
  const text = await result.textContent();
  await page.close();
  return { outcome, text, console: console_.join(' ') };
}

async function corsChecks(browser) {
  const allowed = await portal(browser, PAGE_ALLOWED);
  let edges = [];
  try {
    edges = JSON.parse(allowed.text).data.migrants.edges;
  } catch {
    /* reported below */
  }
  check(
    allowed.outcome === 'ok' && edges.length > 0,
    `(a) ${PAGE_ALLOWED} lists migrants with a MINTRAB token`,
    `${edges.length} on the first page`
  );
  const other = await portal(browser, PAGE_OTHER);
  check(
    other.outcome === 'blocked' && other.console.includes('CORS policy'),
    `(b) ${PAGE_OTHER} is blocked by CORS`,
    other.console || other.text
  );
}

// A context in which every request off this machine is aborted and listed.
async function offlineContext(browser) {
  const context = await browser.newContext();
  const offsite = [];
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost') return route.continue();
    offsite.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  // CSP violations are reported to the page as events; keep them.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, offsite };
}

// Replaces the text of GraphiQL's query editor (CodeMirror 5).
async function setQuery(page, text) {
  await page.locator('.graphiql-query-editor .CodeMirror').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // insertText bypasses key events, so no bracket is auto-closed.
  await page.keyboard.insertText(text);
  // GraphiQL parses the editor after a short debounce; the fetcher picks
  // HTTP or WebSocket from that parse, so let it catch up before running.
  await page.waitForTimeout(500);
}

async function graphiqlChecks(browser) {
  const { context, offsite } = await offlineContext(browser);
  const page = await context.newPage();
  const graphqlCalls = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/graphql') graphqlCalls.push(r);
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`${e} ${JSON.stringify(e)}`));

  // No token: GraphiQL renders, explains, and sends nothing.
  await page.goto(`${API}/graphiql`);
  await page.locator('.graphiql-container').waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(() => document.body.innerText.includes('Paste a token'), null, {
    timeout: TIMEOUT,
  });
  await page.waitForTimeout(1000);
  check(graphqlCalls.length === 0, '(c) without a token GraphiQL makes no /graphql request',
    `${graphqlCalls.length} made`);

  // Type the token: the schema is fetched with it.
  const schema = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/graphql' && r.request().postData()?.includes('__schema'),
    { timeout: TIMEOUT }
  );
  await page.locator('#token').fill(TOKEN);
  await page.locator('#token').press('Enter');
  const first = await schema;
  check(
    first.status() === 200 && first.request().headers().authorization === `Bearer ${TOKEN}`,
    '(c) with a token the schema is fetched with Authorization: Bearer',
    `status ${first.status()}`
  );

  // Reload: the token survives, the schema loads again.
  const again = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/graphql' && r.request().postData()?.includes('__schema'),
    { timeout: TIMEOUT }
  );
  await page.reload();
  const reloaded = await again;
  check((await page.locator('#token').inputValue()) === TOKEN, '(c) the token survives a reload');
  const body = await reloaded.json();
  check(Boolean(body?.data?.__schema), '(c) the schema loads after the reload');

  // The Documentation explorer lists the root fields.
  await page.getByRole('button', { name: /show documentation explorer/i }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('QueryRoot').first().click();
  await docs.getByText('migrants', { exact: true }).first().waitFor({ timeout: TIMEOUT });
  check(true, '(c) the Documentation explorer shows QueryRoot.migrants');

  // A query runs through the fetcher.
  await setQuery(page, '{ migrants(first: 3) { totalCount edges { node { id } } } }');
  const run = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/graphql' && r.request().postData()?.includes('totalCount'),
    { timeout: TIMEOUT }
  );
  await page.locator(EXECUTE).click();
  const ran = await (await run).json();
  check(ran?.data?.migrants?.edges?.length > 0, '(c) a query runs from GraphiQL',
    `totalCount ${ran?.data?.migrants?.totalCount}`);
  // GraphiQL shows it, and is idle again (the button reads "Execute").
  await page.locator('.graphiql-response').getByText('totalCount').first()
    .waitFor({ timeout: TIMEOUT });
  await page.locator(EXECUTE).waitFor({ timeout: TIMEOUT });

  // A subscription opens /graphql/ws with the token in connection_init.
  const acked = new Promise((resolve) => {
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        if (String(f.payload).includes('connection_init')) {
          ws.sentInit = String(f.payload);
        }
      });
      ws.on('framereceived', (f) => {
        if (String(f.payload).includes('connection_ack')) resolve({ url: ws.url(), init: ws.sentInit });
      });
    });
  });
  await setQuery(page, 'subscription { arrivals { migrant { id } } }');
  await page.locator(EXECUTE).click();
  const ws = await Promise.race([acked, page.waitForTimeout(TIMEOUT).then(() => null)]);
  check(
    ws !== null && ws.url.endsWith('/graphql/ws') && ws.init?.includes(`Bearer ${TOKEN}`),
    '(c) a subscription connects to /graphql/ws and is acknowledged',
    ws ? ws.url : 'no connection_ack'
  );
  await page.locator(STOP).click({ timeout: TIMEOUT });
  await page.locator(EXECUTE).waitFor({ timeout: TIMEOUT });

  // The settings dialog (Radix UI) is the part most likely to need more
  // from the CSP: open it, and close it again.
  await page.getByRole('button', { name: 'Open settings dialog' }).click();
  await page.getByRole('dialog').waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: TIMEOUT });

  const csp = await page.evaluate(() => window.__csp);
  check(csp.length === 0, '(c) no Content-Security-Policy violation', csp.join('; '));
  check(errors.length === 0, '(c) no uncaught error in the page', errors.join('; '));
  check(offsite.length === 0, '(c) GraphiQL attempted no request off this machine',
    offsite.join(' '));
  await context.close();
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // Containers and CI run as root, where Chromium's sandbox cannot start.
  chromiumSandbox: false,
});
try {
  await corsChecks(browser);
  await graphiqlChecks(browser);
} catch (err) {
  check(false, 'browser checks ran to the end', String(err));
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'browser checks passed' : `${failures} browser check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
