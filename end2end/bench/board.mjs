// The board in Chromium with 2,000 more cards: time until the page is interactive (hydrated)
// and the time from a drop to the card settled (confirmed by the server). Prints figures.
// Run by scripts/bench.sh with SERVER_BIN (release) and SITE_ROOT (release assets).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const port = process.env.BENCH_PORT ?? '3181';
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'kabinet-board-bench-'));
const server = spawn(process.env.SERVER_BIN, [], {
  env: {
    ...process.env,
    LISTEN_ADDR: `127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    DEMO_EXTRA_CARDS: '2000',
    SECURE_COOKIES: 'off',
    RUST_LOG: 'warn',
  },
  stdio: 'ignore',
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${baseURL}/login`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const context = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
  const signedIn = await context.request.post('/api/auth/sign_in', {
    form: { email: 'manager@demo.local', password: 'demo-password' },
    headers: { Origin: baseURL, Accept: 'application/json' },
  });
  if (!signedIn.ok()) throw new Error('sign-in failed');
  const page = await context.newPage();

  const interactive = [];
  for (let i = 0; i < 6; i++) {
    const started = Date.now();
    await page.goto('/staff/board');
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
    if (i > 0) interactive.push(Date.now() - started);
  }

  const shown = [];
  const settled = [];
  for (let i = 0; i < 10; i++) {
    const from = i % 2 === 0 ? 'review' : 'accounting';
    const to = i % 2 === 0 ? 'accounting' : 'review';
    const card = page.locator(`[data-testid="board-column"][data-drop-stage="${from}"] [data-testid="board-card"]`).first();
    const id = await card.getAttribute('data-card-id');
    const version = Number(await card.getAttribute('data-version'));
    await card.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press(to === 'accounting' ? 'ArrowRight' : 'ArrowLeft');
    const started = Date.now();
    await page.keyboard.press('Space');
    await page.waitForSelector(`[data-drop-stage="${to}"] [data-card-id="${id}"]`);
    shown.push(Date.now() - started);
    await page.waitForSelector(`[data-drop-stage="${to}"] [data-card-id="${id}"][data-version="${version + 1}"]`);
    settled.push(Date.now() - started);
  }
  console.log(
    `browser  board of 2,010 cards: interactive in ${median(interactive)} ms (median of ${interactive.length} loads); ` +
      `drop to card shown ${median(shown)} ms, to settled (server confirmed) ${median(settled)} ms (medians of ${settled.length})`,
  );
  await browser.close();
} finally {
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
