// Number formats and caption text shared by the figures' descriptions.

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

const SOLVER_NAMES = { euler: 'Euler', midpoint: 'midpoint', heun: 'Heun', rk4: 'RK4' };

/** "50 Euler steps", "25 RK4 steps". */
export const solverSteps = (steps, solver) => `${count(steps)} ${SOLVER_NAMES[solver] || solver} step${steps === 1 ? '' : 's'}`;
export const solverName = (solver) => SOLVER_NAMES[solver] || solver;
