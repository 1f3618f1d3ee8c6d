import { expect, test } from '@playwright/test';
import { hydrated, linkInLetter, MANAGER, signIn } from './helpers';

test('a manager invites a person, who sets a password from the letter and lands in the cabinet', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const email = `anna.${testInfo.project.name}.${Date.now()}@romashka.demo`;
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/counterparties?text=ромашка');
  await hydrated(page);
  await page.getByRole('link', { name: 'ООО «Ромашка»' }).click();
  await expect(page.getByTestId('counterparty-name')).toHaveText('ООО «Ромашка»');
  await hydrated(page);
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-first-name').fill('Анна');
  await page.getByTestId('send-invitation').click();
  await expect(page.getByTestId('invitation-sent')).toBeVisible();
  await expect(page.getByTestId('counterparty-users')).toContainText(email);

  const link = await linkInLetter(email, 'invite');
  const invitee = await (await browser.newContext({ baseURL, locale: 'ru-RU' })).newPage();
  await invitee.goto(link);
  await hydrated(invitee);
  await expect(invitee.getByRole('heading', { name: 'Добро пожаловать, Анна!' })).toBeVisible();
  await invitee.getByTestId('new-password').fill('short');
  await invitee.getByTestId('set-password').click();
  await expect(invitee.getByTestId('password-error')).toHaveText(
    'Слишком коротко: не меньше 10 символов.',
  );
  await invitee.getByTestId('new-password').fill('ромашка-весна-2026');
  await invitee.getByTestId('set-password').click();
  await expect(invitee).toHaveURL(/\/cabinet$/);
  await expect(invitee.getByRole('heading', { name: 'Мои документы' })).toBeVisible();

  // The link worked once.
  await invitee.goto(link);
  await expect(invitee.getByTestId('link-not-valid')).toBeVisible();
});

test('a forgotten password: the reset page answers without telling whether the address exists', async ({
  page,
}) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: 'Забыли пароль?' }).click();
  await expect(page).toHaveURL(/\/forgot$/);
  await hydrated(page);
  await page.getByLabel('Эл. почта').fill('nobody@nowhere.demo');
  await page.getByRole('button', { name: 'Отправить ссылку' }).click();
  await expect(page.getByTestId('reset-sent')).toBeVisible();
});
