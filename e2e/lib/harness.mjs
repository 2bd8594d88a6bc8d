// What every browser test shares: one headless Chromium per test file, a
// fresh browser context (own cookies) per person, sign-in, waiting for a
// page to be ready, and screenshots of every page visited, written to
// e2e/artifacts/<test>/ when the test fails.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE = process.env.GOVSHARE_E2E_BASE_URL;
const CHROMIUM = process.env.GOVSHARE_E2E_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = process.env.GOVSHARE_E2E_ARTIFACTS || new URL('../artifacts', import.meta.url).pathname;
export const PASSWORD = process.env.GOVSHARE_E2E_PASSWORD || 'govshare-demo';
if (!BASE) throw new Error('GOVSHARE_E2E_BASE_URL is not set: run the tests through `go test ./e2e`');

// Waiting is bounded, never asserted on: a slow machine only makes a test slower.
const WAIT = 60_000;

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
});
after(async () => {
  await browser?.close();
});

/**
 * withPerson(t, async (p) => {...}) runs body with a new browser context at
 * 1366×768 (an office screen). p.page is its page; p.shots keeps a
 * screenshot of each page it waited for (p.ready), saved when body throws.
 */
export async function withPerson(t, body) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const p = {
    page, shots: [], errors, ready: (label) => ready(p, label), signIn: (u) => signIn(p, u), goto: (path) => goto(p, path),
    api: (path) => api(p, path),
  };
  try {
    await body(p);
    if (errors.length) throw new Error('script errors on the page: ' + errors.join('; '));
  } catch (err) {
    await save(t, p).catch((e) => console.error('saving screenshots:', e));
    throw err;
  } finally {
    await context.close();
  }
}

/**
 * After a failure, also shoots every main page the person's navigation
 * offers (as they stand after the failure), so that the artefacts show the
 * whole console of that person and not only the pages the test reached.
 */
async function shootMainPages(p) {
  let paths = [];
  try {
    paths = await p.page.locator('#nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  } catch { return; }
  for (const path of paths) {
    try {
      await p.page.goto(BASE + path, { timeout: 15_000 });
      await p.page.locator('main[data-state="ready"], main[data-state="error"]').waitFor({ timeout: 15_000 });
      p.shots.push({ name: 'main' + path, png: await p.page.screenshot({ fullPage: true }) });
    } catch { /* keep what could be shot */ }
  }
}

/** Waits until the console has rendered the current page, and keeps a screenshot. */
async function ready(p, label = '') {
  await p.page.locator('main[data-state="ready"], main[data-state="error"]').waitFor();
  const state = await p.page.locator('main').getAttribute('data-state');
  p.shots.push({ name: label || new URL(p.page.url()).pathname, png: await p.page.screenshot({ fullPage: true }) });
  if (state !== 'ready') throw new Error(`page ${p.page.url()} failed: ${await p.page.locator('main').innerText()}`);
}

/** p.api(path): JSON of a GET under /api/v1 with the person's session cookie; anything but 200 fails the test. */
async function api(p, path) {
  const res = await p.page.request.get(BASE + '/api/v1' + path);
  assert.equal(res.status(), 200, `GET ${path}: ${res.status()} ${await res.text()}`);
  return res.json();
}

async function goto(p, path) {
  await p.page.goto(BASE + path);
  await ready(p);
}

/** Signs in through the sign-in page and waits for the home page. */
async function signIn(p, username) {
  await goto(p, '/console/signin');
  await p.page.getByLabel('用户名').fill(username);
  await p.page.getByLabel('密码').fill(PASSWORD);
  await p.page.getByRole('button', { name: '登录' }).click();
  await p.page.waitForURL(BASE + '/console/');
  await ready(p, 'home-' + username);
}

async function save(t, p) {
  try {
    p.shots.push({ name: 'at-failure', png: await p.page.screenshot({ fullPage: true }) });
  } catch { /* the page may be gone */ }
  await shootMainPages(p);
  const dir = join(ARTIFACTS, t.name.replace(/[^\p{L}\p{N}_-]+/gu, '_'));
  await mkdir(dir, { recursive: true });
  let i = 0;
  for (const s of p.shots) {
    i++;
    await writeFile(join(dir, `${String(i).padStart(2, '0')}-${s.name.replace(/[^\p{L}\p{N}_-]+/gu, '_')}.png`), s.png);
  }
  console.error(`screenshots of ${t.name}: ${dir}`);
}
