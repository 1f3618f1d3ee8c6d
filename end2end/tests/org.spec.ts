import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, signIn } from './helpers';

const SUPERVISOR = 'supervisor@demo.local';

function isoDay(offset: number): string {
  const day = new Date(Date.now() + offset * 24 * 3600 * 1000);
  return day.toISOString().slice(0, 10);
}

test('an approver sees whom requests go to and names a deputy for a trip', async ({ page }, testInfo) => {
  // Each project names its own deputy, so that the two runs at once do not meet.
  const deputy = testInfo.project.name === 'phone' ? 'Анна Админова' : 'Ольга Смирнова';
  await signIn(page, SUPERVISOR);
  await expect(page).toHaveURL(/\/staff$/);
  await page.goto('/staff/settings/org');
  await hydrated(page);
  const chart = page.getByTestId('org-chart');
  const manager = chart.getByTestId('org-person').filter({ hasText: 'Мария Петрова' });
  await expect(manager.getByTestId('org-chain')).toContainText('Сергей Иванов');
  await expect(chart.getByTestId('org-department').filter({ hasText: 'Отдел закупок' })).toBeVisible();
  // A supervisor is not an admin: no editing of the structure.
  await expect(page.getByTestId('org-departments')).toHaveCount(0);

  // A retry finds its own earlier row: it goes first.
  const mine = page.getByTestId('deputy-row').filter({ hasText: deputy });
  while ((await mine.count()) > 0) {
    const before = await mine.count();
    await mine.first().getByRole('button', { name: 'Отменить' }).click();
    await expect(mine).toHaveCount(before - 1);
  }
  const form = page.getByTestId('deputy-form');
  await form.getByLabel('Заместитель').selectOption({ label: deputy });
  await form.getByLabel('С', { exact: true }).fill(isoDay(0));
  await form.getByLabel('По', { exact: true }).fill(isoDay(3));
  await form.getByRole('button', { name: 'Назначить заместителя' }).click();
  const row = page.getByTestId('deputy-row').filter({ hasText: deputy });
  await expect(row).toHaveCount(1);
  // While away, the manager's requests go to the deputy.
  await expect(manager.getByTestId('org-chain')).toContainText('Сергей Иванов →');
  await expectNoHorizontalScroll(page);

  await row.getByRole('button', { name: 'Отменить' }).click();
  await expect(page.getByTestId('deputy-row').filter({ hasText: deputy })).toHaveCount(0);
});
