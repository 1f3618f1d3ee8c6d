import { expect, Page, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, MANAGER, signIn, signOut } from './helpers';

// Whom a step falls on: the supervisor, or the deputy the org test names meanwhile.
const EMAIL_OF: Record<string, string> = {
  'Сергей Иванов': 'supervisor@demo.local',
  'Ольга Смирнова': 'accountant@demo.local',
  'Анна Админова': 'admin@demo.local',
};

function isoDay(offset: number): string {
  const day = new Date(Date.now() + offset * 24 * 3600 * 1000);
  return day.toISOString().slice(0, 10);
}

async function openRequest(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** Signs in as whoever the request waits on now. */
async function asApprover(page: Page, path: string, phone: boolean) {
  const waiting = (await page.getByTestId('approval-step').filter({ hasText: 'на согласовании' }).first().innerText());
  const name = Object.keys(EMAIL_OF).find((n) => waiting.includes(n));
  expect(name, waiting).toBeTruthy();
  await signOut(page, phone);
  await signIn(page, EMAIL_OF[name!]);
  await expect(page).toHaveURL(/\/staff$/);
  await openRequest(page, path);
}

test('a payment request is returned, fixed, approved and paid', async ({ page }, testInfo) => {
  // Four sign-ins and two uploads: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const phone = testInfo.project.name === 'phone';
  // A retry makes a request of its own amount: the first attempt's may have reached the
  // supplier's list already.
  const amount = `${phone ? 77 + testInfo.retry * 2 : 55 + testInfo.retry * 2} 001`;
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/payments');
  await hydrated(page);
  await page.getByTestId('new-payment').click();
  await hydrated(page);
  const form = page.getByTestId('payment-form');
  await form.getByTestId('payment-counterparty').selectOption({ label: 'ООО «Ромашка»' });
  await expect(page.getByTestId('payment-requisites')).toContainText('ИНН 7707083893');
  await form.getByTestId('payment-amount').fill(amount);
  await form.getByTestId('payment-purpose').fill('Оплата по счёту № 15 за насосы');
  await form.getByTestId('payment-item').selectOption({ index: 1 });
  await form.getByTestId('payment-pay-by').fill(isoDay(7));
  await form.getByTestId('payment-save').click();
  await expect(page).toHaveURL(/\/staff\/payments\/\d+$/);
  const path = new URL(page.url()).pathname;
  await hydrated(page);
  await expect(page.getByTestId('payment-stage')).toHaveText('Черновик');

  // The invoice, then off for approval.
  const invoice = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Счёт', exact: true }) });
  await invoice.locator('input[type=file]').setInputFiles({
    name: 'счёт 15.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.7\n% e2e ${amount}\n1 0 obj << >> endobj\n%%EOF\n`),
  });
  await invoice.getByRole('button', { name: 'Приложить файлы' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await hydrated(page);
  await expect(page.getByTestId('item-file').filter({ hasText: 'счёт 15.pdf' })).toBeVisible();
  await page.getByTestId('payment-send').click();
  await expect(page.getByTestId('payment-stage')).toHaveText('Согласование');
  await expect(page.getByTestId('payment-waiting')).toBeVisible();

  // The approver returns it with a reason.
  await asApprover(page, path, phone);
  const panel = page.getByTestId('decision-panel');
  await expect(panel).toBeVisible();
  await page.getByTestId('reject').click();
  await expect(page.getByTestId('decision-panel').locator('[role=alert]').first()).toBeVisible();
  await page.getByTestId('reject-comment').fill('Сумма не совпадает со счётом');
  await page.getByTestId('reject').click();
  await expect(page.getByTestId('payment-stage')).toHaveText('На доработке');
  await expectNoHorizontalScroll(page);

  // The manager fixes the amount and sends it again.
  await signOut(page, phone);
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await openRequest(page, path);
  await expect(page.getByTestId('approval-step').filter({ hasText: 'Сумма не совпадает со счётом' })).toBeVisible();
  await page.getByTestId('payment-edit').click();
  await hydrated(page);
  await page.getByTestId('payment-amount').fill(amount.replace(/1$/, '0'));
  await page.getByTestId('payment-save').click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await hydrated(page);
  await page.getByTestId('payment-send').click();
  await expect(page.getByTestId('payment-stage')).toHaveText('Согласование');

  // The approver sees their earlier return in the chain, and approves: accounting has it.
  await asApprover(page, path, phone);
  await expect(page.locator('[data-testid=approval-step][data-state=rejected]')).toContainText('Сумма не совпадает');
  await page.getByTestId('approve').click();
  await expect(page.getByTestId('payment-stage')).toHaveText('Бухгалтерия');

  // The accountant finds it in the register under its day, with the day's total.
  const id = path.split('/').pop()!;
  await signOut(page, phone);
  await signIn(page, 'accountant@demo.local');
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/payments/register');
  await hydrated(page);
  const day = page.locator(`[data-testid=register-day][data-day="${isoDay(7)}"]`);
  const row = day.locator(`[data-testid=register-row][data-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(day.getByTestId('register-day-total')).toContainText('Заявок:');
  await expect(row).toContainText('Нет п/п');
  await expectNoHorizontalScroll(page);

  // It is paid with its payment order: attached on the card, then ticked in the register.
  await openRequest(page, path);
  const order = page.getByTestId('payment-order');
  await order.locator('input[type=file]').setInputFiles({
    name: 'платёжное поручение.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.7\n% order ${amount}\n1 0 obj << >> endobj\n%%EOF\n`),
  });
  await order.getByRole('button', { name: 'Приложить файлы' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await hydrated(page);
  await expect(page.getByTestId('payment-order').getByTestId('item-file')).toContainText('платёжное поручение.pdf');
  await page.goto('/staff/payments/register');
  await hydrated(page);
  await row.getByTestId('register-pick').check();
  await expect(page.getByTestId('register-selected')).toContainText('Выбрано: 1');
  await page.getByTestId('register-pay').click();
  await expect(page.getByTestId('register-paid')).toContainText('Оплачено заявок: 1');
  await expect(row).toHaveCount(0);
  await openRequest(page, path);
  await expect(page.getByTestId('payment-stage')).toHaveText('Оплачено');
  await expect(page.getByTestId('payment-paid-on')).toBeVisible();
  await expectNoHorizontalScroll(page);

  // The supplier sees the payment and can open its payment order; no names, no chain.
  await signOut(page, phone);
  await signIn(page, 'supplier@romashka.demo');
  await expect(page).toHaveURL(/\/cabinet$/);
  await page.goto('/cabinet/payments');
  await hydrated(page);
  const rubles = amount.replace(/1$/, '0').replace(' ', '\\s');
  const payment = page.getByTestId('supplier-payment').filter({ hasText: new RegExp(`${rubles},00`) });
  await expect(payment).toBeVisible();
  await expect(payment.getByTestId('item-file')).toContainText('платёжное поручение.pdf');
  await expect(page.locator('body')).not.toContainText('Сергей Иванов');
  await expectNoHorizontalScroll(page);
});
