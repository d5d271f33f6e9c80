// The page's views: each is a <main data-view="id"> in index.html and a module that wires it. The
// tab bar (#views) is drawn only when there is more than one, and the address's hash (#id) picks
// one, so a view can be linked to. A new view is one more entry in VIEWS and one more <main>.
import { esc } from '../../analysis/report/svg.js';
import { byId } from './dom.js';

export interface View {
  /** Its <main data-view> and its hash. */
  id: string;
  /** The tab's text. */
  label: string;
  /** Wires the view's elements; called once, at start-up, whether or not it is shown first. */
  mount(): void;
}

function sections(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('main[data-view]')];
}

function show(views: readonly View[], id: string): void {
  const shown = views.some((v) => v.id === id) ? id : views[0]!.id;
  for (const s of sections()) s.hidden = s.dataset.view !== shown;
  for (const tab of document.querySelectorAll<HTMLElement>('#views [data-view-tab]'))
    tab.setAttribute('aria-selected', String(tab.dataset.viewTab === shown));
}

/** Mounts every view, draws the tabs when there are several, and shows the one the hash names (else the first). */
export function mountViews(views: readonly View[]): void {
  for (const v of views) {
    if (!sections().some((s) => s.dataset.view === v.id))
      throw new Error(`demo: view ${v.id} has no <main data-view="${v.id}"> in index.html`);
    v.mount();
  }
  const nav = byId('views');
  nav.hidden = views.length < 2;
  nav.innerHTML = views
    .map((v) => `<a role="tab" href="#${esc(v.id)}" data-view-tab="${esc(v.id)}">${esc(v.label)}</a>`)
    .join('');
  const fromHash = () => show(views, decodeURIComponent(location.hash.slice(1)));
  window.addEventListener('hashchange', fromHash);
  fromHash();
}
