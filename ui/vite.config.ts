// The staff dashboard's production bundle: `npm run build` runs this after `nest build`, into
// dist/ui, which the built gateway serves at /ui (src/dashboard/). No CDN: everything is bundled.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/ui/',
  publicDir: false,
  resolve: { alias: { '@pancake-gateway/clients': here('../clients/src/index.ts') } },
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP has no data: in img-src or font-src: every asset is a file.
    assetsInlineLimit: 0,
    // Modern browsers only (es2022): no module-preload polyfill.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  // `npm run ui:dev`: the gateway on :3000 answers the API and the change feed.
  server: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
