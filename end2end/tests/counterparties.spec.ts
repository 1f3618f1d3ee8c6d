import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, MANAGER, signIn, SUPPLIER_B } from './helpers';

test('a manager finds a counterparty, and creates one after fixing a mistyped INN', async ({
  page,
}, testInfo) => {
  const name = `ООО «Тест ${testInfo.project.name} ${Date.now()}»`;
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/counterparties');
  await hydrated(page);
  await page.getByRole('main').getByRole('searchbox').fill('ромашка');
  await page.getByRole('button', { name: 'Показать' }).click();
  await expect(page).toHaveURL(/text=/);
  await expect(page.getByTestId('counterparties')).toContainText('ООО «Ромашка»');
  await expect(page.getByTestId('counterparties')).not.toContainText('АО «Вектор»');
  await expectNoHorizontalScroll(page);

  await page.goto('/staff/counterparties/new');
  await hydrated(page);
  await page.getByTestId('field-name').fill(name);
  await page.getByTestId('field-inn').fill('7707083894');
  await page.getByTestId('field-kpp').fill('773601001');
  await page.getByTestId('field-bic').fill('044525225');
  await page.getByTestId('field-settlement_account').fill('40702810938000012345');
  await page.getByTestId('save-counterparty').click();
  await expect(page.getByTestId('inn-error')).toHaveText(
    'Контрольные цифры ИНН не сходятся: в номере опечатка.',
  );
  await page.getByTestId('field-inn').fill('7707083893');
  await page.getByTestId('save-counterparty').click();
  await expect(page).toHaveURL(/\/staff\/counterparties\/\d+$/);
  await expect(page.getByTestId('counterparty-name')).toHaveText(name);
  await expect(page.getByTestId('requisites')).toContainText('40702810938000012345');
});

test('a supplier adds a contact of its own organisation', async ({ page }, testInfo) => {
  const person = `Анна ${testInfo.project.name}`;
  await signIn(page, SUPPLIER_B);
  await expect(page).toHaveURL(/\/cabinet$/);
  await page.goto('/cabinet/organisation');
  await hydrated(page);
  await page.getByLabel('Имя').fill(person);
  await page.getByLabel('Эл. почта').fill('not-an-address');
  await page.getByRole('button', { name: 'Добавить контакт' }).click();
  await expect(page.getByTestId('email-error')).toHaveText('Это не адрес электронной почты.');
  await page.getByLabel('Эл. почта').fill('anna@vektor.example');
  await page.getByRole('button', { name: 'Добавить контакт' }).click();
  await expect(page.getByTestId('contacts')).toContainText(person);
  await expectNoHorizontalScroll(page);
});
