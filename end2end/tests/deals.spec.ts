import { APIRequestContext, Browser, expect, Locator, Page, test } from '@playwright/test';
import { expectNoHorizontalScroll, hydrated, MANAGER, PASSWORD, signIn, SUPPLIER_B } from './helpers';

// Each test makes its own deal (with a contract, a specification and a delivered order of the
// second demo supplier) through the API and filters the deals board to it.

async function apiSignIn(request: APIRequestContext, baseURL: string, email: string) {
  const response = await request.post('/api/auth/sign_in', {
    form: { email, password: PASSWORD },
    headers: { Origin: baseURL, Accept: 'application/json' },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}

function isoDate(daysFromToday: number): string {
  // The company's calendar is Moscow's (UTC+3).
  const moscow = new Date(Date.now() + 3 * 3600_000 + daysFromToday * 86_400_000);
  return moscow.toISOString().slice(0, 10);
}

function ruDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** A deal in "New" with papers made before it has a number; the order was delivered. */
async function dealWithPapers(browser: Browser, baseURL: string, tag: string) {
  const title = `E2E ${tag} ${Date.now()}-${Math.floor(Math.random() * 1000)}`;
  const context = await browser.newContext({ baseURL });
  const request = context.request;
  await apiSignIn(request, baseURL, MANAGER);
  const headers = { Origin: baseURL, Accept: 'application/json' };
  const post = async (path: string, form: Record<string, string>) => {
    const response = await request.post(path, { form, headers });
    expect(response.status(), await response.text()).toBe(200);
    return response.json();
  };
  const deal: number = await post('/api/staff/create_deal', {
    title,
    customer: 'АО «Тест»',
    amount: '500 000',
  });
  const page = await post('/api/staff/deal', { id: String(deal) });
  const vektor = page.counterparties.find((c: { name: string }) => c.name.includes('Вектор'));
  const contract: number = await post('/api/staff/create_contract', {
    counterparty: String(vektor.id),
    deal: String(deal),
    signed_on: isoDate(-30),
    deferral_days: '14',
    deferral_base: 'delivery',
  });
  await post('/api/staff/create_specification', {
    contract: String(contract),
    dated_on: isoDate(-29),
    'lines[0][name]': 'Задвижка DN100',
    'lines[0][quantity]': '4',
    'lines[0][unit]': 'шт',
    'lines[0][price]': '12 500',
    'lines[0][vat]': '22',
  });
  const order: number = await post('/api/staff/create_order', {
    contract: String(contract),
    amount: '50 000',
    planned_delivery_on: isoDate(-4),
    description: 'Задвижки',
  });
  const delivered = isoDate(-3);
  await post('/api/staff/move_order', {
    id: String(order),
    to: 'delivered',
    version: '1',
    delivered_on: delivered,
  });
  await context.close();
  return { title, deal: String(deal), order: String(order), deadline: ruDate(isoDate(11)) };
}

function column(page: Page, stage: string): Locator {
  return page.locator(`[data-testid="board-column"][data-drop-stage="${stage}"]`);
}

async function openDeals(page: Page, title: string) {
  await page.goto(`/staff/deals?text=${encodeURIComponent(title)}`);
  await hydrated(page);
}

async function expectNumberedEverywhere(page: Page, browser: Browser, baseURL: string, deal: string, deadline: string) {
  const number = (await page.getByTestId('card-number').first().textContent())!.trim();
  expect(number).toMatch(/^\d{4}-\d{4}$/);

  // The deal's page: its number, and each paper's number carries it.
  await page.getByTestId('board-card').filter({ hasText: number }).getByTestId('card-number').click();
  await expect(page).toHaveURL(new RegExp(`/staff/deals/${deal}$`));
  await hydrated(page);
  await expect(page.getByTestId('deal-number')).toHaveText(`№ ${number}`);
  await expect(page.getByTestId('contract-number')).toHaveText(`№ ${number}/CT-1`);
  await expect(page.getByTestId('specification-number')).toHaveText(`№ ${number}/SP-1`);
  await expect(page.getByTestId('order-number')).toHaveText(`№ ${number}/PO-1`);
  await expect(page.getByTestId('tasks')).toContainText(`№${number}`);
  await expect(page.getByTestId('order-deadline')).toContainText(deadline);
  await expectNoHorizontalScroll(page);

  // The search box finds it by part of the number.
  await page.getByTestId('global-search').fill(number.slice(5));
  await page.getByTestId('global-search').press('Enter');
  await expect(page.getByTestId('search-deal-number').filter({ hasText: number })).toBeVisible();

  // The supplier sees the order with that number and its payment deadline.
  const supplierContext = await browser.newContext({ baseURL, locale: 'ru-RU' });
  const supplier = await supplierContext.newPage();
  await signIn(supplier, SUPPLIER_B);
  await expect(supplier).toHaveURL(/\/cabinet$/);
  await supplier.goto('/cabinet/orders');
  await hydrated(supplier);
  const row = supplier.getByTestId('order-row').filter({ hasText: `${number}/PO-1` });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('order-deadline')).toContainText(deadline);
  await row.getByTestId('order-number').click();
  await expect(supplier.getByTestId('order-number')).toHaveText(`№ ${number}/PO-1`);
  await expect(supplier.getByTestId('order-deadline')).toContainText(deadline);
  await supplierContext.close();
}

test.describe('desktop deals board', () => {
  test.skip(({ isMobile }) => isMobile, 'desktop only');

  test('a manager drags a deal to Implementation and its number reaches every paper and the supplier', async ({
    page,
    browser,
    baseURL,
  }) => {
    const { title, deal, deadline } = await dealWithPapers(browser, baseURL!, 'drag');
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openDeals(page, title);
    const card = column(page, 'new').getByTestId('board-card').filter({ hasText: title });
    await expect(card).toBeVisible();
    await expect(card.getByTestId('card-number')).toHaveText(`#${deal}`);

    const from = await card.locator('.kcard__counterparty').boundingBox();
    const to = await column(page, 'implementation').boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + 80, { steps: 12 });
    await expect(page.getByTestId('drop-placeholder')).toBeVisible();
    await page.mouse.up();

    const moved = column(page, 'implementation').getByTestId('board-card').filter({ hasText: title });
    await expect(moved.getByTestId('card-number')).toHaveText(/^\d{4}-\d{4}$/);
    await expect(column(page, 'new').getByTestId('board-card')).toHaveCount(0);
    await expectNumberedEverywhere(page, browser, baseURL!, deal, deadline);
  });
});

test.describe('phone deals board', () => {
  test.skip(({ isMobile }) => !isMobile, 'phone only');

  test('on a phone "Move to…" takes a deal to Implementation and numbers it', async ({ page, browser, baseURL }) => {
    const { title, deal, deadline } = await dealWithPapers(browser, baseURL!, 'phone');
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openDeals(page, title);
    const card = page.getByTestId('board-card').filter({ hasText: title });
    await card.getByTestId('move-menu').click();
    await card.getByTestId('move-to-implementation').click();
    await page.locator('[data-testid="board-tab"][data-drop-stage="implementation"]').click();
    const moved = column(page, 'implementation').getByTestId('board-card').filter({ hasText: title });
    await expect(moved.getByTestId('card-number')).toHaveText(/^\d{4}-\d{4}$/);
    await expectNoHorizontalScroll(page);
    await expectNumberedEverywhere(page, browser, baseURL!, deal, deadline);
  });
});

test.describe('live deals and orders boards', () => {
  test.skip(({ isMobile }) => isMobile, 'desktop only');

  test('a second browser sees a deal and an order move without reloading', async ({ page, browser, baseURL }) => {
    const { title, deal, order } = await dealWithPapers(browser, baseURL!, 'live');
    const headers = { Origin: baseURL!, Accept: 'application/json' };
    await apiSignIn(page.request, baseURL!, MANAGER);
    const post = async (path: string, form: Record<string, string>) => {
      const response = await page.request.post(path, { form, headers });
      expect(response.status(), await response.text()).toBe(200);
      return response.json();
    };
    const versionOf = async (pipeline: string, id: string) =>
      String((await post('/api/staff/fresh_pipeline_card', { pipeline, id })).version);

    // A colleague keeps the deals board open.
    const otherContext = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    const other = await otherContext.newPage();
    await signIn(other, MANAGER);
    await expect(other).toHaveURL(/\/staff$/);
    await openDeals(other, title);
    await expect(other.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
    await expect(column(other, 'new').getByTestId('board-card')).toContainText(title);

    // The deal enters implementation elsewhere: the open board moves it and shows its number.
    await post('/api/staff/move_deal', { id: deal, to: 'implementation', version: await versionOf('deals', deal) });
    const moved = column(other, 'implementation').getByTestId('board-card').filter({ hasText: title });
    await expect(moved).toBeVisible({ timeout: 5_000 });
    await expect(moved.getByTestId('card-number')).toHaveText(/^\d{4}-\d{4}$/);
    await expect(column(other, 'new').getByTestId('board-card')).toHaveCount(0);

    // The orders board, open on that order, follows its move to closing documents.
    const { order: row } = await post('/api/order', { id: order });
    await other.goto(`/staff/orders?text=${encodeURIComponent(row.number)}`);
    await hydrated(other);
    await expect(other.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
    await expect(column(other, 'delivered').getByTestId('board-card')).toContainText(row.number);
    await post('/api/staff/move_order', {
      id: order,
      to: 'closing_docs',
      version: await versionOf('supplier_orders', order),
      closing_documents_on: isoDate(-1),
    });
    await expect(column(other, 'closing_docs').getByTestId('board-card')).toContainText(row.number, { timeout: 5_000 });
    await expect(column(other, 'delivered').getByTestId('board-card')).toHaveCount(0);
    await otherContext.close();
  });
});
