// The skb domain: the system knowledge base as a service. It starts an engine, learns this machine
// (discovery, one shoal core per booted core; or `--board NAME`, restricted to the booted cores) and
// serves Barrelfish's skb.if, registered as "skb". Args: [name, --board NAME].
// Every call of skb.if is served (src/service/service.ts): run (one line per answer of `Var = value`
// bindings, `true`, or `false` when there is none; a Prolog error is str_error with int_error 2) and
// octopus's records, locks, identifiers, subscriptions and publications. Runs until the system halts. Built
// JavaScript on purpose: a core loads it as it is (workers get no loader hooks).
import { Skb } from "@shoal/libshoal/interfaces/skb";
import { loadBoard, loadHost, SkbEngine, SkbService } from "@shoal/skb";

export default async function main(self, args) {
  const name = args[0] ?? "skb";
  const b = args.indexOf("--board");
  const board = b >= 0 ? args[b + 1] : undefined;
  const engine = await SkbEngine.start();
  const t0 = performance.now();
  if (board === undefined) loadHost(engine, { cores: self.cores });
  else {
    loadBoard(engine, board);
    // The booted cores only: the board's other cores leave the trees (the tables rebuild on change).
    engine.query("forall((core(K, _), K >= N), retractall(core(K, _)))", { inputs: { N: self.cores } });
    const known = engine.once("cores(Cs), length(Cs, L)")?.L;
    if (known !== self.cores)
      self.log(
        `skb: board ${board} describes ${known} of the ${self.cores} booted cores; the others get no routes`,
      );
  }
  const factsMs = performance.now() - t0;
  const service = new SkbService(engine);
  // Every call of skb.if; `this.binding` is the server's binding of the calling client (its key for
  // locks and identity, released in onClose).
  const iref = await self.export(Skb, {
    rpc: {
      run: (input) => service.run(input),
      get_identifier: () => service.getIdentifier(),
      identify(id) {
        service.identify(this.binding, id);
      },
      get: (query) => service.get(query),
      set: (input) => service.set(input),
      del: (query) => service.del(query),
      subscribe: (query, id) => service.subscribe(query, id),
      unsubscribe: (id) => service.unsubscribe(id),
      publish: (object) => service.publish(object),
      lock(object) {
        return service.lock(this.binding, object);
      },
      unlock(object) {
        return service.unlock(this.binding, object);
      },
    },
    // A client that closed, exited or died gives up its locks (the next waiter gets each).
    onClose() {
      service.clientClosed(this.binding);
    },
  });
  await self.names.register(name, iref);
  const p = engine.startProfile;
  self.log(
    `skb: serving '${name}' as iref ${iref} on ${board ?? "this machine's facts"} (engine ${engine.startMs.toFixed(0)} ms: ` +
      `${p.mode}${p.preloadedModule ? ", module handed over" : `, compile ${p.compileMs.toFixed(0)} ms`}, swipl ${p.swiplMs.toFixed(0)} ms; facts ${factsMs.toFixed(0)} ms)`,
  );
  return new Promise(() => {});
}
