// Element lookup for the demo page: every id the scripts use is in index.html, so a missing one is
// a build mistake and says which.
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`demo: #${id} is missing from index.html`);
  return e as T;
}

export const inputById = (id: string): HTMLInputElement => byId<HTMLInputElement>(id);
export const buttonById = (id: string): HTMLButtonElement => byId<HTMLButtonElement>(id);
