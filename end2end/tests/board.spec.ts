import { APIRequestContext, Browser, expect, Locator, Page, test } from '@playwright/test';
import { hydrated, MANAGER, PASSWORD, signIn, SUPPLIER_B, expectNoHorizontalScroll } from './helpers';

// Each test uploads its own invoice as the second demo supplier and filters the board to it,
// so tests running side by side (desktop and phone) never move each other's cards.

const PDF = Buffer.from('%PDF-1.7\n% e2e board\n1 0 obj << >> endobj\n%%EOF\n');

async function apiSignIn(request: APIRequestContext, baseURL: string, email: string) {
  const response = await request.post('/api/auth/sign_in', {
    form: { email, password: PASSWORD },
    headers: { Origin: baseURL, Accept: 'application/json' },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}

/** A fresh card in "Documents uploaded"; returns its number and id. */
async function uploadCard(browser: Browser, baseURL: string, tag: string) {
  const number = `B-${tag}-${Date.now()}-${Math.floor(Math.random() * 1000)}`;
  const context = await browser.newContext({ baseURL });
  await apiSignIn(context.request, baseURL, SUPPLIER_B);
  const response = await context.request.post('/api/cabinet/upload', {
    headers: { Origin: baseURL, Accept: 'application/json' },
    multipart: {
      kind: 'invoice_with_act',
      invoice_number: number,
      invoice_date: '2026-11-20',
      amount: '1 234,50',
      vat: '22',
      comment: '',
      files: { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { card_id } = await response.json();
  await context.close();
  return { number, id: String(card_id) };
}

async function moveByApi(browser: Browser, baseURL: string, id: string, to: string, version: number) {
  const context = await browser.newContext({ baseURL });
  await apiSignIn(context.request, baseURL, MANAGER);
  const moved = await context.request.post('/api/staff/move_document', {
    form: { id, to, version: String(version) },
    headers: { Origin: baseURL, Accept: 'application/json' },
  });
  expect(moved.status(), await moved.text()).toBe(200);
  await context.close();
}

function column(page: Page, stage: string): Locator {
  return page.locator(`[data-testid="board-column"][data-drop-stage="${stage}"]`);
}

function card(page: Page, number: string): Locator {
  return page.getByTestId('board-card').filter({ hasText: number });
}

async function openBoard(page: Page, number: string) {
  await page.goto(`/staff/board?text=${encodeURIComponent(number)}`);
  await hydrated(page);
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
}

test.describe('desktop board', () => {
  test.skip(({ isMobile }) => isMobile, 'desktop only');

  test('a manager drags a card with the mouse to the next stage', async ({ page, browser, baseURL }) => {
    const { number } = await uploadCard(browser, baseURL!, 'mouse');
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openBoard(page, number);
    await expect(column(page, 'uploaded').getByTestId('column-count')).toHaveText('1 шт.');
    const from = await card(page, number).locator('.kcard__counterparty').boundingBox();
    const to = await column(page, 'review').boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + 80, { steps: 12 });
    await expect(page.getByTestId('drop-placeholder')).toBeVisible();
    await page.mouse.up();

    await expect(column(page, 'review').getByTestId('board-card')).toContainText(number);
    await expect(column(page, 'uploaded').getByTestId('column-count')).toHaveText('0 шт.');
    await expect(column(page, 'review').getByTestId('column-total')).toHaveText(/^1\s234,50\s₽$/);
    // The manager took the review: their initials are on the card once the server answers.
    await expect(card(page, number).getByTestId('card-responsible')).toHaveText('МП');
    // It stuck on the server.
    await page.reload();
    await hydrated(page);
    await expect(column(page, 'review').getByTestId('board-card')).toContainText(number);
    await expectNoHorizontalScroll(page);
  });

  test('a manager moves a card with the keyboard', async ({ page, browser, baseURL }) => {
    const { number } = await uploadCard(browser, baseURL!, 'keys');
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openBoard(page, number);
    const theCard = card(page, number);
    await theCard.focus();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('board-announcer')).toContainText('взята из этапа «Документы загружены»');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('board-announcer')).toHaveText('Этап «На проверке у менеджера»');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('board-announcer')).toContainText('перемещена в «На проверке у менеджера»');
    await expect(column(page, 'review').getByTestId('board-card')).toContainText(number);
    // Focus stays on the card in its new column; Escape cancels a lift.
    await expect(card(page, number)).toBeFocused();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('board-announcer')).toHaveText('Перемещение отменено.');
    await expect(column(page, 'review').getByTestId('board-card')).toContainText(number);
  });

  test('a stage that needs data asks for it; a refused move is put back with a message', async ({
    page,
    browser,
    baseURL,
  }) => {
    const { number, id } = await uploadCard(browser, baseURL!, 'dialog');
    await moveByApi(browser, baseURL!, id, 'review', 1);
    await moveByApi(browser, baseURL!, id, 'accounting', 2);
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openBoard(page, number);

    await card(page, number).getByTestId('move-menu').click();
    await card(page, number).getByTestId('move-to-payment_plan').click();
    const dialog = page.getByTestId('move-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Плановая дата оплаты').fill('2026-12-15');
    await dialog.getByTestId('move-dialog-submit').click();
    await expect(column(page, 'payment_plan').getByTestId('board-card')).toContainText(number);
    await expect(card(page, number).getByTestId('card-planned')).toHaveText('Оплата 15.12.2026');

    // The server refuses the next move: the card goes back and the board says why.
    await page.route('**/api/staff/move_document', (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: '"Conflict"' }),
    );
    await card(page, number).getByTestId('move-menu').click();
    await card(page, number).getByTestId('move-to-returned').click();
    await dialog.getByLabel('Комментарий для поставщика').fill('Нет подписи');
    await dialog.getByTestId('move-dialog-submit').click();
    await expect(page.getByTestId('board-notice')).toContainText('изменил кто-то другой');
    await expect(column(page, 'payment_plan').getByTestId('board-card')).toContainText(number);
    await expect(column(page, 'returned').getByTestId('board-card')).toHaveCount(0);

    // Paid: the date (today by default) and, optionally, the payment order.
    await page.unroute('**/api/staff/move_document');
    await card(page, number).getByTestId('move-menu').click();
    await card(page, number).getByTestId('move-to-paid').click();
    await dialog.getByTestId('payment-order-input').setInputFiles({
      name: 'payment-order.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    const attached = page.waitForResponse(
      (r) => r.url().endsWith(`/api/staff/documents/${id}/files`) && r.request().method() === 'POST',
    );
    await dialog.getByTestId('move-dialog-submit').click();
    await expect(column(page, 'paid').getByTestId('board-card')).toContainText(number);
    expect((await attached).status()).toBe(200);
    await expect(async () => {
      await page.goto(`/staff/documents/${id}`);
      await expect(page.getByTestId('document-files')).toContainText('payment-order.pdf', { timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
    await expect(page.getByTestId('current-stage')).toHaveText('Оплачено');
  });

  test('a second browser and the supplier see the move live, without reloading', async ({
    page,
    browser,
    baseURL,
  }) => {
    const { number, id } = await uploadCard(browser, baseURL!, 'live');
    // The supplier keeps the document open.
    const supplierContext = await browser.newContext({ baseURL, locale: 'ru-RU' });
    const supplier = await supplierContext.newPage();
    await signIn(supplier, SUPPLIER_B);
    await expect(supplier).toHaveURL(/\/cabinet$/);
    await supplier.goto(`/cabinet/documents/${id}`);
    await hydrated(supplier);
    await expect(supplier.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
    await expect(supplier.getByTestId('current-stage')).toHaveText('Документы загружены');
    // A colleague keeps the board open.
    const otherContext = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    const other = await otherContext.newPage();
    await signIn(other, MANAGER);
    await expect(other).toHaveURL(/\/staff$/);
    await openBoard(other, number);
    await expect(column(other, 'uploaded').getByTestId('board-card')).toContainText(number);

    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openBoard(page, number);
    await card(page, number).getByTestId('move-menu').click();
    await card(page, number).getByTestId('move-to-review').click();
    await expect(column(page, 'review').getByTestId('board-card')).toContainText(number);

    await expect(column(other, 'review').getByTestId('board-card')).toContainText(number, { timeout: 5_000 });
    await expect(column(other, 'uploaded').getByTestId('board-card')).toHaveCount(0);
    await expect(supplier.getByTestId('current-stage')).toHaveText('На проверке у менеджера', { timeout: 5_000 });
    await expect(supplier.getByTestId('thread')).toContainText('Ваши документы на проверке у менеджера.');
    await supplierContext.close();
    await otherContext.close();
  });
});

test('the card page previews files, keeps the history and a thread the supplier sees live', async ({
  page,
  browser,
  baseURL,
  isMobile,
}) => {
  const { number, id } = await uploadCard(browser, baseURL!, 'card');
  const supplierContext = await browser.newContext({ baseURL, locale: 'ru-RU' });
  const supplier = await supplierContext.newPage();
  await signIn(supplier, SUPPLIER_B);
  await expect(supplier).toHaveURL(/\/cabinet$/);
  await supplier.goto(`/cabinet/documents/${id}`);
  await hydrated(supplier);
  await expect(supplier.getByTestId('live-status')).toHaveAttribute('data-live', 'true');

  await signIn(page, MANAGER);
  await expect(page).toHaveURL(/\/staff$/);
  await openBoard(page, number);
  await card(page, number).getByTestId('card-number').click();
  await expect(page).toHaveURL(new RegExp(`/staff/documents/${id}$`));
  await hydrated(page);
  await expect(page.getByRole('heading', { name: `Счёт ${number}` })).toBeVisible();
  await expect(page.getByTestId('pdf-preview')).toHaveAttribute('src', /\/files\/\d+$/);
  await expect(page.getByTestId('history')).toContainText('Документы загружены');
  await expect(page.getByTestId('history')).toContainText('Елена Кузнецова');

  await page.getByTestId('message-input').fill('Пришлите, пожалуйста, акт с подписью.');
  await page.getByTestId('message-send').click();
  await expect(page.getByTestId('thread')).toContainText('Пришлите, пожалуйста, акт с подписью.');
  await expect(supplier.getByTestId('thread')).toContainText('Пришлите, пожалуйста, акт с подписью.', {
    timeout: 5_000,
  });
  // The supplier answers; staff read it in the same thread.
  await supplier.getByTestId('message-input').fill('Загрузим сегодня.');
  await supplier.getByTestId('message-send').click();
  await expect(page.getByTestId('thread')).toContainText('Загрузим сегодня.', { timeout: 5_000 });
  if (isMobile) {
    await expectNoHorizontalScroll(page);
  }
  await supplierContext.close();
});

test.describe('phone board', () => {
  test.skip(({ isMobile }) => !isMobile, 'phone only');

  test('one stage at a time; a finger drags a card by its handle to the next stage', async ({
    page,
    browser,
    baseURL,
  }) => {
    const { number } = await uploadCard(browser, baseURL!, 'touch');
    await signIn(page, MANAGER);
    await expect(page).toHaveURL(/\/staff$/);
    await openBoard(page, number);
    await expect(column(page, 'uploaded')).toBeVisible();
    await expect(column(page, 'review')).toBeHidden();
    await expectNoHorizontalScroll(page);

    await card(page, number).getByTestId('drag-handle').scrollIntoViewIfNeeded();
    const handle = await card(page, number).getByTestId('drag-handle').boundingBox();
    const tab = await page.locator('[data-testid="board-tab"][data-drop-stage="review"]').boundingBox();
    const start = { x: handle!.x + handle!.width / 2, y: handle!.y + handle!.height / 2 };
    const end = { x: tab!.x + tab!.width / 2, y: tab!.y + tab!.height / 2 };
    // Real touch events (not mouse): Chromium makes pointer events of pointerType "touch".
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [start] });
    for (let i = 1; i <= 10; i++) {
      const point = { x: start.x + ((end.x - start.x) * i) / 10, y: start.y + ((end.y - start.y) * i) / 10 };
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
    }
    await expect(page.locator('[data-testid="board-tab"][data-drop-stage="review"]')).toHaveClass(/board-tab--over/);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });

    await expect(column(page, 'uploaded').getByTestId('board-card')).toHaveCount(0);
    await page.locator('[data-testid="board-tab"][data-drop-stage="review"]').click();
    await expect(column(page, 'review')).toBeVisible();
    await expect(column(page, 'review').getByTestId('board-card')).toContainText(number);
  });
});

test('"Move to…" works with JavaScript off, and asks on the card page for what a stage needs', async ({
  browser,
  baseURL,
  isMobile,
}) => {
  const { number, id } = await uploadCard(browser, baseURL!, 'nojs');
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: false,
    locale: 'ru-RU',
    ...(isMobile ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {}),
  });
  await apiSignIn(context.request, baseURL!, MANAGER);
  const page = await context.newPage();
  await page.goto(`/staff/board?text=${encodeURIComponent(number)}`);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);
  await card(page, number).getByTestId('move-menu').click();
  await card(page, number).getByTestId('move-to-review').click();
  await expect(page).toHaveURL(new RegExp(`/staff/board\\?text=`));
  await expect(page.locator('[data-drop-stage="review"] [data-testid="board-card"]')).toContainText(number);
  if (isMobile) {
    // One stage at a time: the tabs are plain links.
    await page.locator('[data-testid="board-tab"][data-drop-stage="review"]').click();
    await expect(page).toHaveURL(/stage=review/);
  }

  await card(page, number).getByTestId('move-menu').click();
  await card(page, number).getByTestId('move-to-payment_plan').click();
  // The stage needs a date: the card page asks for it.
  await expect(page).toHaveURL(new RegExp(`/staff/documents/${id}\\?move_to=payment_plan&problem=missing`));
  await expect(page.getByTestId('move-problem')).toContainText('заполните поля');
  await page.getByLabel('Плановая дата оплаты').fill('2026-12-20');
  await page.getByTestId('card-move-submit').click();
  await expect(page).toHaveURL(new RegExp(`/staff/documents/${id}$`));
  await expect(page.getByTestId('current-stage')).toHaveText('Встало в план оплат');
  await expect(page.getByTestId('planned-payment')).toHaveText('20.12.2026');
  await context.close();
});
