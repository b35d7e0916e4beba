declare module "cytoscape-svg" {
  import type cytoscape from "cytoscape";
  const extension: cytoscape.Ext;
  export default extension;
}
