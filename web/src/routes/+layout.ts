// A single-page app: every page renders in the browser, from the service worker's shell when offline.
export const ssr = false;
export const prerender = false;
