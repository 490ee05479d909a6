import type { FastifyPluginAsync } from "fastify";
import type { ConsoleContext } from "../deps.js";
import { badCasesPage } from "./bad-cases.js";
import { checkPage } from "./check.js";
import { diffPage } from "./diff.js";
import { rolloutPage } from "./rollout.js";
import { subjectPage } from "./subject.js";
import { subjectsPage } from "./subjects.js";

/** Every console page plugin, registered under /ui. */
export const CONSOLE_PAGES: ReadonlyArray<FastifyPluginAsync<ConsoleContext>> = [
  subjectsPage,
  subjectPage,
  diffPage,
  rolloutPage,
  badCasesPage,
  checkPage,
];
