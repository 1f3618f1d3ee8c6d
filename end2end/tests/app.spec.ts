import { expect, test } from '@playwright/test';
import {
  expectNoHorizontalScroll,
  hydrated,
  MANAGER,
  signIn,
  signOut,
  SUPPLIER,
} from './helpers';

test('a supplier signs in, sees the cabinet, switches language and signs out', async ({
  page,
  isMobile,
}) => {
  await signIn(page, SUPPLIER);
  await expect(page).toHaveURL(/\/cabinet$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Мои документы' })).toBeVisible();
  await expect(page.getByRole('main').getByText('ООО «Ромашка»')).toBeVisible();
  await expect(page.getByTestId('awaiting-payment')).toContainText('₽');
  const stages = page.getByTestId('stage-table');
  await expect(stages).toContainText('Документы загружены');
  await expect(stages).toContainText('Возвращено на доработку');
  await expect(page.getByText(/не хватает подписи/)).toBeVisible();
  // Another counterparty's documents never show.
  await expect(page.getByText('АО «Вектор»')).toHaveCount(0);
  await expectNoHorizontalScroll(page);

  // The language switches in place: no page load happens (hydration works).
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.getByRole('heading', { name: 'My documents' })).toBeVisible();
  await expect(page.getByTestId('stage-table')).toContainText('Returned for correction');
  await expect(page.getByTestId('awaiting-payment')).toContainText(/₽[\d,]+\.\d\d/);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  // The choice is remembered across a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'My documents' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'RU' }).click();
  await expect(page.getByRole('heading', { name: 'Мои документы' })).toBeVisible();

  await signOut(page, isMobile);
  // The session is over: the cabinet sends us back to sign in.
  await page.goto('/cabinet');
  await expect(page).toHaveURL(/\/login$/);
});

test('a manager signs in to the staff overview and signs out', async ({ page, isMobile }) => {
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await hydrated(page);
  await expect(
    page.getByRole('heading', { name: 'Обзор документов поставщиков' }),
  ).toBeVisible();
  // Which documents are the latest depends on what other tests uploaded first: any demo
  // supplier's will do.
  const recent = page.getByRole('region', { name: 'Последние документы' });
  await expect(recent.getByRole('cell', { name: /^(АО «Вектор»|ООО «Ромашка»)$/ }).first()).toBeVisible();
  await expect(page.getByTestId('stage-table').getByRole('row').nth(1)).toBeVisible();
  await expectNoHorizontalScroll(page);
  // Staff are kept out of the supplier cabinet.
  await page.goto('/cabinet');
  await expect(page).toHaveURL(/\/staff$/);
  await hydrated(page);
  await signOut(page, isMobile);
});

test('a wrong password gets a clear message and no session', async ({ page }) => {
  await signIn(page, SUPPLIER, 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('Неверная эл. почта или пароль.');
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/cabinet');
  await expect(page).toHaveURL(/\/login$/);
});

test('an unknown address shows a 404 page in the chosen language', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Страница не найдена' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'На главную' }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test.describe('phone layout', () => {
  test.skip(({ isMobile }) => !isMobile, 'phone only');

  test('the menu opens from the compact header and controls are touch-sized', async ({
    page,
  }) => {
    await signIn(page, SUPPLIER);
    await expect(page).toHaveURL(/\/cabinet$/);
    await hydrated(page);
    const menu = page.getByRole('button', { name: 'Меню' });
    await expect(menu).toBeVisible();
    await expect(page.getByRole('button', { name: 'Выйти' })).toBeHidden();
    await menu.click();
    await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Главная' })).toBeVisible();

    for (const control of [
      menu,
      page.getByRole('button', { name: 'EN' }),
      page.getByRole('button', { name: 'Выйти' }),
      page.getByRole('link', { name: 'Главная' }),
    ]) {
      const box = await control.boundingBox();
      expect(box, 'control is on screen').not.toBeNull();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.width).toBeGreaterThanOrEqual(44);
    }
    await expectNoHorizontalScroll(page);
  });
});

test.describe('desktop layout', () => {
  test.skip(({ isMobile }) => isMobile, 'desktop only');

  test('the sidebar is always shown and the menu button is not', async ({ page }) => {
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await expect(page.getByRole('button', { name: 'Выйти' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Меню' })).toBeHidden();
    await expect(page.getByTestId('user-name')).toHaveText('Мария Петрова');
  });
});

test('a supplier finds a returned document and reads why and when', async ({ page, isMobile }) => {
  await signIn(page, SUPPLIER);
  await expect(page).toHaveURL(/\/cabinet$/);
  await hydrated(page);
  if (isMobile) {
    await page.getByRole('button', { name: 'Меню' }).click();
  }
  await page.getByRole('link', { name: 'Документы', exact: true }).click();
  await expect(page).toHaveURL(/\/cabinet\/documents$/);
  await expect(page.getByRole('heading', { name: 'Документы', exact: true })).toBeVisible();
  await expect(page.getByTestId('found')).toHaveText('Найдено: 6');
  await hydrated(page);

  // The filter lives in the address, so it can be bookmarked.
  await page.getByLabel('Этап').selectOption('returned');
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/stage=returned/);
  await expect(page.getByTestId('found')).toHaveText('Найдено: 1');
  const documents = page.getByTestId('documents');
  await expect(documents).toContainText('СЧ-99');
  await expect(documents).not.toContainText('СЧ-101');

  await documents.getByRole('link', { name: /СЧ-99/ }).click();
  await expect(page).toHaveURL(/\/cabinet\/documents\/\d+$/);
  await expect(page.getByRole('heading', { name: 'Счёт СЧ-99' })).toBeVisible();
  await expect(page.getByTestId('current-stage')).toHaveText('Возвращено на доработку');
  await expect(page.getByRole('status')).toContainText('не хватает подписи');
  const timeline = page.getByTestId('timeline');
  await expect(timeline.locator('li')).toHaveCount(2);
  await expect(timeline).toContainText('Документы загружены');
  await expect(timeline).toContainText('Возвращено на доработку');
  await expectNoHorizontalScroll(page);

  // Reloading the filtered list shows the same thing (the server reads the address too).
  await page.goto('/cabinet/documents?stage=returned');
  await expect(page.getByTestId('found')).toHaveText('Найдено: 1');
});
