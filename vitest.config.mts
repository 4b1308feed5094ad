import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The first run builds kubevalidate with Go; later runs take a fraction of a second.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // vitest's own default in run mode is one worker fewer than the cores: one worker on a 2-core
    // machine, so every other file waited for the lifecycle scenarios (test/e2e/lifecycle.test.ts,
    // about 30 minutes, run first as the largest file). That file mostly waits on the control
    // cluster's own processes, so it gets a worker of its own beside the default: on 2 cores the
    // other files run one after another next to it, and a cold .ci/run drops from 48 minutes
    // (vitest 2287 s = lifecycle 1768 s + the rest 519 s) to about the lifecycle file alone.
    maxWorkers: Math.max(availableParallelism() - 1, 1) + 1,
  },
});
