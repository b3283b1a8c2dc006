// An embedded figure (#figure=…&embed) tells the page around it how tall it is whenever that changes,
// so that the iframe can be sized to fit (the README has the three lines the host page needs).

const HEIGHT_MESSAGE = 'flow-matching-explorable:height';

export function tellParentOurHeight(figure) {
  if (window.parent === window) return;
  const report = () => window.parent.postMessage({ type: HEIGHT_MESSAGE, figure, height: Math.ceil(document.documentElement.scrollHeight) }, '*');
  new ResizeObserver(report).observe(document.body);
  report();
}
