// The figure worker: everything heavy that a figure needs, computed with the small math module, off
// the main thread. Jobs run a slice at a time, most urgent first (the figure on screen), so a new
// job for the figure the reader is looking at never waits behind one for a figure they have left.
//
// The kinds of job are in kinds.js.
// Page → worker: { type: 'init', module } first (the compiled math module, or null)
//                { type: 'job', id, kind, params, priority } · { type: 'priority', id, priority }
//                { type: 'cancel', id }
// Worker → page: { type: 'progress', id, fraction, partial? } · { type: 'done', id, result }
//                { type: 'failed', id, message }
// Lower priority numbers run first; equal priorities run in arrival order.

import init, * as math from '../../pkg/flow-web-math.js';
import { makeKinds } from './kinds.js';
import { yieldToMessages } from './yield.js';

const SLICE_MS = 25; // longest stretch of work between two looks at the message queue

/** Typed arrays inside a result, to transfer rather than copy. */
function buffers(value) {
  if (ArrayBuffer.isView(value)) return [value.buffer];
  if (value && typeof value === 'object') return Object.values(value).flatMap(buffers);
  return [];
}

const KINDS = makeKinds(math);
const queue = []; // { id, priority, order, task }
let order = 0;
let running = false;

function enqueue({ id, kind, params, priority }) {
  let task;
  try {
    task = KINDS[kind](params);
  } catch (e) {
    self.postMessage({ type: 'failed', id, message: String(e.message || e) });
    return;
  }
  queue.push({ id, priority, order: order++, task });
  if (!running) run();
}

function remove(id) {
  const i = queue.findIndex((j) => j.id === id);
  if (i >= 0) queue.splice(i, 1)[0].task.free();
}

async function run() {
  running = true;
  while (queue.length) {
    queue.sort((a, b) => a.priority - b.priority || a.order - b.order);
    const job = queue[0];
    try {
      const out = job.task.step(SLICE_MS);
      if (out.done) {
        remove(job.id);
        self.postMessage({ type: 'done', id: job.id, result: out.result }, [...new Set(buffers(out.result))]);
      } else {
        self.postMessage({ type: 'progress', id: job.id, fraction: out.fraction, partial: out.partial });
      }
    } catch (e) {
      remove(job.id);
      self.postMessage({ type: 'failed', id: job.id, message: String(e.message || e) });
    }
    await yieldToMessages();
  }
  running = false;
}

const pending = [];
let ready = false;

function handle(message) {
  if (message.type === 'job') enqueue(message);
  else if (message.type === 'cancel') remove(message.id);
  else if (message.type === 'priority') {
    const job = queue.find((j) => j.id === message.id);
    if (job) job.priority = message.priority;
  }
}

// The page's first message hands over the math module it compiled ({ type: 'init', module }); a
// worker started without one (the benchmark's) fetches the module itself.
let started = false;
function start(module) {
  started = true;
  init(module ? { module_or_path: module } : undefined).then(() => {
    ready = true;
    for (const message of pending.splice(0)) handle(message);
  });
}

self.onmessage = ({ data }) => {
  if (!started) {
    start(data.type === 'init' ? data.module : null);
    if (data.type === 'init') return;
  }
  if (ready) handle(data);
  else pending.push(data);
};
