import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit({
      // WEB_BUILD_OUT builds a release somewhere else (the e2e update test builds a second one).
      adapter: adapter({
        fallback: 'index.html',
        pages: process.env.WEB_BUILD_OUT ?? 'build',
        assets: process.env.WEB_BUILD_OUT ?? 'build',
      }),
      alias: { $lib: 'src/lib' },
    }),
    SvelteKitPWA({
      strategies: 'generateSW',
      injectRegister: false,
      // A new version waits until the person presses Update now (src/lib/app-update.svelte.ts).
      registerType: 'prompt',
      kit: { adapterFallback: 'index.html', spa: true },
      manifest: {
        name: 'SchoolPing',
        short_name: 'SchoolPing',
        description: 'Messages from school, and your child’s wallet.',
        theme_color: '#1d4f91',
        background_color: '#ffffff',
        display: 'standalone',
        id: '/',
        start_url: '/',
        scope: '/',
        lang: 'en-GB',
        // PNGs drawn from icon.svg by scripts/make-icons.ts; the maskable one keeps its glyph in the safe zone.
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // Take control on the first visit, so the app already works offline after one load; a later
        // version waits for the page to send SKIP_WAITING.
        clientsClaim: true,
        skipWaiting: false,
        globPatterns: ['client/**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallbackDenylist: [/^\/api\//, /^\/sync/],
        // Showing a push and opening it: a few lines Workbox does not generate.
        importScripts: ['/push-handler.js'],
      },
    }),
  ],
});
