// Launches Debian's Chromium headless in one of the two modes the explorable must handle, and
// collects every console error and uncaught exception of the pages it opens.

import { chromium } from 'playwright-core';

const QUIET = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** WebGPU through SwiftShader (software Vulkan), or no WebGPU at all (the CPU fallback). */
export const MODES = {
  webgpu: [...QUIET, '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader'],
  cpu: [...QUIET],
};

export async function launch(mode, { reducedMotion = 'no-preference', viewport = { width: 1100, height: 900 }, args = [] } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...MODES[mode], ...args],
  });
  const context = await browser.newContext({ viewport, reducedMotion });
  const errors = [];
  const offOrigin = [];
  context.on('page', (page) => watch(page, errors));
  const page = await context.newPage();
  watch(page, errors);
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) offOrigin.push(req.url());
  });
  return { browser, context, page, errors, offOrigin };
}

function watch(page, errors) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
}
