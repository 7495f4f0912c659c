% Board intel-2x4: 2x4-core Intel Xeon X5355 (2.66 GHz), shared L2 per core pair, front-side bus (UMA).
% Generated from its spec in packages/skb/src/boards/ by `pnpm --filter @shoal/skb make-boards`;
% edit the spec, not this file. Vocabulary: prolog/vocabulary.pl and docs/skb.md.
% One memory controller behind the front-side bus: one NUMA node, every package 0 hops away.

board('intel-2x4','2x4-core Intel Xeon X5355 (2.66 GHz), shared L2 per core pair, front-side bus (UMA)').

cpu_model(0,'GenuineIntel','Intel Xeon X5355',2660).
cpu_model(1,'GenuineIntel','Intel Xeon X5355',2660).

cpu_thread(0,0,0,0).
cpu_thread(1,0,1,0).
cpu_thread(2,0,2,0).
cpu_thread(3,0,3,0).
cpu_thread(4,1,0,0).
cpu_thread(5,1,1,0).
cpu_thread(6,1,2,0).
cpu_thread(7,1,3,0).

cpu_node(0,0).
cpu_node(1,0).
cpu_node(2,0).
cpu_node(3,0).
cpu_node(4,0).
cpu_node(5,0).
cpu_node(6,0).
cpu_node(7,0).

cache(1,data,32768,[0]).
cache(1,data,32768,[1]).
cache(1,data,32768,[2]).
cache(1,data,32768,[3]).
cache(1,data,32768,[4]).
cache(1,data,32768,[5]).
cache(1,data,32768,[6]).
cache(1,data,32768,[7]).
cache(1,instruction,32768,[0]).
cache(1,instruction,32768,[1]).
cache(1,instruction,32768,[2]).
cache(1,instruction,32768,[3]).
cache(1,instruction,32768,[4]).
cache(1,instruction,32768,[5]).
cache(1,instruction,32768,[6]).
cache(1,instruction,32768,[7]).
cache(2,unified,4194304,[0,1]).
cache(2,unified,4194304,[2,3]).
cache(2,unified,4194304,[4,5]).
cache(2,unified,4194304,[6,7]).

node_distance(0,0,10).

node_memory(0,8589934592).

memory_affinity(0,8589934592,0).

node_hops(0,0,0).

core(0,0).
core(1,1).
core(2,2).
core(3,3).
core(4,4).
core(5,5).
core(6,6).
core(7,7).

rtt_model(shared_cache,140).
rtt_model(same_package,430).
rtt_model(remote,430).
rtt_model(per_hop,0).
