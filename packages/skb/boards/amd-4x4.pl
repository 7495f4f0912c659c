% Board amd-4x4: 4x4-core AMD Opteron 8350 (2.0 GHz), shared L3 per package, 4 NUMA nodes in a HyperTransport square.
% Generated from its spec in packages/skb/src/boards/ by `pnpm --filter @shoal/skb make-boards`;
% edit the spec, not this file. Vocabulary: prolog/vocabulary.pl and docs/skb.md.
% Links: 0-1, 0-2, 1-3, 2-3 (AMD's 4P 'quartet'); 0-3 and 1-2 are two hops.

board('amd-4x4','4x4-core AMD Opteron 8350 (2.0 GHz), shared L3 per package, 4 NUMA nodes in a HyperTransport square').

cpu_model(0,'AuthenticAMD','AMD Opteron 8350',2000).
cpu_model(1,'AuthenticAMD','AMD Opteron 8350',2000).
cpu_model(2,'AuthenticAMD','AMD Opteron 8350',2000).
cpu_model(3,'AuthenticAMD','AMD Opteron 8350',2000).

cpu_thread(0,0,0,0).
cpu_thread(1,0,1,0).
cpu_thread(2,0,2,0).
cpu_thread(3,0,3,0).
cpu_thread(4,1,0,0).
cpu_thread(5,1,1,0).
cpu_thread(6,1,2,0).
cpu_thread(7,1,3,0).
cpu_thread(8,2,0,0).
cpu_thread(9,2,1,0).
cpu_thread(10,2,2,0).
cpu_thread(11,2,3,0).
cpu_thread(12,3,0,0).
cpu_thread(13,3,1,0).
cpu_thread(14,3,2,0).
cpu_thread(15,3,3,0).

cpu_node(0,0).
cpu_node(1,0).
cpu_node(2,0).
cpu_node(3,0).
cpu_node(4,1).
cpu_node(5,1).
cpu_node(6,1).
cpu_node(7,1).
cpu_node(8,2).
cpu_node(9,2).
cpu_node(10,2).
cpu_node(11,2).
cpu_node(12,3).
cpu_node(13,3).
cpu_node(14,3).
cpu_node(15,3).

cache(1,data,65536,[0]).
cache(1,data,65536,[1]).
cache(1,data,65536,[2]).
cache(1,data,65536,[3]).
cache(1,data,65536,[4]).
cache(1,data,65536,[5]).
cache(1,data,65536,[6]).
cache(1,data,65536,[7]).
cache(1,data,65536,[8]).
cache(1,data,65536,[9]).
cache(1,data,65536,[10]).
cache(1,data,65536,[11]).
cache(1,data,65536,[12]).
cache(1,data,65536,[13]).
cache(1,data,65536,[14]).
cache(1,data,65536,[15]).
cache(1,instruction,65536,[0]).
cache(1,instruction,65536,[1]).
cache(1,instruction,65536,[2]).
cache(1,instruction,65536,[3]).
cache(1,instruction,65536,[4]).
cache(1,instruction,65536,[5]).
cache(1,instruction,65536,[6]).
cache(1,instruction,65536,[7]).
cache(1,instruction,65536,[8]).
cache(1,instruction,65536,[9]).
cache(1,instruction,65536,[10]).
cache(1,instruction,65536,[11]).
cache(1,instruction,65536,[12]).
cache(1,instruction,65536,[13]).
cache(1,instruction,65536,[14]).
cache(1,instruction,65536,[15]).
cache(2,unified,524288,[0]).
cache(2,unified,524288,[1]).
cache(2,unified,524288,[2]).
cache(2,unified,524288,[3]).
cache(2,unified,524288,[4]).
cache(2,unified,524288,[5]).
cache(2,unified,524288,[6]).
cache(2,unified,524288,[7]).
cache(2,unified,524288,[8]).
cache(2,unified,524288,[9]).
cache(2,unified,524288,[10]).
cache(2,unified,524288,[11]).
cache(2,unified,524288,[12]).
cache(2,unified,524288,[13]).
cache(2,unified,524288,[14]).
cache(2,unified,524288,[15]).
cache(3,unified,2097152,[0,1,2,3]).
cache(3,unified,2097152,[4,5,6,7]).
cache(3,unified,2097152,[8,9,10,11]).
cache(3,unified,2097152,[12,13,14,15]).

node_distance(0,0,10).
node_distance(0,1,16).
node_distance(0,2,16).
node_distance(0,3,22).
node_distance(1,0,16).
node_distance(1,1,10).
node_distance(1,2,22).
node_distance(1,3,16).
node_distance(2,0,16).
node_distance(2,1,22).
node_distance(2,2,10).
node_distance(2,3,16).
node_distance(3,0,22).
node_distance(3,1,16).
node_distance(3,2,16).
node_distance(3,3,10).

node_memory(0,4294967296).
node_memory(1,4294967296).
node_memory(2,4294967296).
node_memory(3,4294967296).

memory_affinity(0,4294967296,0).
memory_affinity(4294967296,4294967296,1).
memory_affinity(8589934592,4294967296,2).
memory_affinity(12884901888,4294967296,3).

interconnect_link(0,1,hypertransport).
interconnect_link(0,2,hypertransport).
interconnect_link(1,3,hypertransport).
interconnect_link(2,3,hypertransport).

node_hops(0,0,0).
node_hops(0,1,1).
node_hops(0,2,1).
node_hops(0,3,2).
node_hops(1,0,1).
node_hops(1,1,0).
node_hops(1,2,2).
node_hops(1,3,1).
node_hops(2,0,1).
node_hops(2,1,2).
node_hops(2,2,0).
node_hops(2,3,1).
node_hops(3,0,2).
node_hops(3,1,1).
node_hops(3,2,1).
node_hops(3,3,0).

core(0,0).
core(1,1).
core(2,2).
core(3,3).
core(4,4).
core(5,5).
core(6,6).
core(7,7).
core(8,8).
core(9,9).
core(10,10).
core(11,11).
core(12,12).
core(13,13).
core(14,14).
core(15,15).

rtt_model(shared_cache,450).
rtt_model(same_package,450).
rtt_model(remote,545).
rtt_model(per_hop,15).
