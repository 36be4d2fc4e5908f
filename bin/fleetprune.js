#!/usr/bin/env node
// The `fleetprune` command: runs the compiled CLI (npm ci builds it through "prepare").
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  console.error('fleetprune: the CLI is not built yet; run "npm run build" in the checkout first.');
  process.exit(1);
}
require(entry).main(process.argv);
