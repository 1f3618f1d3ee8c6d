import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, signIn } from './helpers';

const ACCOUNTANT = 'accountant@demo.local';
const ADMIN = 'admin@demo.local';
const VEKTOR_INN = '7736207543';

/** DD.MM.YYYY `days` before today, as 1C writes dates. */
function ruDate(daysAgo: number): string {
  const day = new Date(Date.now() - daysAgo * 24 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(day.getUTCDate())}.${pad(day.getUTCMonth() + 1)}.${day.getUTCFullYear()}`;
}

function csv(rows: string[]): { name: string; mimeType: string; buffer: Buffer } {
  const text = ['Идентификатор;ИНН;Дата;Документ;Дебет;Кредит', ...rows].join('\n') + '\n';
  return { name: 'оборот.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf-8') };
}

// The entries net to zero long ago, so the shared demo balances stay as the other tests expect.
test('an accountant imports entries from 1C: a bad row is named and stores nothing, the same file twice stores once', async ({
  page,
  isMobile,
}, testInfo) => {
  const tag = `${testInfo.project.name}-${Date.now()}`;
  await signIn(page, ACCOUNTANT);
  await expect(page).toHaveURL(/\/staff$/);
  await hydrated(page);
  if (!isMobile) {
    await page.getByRole('link', { name: 'Импорт из учёта' }).click();
  } else {
    await page.goto('/staff/ledger-import');
  }
  await expect(page.getByRole('heading', { name: 'Импорт из учётной системы' })).toBeVisible();
  await hydrated(page);
  await expectNoHorizontalScroll(page);

  // Line 3 has a date that does not exist: the file is refused, the problem named.
  await page.getByLabel('Файл').setInputFiles(
    csv([
      `${tag}-1;${VEKTOR_INN};${ruDate(400)};Сальдо;;1,00`,
      `${tag}-2;${VEKTOR_INN};31.02.2025;ПП 1;1,00;`,
    ]),
  );
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page).toHaveURL(/report=\d+/);
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('ничего не сохранено');
  const problem = problems.getByTestId('import-problem');
  await expect(problem).toHaveCount(1);
  await expect(problem.getByTestId('problem-line')).toHaveText('3');
  await expect(problem.getByTestId('problem-column')).toHaveText('Дата');
  await expectNoHorizontalScroll(page);

  // Corrected, it is stored; the same file again stores nothing new.
  const good = csv([
    `${tag}-1;${VEKTOR_INN};${ruDate(400)};Сальдо;;1,00`,
    `${tag}-2;${VEKTOR_INN};${ruDate(399)};ПП 1;1,00;`,
  ]);
  await hydrated(page);
  await page.getByLabel('Файл').setInputFiles(good);
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page.getByTestId('import-done')).toContainText('сохранено проводок: 2, уже были загружены: 0');
  await hydrated(page);
  await page.getByLabel('Файл').setInputFiles(good);
  await page.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page.getByTestId('import-done')).toContainText('сохранено проводок: 0, уже были загружены: 2');
  await expect(page.getByTestId('api-tokens')).toHaveCount(0);
});

test('an admin issues an API token that imports over JSON, and revokes it', async ({ page, request }, testInfo) => {
  const tag = `${testInfo.project.name}-${Date.now()}`;
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/ledger-import');
  await hydrated(page);
  const tokens = page.getByTestId('api-tokens');
  await tokens.getByLabel('Назначение').fill(`1С ${tag}`);
  await tokens.getByRole('button', { name: 'Выпустить токен' }).click();
  const value = tokens.getByTestId('token-value');
  await expect(value).toHaveText(/^kab_/);
  const token = (await value.textContent())!.trim();
  await expectNoHorizontalScroll(page);

  const body = {
    entries: [
      { id: `${tag}-a`, inn: VEKTOR_INN, date: '2025-01-10', document: 'Сальдо', credit: '2.00' },
      { id: `${tag}-b`, inn: VEKTOR_INN, date: '2025-01-11', document: 'ПП 2', debit: '2.00' },
    ],
  };
  const imported = await request.post('/api/import/ledger', {
    headers: { Authorization: `Bearer ${token}` },
    data: body,
  });
  expect(imported.status()).toBe(200);
  expect(await imported.json()).toMatchObject({ imported: 2, skipped: 0, refused: false });

  // The token's row shows it used; revoked, it opens nothing.
  await page.reload();
  await hydrated(page);
  const row = page.getByTestId('token-row').filter({ hasText: `1С ${tag}` });
  await expect(row.getByTestId('token-state')).toBeVisible();
  await row.getByTestId('token-revoke').click();
  await expect(row.getByTestId('token-state')).toContainText('отозван');
  const refused = await request.post('/api/import/ledger', {
    headers: { Authorization: `Bearer ${token}` },
    data: body,
  });
  expect(refused.status()).toBe(401);
});
