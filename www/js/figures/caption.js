// Number formats and caption text shared by the figures' descriptions.

import { TABLE } from '../table.js';

export const fmt = (v, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
export const count = (n) => n.toLocaleString('en-US');

/** Caption text for a sampled figure: its result, or where the computation stands. */
export function samplingText(s, describe) {
  const parts = [];
  if (s.result) parts.push(describe(s.result));
  if (s.progress != null) parts.push(`Sampling ${count(s.pendingCount)} points for the network of step ${count(s.pendingSteps)}: ${Math.round(s.progress * 100)} %.`);
  else if (!s.result) parts.push('Waiting for the network…');
  if (s.error) parts.push(s.error);
  return parts.join(' ');
}

/** A solver's name in prose, from Rust's table ("Euler", "Midpoint", "Heun", "RK4"). */
const label = (solver) => TABLE.solvers?.find((s) => s.name === solver)?.label || solver;

/** "50 Euler steps", "25 RK4 steps". */
export const solverSteps = (steps, solver) => `${count(steps)} ${label(solver)} step${steps === 1 ? '' : 's'}`;
export const solverName = label;
