/** Debian's Chromium, never a downloaded one, with the flags this closed network needs. */
export const CHROMIUM_PATH = process.env.NETDIVE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
