// Scroll-driven steps: the step crossing the middle of the viewport is the active one. Scrolling
// back activates earlier steps again, so what a figure shows always follows the reader's position.

export function observeSteps(steps, onActivate) {
  let current = null;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting && entry.target !== current) {
          current = entry.target;
          onActivate(entry.target);
        }
      }
    },
    // A thin band across the middle of the screen: one step at a time is inside it.
    { rootMargin: '-45% 0px -45% 0px', threshold: 0 },
  );
  for (const step of steps) observer.observe(step);
  return observer;
}
