/**
 * What the benches ask the page, as source text evaluated in it (tsx would wrap named helpers
 * in a `__name` the page does not have). A container is *shown* when its box is on the canvas or,
 * in a closed room (from far away every room is one card, apps/web/src/graph/mount.ts), when its
 * room's card counts and names it.
 */

/** `shownContainers()`: how many containers the canvas shows, boxes and closed rooms' cards together. */
export const SHOWN_CONTAINERS =
  "window.__shownContainers = () => { const cy = window.__NETDIVE__.cy; if (!cy) return -1;" +
  ' let n = cy.nodes(\'[kind = "netns"], [kind = "hostmode"], [kind = "joined"]\').length;' +
  " cy.nodes('[kind = \"roomspan\"]').forEach((s) => { n += Number(cy.getElementById('label:' + s.data('room')).data('members') ?? 0); });" +
  " return n; }";

/** `containerShown(id, name)`: its box is on the canvas, or its closed room's card names it. */
export const CONTAINER_SHOWN =
  "window.__containerShown = (id, name) => { const cy = window.__NETDIVE__.cy;" +
  " if (cy.getElementById('ctr:' + id).nonempty()) return true;" +
  " return cy.nodes('[kind = \"roomlabel\"]').some((l) => cy.getElementById('span:' + l.data('room')).nonempty()" +
  "   && String(l.data('card') ?? '').split('\\n').includes(name)); }";
