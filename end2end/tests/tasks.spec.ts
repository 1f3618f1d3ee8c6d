import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, MANAGER, signIn, SUPPLIER_B } from './helpers';

const PDF = Buffer.from('%PDF-1.7\n% e2e task answer\n1 0 obj << >> endobj\n%%EOF\n');

test('a manager sets a supplier a task; the supplier answers with a file; the manager sees it', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const title = `Предоставить закрывающие документы (${testInfo.project.name} ${Date.now()})`;
  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/tasks');
  await hydrated(page);
  await page.getByTestId('add-task').click();
  const form = page.getByTestId('task-form');
  await form.getByLabel('Задача').fill(title);
  await form.getByTestId('task-assignee').selectOption({ label: 'АО «Вектор»' });
  await form.getByLabel('Срок').fill('2026-12-25');
  await form.getByTestId('task-submit').click();
  await expect(page.getByTestId('task').filter({ hasText: title })).toBeVisible();

  // The supplier finds it in its cabinet, answers and attaches a file.
  const supplierContext = await browser.newContext({
    baseURL,
    locale: 'ru-RU',
    viewport: testInfo.project.use.viewport ?? undefined,
    isMobile: testInfo.project.use.isMobile,
    hasTouch: testInfo.project.use.hasTouch,
  });
  const supplier = await supplierContext.newPage();
  await signIn(supplier, SUPPLIER_B);
  await expect(supplier).toHaveURL(/\/cabinet$/);
  await supplier.goto('/cabinet/tasks');
  await hydrated(supplier);
  await supplier.getByTestId('task-title').filter({ hasText: title }).click();
  await expect(supplier.getByTestId('task-heading')).toHaveText(title);
  await hydrated(supplier);
  await supplier.getByTestId('task-comment-body').fill('Отправим курьером 24-го');
  await supplier.getByTestId('task-comment-submit').click();
  await expect(supplier.getByTestId('task-comment')).toContainText('Отправим курьером 24-го');
  await supplier.getByTestId('item-files-form').locator('input[type=file]').setInputFiles({
    name: 'акт.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await supplier.getByTestId('item-files-form').getByRole('button', { name: 'Приложить файлы' }).click();
  await expect(supplier.getByTestId('item-file')).toContainText('акт.pdf');
  await expectNoHorizontalScroll(supplier);
  await supplierContext.close();

  // The manager sees the answer and the file.
  await page.getByTestId('task-title').filter({ hasText: title }).click();
  await hydrated(page);
  await expect(page.getByTestId('task-comment')).toContainText('Отправим курьером 24-го');
  await expect(page.getByTestId('item-file')).toContainText('акт.pdf');
  await page.getByTestId('task-toggle').click();
  await expect(page.getByTestId('task-done')).toBeVisible();
});
