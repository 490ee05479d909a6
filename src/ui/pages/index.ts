import type { FastifyPluginAsync } from "fastify";
import type { ConsoleContext } from "../deps.js";
import { badCasesPage } from "./bad-cases.js";
import { checkPage } from "./check.js";
import { diffPage } from "./diff.js";
import { playgroundPage } from "./playground.js";
import { rolloutPage } from "./rollout.js";
import { settingsPage } from "./settings.js";
import { subjectPage } from "./subject.js";
import { subjectsPage } from "./subjects.js";
import { timelinePage } from "./timeline.js";

/** Every console page plugin, registered under /ui. */
export const CONSOLE_PAGES: ReadonlyArray<FastifyPluginAsync<ConsoleContext>> = [
  subjectsPage,
  subjectPage,
  diffPage,
  rolloutPage,
  badCasesPage,
  checkPage,
  playgroundPage,
  timelinePage,
  settingsPage,
];
