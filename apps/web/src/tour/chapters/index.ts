import type { Chapter } from "../types";
import { composeChapter } from "./compose";
import { defaultBridgeChapter } from "./default-bridge";
import { intro } from "./intro";
import { isolationChapter } from "./isolation";
import { joinBothChapter, joinNetworkChapter, joinPidChapter } from "./joins";
import { hostChapter, noneChapter } from "./modes";
import { userBridgeChapter } from "./user-bridge";

/** The tour, in teaching order: the host first, then one chapter per lab scenario. */
export const CHAPTERS: readonly Chapter[] = [
  intro,
  defaultBridgeChapter,
  userBridgeChapter,
  composeChapter,
  isolationChapter,
  hostChapter,
  noneChapter,
  joinNetworkChapter,
  joinPidChapter,
  joinBothChapter,
];

/** How many steps each chapter has, for moving across chapters. */
export const STEP_COUNTS: readonly number[] = CHAPTERS.map((c) => c.steps.length);
