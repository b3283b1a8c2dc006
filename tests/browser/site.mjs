// The built site served for one test file: started before its tests, closed after them.

import { after, before } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { serve } from './server.mjs';

const DIST = process.env.DIST || new URL('../../dist/', import.meta.url).pathname;
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

/** Registers the server's start and stop; its `url` is set once the tests run. */
export function useSite() {
  const site = {};
  before(async () => {
    Object.assign(site, await serve(DIST));
    await mkdir(SHOTS, { recursive: true });
  });
  after(() => site.close());
  return site;
}
