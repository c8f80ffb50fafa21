import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Only the Vitest projects live here: the SvelteKit plugin resolves from web/, so the web app's
// own build config is web/vite.config.ts, and its unit tests run here without the kit plugin.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['shared/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['scripts/fast-check-setup.ts'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          setupFiles: ['scripts/fast-check-setup.ts'],
        },
      },
      {
        // Compiles Svelte 5 runes in `*.svelte.ts` modules, so the session class can be tested too.
        plugins: [svelte({ configFile: false })],
        resolve: {
          alias: { $lib: fileURLToPath(new URL('./web/src/lib', import.meta.url)) },
        },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
