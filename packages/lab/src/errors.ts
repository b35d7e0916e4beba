/** Why the lab refused or could not do what it was asked. */
export type LabErrorReason = "engine" | "image" | "compose" | "collision";

/**
 * A failure the person at the keyboard can act on, as one sentence that says what is wrong and
 * what to do ("the lab image netdive/lab:latest is missing — run `bash docker/lab-image.sh` …").
 * The CLI prints the message alone, without a stack trace.
 */
export class LabError extends Error {
  override readonly name = "LabError";

  constructor(
    /** Lets a caller react to one kind (the CLI builds the image when it is missing). */
    readonly reason: LabErrorReason,
    message: string,
  ) {
    super(message);
  }
}
