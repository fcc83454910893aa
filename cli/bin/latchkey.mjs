#!/usr/bin/env node
// `npx latchkey ...` in a clone: the CLI is TypeScript, run through tsx (installed by npm ci).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../latchkey.ts');
await main();
