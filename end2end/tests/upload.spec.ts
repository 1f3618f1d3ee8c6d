import { expect, test } from '@playwright/test';
import { hydrated, MANAGER, PASSWORD, signIn, SUPPLIER, SUPPLIER_B, expectNoHorizontalScroll } from './helpers';

// Uploads go to the second demo supplier, so the first one's document counts, which other
// tests check, stay as seeded.

const PDF = Buffer.from('%PDF-1.7\n% e2e invoice\n1 0 obj << >> endobj\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);

test('a supplier uploads an invoice PDF and an act photo, then sees the manager move it', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const number = `E2E-${testInfo.project.name}-${Date.now()}`;
  await signIn(page, SUPPLIER_B);
  await expect(page).toHaveURL(/\/cabinet$/);
  await page.goto('/cabinet/upload');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Загрузка документов' })).toBeVisible();

  await page.getByLabel('Номер счёта').fill(number);
  await page.getByLabel('Дата счёта').fill('2026-11-20');
  await page.getByLabel('Сумма, ₽').fill('15 000,50');
  await page.getByLabel('НДС').selectOption('22');

  // The invoice from the file picker, the act from the camera: one submission.
  await page.getByTestId('file-input').setInputFiles({
    name: 'Счёт.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await page.getByTestId('camera-input').setInputFiles({
    name: 'act.jpg',
    mimeType: 'image/jpeg',
    buffer: JPEG,
  });
  // A program renamed to .pdf is refused in the browser, before anything is sent.
  await page.getByTestId('file-input').setInputFiles({
    name: 'invoice.pdf',
    mimeType: 'application/pdf',
    buffer: EXE,
  });
  const files = page.getByTestId('chosen-file');
  await expect(files).toHaveCount(3);
  await expect(files.nth(0)).toContainText('готов');
  await expect(files.nth(1)).toContainText('готов');
  await expect(files.nth(2)).toContainText('Такой тип файла не принимается');
  await page.getByTestId('upload-submit').click();
  await expect(page.getByTestId('upload-alert')).toContainText('Документы не отправлены');
  await files.nth(2).getByRole('button', { name: 'Убрать' }).click();
  await expect(files).toHaveCount(2);
  await expectNoHorizontalScroll(page);

  await page.getByTestId('upload-submit').click();
  await expect(page).toHaveURL(/\/cabinet\/documents\/\d+\?uploaded=1$/);
  await expect(page.getByTestId('uploaded-notice')).toBeVisible();
  await expect(page.getByTestId('current-stage')).toHaveText('Документы загружены');
  await expect(page.getByTestId('document-file')).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'Счёт.pdf' })).toHaveAttribute('href', /\/files\/\d+$/);
  const cardId = page.url().match(/documents\/(\d+)/)![1];

  // A manager moves it (through the server function the kanban will call).
  const staff = await browser.newContext({ baseURL });
  const headers = { Origin: baseURL!, Accept: 'application/json' };
  const signedIn = await staff.request.post('/api/auth/sign_in', {
    form: { email: MANAGER, password: PASSWORD },
    headers,
  });
  expect(signedIn.ok()).toBeTruthy();
  const moved = await staff.request.post('/api/staff/move_document', {
    form: { id: cardId, to: 'review', version: '1' },
    headers,
  });
  expect(moved.status(), await moved.text()).toBe(200);
  await staff.close();

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('current-stage')).toHaveText('На проверке у менеджера');
  await expect(page.getByTestId('timeline')).toContainText('Документы загружены');
});

test('field problems are shown beside their fields and nothing is sent', async ({ page }) => {
  await signIn(page, SUPPLIER);
  await expect(page).toHaveURL(/\/cabinet$/);
  await page.goto('/cabinet/upload');
  await hydrated(page);
  await page.getByLabel('Сумма, ₽').fill('-5');
  await page.getByTestId('upload-submit').click();
  await expect(page.getByTestId('invoice_number-error')).toHaveText('Заполните это поле.');
  await expect(page.getByTestId('amount-error')).toHaveText('Сумма не может быть отрицательной.');
  await expect(page.getByTestId('submission-problems')).toContainText('Приложите хотя бы один файл.');
  await expect(page).toHaveURL(/\/cabinet\/upload$/);
});
