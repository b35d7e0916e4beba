/**
 * The wire contract's REST answers and stream messages as TypeBox schemas, one per message, with
 * their TypeScript types derived from them: the server declares them as response schemas, the
 * page checks what it receives against them.
 */
export * from "./common";
export * from "./scenarios";
export * from "./health";
export * from "./probes";
export * from "./reach";
export * from "./recording";
export * from "./ports";
export * from "./flows";
