// Proctoring events (docs/PROTOCOL.md §4 "event"): what the browser can tell about the candidate
// leaving the exam — the tab hidden, the window losing focus, full screen left, copy, paste, the
// context menu, the network lost and back. Each goes to `record(kind, detail)`, which queues it
// like any change. Copying and the context menu are also prevented inside the paper.

/**
 * Installs the listeners once.
 * `hooks`: {record(kind, detail), where() (the item key or view, as detail), insidePaper(node),
 * copyBlocked(), fullscreenChanged(), networkChanged(), offlineDetail(seconds)}.
 */
export function installProctoring(hooks) {
  if (installProctoring.done) return;
  installProctoring.done = true;
  const { record, where, insidePaper } = hooks;
  let fullscreen = Boolean(document.fullscreenElement);
  let offlineSince = null;

  document.addEventListener('visibilitychange', () => record(document.hidden ? 'visibility_hidden' : 'visibility_visible', where()));
  window.addEventListener('blur', () => record('window_blur', where()));
  window.addEventListener('focus', () => record('window_focus', where()));
  document.addEventListener('fullscreenchange', () => {
    const now = Boolean(document.fullscreenElement);
    if (fullscreen && !now) record('fullscreen_exit', where());
    fullscreen = now;
    hooks.fullscreenChanged();
  });
  document.addEventListener('copy', (event) => {
    record('copy', where());
    if (insidePaper(event.target)) {
      event.preventDefault();
      hooks.copyBlocked();
    }
  });
  document.addEventListener('paste', () => record('paste', where()));
  document.addEventListener('contextmenu', (event) => {
    record('context_menu', where());
    if (insidePaper(event.target)) event.preventDefault();
  });
  window.addEventListener('offline', () => {
    offlineSince = performance.now();
    record('offline', where());
    hooks.networkChanged();
  });
  window.addEventListener('online', () => {
    const seconds = offlineSince === null ? null : (performance.now() - offlineSince) / 1000;
    offlineSince = null;
    record('online', seconds === null ? null : hooks.offlineDetail(seconds));
    hooks.networkChanged();
  });
}
