% Memory placement: which NUMA node to allocate from for a core (its own node if it has memory,
% else the nearest node that has, by SLIT distance).

node_has_memory(N, Bytes) :- node_memory(N, Bytes), Bytes > 0.

memory_nodes(Ns) :-
    findall(N, node_has_memory(N, _), Ns0),
    (   Ns0 == []
    ->  findall(N, ( core(C, _), core_node(C, N) ), Ns1), sort(Ns1, Ns)
    ;   sort(Ns0, Ns)
    ).

distance(A, B, D) :- node_distance(A, B, D0), !, D = D0.
distance(A, A, 10) :- !.
distance(_, _, 20).

%!  nodes_by_distance(+Core, -Nodes) is det.
%   The nodes with memory, nearest first (ties: lower node id first).
nodes_by_distance(Core, Nodes) :-
    core(Core, _),
    core_node(Core, Home),
    memory_nodes(Ns),
    findall(D-N, ( member(N, Ns), distance(Home, N, D) ), Ps),
    msort(Ps, Sorted),
    pairs_values(Sorted, Nodes).

%!  nearest_memory_node(+Core, -Node) is semidet.
nearest_memory_node(Core, Node) :-
    nodes_by_distance(Core, [Node|_]).

%!  nearest_memory_node(+Core, +Bytes, -Node) is semidet.
%   The nearest node with at least Bytes of memory (fails if no node has that much).
nearest_memory_node(Core, Bytes, Node) :-
    nodes_by_distance(Core, Nodes),
    member(Node, Nodes),
    node_has_memory(Node, Have), Have >= Bytes, !.
