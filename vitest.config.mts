import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LIFECYCLE = 'test/e2e/lifecycle.test.ts';

/**
 * vitest's own order (failed files first, then the longest recorded, then the largest), with the
 * lifecycle scenarios always first: vitest's results cache (node_modules/.vite/vitest) would
 * otherwise put them last after a run that skipped them, and every other file would finish first
 * and leave them to run alone.
 */
class LifecycleFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => f.moduleId.endsWith(LIFECYCLE);
    return [...sorted.filter(first), ...sorted.filter((f) => !first(f))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The first run builds kubevalidate with Go; later runs take a fraction of a second.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // vitest's default in run mode is one worker fewer than the cores: one worker on a 2-core
    // machine, so every other file waited behind the lifecycle scenarios (about 30 minutes). That
    // file mostly waits on the control cluster's own processes, so it gets a worker of its own
    // beside the default: on 2 cores the other files run one after another next to it. A cold
    // .ci/run measured 48 minutes with one worker (vitest 2287 s = lifecycle 1768 s + the rest 519 s).
    maxWorkers: Math.max(availableParallelism() - 1, 1) + 1,
    sequence: { sequencer: LifecycleFirst },
  },
});
