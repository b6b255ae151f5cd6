#!/usr/bin/env node
// The s3push command: runs the compiled CLI (npm install builds it).
import { run } from '../dist/src/cli/main.js';

await run(process.argv);
