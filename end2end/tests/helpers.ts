import { expect, Page } from '@playwright/test';

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
