import { Type, type Static } from "@sinclair/typebox";
import { ErrorReply, Ref } from "@netdive/model";

export { ErrorReply };

/** A container or network reference: full id, unique id prefix, or name. */
export const RefParams = Type.Object({ ref: Ref });
export type RefParams = Static<typeof RefParams>;

export const errorReplies = { 400: ErrorReply, 404: ErrorReply, 409: ErrorReply, 500: ErrorReply, 503: ErrorReply };
