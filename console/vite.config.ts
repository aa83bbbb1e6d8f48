/**
 * The web console (管理控制台): a Preact single-page app built to console/dist, which the local
 * runtime serves at `/` and the CDK stack deploys to S3 behind CloudFront.
 * `npm run build:console`; for development, `npx vite --config console/vite.config.ts` proxies the
 * API to a running `npm start`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.CREDIT_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 200 },
  server: { proxy: { '/v1': api, '/local': api } },
});
