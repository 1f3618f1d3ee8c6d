import { expect, Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PASSWORD = 'demo-password';
export const SUPPLIER = 'supplier@romashka.demo';
export const SUPPLIER_B = 'supplier@vektor.demo';
export const MANAGER = 'manager@demo.local';

/** Waits until the WASM bundle has hydrated the page (the app marks <body>). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel(/Эл\. почта|E-mail/).fill(email);
  await page.getByLabel(/Пароль|Password/).fill(password);
  await page.getByRole('button', { name: /^(Войти|Sign in)$/ }).click();
}

/** On a phone the sign-out button sits in the menu. */
export async function signOut(page: Page, isMobile: boolean) {
  if (isMobile) {
    await page.getByRole('button', { name: /Меню|Menu/ }).click();
  }
  await page.getByRole('button', { name: /^(Выйти|Sign out)$/ }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** The page itself never scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The body of an .eml file as text, whatever transfer encoding the sender chose. */
export function emlBody(eml: string): string {
  const [head, ...rest] = eml.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
    const joined = body.replace(/=\r?\n/g, '');
    const bytes = Buffer.from(
      joined.replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
    return bytes.toString('utf8');
  }
  return body;
}

/** Waits for the letter to `to` in the server's outbox folder and returns its link path. */
export async function linkInLetter(to: string, kind: 'invite' | 'reset'): Promise<string> {
  const dir = path.join(process.env.E2E_DATA_DIR ?? 'e2e-data', 'outbox');
  for (let attempt = 0; attempt < 50; attempt++) {
    if (fs.existsSync(dir)) {
      for (const name of fs.readdirSync(dir)) {
        const eml = fs.readFileSync(path.join(dir, name), 'utf8');
        if (!eml.includes(to)) continue;
        const match = emlBody(eml).match(new RegExp(`/${kind}/[A-Za-z0-9_-]+`));
        if (match) return match[0];
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${kind} letter to ${to}`);
}
