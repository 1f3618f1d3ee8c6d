const { chromium } = require('@playwright/test');
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--no-first-run'] });
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ru-RU' });
  const page = await ctx.newPage();
  page.on('console', m => console.log('CONSOLE', m.type(), m.text().slice(0, 600)));
  page.on('pageerror', e => console.log('PAGEERROR', String(e).slice(0, 600)));
  const base = 'http://127.0.0.1:3200';
  for (let i = 0; i < 3; i++) {
    await page.goto(base + '/login');
    try { await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 }); console.log('login hydrated'); } catch (e) { console.log('login NOT hydrated'); }
  }
  await page.fill('input[name=email]', 'supplier@romashka.demo');
  await page.fill('input[name=password]', 'demo-password');
  await page.click('button[type=submit]');
  await page.waitForURL(/cabinet/);
  try { await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 }); console.log('cabinet hydrated'); } catch (e) { console.log('cabinet NOT hydrated'); }
  await browser.close();
})();
