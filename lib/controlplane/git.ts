// The repository as Argo CD on a control cluster reaches it: a bare repository served by
// `git daemon` on loopback, holding dist/ as the working tree has it, in a commit on the branch
// dist/ follows, with every reference to the real repository URL rewritten to the local one.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM } from '../../environments/platform';

/** Path of the repository under the daemon's base path, as the URL names it. */
export const REPO_PATH = 'drydock-dev/platform.git';

export const localRepoUrl = (port: number) => `git://127.0.0.1:${port}/${REPO_PATH}`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'drydock',
      GIT_AUTHOR_EMAIL: 'drydock@localhost',
      GIT_COMMITTER_NAME: 'drydock',
      GIT_COMMITTER_EMAIL: 'drydock@localhost',
    },
  });
}

/**
 * Commit `distDir` (as dist/) to the served repository on PLATFORM.targetRevision and return the
 * commit. The first call creates the repository; later calls add a commit, as a merge would.
 */
export function publishDist(props: { baseDir: string; distDir: string; port: number; message: string }): string {
  const bare = path.join(props.baseDir, REPO_PATH);
  const work = path.join(props.baseDir, 'worktree');
  if (!fs.existsSync(bare)) {
    fs.mkdirSync(bare, { recursive: true });
    git(bare, 'init', '--bare', '--quiet', `--initial-branch=${PLATFORM.targetRevision}`);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    git(work, 'init', '--quiet', `--initial-branch=${PLATFORM.targetRevision}`);
    git(work, 'remote', 'add', 'origin', bare);
  }
  const target = path.join(work, 'dist');
  fs.rmSync(target, { recursive: true, force: true });
  copyRewritten(props.distDir, target, PLATFORM.repoURL, localRepoUrl(props.port));
  git(work, 'add', '--all');
  git(work, 'commit', '--quiet', '--allow-empty', '-m', props.message);
  git(work, 'push', '--quiet', 'origin', `HEAD:${PLATFORM.targetRevision}`);
  return git(work, 'rev-parse', 'HEAD').trim();
}

function copyRewritten(from: string, to: string, url: string, local: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) copyRewritten(src, dst, url, local);
    else if (e.name.endsWith('.yaml')) fs.writeFileSync(dst, fs.readFileSync(src, 'utf8').replaceAll(url, local));
    else fs.copyFileSync(src, dst);
  }
}

/**
 * repo-server 3.5 runs `git-verify-wrapper.sh <revision>` for every commit it checks out and fails
 * when it is not on PATH (the image ships it); this one verifies signatures where there are any.
 */
export function writeGitVerifyWrapper(binDir: string): void {
  fs.mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, 'git-verify-wrapper.sh');
  fs.writeFileSync(
    file,
    '#!/bin/sh\n# Unsigned commits (the local test commits) verify as "no signature", as in the image.\ngit verify-commit "$1" 2>&1 || true\n',
  );
  fs.chmodSync(file, 0o755);
}
