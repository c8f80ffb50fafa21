import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ fallback: 'index.html' }),
      alias: { $lib: 'src/lib' },
    }),
    SvelteKitPWA({
      strategies: 'generateSW',
      injectRegister: false,
      registerType: 'autoUpdate',
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
        // Take control on the first visit, so the app already works offline after one load.
        clientsClaim: true,
        skipWaiting: true,
        globPatterns: ['client/**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallbackDenylist: [/^\/api\//, /^\/sync/],
        // Showing a push and opening it: a few lines Workbox does not generate.
        importScripts: ['/push-handler.js'],
      },
    }),
  ],
});
