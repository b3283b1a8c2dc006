// The canvas of a figure that has buttons of its own (figures 14 to 16): the canvas, then a row of
// buttons under it, each named by its data-action. The canvas is what the figure draws (and what a
// PNG export redraws); its `interact` finds the buttons beside it.

/** Mounts `<canvas id="fig-{name}">` and the buttons [[action, text], …] into `figure`. */
export function mountWithActions(figure, name, buttons) {
  const canvas = document.createElement('canvas');
  canvas.id = `fig-${name}`;
  canvas.className = 'plot tall';
  canvas.setAttribute('role', 'img');
  const actions = document.createElement('div');
  actions.className = 'fig-actions';
  for (const [action, text] of buttons) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = action;
    button.textContent = text;
    actions.append(button);
  }
  figure.prepend(canvas, actions);
  return canvas;
}

/** The button for `action` beside a mounted canvas (none on an off-screen copy for a PNG). */
export const actionButton = (canvas, action) => canvas.parentElement?.querySelector(`.fig-actions [data-action="${action}"]`) || null;
