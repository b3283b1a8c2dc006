// Starts the article. The main thread only draws: it loads the small math module and Rust's tables,
// draws the figure on screen, then starts the figure worker (its jobs: scheduler.js) and the engine
// (its runs: runs.js). Every other module has one job; this one only puts them together.

import { PageActions } from './actions.js';
import { ArticleRun } from './article-run.js';
import { syncControls, wireControls } from './controls.js';
import { deriveTarget } from './derived.js';
import { tellParentOurHeight } from './embed.js';
import { FigureJobs } from './figure-jobs.js';
import { FIGURES } from './figures/registry.js';
import { followHash } from './links.js';
import { loadMath } from './math.js';
import { createPage } from './page-state.js';
import { PlaneRun } from './plane-run.js';
import { ReflowRounds } from './reflow-rounds.js';
import { RunController } from './runs.js';
import { Scheduler } from './scheduler.js';
import { observeSteps } from './scroll.js';
import { shareFigure } from './share.js';
import { makeSettings, readHash } from './state.js';
import { addNote, showBackend, showMessage, showRestarting, showStatus } from './status-bar.js';
import { fillTable, TABLE } from './table.js';
import { TargetEditor } from './target-edit.js';
import { FigureView } from './view.js';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const page = createPage(FIGURES);

async function main() {
  window.explorable = page;
  page.math = await loadMath();
  fillTable(page.math.pageTable());
  const targets = { parse: page.math.parseTarget, tutorial: TABLE.target.tutorial };
  page.settings = makeSettings(page.math.settingsTable(), FIGURES.map((f) => f.name), targets, TABLE, { parse: page.math.parsePlaneTarget });
  const { state, errors } = readHash(page.settings, location.hash);
  page.state = state;
  deriveTarget(page, FIGURES);
  page.plane.bumps = page.math.planeBumps(state.plane);

  const view = new FigureView({
    page,
    figures: FIGURES,
    tools: {
      toggle: (key, value) => ((page.state[key] = value), actions.viewChanged()),
      share: (fig, number, target, action, menu) => shareFigure({ fig, number, target, page, action, menu }).catch((e) => showMessage(`Sharing failed: ${e.message}`)),
    },
  });
  const actions = new PageActions({ page, figures: FIGURES, view });
  showMessage(errors.map((e) => `Link: ${e}`).join(' · '));
  showStatus('starting');
  if (state.playground) {
    // Chapter four alone, full window: its figures side by side, all drawn, its network training.
    document.body.classList.add('playground');
    const plane = FIGURES.filter((f) => f.lane === 'plane').map((f) => f.name);
    page.alsoShown = plane.filter((n) => n !== 'plane-flow');
    actions.show('plane-flow');
  } else if (state.embed) {
    document.body.classList.add('embed');
    document.body.dataset.embed = state.figure || 'learned-field';
    actions.show(document.body.dataset.embed);
    tellParentOurHeight(document.body.dataset.embed);
  } else {
    observeSteps(document.querySelectorAll('.step'), (step) => actions.show(step.dataset.figure));
    if (!page.active) actions.show(state.figure || FIGURES[0].name);
    if (state.figure) document.querySelector(`.step[data-figure="${state.figure}"]`)?.scrollIntoView();
  }
  window.addEventListener('resize', () => view.invalidate(page.active));
  // The sticky figure sits below the status bar, whose height changes with its message.
  new ResizeObserver(([entry]) => document.documentElement.style.setProperty('--status-height', `${entry.target.offsetHeight}px`)).observe(document.querySelector('.status'));
  const integration = wireControls(page, FIGURES, view, actions);

  // The first figure is on screen before anything heavy is fetched or started.
  await nextFrame();
  const changed = (name, captionOnly) => view.invalidate(name, captionOnly);
  const scheduler = new Scheduler({ page, figures: FIGURES, jobs: new FigureJobs(), changed, failed: showMessage });
  const runs = new RunController({
    step: page.state.step,
    ready: (m) => ((page.backend = m), showBackend(m), addNote(m.note)),
    recovered({ message, lostGpu, gaveUp }) {
      if (gaveUp) return showStatus('error'), showMessage(`Training failed again (${message}). Reload the page to try once more.`);
      showRestarting();
      showMessage(lostGpu ? `The GPU stopped responding (${message}). Training restarted on the CPU.` : `The training engine stopped (${message}). It was restarted with the same settings.`);
      article.start();
      if (plane.started) plane.start();
    },
  });
  const reflow = new ReflowRounds({ page, runs, changed: () => (view.invalidateWhere('reflow'), scheduler.update()) });
  const article = new ArticleRun({ page, runs, scheduler, view, reflow });
  const plane = new PlaneRun({ page, runs, scheduler, changed: (captionOnly) => FIGURES.forEach((f) => f.needs.plane && view.invalidate(f.name, captionOnly)) });
  const editor = new TargetEditor({ page, targetMoved: () => actions.targetMoved(), restart: () => article.start() });
  article.onStart = () => editor.cancel();
  Object.assign(actions.parts, { scheduler, runs, article, plane, reflow, editor, integration });
  document.getElementById('retrain').disabled = false;
  article.start();
  // The chapter on screen decides which network trains (a link may open on chapter four).
  actions.focusLane();
  const planeChanged = () => {
    page.plane.bumps = page.math.planeBumps(page.state.plane);
    if (plane.started) plane.start();
    view.invalidateWhere('plane');
  };
  followHash(page, {
    synced: () => (syncControls(page), integration.sync(), actions.integrationMoved()),
    show: (figure) => (page.state.embed ? actions.show(figure) : document.querySelector(`.step[data-figure="${figure}"]`)?.scrollIntoView()),
    targetMoved: () => actions.targetMoved(),
    viewChanged: () => actions.viewChanged(),
    retrain: () => article.start(),
    planeChanged,
  });
}

main().catch((error) => {
  console.error(error);
  showMessage(`The explorable could not start: ${error.message || error}`);
});
