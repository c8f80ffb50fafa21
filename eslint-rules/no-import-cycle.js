import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/*
 * Fails on any import cycle among the repo's own modules, type-only imports included: a type cycle
 * is still two modules that cannot be understood (or moved) one without the other. Each file's
 * imports are read with TypeScript's own pre-processor; `@schoolping/shared` resolves to its entry.
 */

const root = dirname(dirname(new URL(import.meta.url).pathname));
const WORKSPACES = { '@schoolping/shared': join(root, 'shared', 'src', 'index.ts') };
const importsOf = new Map();

function resolveSpecifier(from, specifier) {
  if (specifier in WORKSPACES) return WORKSPACES[specifier];
  if (!specifier.startsWith('.')) return null;
  const path = resolve(dirname(from), specifier);
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  return null;
}

function importsIn(file, text) {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((each) => ({
      specifier: each.fileName,
      target: resolveSpecifier(file, each.fileName),
    }))
    .filter((each) => each.target !== null);
}

function imports(file) {
  let found = importsOf.get(file);
  if (!found) {
    found = importsIn(file, readFileSync(file, 'utf8'));
    importsOf.set(file, found);
  }
  return found;
}

/** A path of files from `start` back to `start`, or null. */
function cycleFrom(start) {
  const seen = new Set();
  const walk = (file, path) => {
    for (const { target } of imports(file)) {
      if (target === start) return [...path, target];
      if (seen.has(target)) continue;
      seen.add(target);
      const found = walk(target, [...path, target]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles between the repo’s modules, type imports included.' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    if (!file.endsWith('.ts')) return {};
    // The file being linted is read as the linter sees it (an editor's buffer, a test's text).
    importsOf.set(file, importsIn(file, context.sourceCode.text));
    return {
      'Program:exit'(program) {
        const cycle = cycleFrom(file);
        if (!cycle) return;
        const short = cycle.map((each) => each.slice(root.length + 1));
        context.report({ node: program, message: `Import cycle: ${short.join(' → ')}` });
      },
    };
  },
};
