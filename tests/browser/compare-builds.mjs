// Two built sites side by side in the same run, as a reader gets them: the time to the first figure,
// the bytes fetched before it, the article's training speed and long tasks while it sits on figure 1,
// and long tasks while the reader scrolls through the sampled figures. Alternates the builds so that
// the machine's drift hits both alike. Asserts nothing.
// Usage: node tests/browser/compare-builds.mjs DIST_A DIST_B [rounds] [mode]   (mode: cpu | webgpu)

import { launch } from './chromium.mjs';
import { serve } from './server.mjs';

const [a, b, rounds = '2', mode = 'cpu'] = process.argv.slice(2);
const WINDOW_MS = 15_000;

const observe = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({ at: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
};

async function measure(dist) {
  const server = await serve(dist);
  const { browser, context, page } = await launch(mode);
  await context.addInitScript(observe);
  try {
    const navigated = server.now();
    await page.goto(`${server.url}#iterations=100000`);
    await page.waitForFunction(() => document.querySelector('.fig[data-figure="densities"]')?.dataset.drawn === 'true', null, { timeout: 60_000 });
    const first = server.now() - navigated;
    const gz = server.log.filter((r) => r.at >= navigated && r.at <= navigated + first).reduce((s, r) => s + r.gzipped, 0);
    await page.waitForFunction(() => window.explorable.run.steps > 50, null, { timeout: 120_000 });
    const s0 = await page.evaluate(() => [performance.now(), window.explorable.run.steps]);
    await page.waitForTimeout(WINDOW_MS);
    const s1 = await page.evaluate(() => [performance.now(), window.explorable.run.steps]);
    const idle = await page.evaluate((from) => window.__longTasks.filter((t) => t.at >= from).length, s0[0]);
    const scrolling = await page.evaluate(async () => {
      const from = performance.now();
      for (const name of ['learned-field', 'reconstructed', 'sampled-density', 'metrics', 'couplings']) {
        const step = document.querySelector(`.step[data-figure="${name}"]`);
        window.scrollTo(0, step.offsetTop + step.offsetHeight / 2 - innerHeight / 2);
        await new Promise((r) => setTimeout(r, 3000));
      }
      return window.__longTasks.filter((t) => t.at >= from).map((t) => Math.round(t.duration));
    });
    return { first, gz, msPerStep: (s1[0] - s0[0]) / (s1[1] - s0[1]), idle, scrolling };
  } finally {
    await browser.close();
    await server.close();
  }
}

const results = { A: [], B: [] };
for (let r = 0; r < Number(rounds); r++) {
  for (const [name, dist] of [['A', a], ['B', b]]) results[name].push(await measure(dist));
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`${mode}, ${rounds} rounds each, alternating; A = ${a}, B = ${b}`);
for (const [name, rs] of Object.entries(results)) {
  console.log(`${name}: first figure ${rs.map((x) => x.first.toFixed(0)).join(' / ')} ms (${(rs[0].gz / 1024).toFixed(0)} KB gz before it); article ms/step while idle on figure 1 ${rs.map((x) => x.msPerStep.toFixed(2)).join(' / ')} (median ${median(rs.map((x) => x.msPerStep)).toFixed(2)}); long tasks idle ${rs.map((x) => x.idle).join(' / ')}, while scrolling ${rs.map((x) => `[${x.scrolling.join(', ')}]`).join(' / ')} ms`);
}
const ratio = median(results.B.map((x) => x.msPerStep)) / median(results.A.map((x) => x.msPerStep));
console.log(`B / A, article ms per step (medians): ${ratio.toFixed(2)}`);
