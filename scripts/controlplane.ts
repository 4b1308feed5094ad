// npm run controlplane -- up|down|status: a real control cluster as local processes, to try a
// change by hand (README: "Trying a change on a local control cluster").
//
//   up       start it from empty, serving dist/ as the working tree has it; prints how to reach it
//   publish  commit dist/ as it is now to the served repository and ask Argo CD to refresh
//   status   each program, its pid, whether it runs, its memory, its log
//   down     stop each program by its own pid
//
// The run folder is $DRYDOCK_CONTROLPLANE_DIR, else <tmp>/drydock-controlplane.
import * as os from 'node:os';
import * as path from 'node:path';
import { ControlCluster } from '../lib/controlplane';
import { repoRoot } from '../lib/paths';

const runDir = path.resolve(process.env.DRYDOCK_CONTROLPLANE_DIR ?? path.join(os.tmpdir(), 'drydock-controlplane'));

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'up': {
      const c = await ControlCluster.up({ runDir, log: (l) => console.log(`controlplane: ${l}`) });
      console.log(`controlplane: up in ${c.state.startupSeconds.toFixed(0)} s; Argo CD follows ${c.repoUrl} (dist/ as it was at start)`);
      console.log(`  export KUBECONFIG=${c.state.kubeconfig}`);
      console.log(`  kubectl apply -f ${path.join(c.servedDist, 'argocd', 'bootstrap.yaml')}   # the README bootstrap, as served`);
      console.log(`  simulated AWS inventory: ${c.state.awsState}; logs: ${path.join(runDir, 'logs')}`);
      return;
    }
    case 'publish': {
      const c = ControlCluster.attach(runDir);
      const commit = c.publish(path.join(repoRoot, 'dist'), 'dist/ as the working tree has it now');
      // Argo CD polls every few minutes; a refresh makes it look now.
      for (const a of c.list('applications.argoproj.io', 'argocd')) {
        c.kubectl(['annotate', '--overwrite', '-n', 'argocd', 'applications.argoproj.io', a.metadata.name, 'argocd.argoproj.io/refresh=normal']);
      }
      console.log(`controlplane: published ${commit.slice(0, 12)}; Argo CD refreshes every Application`);
      return;
    }
    case 'status': {
      const c = ControlCluster.attach(runDir);
      const mem = c.memory();
      for (const p of c.running())
        console.log(
          `${p.name.padEnd(34)} pid ${String(p.pid).padEnd(8)} ${p.running ? 'running' : 'stopped'}  ${(mem[p.name] ?? 0).toFixed(0).padStart(5)} MB  ${p.log}`,
        );
      console.log(`KUBECONFIG=${c.state.kubeconfig}`);
      return;
    }
    case 'down': {
      await ControlCluster.attach(runDir).down();
      console.log(`controlplane: stopped (${runDir} kept for its logs)`);
      return;
    }
    default:
      throw new Error(`unknown command "${command ?? ''}": use npm run controlplane -- up|publish|status|down`);
  }
}

main(process.argv[2]).catch((e) => {
  console.error(`controlplane: ${e.message}`);
  process.exit(1);
});
