import { defineConfig } from '@playwright/test';

// The server is started by Playwright on a port of its own with a fresh SQLite database and the
// demo data, and stopped when the run ends. scripts/test.sh passes the binary and folders.
const port = process.env.E2E_PORT ?? '3101';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry, reported as "flaky" in the closing line of scripts/test.sh, never hidden: a
  // page response rarely arrives without its nonce CSP (see the issue notes).
  retries: 1,
  reporter: [['list'], ['json', { outputFile: process.env.E2E_JSON ?? 'test-results/results.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      name: 'desktop',
      use: { viewport: { width: 1280, height: 800 }, locale: 'ru-RU' },
    },
    {
      name: 'phone',
      use: {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 3,
        locale: 'ru-RU',
      },
    },
  ],
  webServer: {
    command: process.env.E2E_SERVER_BIN ?? '../target/debug/server',
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      LISTEN_ADDR: `127.0.0.1:${port}`,
      DATA_DIR: process.env.E2E_DATA_DIR ?? 'e2e-data',
      SITE_ROOT: process.env.SITE_ROOT ?? '../target/site',
      DEMO_DATA: 'true',
      SECURE_COOKIES: 'off',
      RUST_LOG: 'warn',
    },
  },
});
