import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The first run builds kubevalidate with Go; later runs take a fraction of a second.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
