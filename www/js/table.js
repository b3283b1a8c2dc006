// Rust's page table: every name, range and constant that both Rust and the page use (solver names,
// step kinds, target limits, sample counts, the reflow plan…), from the math module's `pageTable()`.
// Filled once at start-up, before any figure is drawn or any job is declared; read-only after.

export const TABLE = {};

export function fillTable(table) {
  Object.assign(TABLE, table);
  Object.freeze(TABLE);
}
