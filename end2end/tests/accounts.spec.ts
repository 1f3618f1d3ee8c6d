import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hydrated, MANAGER, signIn } from './helpers';

/** The body of an .eml file as text, whatever transfer encoding the sender chose. */
function emlBody(eml: string): string {
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
async function linkInLetter(to: string, kind: 'invite' | 'reset'): Promise<string> {
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
