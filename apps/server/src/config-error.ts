/** A configuration the user must fix; the message says how. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
