// Manual look at the console: `npx tsx test/ui/dev-server.ts` (prints the URL).
import { startConsoleFixture } from "./fixture.js";

const fixture = await startConsoleFixture({ port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${fixture.url}\n`);
