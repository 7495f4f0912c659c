% The SKB's fact vocabulary. Every predicate a board file, discovery or a measurement asserts is
% declared here (dynamic, so facts can also be asserted and retracted at run time; multifile, so a
% board file and asserted facts add to the same predicates). docs/skb.md describes each one.

:- dynamic
    board/2,            % board(Name, Description): which machine the facts describe (host = this one)
    cpu_thread/4,       % cpu_thread(Apic, Package, Core, Thread): a hardware thread (Barrelfish's)
    cpu_node/2,         % cpu_node(Apic, Node): the NUMA node of a hardware thread
    cpu_model/4,        % cpu_model(Package, Vendor, ModelName, MHz)
    cache/4,            % cache(Level, Type, SizeBytes, Apics): one cache, the sorted threads sharing it
    node_distance/3,    % node_distance(From, To, Distance): ACPI SLIT distance (10 = local)
    node_memory/2,      % node_memory(Node, Bytes): memory attached to a NUMA node
    memory_affinity/3,  % memory_affinity(Base, Length, Node): a physical range and its node (SRAT)
    interconnect_link/3,% interconnect_link(NodeA, NodeB, Kind): a link (hypertransport, fsb), A < B
    node_hops/3,        % node_hops(From, To, Hops): interconnect hops between two nodes
    core/2,             % core(Id, Apic): a shoal core and the hardware thread it is (likely) on, or unknown
    message_rtt/6,      % message_rtt(From, To, Avg, Var, Min, Max): URPC round trip between cores, ns
    rtt_origin/1,       % rtt_origin(Origin): modelled | measured
    rtt_model/2.        % rtt_model(Relation, Ns): a board's round-trip model (smt, shared_cache, ...)

:- multifile
    board/2, cpu_thread/4, cpu_node/2, cpu_model/4, cache/4, node_distance/3, node_memory/2,
    memory_affinity/3, interconnect_link/3, node_hops/3, core/2, message_rtt/6, rtt_origin/1,
    rtt_model/2.

:- discontiguous
    board/2, cpu_thread/4, cpu_node/2, cpu_model/4, cache/4, node_distance/3, node_memory/2,
    memory_affinity/3, interconnect_link/3, node_hops/3, core/2, message_rtt/6, rtt_origin/1,
    rtt_model/2.

%!  skb_fact_predicate(?Name, ?Arity) is nondet.
%   The vocabulary, for `shoal skb facts` and for clearing the database between boards.
skb_fact_predicate(board, 2).
skb_fact_predicate(cpu_thread, 4).
skb_fact_predicate(cpu_node, 2).
skb_fact_predicate(cpu_model, 4).
skb_fact_predicate(cache, 4).
skb_fact_predicate(node_distance, 3).
skb_fact_predicate(node_memory, 2).
skb_fact_predicate(memory_affinity, 3).
skb_fact_predicate(interconnect_link, 3).
skb_fact_predicate(node_hops, 3).
skb_fact_predicate(core, 2).
skb_fact_predicate(message_rtt, 6).
skb_fact_predicate(rtt_origin, 1).
skb_fact_predicate(rtt_model, 2).

%!  skb_clear_facts is det.
%   Removes every fact of the vocabulary (asserted ones; a loaded board file is unloaded separately).
skb_clear_facts :-
    forall(skb_fact_predicate(N, A), ( functor(H, N, A), retractall(H) )),
    % The prepared tables of topology.pl describe the old facts.
    retractall(skb_prepared(_)),
    retractall(skb_group(_, _, _)),
    retractall(skb_core_group(_, _, _)),
    retractall(skb_lat(_, _)),
    retractall(mc_leaves(_, _, _)),
    retractall(mc_remote(_, _, _)).
