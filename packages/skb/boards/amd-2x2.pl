% Board amd-2x2: 2x2-core AMD Opteron 2220 (2.8 GHz), private L2, 2 NUMA nodes over one HyperTransport link.
% Generated from its spec in packages/skb/src/boards/ by `pnpm --filter @shoal/skb make-boards`;
% edit the spec, not this file. Vocabulary: prolog/vocabulary.pl and docs/skb.md.
% The two cores of a package share no cache: same-package messages go through the on-die crossbar.

board('amd-2x2','2x2-core AMD Opteron 2220 (2.8 GHz), private L2, 2 NUMA nodes over one HyperTransport link').

cpu_model(0,'AuthenticAMD','AMD Opteron 2220',2800).
cpu_model(1,'AuthenticAMD','AMD Opteron 2220',2800).

cpu_thread(0,0,0,0).
cpu_thread(1,0,1,0).
cpu_thread(2,1,0,0).
cpu_thread(3,1,1,0).

cpu_node(0,0).
cpu_node(1,0).
cpu_node(2,1).
cpu_node(3,1).

cache(1,data,65536,[0]).
cache(1,data,65536,[1]).
cache(1,data,65536,[2]).
cache(1,data,65536,[3]).
cache(1,instruction,65536,[0]).
cache(1,instruction,65536,[1]).
cache(1,instruction,65536,[2]).
cache(1,instruction,65536,[3]).
cache(2,unified,1048576,[0]).
cache(2,unified,1048576,[1]).
cache(2,unified,1048576,[2]).
cache(2,unified,1048576,[3]).

node_distance(0,0,10).
node_distance(0,1,16).
node_distance(1,0,16).
node_distance(1,1,10).

node_memory(0,4294967296).
node_memory(1,4294967296).

memory_affinity(0,4294967296,0).
memory_affinity(4294967296,4294967296,1).

interconnect_link(0,1,hypertransport).

node_hops(0,0,0).
node_hops(0,1,1).
node_hops(1,0,1).
node_hops(1,1,0).

core(0,0).
core(1,1).
core(2,2).
core(3,3).

rtt_model(shared_cache,320).
rtt_model(same_package,320).
rtt_model(remote,380).
rtt_model(per_hop,40).
