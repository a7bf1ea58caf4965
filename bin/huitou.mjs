#!/usr/bin/env node
// The published command. Node 24 runs the TypeScript sources directly (type stripping),
// so there is no build step between an edit and the next run.
import "../src/cli/main.ts";
