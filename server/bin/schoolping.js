#!/usr/bin/env node
// The `schoolping` command: the server's command line, run through tsx's loader so it reads the
// TypeScript sources directly, as the server does. Prints only its own output.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
