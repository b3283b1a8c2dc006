// The pairing worker: pairs an OT run's batches in the plane ahead of its trainer, on a core of its
// own (one exact assignment a batch is most of an OT step's cost). The engine worker starts it and
// feeds what it posts to its engine in order: the stream is flow-core's PairStream, a function of
// the run's settings and target only, so the run is the same whichever thread paired its batches.
//
// Where there are several pairing workers, each pairs every `every`-th batch from its `first`.
//
// Engine → worker: { type: 'init', module } first (the compiled math module, or null)
//                  { type: 'start', token, settings, target, first, every, credit } (a run's
//                  stream, replacing any other; credit: how many batches it may pair ahead)
//                  { type: 'credit', token, batches } (room for that many more) · { type: 'stop' }
// Worker → engine: { type: 'pairs', token, index, numbers: Float64Array } (the stream's batch
//                  `index`: 4 × batch numbers, x₀ then x₁) · { type: 'failed', token, message }

import init, { PlanePairStream } from '../../pkg/flow-web-math.js';
import { yieldToMessages } from './yield.js';

let stream = null; // the current run's PlanePairStream
let token = null;
let credit = 0; // batches the engine has room for
let index = 0; // the stream's number of the next batch this worker pairs
let every = 1;
let running = false;

function stop() {
  stream?.free();
  stream = null;
  token = null;
  credit = 0;
}

async function pairAhead() {
  if (running) return;
  running = true;
  while (stream && credit > 0) {
    const current = token;
    try {
      const numbers = stream.nextBatch();
      credit -= 1;
      self.postMessage({ type: 'pairs', token: current, index, numbers }, [numbers.buffer]);
      index += every;
    } catch (e) {
      self.postMessage({ type: 'failed', token: current, message: String(e.message || e) });
      stop();
    }
    // A new start, a stop or more credit may be waiting.
    await yieldToMessages();
  }
  running = false;
}

function handle(message) {
  switch (message.type) {
    case 'start':
      stop();
      try {
        stream = new PlanePairStream(message.settings, message.target, message.first, message.every);
      } catch (e) {
        self.postMessage({ type: 'failed', token: message.token, message: String(e.message || e) });
        return;
      }
      token = message.token;
      credit = message.credit;
      index = message.first;
      every = message.every;
      pairAhead();
      break;
    case 'credit':
      if (message.token !== token) return;
      credit += message.batches;
      pairAhead();
      break;
    case 'stop':
      stop();
      break;
  }
}

const pending = [];
let ready = false;
let started = false;
self.onmessage = ({ data }) => {
  if (!started) {
    started = true;
    init(data.type === 'init' && data.module ? { module_or_path: data.module } : undefined).then(
      () => {
        ready = true;
        for (const message of pending.splice(0)) handle(message);
      },
      (e) => self.postMessage({ type: 'failed', token: null, message: `the pairing module could not load: ${e.message || e}` }),
    );
    if (data.type === 'init') return;
  }
  if (ready) handle(data);
  else pending.push(data);
};
