// Runs the CLI from source without a build: `node --import tsx src/cli/entry.ts <command>`.
// The published launcher (bin/structreg.js) runs the compiled dist/cli/main.js instead.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
