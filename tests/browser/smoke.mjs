// Ad-hoc look at the page: node tests/browser/smoke.mjs <mode> <hash> <out.png> [waitMs] [script.js]
import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const [mode = 'cpu', hash = '', out = '/tmp/smoke.png', wait = '15000'] = process.argv.slice(2);
const server = await serve(new URL('../../dist/', import.meta.url).pathname);
const { browser, page, errors } = await launch(mode);
page.on('console', (m) => console.log(`[${m.type()}] ${m.text()}`));
await page.goto(`${server.url}${hash}`);
await page.waitForTimeout(Number(wait));
const info = await page.evaluate(() => ({
  badge: document.getElementById('backend-badge')?.textContent,
  progress: document.getElementById('progress')?.textContent,
  message: document.getElementById('message')?.textContent,
  training: document.body.dataset.training,
  active: document.body.dataset.activeFigure,
}));
console.log(JSON.stringify(info));
await page.screenshot({ path: out, fullPage: false });
console.log('errors:', errors);
await browser.close();
await server.close();
