import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, linkInLetter, MANAGER, signIn, SUPPLIER } from './helpers';

/** YYYY-MM-DD `days` from today (negative: before). */
function isoDate(days: number): string {
  const day = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  return day.toISOString().slice(0, 10);
}

// The demo supplier's order was delivered 25 days ago on a 14-day deferral: it is overdue.
test('a supplier with overdue settlements sees the red panel, opens the balance, downloads last quarter’s statement and disputes a line', async ({
  page,
}, testInfo) => {
  await signIn(page, SUPPLIER);
  await expect(page).toHaveURL(/\/cabinet$/);
  await hydrated(page);
  const panel = page.getByTestId('balance-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveClass(/balance-panel--overdue/);
  await expect(panel.getByTestId('panel-overdue-ours')).toContainText('Просрочено к оплате вам');
  // The overdue amount is red.
  const colour = await panel
    .getByTestId('panel-overdue-ours')
    .evaluate((el) => getComputedStyle(el).color);
  expect(colour).toBe('rgb(185, 28, 28)');

  await panel.getByRole('link').click();
  await expect(page).toHaveURL(/\/cabinet\/balance$/);
  await expect(page.getByRole('heading', { name: 'Баланс и акт сверки' })).toBeVisible();
  await hydrated(page);
  await expectNoHorizontalScroll(page);

  // Last quarter in one click; the statement of that period downloads as a PDF.
  await page.getByRole('link', { name: 'Прошлый квартал' }).click();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-01&to=/);
  const from = new URL(page.url()).searchParams.get('from');
  const pdfLink = page.getByTestId('statement-pdf');
  await expect(pdfLink).toHaveAttribute('href', new RegExp(`from=${from}`));
  const [download] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const saved = await download.path();
  expect(saved).toBeTruthy();

  // The last 90 days hold the delivered order; its line is disputed with a comment.
  await page.goto(`/cabinet/balance?from=${isoDate(-90)}`);
  await hydrated(page);
  const row = page.getByTestId('entry-row').filter({ hasText: 'PO' }).first();
  await expect(row).toBeVisible();
  await expect(row.locator('.badge--danger')).toBeVisible();
  await row.getByText('Оспорить').click();
  const comment = `Сумма по накладной другая (${testInfo.project.name} ${Date.now()})`;
  await row.getByLabel('Что не так в этой строке').fill(comment);
  await row.getByTestId('send-dispute').click();
  await expect(page.getByTestId('dispute-sent')).toBeVisible();
  const reply = page.getByTestId('reply').filter({ hasText: comment });
  await expect(reply).toContainText('Оспорена строка');
  await expect(reply.getByTestId('reply-answer')).toContainText('Ждёт ответа бухгалтерии');
});

test('a supplier on a balance-only block lands on the balance page whatever address it opens', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const email = `debtor.${testInfo.project.name}.${Date.now()}@debtor.demo`;
  // A counterparty of its own, so that blocking it touches no other test.
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/counterparties/new');
  await hydrated(page);
  await page.getByTestId('field-name').fill(`ООО «Должник ${stamp}»`);
  await page.getByTestId('field-inn').fill('7707083893');
  await page.getByTestId('field-kpp').fill('773601001');
  await page.getByTestId('field-bic').fill('044525225');
  await page.getByTestId('field-settlement_account').fill('40702810938000012345');
  await page.getByTestId('save-counterparty').click();
  await expect(page).toHaveURL(/\/staff\/counterparties\/\d+$/);
  const id = page.url().match(/counterparties\/(\d+)$/)![1];
  await hydrated(page);
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-first-name').fill('Борис');
  await page.getByTestId('send-invitation').click();
  await expect(page.getByTestId('invitation-sent')).toBeVisible();

  // Staff put it on balance only, with a reason.
  await page.goto(`/staff/counterparties/${id}/edit`);
  await hydrated(page);
  await page.locator('select[name="form[block_mode]"]').selectOption('balance_only');
  await page.getByTestId('field-block_reason').fill('Просрочены закрывающие документы');
  await page.getByTestId('save-counterparty').click();
  await expect(page).toHaveURL(new RegExp(`/staff/counterparties/${id}$`));

  const link = await linkInLetter(email, 'invite');
  const supplier = await (
    await browser.newContext({
      baseURL,
      locale: 'ru-RU',
      viewport: page.viewportSize() ?? undefined,
      isMobile: testInfo.project.name === 'phone',
      hasTouch: testInfo.project.name === 'phone',
    })
  ).newPage();
  await supplier.goto(link);
  await hydrated(supplier);
  await supplier.getByTestId('new-password').fill('должник-весна-2026');
  await supplier.getByTestId('set-password').click();
  await expect(supplier).toHaveURL(/\/cabinet\/balance$/);
  for (const address of ['/cabinet', '/cabinet/documents', '/cabinet/orders', '/cabinet/tasks', '/cabinet/organisation']) {
    await supplier.goto(address);
    await expect(supplier).toHaveURL(/\/cabinet\/balance$/);
  }
  await hydrated(supplier);
  await expect(supplier.getByTestId('panel-block')).toContainText('Просрочены закрывающие документы');
  await expect(supplier.getByTestId('balance-block')).toContainText('Только баланс');
  // The upload page stays open: closing documents are how the block is cleared.
  await supplier.goto('/cabinet/upload');
  await expect(supplier).toHaveURL(/\/cabinet\/upload$/);
  await supplier.context().close();
});

test('staff see the overdue demo supplier on the debtors list, which fits the screen', async ({ page }) => {
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/debtors');
  await hydrated(page);
  const row = page.getByTestId('debtor-row').filter({ hasText: 'Ромашка' });
  await expect(row.locator('td.overdue').first()).toBeVisible();
  await expect(row.getByTestId('debtor-name')).toHaveAttribute('href', /\/staff\/counterparties\/\d+\/balance$/);
  await expectNoHorizontalScroll(page);
  // Every column is in view at once: the table does not scroll sideways either.
  const overflow = await page
    .getByTestId('debtors')
    .evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
