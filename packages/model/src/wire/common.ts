import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { REF_PATTERN } from "../refs";

/** A container or network reference: full id, unique id prefix, or name (also a dotted-quad IPv4 for probes). */
export const Ref = Type.String({ pattern: REF_PATTERN.source, minLength: 1, maxLength: 169 });

/** A text in English and Spanish (see ../language.ts). */
export const LocalizedSchema = Type.Object({ en: Type.String(), es: Type.String() });

/** Every error the API answers, 4xx or 5xx. */
export const ErrorReply = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
});
export type ErrorReply = Static<typeof ErrorReply>;

/**
 * Whether a value received from the other side fits a schema of this contract: the page's check
 * at its boundary (stream frames, REST answers), before anything reads a field.
 */
export function fits<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return Value.Check(schema, value);
}
