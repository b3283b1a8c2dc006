// The training settings form, built from the settings table: the training rows, and chapter four's
// own (`form`). Invalid values get a message beside their field and are not applied; the run in
// progress carries on with the old values.

import { parseSetting } from './state.js';

const trainingRows = (settings) => settings.filter((s) => s.train || s.form);

export function buildSettingsForm(container, settings) {
  container.replaceChildren();
  for (const s of trainingRows(settings)) {
    const label = document.createElement('label');
    label.textContent = s.label;
    const input = document.createElement(s.kind === 'choice' ? 'select' : 'input');
    input.name = s.key;
    input.id = `setting-${s.key}`;
    if (s.kind === 'choice') {
      for (const choice of s.choices) input.append(new Option(choice, choice));
    } else if (s.kind === 'flag') {
      input.type = 'checkbox';
      label.classList.add('flag');
    } else {
      input.inputMode = s.kind === 'int' ? 'numeric' : 'decimal';
      input.autocomplete = 'off';
    }
    const error = document.createElement('span');
    error.className = 'field-error';
    error.id = `setting-${s.key}-error`;
    error.setAttribute('role', 'alert');
    input.setAttribute('aria-describedby', error.id);
    label.append(input, error);
    container.append(label);
  }
}

/** Shows the given state's values in the form and clears old messages. */
export function fillSettingsForm(container, settings, state) {
  for (const s of trainingRows(settings)) {
    const input = container.querySelector(`[name="${s.key}"]`);
    if (s.kind === 'flag') input.checked = Boolean(state[s.key]);
    else input.value = String(state[s.key]);
    input.removeAttribute('aria-invalid');
    container.querySelector(`#setting-${s.key}-error`).textContent = '';
  }
}

/**
 * Reads the form. Returns { values } when every field parses and is in range, else { errors }
 * (and marks the bad fields).
 */
export function readSettingsForm(container, settings) {
  const values = {};
  const errors = [];
  for (const s of trainingRows(settings)) {
    const input = container.querySelector(`[name="${s.key}"]`);
    const message = container.querySelector(`#setting-${s.key}-error`);
    const parsed = s.kind === 'flag' ? { value: input.checked } : parseSetting(s, input.value);
    if (parsed.error) {
      input.setAttribute('aria-invalid', 'true');
      message.textContent = parsed.error;
      errors.push(parsed.error);
    } else {
      input.removeAttribute('aria-invalid');
      message.textContent = '';
      values[s.key] = parsed.value;
    }
  }
  return errors.length ? { errors } : { values };
}
